#!/usr/bin/env bash
# make bench: jobs.  Per-job overhead (spec to committed job.result, an
# empty program) at the terminal of zero-hosted against notes (one entry
# and one flush each, no job); the clang-built word count and sort as jobs
# (zero job run, the engine) against the same C programs built natively
# and under Node's WASI (V8); zero job verify throughput over a log of
# many small jobs.
cd "$(dirname "$0")/.."
root=$PWD
zh=$root/build/bin/zero-hosted
zero=$root/build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v clang >/dev/null || { echo "jobs bench: clang not installed, skipped"; exit 0; }
cd "$work" || exit 1
printf 'int main(void) { return 0; }\n' >empty.c
clang --target=wasm32-wasi -O2 -o empty.wasm empty.c
for p in wc sort; do
    clang --target=wasm32-wasi -O2 -o $p.wasm "$root/tests/wasi/$p.c"
    cc -O2 -o $p.native "$root/tests/wasi/$p.c"
done
python3 -c "
import random
r = random.Random(7)
with open('big.txt', 'w') as f:
    for _ in range(200000):
        f.write(''.join(r.choice('abcdefghij ') for _ in range(r.randint(1, 30))) + '\n')"
now() { date +%s.%N; }
n=${JOBS_BENCH_N:-200}

printf 'exit\n' | "$zh" --disk d.img --size 64 >/dev/null
e=$("$zero" cas put d.img empty.wasm | cut -c1-64)
for i in $(seq $n); do echo "job run $e -- run-$i"; done >jobs.in
for i in $(seq $n); do echo "note n-$i"; done >notes.in
echo exit >>jobs.in
echo exit >>notes.in
t0=$(now)
"$zh" --disk d.img <jobs.in >jobs.out
t1=$(now)
"$zh" --disk d.img <notes.in >/dev/null
t2=$(now)
c=$(grep -c 'committed #' jobs.out)
awk -v n="$c" -v j="$(echo "$t1 - $t0" | bc)" -v m="$(echo "$t2 - $t1" | bc)" 'BEGIN {
    printf "jobs: %d empty jobs committed, %.2f ms each (notes %.2f ms each; a job costs %.2fx a note)\n",
        n, 1000 * j / n, 1000 * m / n, j / m }'

run_time() { # run_time CMD...: seconds of the best of 3
    local best=
    for _ in 1 2 3; do
        local a b
        a=$(now)
        "$@" >/dev/null 2>&1
        b=$(now)
        best=$(echo "$b - $a" | bc | awk -v p="$best" '{ print (p == "" || $1 < p) ? $1 : p }')
    done
    echo "$best"
}
mkdir sb && cp big.txt sb/
for p in wc sort; do
    args="big.txt"
    [ $p = sort ] && args="big.txt sorted.txt"
    z=$(run_time "$zero" job run --dir sb $p.wasm $args)
    nat=$(cd sb && run_time ../$p.native $args)
    v8=$(run_time node --no-warnings "$root/tests/wasi/node_wasi.js" sb $p.wasm $args)
    awk -v p=$p -v z="$z" -v n="$nat" -v v="$v8" 'BEGIN {
        printf "jobs: %s on 200k lines: zero job run %.3f s, native %.3f s, Node WASI %.3f s; %.1fx native, %.1fx V8\n",
            p, z, n, v, z / n, z / v }'
done

t0=$(now)
"$zero" job verify d.img >verify.out || cat verify.out
t1=$(now)
awk -v n="$n" -v t="$(echo "$t1 - $t0" | bc)" 'BEGIN {
    printf "jobs: zero job verify DISK: %.0f jobs re-verified per second (%d empty jobs, one replay)\n", n / t, n }'
