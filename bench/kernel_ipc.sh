#!/usr/bin/env bash
# Kernel costs in guest instructions: boots user/ipcbench under QEMU with
# -icount shift=0 (docs/benchmarks: rdtsc counts retired instructions) and
# prints its bench: lines.  The Linux figures it compares against are the
# ones measured the same way in docs (Linux 6.1 guest, mitigations=off).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
out=$(timeout 300 qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 1 \
    -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1 \
    -nodefaults -display none -monitor none -serial stdio -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel build/x86_64/bin/zero-kernel.bin -initrd build/x86_64/bin/ipcbench 2>&1)
status=$?
echo "$out" | tr -d '\r' | grep '^bench: '
if [ "$status" != 1 ]; then
    echo "kernel_ipc: QEMU exit status $status" >&2
    echo "$out" >&2
    exit 1
fi
