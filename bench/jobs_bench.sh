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
        n, 1000 * j / n, 1000 * m / n, j / m
    printf "bench: jobs_empty_job_hosted_wall %.0f ns (spec to committed job.result at the terminal of zero-hosted; beside bench/jobs_x86.sh)\n",
        1e9 * j / n }'

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

# placing outputs: the sort of 20 000 lines as a job, without and with
# --out (the job.result, then one fs.mkdir and one fs.put of the output)
head -n 20000 big.txt >small.txt
ids=$("$zero" cas put d.img sort.wasm small.txt)
S=$(echo "$ids" | grep ' sort.wasm$' | cut -c1-64)
B=$(echo "$ids" | grep ' small.txt$' | cut -c1-64)
k=${JOBS_BENCH_PLACE_N:-5}
for i in $(seq $k); do echo "job run $S --in small.txt=$B -- small.txt s$i.txt"; done >keep.in
for i in $(seq $k); do echo "job run $S --in small.txt=$B --out /bench/$i -- small.txt s$i.txt"; done >place.in
echo exit >>keep.in
echo exit >>place.in
t0=$(now)
"$zh" --disk d.img <keep.in >keep.out
t1=$(now)
"$zh" --disk d.img <place.in >place.out
t2=$(now)
awk -v n="$k" -v p="$(grep -c '^placed ' place.out)" -v a="$(echo "$t1 - $t0" | bc)" \
    -v b="$(echo "$t2 - $t1" | bc)" 'BEGIN {
    printf "jobs: sort of 20k lines at the terminal: %.1f ms a job, %.1f ms with its output placed (%d of %d placed; placing costs %.1f ms)\n",
        1000 * a / n, 1000 * b / n, p, n, 1000 * (b - a) / n }'
