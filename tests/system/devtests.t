#!/usr/bin/env bash
# Boots the kernel on two CPUs with tests/system/devtests.c as init (port I/O of every
# width, SYS_MEM_MAP, the user HAL's CPU count) and forwards its TAP; QEMU's
# exit status must say all passed.
source "$(dirname "$0")/../kernel/qemu.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
qemu_run "$log" 60 -smp 2 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/devtests
grep -v -E '^(ok|not ok|1\.\.)' "$log" | tr -d '\r' | sed 's/^/# /'
grep -E '^(ok|not ok) ' "$log" | tr -d '\r' | sed -E 's/^(ok|not ok) [0-9]+/\1/' >"$log.tap"
while IFS= read -r line; do
    TESTNUM=$((TESTNUM + 1))
    echo "$line" | sed -E "s/^(ok|not ok)/\1 $TESTNUM/"
done <"$log.tap"
rm -f "$log.tap"
[ "$TESTNUM" -ge 30 ]
tap_check $? "devtests_ran_the_whole_suite"
[ "$QEMU_STATUS" = 1 ]
tap_check $? "devtests_exit_status_reports_success (qemu status $QEMU_STATUS)"
echo "1..$TESTNUM"
