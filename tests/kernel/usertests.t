#!/usr/bin/env bash
# Boots the kernel with tests/kernel/usertests.c as init (with SMEP and SMAP: -cpu max)
# and forwards the suite's TAP; the QEMU exit status must say all passed.
source "$(dirname "$0")/qemu.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
qemu_run "$log" 120 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/usertests
grep -v -E '^(ok|not ok|1\.\.)' "$log" | tr -d '\r' | sed 's/^/# /'
grep -E '^(ok|not ok) ' "$log" | tr -d '\r' | sed -E 's/^(ok|not ok) [0-9]+/\1/' >"$log.tap"
while IFS= read -r line; do
    TESTNUM=$((TESTNUM + 1))
    echo "$line" | sed -E "s/^(ok|not ok)/\1 $TESTNUM/"
done <"$log.tap"
rm -f "$log.tap"
[ "$TESTNUM" -ge 80 ]
tap_check $? "usertests_ran_the_whole_suite"
[ "$QEMU_STATUS" = 1 ]
tap_check $? "usertests_exit_status_reports_success (qemu status $QEMU_STATUS)"
echo "1..$TESTNUM"
