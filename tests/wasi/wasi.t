#!/usr/bin/env bash
# The deterministic WASI (lib/wasi) through zero job run: real C programs
# built here with clang --target=wasm32-wasi and Debian's wasi-libc.  The
# word counter and the sort give the same stdout and output files as
# Node's own WASI; what WASI pins (clock, random, environment) is fixed by
# the options; leaving the sandbox, unsupported calls, traps and running
# out of fuel end the same way every time, on the hosted and the wasm build.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
root=$PWD
zero=$root/build/bin/zero
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in wc sort pinned hostile; do
    clang --target=wasm32-wasi -O2 -o "$tmp/$p.wasm" "tests/wasi/$p.c" || exit 1
done
cd "$tmp" || exit 1
mkdir -p sb/sub
python3 -c "
import random
r = random.Random(7)
with open('sb/big.txt', 'w') as f:
    for _ in range(20000):
        f.write(''.join(r.choice('abcdefghij ') for _ in range(r.randint(1, 30))) + '\n')"
echo secret >outside.txt
node_run() {
    node --no-warnings "$root/tests/wasi/node_wasi.js" "$@"
}

# word count and sort, against Node's WASI
$zero job run --dir sb wc.wasm big.txt >zero.out
zrc=$?
node_run sb wc.wasm big.txt >node.out
check "wasi_wc_runs" [ $zrc -eq 0 ]
check "wasi_wc_output_equals_node_wasi ($(head -c 40 zero.out))" cmp -s zero.out node.out
printf 'one two\nthree\n' | $zero job run --dir sb wc.wasm >stdin.out
check "wasi_wc_reads_stdin" grep -q '^ *2 *3 *14 -$' stdin.out
$zero job run --dir sb sort.wasm big.txt sorted.zero >zero.out
node_run sb sort.wasm big.txt sorted.node >node.out
check "wasi_sort_writes_a_sorted_file" env LC_ALL=C sort -c sb/sorted.zero
check "wasi_sort_file_equals_node_wasi" cmp -s sb/sorted.zero sb/sorted.node
check "wasi_sort_stdout_equals_node_wasi" [ "$(sed 's/sorted.zero/X/' zero.out)" = "$(sed 's/sorted.node/X/' node.out)" ]
$zero job run --dir sb wc.wasm missing.txt >/dev/null 2>err.out
check "wasi_missing_file_is_enoent" grep -q "No such file" err.out

# pinned: the same options give the same bytes; seed and time are the only inputs
a=$($zero job run --dir sb --seed 7 --time 1700000000123456789 --env A=1 pinned.wasm)
arc=$?
b=$($zero job run --dir sb --seed 7 --time 1700000000123456789 --env A=1 pinned.wasm)
c=$($zero job run --dir sb --seed 8 pinned.wasm)
check "wasi_pinned_exit_status_passes_through" [ $arc -eq 3 ]
check "wasi_clock_returns_the_pinned_time" grep -q '^time 1700000000.123456789$' <<<"$a"
check "wasi_environment_is_only_what_is_given" [ "$(grep -c '^env' <<<"$a")" = 1 ]
check "wasi_same_seed_same_output" [ "$a" = "$b" ]
check "wasi_other_seed_other_random" [ "$(grep random <<<"$a")" != "$(grep random <<<"$c")" ]
# the stream is BLAKE3 of a derived key (docs/jobs.md), as b3sum computes it
want=$(printf '\x07\x00\x00\x00\x00\x00\x00\x00' |
    b3sum --derive-key "Zero OS WASI random_get v1" --length 16 --no-names | sed 's/../ &/g')
check "wasi_random_stream_is_blake3_of_the_seed (random$want)" grep -q "^random$want\$" <<<"$a"

# what a job may not do ends the same way every time
out=$($zero job run --dir sb hostile.wasm escape)
check "wasi_paths_cannot_leave_the_sandbox" [ "$out" = "$(printf 'escape Capabilities insufficient\nescape2 Capabilities insufficient')" ]
out=$($zero job run --dir sb hostile.wasm sleep)
check "wasi_unsupported_call_is_a_clean_error ($out)" grep -q '^usleep -1' <<<"$out"
$zero job run --dir sb hostile.wasm trap 2>err.out
check "wasi_trap_is_reported (status $?)" grep -q 'trap: out of bounds memory access' err.out
$zero job run --dir sb --fuel 1000000 hostile.wasm 2>err.out
rc=$?
check "wasi_out_of_fuel_ends_the_job (status $rc)" [ $rc -eq 125 ]
check "wasi_out_of_fuel_at_a_fixed_point" grep -q 'fuel used: 999999 of 1000000' err.out

# the WebAssembly build of zero (under Node) gives the same bytes
if [ -x "$root/build/bin/zero-wasm" ] && [ -f "$root/build/wasm/bin/zero" ]; then
    h=$($zero job run --dir sb --fuel 50000000 wc.wasm big.txt 2>&1)
    w=$("$root/build/bin/zero-wasm" job run --dir sb --fuel 50000000 wc.wasm big.txt 2>&1)
    check "wasi_wc_same_output_and_fuel_on_wasm_build" [ "$h" = "$w" ]
fi
tap_done
