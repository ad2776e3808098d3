#!/usr/bin/env bash
# Boots the kernel on two CPUs with tests/system/devtests.c as init (port I/O of every
# width, SYS_MEM_MAP, the user HAL's CPU count) and forwards its TAP; QEMU's
# exit status must say all passed.
source "$(dirname "$0")/../lib/qemu.sh"
qemu_suite devtests 30 60 -smp 2 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/devtests
