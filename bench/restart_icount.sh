#!/usr/bin/env bash
# Restart latency in guest instructions: bench/restartbench.c (the
# in-process supervisor of services/init/node_svc.c on the Zero OS kernel)
# under the -icount command line of bench/svc_submit.sh, where rdtsc counts
# retired guest instructions; from svc kill to the first answered request,
# per service.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/restart_icount.sh   (needs build/x86_64/bin/restartbench; prints bench: lines)"
    exit 0
fi
out=$(timeout 300 qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 1 \
    -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1 \
    -nodefaults -display none -monitor none -serial stdio -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/x86_64/bin/zero-kernel.bin -initrd build/x86_64/bin/restartbench 2>/dev/null)
lines=$(echo "$out" | tr -d '\r' | awk '$1 == "zero:" && $2 ~ /^restart_/ && $3 > 0 {print $2, $3}')
if [ "$(echo "$lines" | grep -c .)" -ne 6 ]; then
    echo "restart_icount: the benchmark did not run" >&2
    echo "$out" | tail -5 >&2
    exit 1
fi
echo "$lines" | while read -r name n; do
    echo "bench: ${name/restart_/restart_latency_}_instructions $n (in-process restart under icount, svc kill to first answered request)"
done
