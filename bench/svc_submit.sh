#!/usr/bin/env bash
# The Axiom's submit round trip across processes against the same submit in
# one process, in guest instructions (bench/svcbench.c under the -icount
# command line of bench/kernel_ipc.sh, where rdtsc counts retired guest
# instructions).  Target (issue: one process per service): the split costs
# less than 20% on submit.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/svc_submit.sh   (needs build/x86_64/bin/svcbench; prints bench: lines)"
    exit 0
fi
out=$(timeout 300 qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 1 \
    -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1 \
    -nodefaults -display none -monitor none -serial stdio -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/x86_64/bin/zero-kernel.bin -initrd build/x86_64/bin/svcbench 2>/dev/null)
value() { echo "$out" | tr -d '\r' | awk -v k="$1" '$1 == "zero:" && $2 == k {print $3}'; }
in=$(value submit_in_process)
across=$(value submit_across_processes)
if [ -z "$in" ] || [ -z "$across" ]; then
    echo "svc_submit: the benchmark did not run" >&2
    echo "$out" | tail -5 >&2
    exit 1
fi
awk -v a="$across" -v i="$in" \
    'BEGIN { printf "bench: axiom_submit_across_processes %s instructions vs axiom_submit_in_process %s ratio %.3f\n", a, i, a / i }'
