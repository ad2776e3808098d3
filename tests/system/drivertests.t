#!/usr/bin/env bash
# Boots the kernel with tests/system/drivertests.c as init and a 16 MiB
# virtio disk (the virtio-blk driver process with good and hostile requests,
# the user HAL's disk through it) and forwards its TAP; QEMU's exit status
# must say all passed.
source "$(dirname "$0")/../kernel/qemu.sh"
log=$(mktemp)
disk=$(mktemp)
trap 'rm -f "$log" "$disk"' EXIT
truncate -s 16M "$disk"
qemu_run "$log" 60 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/drivertests \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
grep -v -E '^(ok|not ok|1\.\.)' "$log" | tr -d '\r' | sed 's/^/# /'
grep -E '^(ok|not ok) ' "$log" | tr -d '\r' | sed -E 's/^(ok|not ok) [0-9]+/\1/' >"$log.tap"
while IFS= read -r line; do
    TESTNUM=$((TESTNUM + 1))
    echo "$line" | sed -E "s/^(ok|not ok)/\1 $TESTNUM/"
done <"$log.tap"
rm -f "$log.tap"
[ "$TESTNUM" -ge 20 ]
tap_check $? "drivertests_ran_the_whole_suite"
[ "$QEMU_STATUS" = 1 ]
tap_check $? "drivertests_exit_status_reports_success (qemu status $QEMU_STATUS)"
echo "1..$TESTNUM"
