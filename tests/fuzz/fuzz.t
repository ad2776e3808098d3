#!/usr/bin/env bash
# Runs every libFuzzer target over its checked-in corpus, then for a short
# bounded random run (ZERO_FUZZ_RUNS runs, at most ZERO_FUZZ_SECONDS seconds;
# make soak raises both).  A crash, leak or sanitizer report fails the test.
cd "$(dirname "$0")/../.."
list=build/fuzz/fuzzers.list
runs=${ZERO_FUZZ_RUNS:-2000}
seconds=${ZERO_FUZZ_SECONDS:-20}
if [ ! -s "$list" ]; then
    echo "1..0 # SKIP no fuzz targets built"
    exit 0
fi
n=$(grep -c . "$list")
echo "1..$n"
i=0
while read -r name corpus; do
    i=$((i + 1))
    work=$(mktemp -d)
    seeds=()
    [ -n "$corpus" ] && [ -d "$corpus" ] && seeds=("$corpus")
    if build/fuzz/"$name" -runs="$runs" -max_total_time="$seconds" -seed=1 -max_len=4096 \
        -artifact_prefix="$work/" "$work" "${seeds[@]}" >"$work/log" 2>&1; then
        echo "ok $i - fuzz $name: $(grep -o 'Done [0-9]* runs' "$work/log" | head -1)"
    else
        echo "not ok $i - fuzz $name"
        tail -30 "$work/log" | sed 's/^/# /'
    fi
    rm -rf "$work"
done <"$list"
