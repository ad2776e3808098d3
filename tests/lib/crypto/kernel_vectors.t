#!/usr/bin/env bash
# Boots the x86_64 kernel with the freestanding crypto/CBOR vector tests
# (tests/lib/crypto/vectors_user.c) as init and forwards their TAP: proof
# that lib/crypto and lib/cbor run freestanding inside Zero OS.
source "$(dirname "$0")/../qemu.sh"
if [ ! -f "$KERNEL" ] || [ ! -f build/x86_64/bin/cryptotests ]; then
    echo "1..0 # SKIP x86_64 kernel or cryptotests not built"
    exit 0
fi
qemu_suite cryptotests 120 300 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/cryptotests
