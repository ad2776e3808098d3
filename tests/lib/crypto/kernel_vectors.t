#!/usr/bin/env bash
# Boots the x86_64 kernel with the freestanding crypto/CBOR vector tests
# (tests/lib/crypto/vectors_user.c) as init and forwards their TAP: proof
# that lib/crypto and lib/cbor run freestanding inside Zero OS.
source "$(dirname "$0")/../../kernel/qemu.sh"
if [ ! -f "$KERNEL" ] || [ ! -f build/x86_64/bin/cryptotests ]; then
    echo "1..0 # SKIP x86_64 kernel or cryptotests not built"
    exit 0
fi
log=$(mktemp)
trap 'rm -f "$log" "$log.tap"' EXIT
qemu_run "$log" 300 -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/cryptotests
grep -E '^(ok|not ok) ' "$log" | tr -d '\r' | sed -E 's/^(ok|not ok) [0-9]+/\1/' >"$log.tap"
while IFS= read -r line; do
    TESTNUM=$((TESTNUM + 1))
    echo "$line" | sed -E "s/^(ok|not ok)/\1 $TESTNUM/"
done <"$log.tap"
[ "$TESTNUM" -ge 120 ]
tap_check $? "kernel_ran_every_crypto_vector ($TESTNUM)"
[ "$QEMU_STATUS" = 1 ]
tap_check $? "kernel_crypto_vectors_exit_status_reports_success (qemu status $QEMU_STATUS)"
if [ "$QEMU_STATUS" != 1 ]; then
    grep -v -E '^(ok|not ok|1\.\.)' "$log" | tr -d '\r' | tail -20 | sed 's/^/# /'
fi
echo "1..$TESTNUM"
