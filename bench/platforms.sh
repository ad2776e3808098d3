#!/usr/bin/env bash
# The wasm platform against native hosted, in the same run: BLAKE3 through
# `zero hash`, and replay verification through `zero verify` when a log is
# available.  Start-up time (Node, module compilation) is measured on an
# empty input and subtracted, so the figures are steady-state throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# best_of N CMD...: prints the fastest wall time of N runs, in seconds.
best_of() {
    local n=$1 best=""
    shift
    for _ in $(seq "$n"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null
        t1=$(date +%s.%N)
        best=$(echo "$t1 - $t0" | bc -l | awk -v b="$best" '{ if (b == "" || $1 < b) print $1; else print b }')
    done
    echo "$best"
}

size_mib=256
head -c $((size_mib << 20)) /dev/zero | tr '\0' 'z' >"$work/big"
: >"$work/empty"
for p in native wasm; do
    if [ $p = native ]; then tool=(build/bin/zero); else tool=(build/bin/zero-wasm); fi
    base=$(best_of 3 "${tool[@]}" hash "$work/empty")
    full=$(best_of 3 "${tool[@]}" hash "$work/big")
    rate=$(echo "$size_mib / ($full - $base)" | bc -l)
    eval "rate_$p=$rate"
done
printf 'bench: blake3_wasm_node %.1f MiB/s vs native_hosted %.1f ratio %.3f\n' \
    "$rate_wasm" "$rate_native" "$(echo "$rate_wasm / $rate_native" | bc -l)"

# Replay verification of one log (400 batches of 256 signed entries) by
# `zero verify` on each platform; a one-entry disk gives the start-up cost.
build/hosted/bench/bench_axiom --write-log "$work/log.img"
printf 'exit\n' | build/bin/zero-hosted --disk "$work/small.img" --size 1 >/dev/null
entries=$(build/bin/zero verify "$work/log.img" | sed -n 's/^ok: .*: \([0-9]*\) entries in .*/\1/p')
small=$(build/bin/zero verify "$work/small.img" | sed -n 's/^ok: .*: \([0-9]*\) entries in .*/\1/p')
for p in native wasm; do
    if [ $p = native ]; then tool=(build/bin/zero); else tool=(build/bin/zero-wasm); fi
    base=$(best_of 3 "${tool[@]}" verify "$work/small.img")
    full=$(best_of 3 "${tool[@]}" verify "$work/log.img")
    eval "replay_$p=$(echo "($entries - $small) / ($full - $base)" | bc -l)"
done
printf 'bench: replay_verify_wasm_node %.0f entries/s vs native_hosted %.0f ratio %.3f\n' \
    "$replay_wasm" "$replay_native" "$(echo "$replay_wasm / $replay_native" | bc -l)"
