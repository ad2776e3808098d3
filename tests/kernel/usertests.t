#!/usr/bin/env bash
# Boots the kernel with tests/kernel/usertests.c as init (with SMEP and SMAP: -cpu max)
# and forwards the suite's TAP; the QEMU exit status must say all passed.
source "$(dirname "$0")/../lib/qemu.sh"
qemu_suite usertests 80 120 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/usertests
