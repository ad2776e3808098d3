#!/usr/bin/env bash
# Kernel costs in guest instructions, Zero against Linux in the same run.
#
# Zero boots bench/ipcbench.c under the QEMU -icount command line of the
# benchmark notes, where rdtsc counts retired guest instructions; the Linux
# peer (bench/linux-peer/peer.sh: Debian's Linux 6.1 with mitigations=off and
# a static /init) is measured the same way right after.  Both: median of 51
# batches between lfence;rdtsc;lfence after a warm-up, round trips between
# two processes on one CPU.  If the peer cannot run (no network for its
# kernel package), the earlier Linux figures are quoted and the peer name
# ends in "_quoted".
#
# A second Zero run with -smp 2 measures the round trip between a client
# pinned to CPU 0 and a server pinned to CPU 1 (reschedule IPIs both ways),
# next to the same-CPU one of that boot.  Under -icount QEMU runs the CPUs
# round-robin in one thread and rdtsc counts the instructions of all of
# them: the cross-CPU figure is the total work of both CPUs (both kernel
# paths, the IPIs, the idle loop), not a latency.
#
# A third run, without -icount and with multi-threaded TCG (each guest CPU
# on its own host thread, as tests/kernel/smp.t), measures throughput: two
# independent client/server pairs, one per CPU, against one pair on one
# CPU, by the time stamp counter (host time under TCG); ipcbench's module
# command line ends in " pairs" for it.  The guest measures 9 rounds of
# 2000 round trips each way, interleaved, and prints the round with the
# median ratio.  The host's two cores are shared with whatever else runs,
# so the figure moves with the host's load: the line after it gives the
# load average and the kernel lock's contention during the rounds.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

zero_run() {
    timeout 300 qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp "$1" \
        -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1 \
        -nodefaults -display none -monitor none -serial stdio -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel build/x86_64/bin/zero-kernel.bin -initrd build/x86_64/bin/ipcbench 2>/dev/null
}
zero_pairs_run() {
    timeout 300 qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 2 \
        -accel tcg,thread=multi -rtc base=2024-01-01T00:00:00,clock=vm -seed 1 \
        -nodefaults -display none -monitor none -serial stdio -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel build/x86_64/bin/zero-kernel.bin -initrd "build/x86_64/bin/ipcbench pairs" 2>/dev/null
}
zero_out=$(zero_run 1)
status=$?
if [ "$status" != 1 ]; then
    echo "kernel_ipc: Zero run failed (QEMU status $status)" >&2
    echo "$zero_out" >&2
    exit 1
fi
zero_value() { echo "$zero_out" | tr -d '\r' | awk -v k="$1" '$1 == "zero:" && $2 == k {print $3}'; }

peer_out=$(bench/linux-peer/peer.sh off 2>/dev/null)
peer_value() { echo "$peer_out" | awk -v k="$1" '$1 == "peer:" && $2 == k && $3 ~ /^[0-9]+$/ {print $3}'; }
linux_null=$(peer_value linux_null_syscall)
linux_rt=$(peer_value linux_pipe_roundtrip)
linux_boot=$(peer_value linux_boot_to_init)
suffix=
if [ -z "$linux_null" ] || [ -z "$linux_rt" ]; then
    echo "kernel_ipc: Linux peer not available, quoting the earlier measurement" >&2
    linux_null=326 linux_rt=12790 suffix=_quoted
fi

line() {
    awk -v n="$1" -v v="$2" -v p="$3" -v pv="$4" \
        'BEGIN { printf "bench: %s %s instructions vs %s %s ratio %.3f\n", n, v, p, pv, v / pv }'
}
if [ -n "$linux_boot" ]; then
    line boot_to_init "$(zero_value boot_to_init)" linux_boot_to_init "$linux_boot"
else
    echo "bench: boot_to_init $(zero_value boot_to_init) instructions"
fi
line null_syscall "$(zero_value null_syscall)" "linux_null_syscall$suffix" "$linux_null"
line ipc_roundtrip "$(zero_value ipc_roundtrip)" "linux_pipe_roundtrip$suffix" "$linux_rt"

zero_out=$(zero_run 2)
if [ "$?" = 1 ]; then
    same=$(zero_value ipc_roundtrip)
    cross=$(zero_value ipc_roundtrip_cross_cpu)
    line ipc_roundtrip_cross_cpu "$cross" ipc_roundtrip_same_cpu_smp2 "$same"
else
    echo "kernel_ipc: Zero -smp 2 run failed" >&2
    exit 1
fi

zero_out=$(zero_pairs_run)
if [ "$?" != 1 ]; then
    echo "kernel_ipc: Zero two-pair run failed" >&2
    exit 1
fi
one=$(zero_value ipc_pair_cycles_one)
two=$(zero_value ipc_pair_cycles_two)
speedup=$(zero_value ipc_pairs_speedup)
awk -v o="$one" -v t="$two" -v s="$speedup" 'BEGIN {
    printf "bench: ipc_two_pairs_on_2_cpus %.1f roundtrips_per_Mcycle vs ipc_one_pair_on_1_cpu %.1f roundtrips_per_Mcycle ratio %.3f\n",
        2e6 / t, 1e6 / o, s / 1000 }'
echo "kernel_ipc: two pairs: $(zero_value ipc_pairs_roundtrips) round trips, kernel lock" \
    "$(zero_value ipc_pairs_lock_acquired) acquisitions, $(zero_value ipc_pairs_lock_contended) contended," \
    "$(zero_value ipc_pairs_lock_spins) spins; host load $(cut -d' ' -f1 /proc/loadavg)"
