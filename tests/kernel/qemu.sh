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

# diag_log LOG: shows a log as TAP diagnostics.
diag_log() {
    sed 's/^/# /' "$1"
}
