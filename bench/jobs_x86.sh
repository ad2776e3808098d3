#!/usr/bin/env bash
# make bench: per-job overhead on x86_64 (docs/jobs.md "Performance"): the
# guest time from a job spec to its committed job.result, an empty
# program, with the jobs service in its own process, under QEMU -icount
# shift=0 (one virtual ns per instruction plus the idle waits it skips).
# One session: N empty jobs and N notes (one entry each, no job), each
# under the x86_64 terminal's `time` (the TSC cycles the command took:
# guest ns under -icount, without the idle waits for typed input); the
# medians.  The hosted figure is bench/jobs_bench.sh's first line.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/jobs_x86.sh [N]   (needs make PLATFORM=x86_64 and hosted; prints bench: lines)"
    exit 0
fi
command -v clang >/dev/null || { echo "jobs x86_64 bench: clang not installed, skipped"; exit 0; }
[ -x build/x86_64/bin/zero-node ] || { echo "jobs x86_64 bench: make PLATFORM=x86_64 first" >&2; exit 1; }
n=${1:-${JOBS_X86_BENCH_N:-20}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'int main(void) { return 0; }\n' >"$work/empty.c"
mkdir "$work/p"
clang --target=wasm32-wasi -O2 -o "$work/p/empty.wasm" "$work/empty.c" || exit 1
truncate -s 32M "$work/disk"
printf 'exit\n' | build/bin/zero-hosted --disk "$work/disk" --import "$work/p:/p" >/dev/null 2>&1
input='job run /p/empty.wasm -- warm\r' # the store's first use is not counted
for ((i = 1; i <= n; i++)); do
    input+="time job run /p/empty.wasm -- run-$i\\rtime note n-$i\\r"
done
input+='exit\r'
(
    source tests/lib/qemu.sh
    qemu_run_input "$work/log" 900 'zero> ' "$input" -cpu max -icount shift=0,align=off,sleep=off \
        -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
        -drive "file=$work/disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
)
tr -d '\r' <"$work/log" >"$work/out"
c=$(grep -c '^committed #' "$work/out")
# the time lines follow their command's output: jobs and notes alternate
grep -o '^time: [0-9]*' "$work/out" | cut -d' ' -f2 >"$work/t"
if [ "$c" != $((2 * n + 1)) ] || [ "$(wc -l <"$work/t")" != $((2 * n)) ]; then
    echo "jobs x86_64 bench: the session did not finish ($c of $((2 * n + 1)) entries committed)" >&2
    exit 1
fi
med() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
j=$(awk 'NR % 2 == 1' "$work/t" | med)
m=$(awk 'NR % 2 == 0' "$work/t" | med)
awk -v n="$n" -v j="$j" -v m="$m" 'BEGIN {
    printf "bench: jobs_empty_job_x86_64_icount %.0f guest_ns (median of %d: spec to committed job.result, the jobs service in its own process; a note %.0f guest_ns; a job %.1fx a note)\n", j, n, m, j / m }'
