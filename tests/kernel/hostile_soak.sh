#!/usr/bin/env bash
# hostile_soak.sh [--help]: the kernel's adversarial suite for longer (make
# soak): boots tests/kernel/hostile.c on 1, 2 and 4 CPUs in turn, with a new
# seed each boot, for HOSTILE_SOAK_SECONDS (default SOAK_SECONDS, else 1800).
# Exits non-zero on the first failing boot, with its log and seed.
if [ "${1:-}" = "--help" ]; then
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi
source "$(dirname "$0")/../lib/qemu.sh"
[ -x build/x86_64/bin/hostile ] || make --no-print-directory PLATFORM=x86_64 all >&2 || exit 2
secs=${HOSTILE_SOAK_SECONDS:-${SOAK_SECONDS:-1800}}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
end=$((SECONDS + secs))
boots=0
while [ "$SECONDS" -lt "$end" ]; do
    for n in 1 2 4; do
        qemu_run "$log" 300 -accel tcg,thread=multi -cpu max -smp "$n" -kernel "$KERNEL" \
            -initrd build/x86_64/bin/hostile
        boots=$((boots + 1))
        if [ "$QEMU_STATUS" != 1 ] || grep -aq '^not ok' "$log"; then
            echo "hostile_soak: boot $boots on $n cpus failed (qemu status $QEMU_STATUS):" >&2
            tr -d '\r' <"$log" | grep -av '^ok ' >&2
            exit 1
        fi
    done
done
echo "hostile_soak: $boots boots, every invariant held"
