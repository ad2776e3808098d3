#!/usr/bin/env bash
# Boots the kernel with tests/system/drivertests.c as init and a 16 MiB
# virtio disk (the virtio-blk driver process with good and hostile requests,
# the user HAL's disk through it) and forwards its TAP; QEMU's exit status
# must say all passed.
source "$(dirname "$0")/../lib/qemu.sh"
disk=$(mktemp)
trap 'rm -f "$disk"' EXIT
truncate -s 16M "$disk"
qemu_suite drivertests 20 60 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/drivertests \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
