#!/usr/bin/env bash
# Helpers for the kernel's QEMU tests (sourced by tests/kernel/*.t).
# qemu_run LOG TIMEOUT ARGS...: boots QEMU with the serial console in LOG and
# isa-debug-exit; sets QEMU_STATUS to QEMU's exit status.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 2
KERNEL=build/x86_64/bin/zero-kernel.bin
QEMU_BASE=(qemu-system-x86_64 -m 256M -nodefaults -display none -monitor none -serial stdio
           -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04)
TESTNUM=0

qemu_run() {
    local log=$1 secs=$2
    shift 2
    timeout "$secs" "${QEMU_BASE[@]}" "$@" >"$log" 2>&1 </dev/null
    QEMU_STATUS=$?
}

# tap_check COND NAME: prints one TAP line.
tap_check() {
    TESTNUM=$((TESTNUM + 1))
    if [ "$1" = 0 ]; then
        echo "ok $TESTNUM - $2"
    else
        echo "not ok $TESTNUM - $2"
    fi
}

# diag_log LOG: shows a log as TAP diagnostics on stderr, which prove shows
# even when it is not verbose (so a failure in CI comes with its log).
diag_log() {
    sed 's/^/# /' "$1" >&2
}

# qemu_run_input LOG TIMEOUT PROMPT INPUT ARGS...: like qemu_run, but types
# INPUT on the serial console once PROMPT has appeared in the log (bytes sent
# before the kernel has set up COM1 would be lost).
qemu_run_input() {
    local log=$1 secs=$2 prompt=$3 input=$4 fifo
    shift 4
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    timeout "$secs" "${QEMU_BASE[@]}" "$@" <"$fifo" >"$log" 2>&1 &
    local qpid=$!
    exec 3>"$fifo"
    rm -f "$fifo"
    for _ in $(seq $((secs * 10))); do
        grep -q "$prompt" "$log" 2>/dev/null && break
        kill -0 "$qpid" 2>/dev/null || break
        sleep 0.1
    done
    printf '%b' "$input" >&3 2>/dev/null
    wait "$qpid"
    QEMU_STATUS=$?
    exec 3>&-
}
