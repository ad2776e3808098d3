#!/usr/bin/env bash
# hostile_soak.sh [--help]: the kernel's adversarial suite for longer (make
# soak): runs tests/kernel/hostile.t (1 and 4 CPUs, a new seed each boot)
# again and again for HOSTILE_SOAK_SECONDS (default SOAK_SECONDS, else 1800).
# Exits non-zero on the first failing run, with its output and seeds.
if [ "${1:-}" = "--help" ]; then
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
fi
cd "$(dirname "$0")/../.." || exit 2
[ -x build/x86_64/bin/hostile ] || make --no-print-directory PLATFORM=x86_64 all >&2 || exit 2
secs=${HOSTILE_SOAK_SECONDS:-${SOAK_SECONDS:-1800}}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
end=$((SECONDS + secs))
runs=0
while [ "$SECONDS" -lt "$end" ]; do
    tests/kernel/hostile.t >"$out" 2>&1
    runs=$((runs + 1))
    if grep -aq '^not ok' "$out"; then
        echo "hostile_soak: run $runs failed:" >&2
        grep -av '^ok ' "$out" >&2
        exit 1
    fi
done
echo "hostile_soak: $runs runs (each on 1 and 4 CPUs), every invariant held; $(grep -c SKIP "$out") ceilings skipped in the last (host busy)"
