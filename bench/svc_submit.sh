#!/usr/bin/env bash
# The Axiom's submit round trip across processes against the same submit in
# one process, in guest instructions (bench/svcbench.c under the -icount
# command line of bench/kernel_ipc.sh, where rdtsc counts retired guest
# instructions).  Target (issue: one process per service): the split costs
# less than 20% on submit.
#
# Then `id create` at the terminal: typed as `time id create benchN` at the
# terminal of zero-node with every service in its own process (a
# development boot under the same command line, no disk: the Axiom on a
# memory disk), against the same command run by bench/svcbench.c at the
# terminal of a node in one process (memory disk too).  Both the median of
# 9 creates after 2; with a virtio-blk disk the figures would also count
# the idle time the -icount clock skips while a process waits for the
# disk's interrupt, which is not instructions.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/svc_submit.sh   (needs build/x86_64/bin/svcbench; prints bench: lines)"
    exit 0
fi
qemu=(qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 1
    -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1
    -nodefaults -display none -monitor none -serial stdio -no-reboot
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel build/x86_64/bin/zero-kernel.bin)
out=$(timeout 300 "${qemu[@]}" -initrd build/x86_64/bin/svcbench 2>/dev/null)
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

# id create at the terminal of the split system: one command at a prompt,
# the next once its "time:" line is out.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/fifo"
timeout 300 "${qemu[@]}" -initrd build/x86_64/bin/zero-node <"$work/fifo" >"$work/log" 2>&1 &
qpid=$!
exec 3>"$work/fifo"
sent=0
creates=11
for _ in $(seq 3000); do
    done_=$(grep -ac '^time: ' "$work/log")
    prompts=$(grep -ao 'zero> ' "$work/log" | wc -l)
    if [ "$done_" -ge $creates ]; then
        printf 'exit\r' >&3
        break
    fi
    if [ "$prompts" -gt $sent ] && [ "$done_" -eq $sent ]; then
        printf 'time id create bench%d\r' $sent >&3
        sent=$((sent + 1))
    fi
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.1
done
wait "$qpid"
exec 3>&-
split=$(tr -d '\r' <"$work/log" | awk '$1 == "time:" { n++; if (n > 2) print $2 }' | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
one=$(value id_create_in_process)
if [ -z "$split" ] || [ -z "$one" ] || [ "$(grep -ac '^time: ' "$work/log")" -lt $creates ]; then
    echo "svc_submit: id create at the terminal did not run" >&2
    tail -5 "$work/log" >&2
    exit 1
fi
awk -v a="$split" -v i="$one" \
    'BEGIN { printf "bench: id_create_at_terminal_across_processes %s instructions vs id_create_in_process %s ratio %.3f (memory disk; median of 9) target 1.2\n", a, i, a / i }'
