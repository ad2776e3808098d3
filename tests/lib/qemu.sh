#!/usr/bin/env bash
# Helpers for the shell tests that boot the x86_64 kernel in QEMU and turn
# what it prints into TAP (sourced by tests/kernel/*.t, tests/system/*.t ...).
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

# host_busy: jiffies the host's CPUs have spent busy so far.
host_busy() {
    awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# timed_qemu_run LOG SECS ARGS...: qemu_run that also sets OTHER_PCT, the
# share of the host's CPU capacity used by processes other than this QEMU
# while it ran (percent).
timed_qemu_run() {
    local b0 b1 tf real user sys
    tf=$(mktemp)
    b0=$(host_busy)
    TIMEFORMAT='%R %U %S'
    { time qemu_run "$@"; } 2>"$tf"
    b1=$(host_busy)
    read -r real user sys <"$tf"
    rm -f "$tf"
    OTHER_PCT=$(awk -v b="$((b1 - b0))" -v hz="$(getconf CLK_TCK)" -v r="$real" -v u="$user" \
        -v s="$sys" -v c="$(nproc)" 'BEGIN { o = b / hz - u - s; if (o < 0) o = 0;
        printf "%d", (r > 0 ? 100 * o / (r * c) : 0) }')
}

# boot_tree DIR: -initrd's module list for the ISO tree DIR (the modules of
# grub.cfg, in its order), for booting that tree directly with -kernel.
boot_tree() {
    local mods=""
    for m in $(awk '$1 == "module2" { print $2 }' kernel/arch/x86_64/iso/grub.cfg); do
        mods="$mods,$1/${m#/boot/}"
    done
    echo "${mods#,}"
}

# type_wait LINE PATTERN [SECS]: types LINE on the console (file descriptor 3,
# the write end of the guest's input fifo) and waits up to SECS (30) for
# PATTERN in what the log ($log) shows after it; fails at once if QEMU
# ($qpid, when set) has ended.
type_wait() {
    local from
    from=$(stat -c %s "$log")
    printf '%s\r' "$1" >&3
    for _ in $(seq $((${3:-30} * 10))); do
        tail -c +$((from + 1)) "$log" | tr -d '\r\0' | grep -E -- "$2" >/dev/null && return 0
        [ -z "${qpid:-}" ] || kill -0 "$qpid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
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

# qemu_forward_tap LOG [SUFFIX]: renumbers the guest's TAP lines in LOG into
# this stream (TESTNUM goes on counting), with " [SUFFIX]" after each name
# when given.
qemu_forward_tap() {
    local line
    while IFS= read -r line; do
        TESTNUM=$((TESTNUM + 1))
        if [ $# -ge 2 ]; then
            echo "$line" | sed -E "s/^(ok|not ok)( - [^#]*)?/\1 $TESTNUM\2 [$2]/"
        else
            echo "$line" | sed -E "s/^(ok|not ok)/\1 $TESTNUM/"
        fi
    done < <(grep -aE '^(ok|not ok) ' "$1" | tr -d '\r' | sed -E 's/^(ok|not ok) [0-9]+/\1/')
}

# qemu_suite NAME MIN TIMEOUT ARGS...: boots QEMU with ARGS, shows the
# guest's other output as diagnostics, forwards its TAP, then checks that at
# least MIN tests ran and that QEMU's exit status says all passed (the
# guest's tap_core exits through isa-debug-exit with status 1 on success).
# Prints the plan: a test file that calls it has nothing else to say.
qemu_suite() {
    local name=$1 min=$2 secs=$3 log
    shift 3
    log=$(mktemp)
    qemu_run "$log" "$secs" "$@"
    grep -av -E '^(ok|not ok|1\.\.)' "$log" | tr -d '\r' | sed 's/^/# /'
    qemu_forward_tap "$log"
    rm -f "$log"
    [ "$TESTNUM" -ge "$min" ]
    tap_check $? "${name}_ran_the_whole_suite ($TESTNUM)"
    [ "$QEMU_STATUS" = 1 ]
    tap_check $? "${name}_exit_status_reports_success (qemu status $QEMU_STATUS)"
    echo "1..$TESTNUM"
}
