#!/usr/bin/env bash
# Boots the kernel with tests/system/keystests.c as init (the key service in
# its own process: badges enforced by the kernel, hostile requests) and
# forwards its TAP; QEMU's exit status must say all passed.
source "$(dirname "$0")/../lib/qemu.sh"
qemu_suite keystests 20 60 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/keystests
