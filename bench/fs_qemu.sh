#!/usr/bin/env bash
# Sequential write and read throughput through the filesystem against the
# raw virtio-blk device in the same QEMU (bench/fsbench.c: a 16 MiB file
# put across a process boundary, streamed in 16 KiB parts, hashed, chunked,
# stored and committed, then read back verified in 16 KiB messages; the
# raw device written and read with 256 KiB requests).  Target (issue:
# storage): the filesystem at least 0.8x the raw device.  TCG, one CPU,
# so the figures depend on the host's load; the line says how busy it was.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/fs_qemu.sh   (needs build/x86_64/bin/fsbench; prints bench: lines)"
    exit 0
fi
[ -r build/x86_64/bin/fsbench ] || { echo "fs_qemu: build/x86_64/bin/fsbench is missing: make PLATFORM=x86_64 all" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
truncate -s 256M "$work/disk" # the file store is its last quarter
host_busy() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
b0=$(host_busy)
t0=$(date +%s.%N)
# the server never ends: stop QEMU once the client printed its figures
out=$(timeout 600 perl -e '
    my $pid = open(my $q, "-|", @ARGV) or die "qemu: $!";
    my $all = "";
    while (my $l = <$q>) { $all .= $l; last if $l =~ /^zero: done|^fsbench:/; }
    kill "KILL", $pid;
    print $all;
' qemu-system-x86_64 -cpu max -m 256M -nodefaults -display none -monitor none -serial stdio \
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -drive "file=$work/disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    -kernel build/x86_64/bin/zero-kernel.bin -initrd build/x86_64/bin/fsbench </dev/null 2>/dev/null)
b1=$(host_busy)
t1=$(date +%s.%N)
load=$(awk -v b="$((b1 - b0))" -v hz="$(getconf CLK_TCK)" -v w="$(echo "$t1 - $t0" | bc -l)" \
    -v c="$(nproc)" 'BEGIN { printf "%d", 100 * b / hz / (w * c) }')
value() { echo "$out" | tr -d '\r' | awk -v k="$1" '$1 == "zero:" && $2 == k {print $3}'; }
fw=$(value fs_write_mibs) fr=$(value fs_read_mibs) rw=$(value raw_write_mibs) rr=$(value raw_read_mibs)
if [ -z "$fw" ] || [ -z "$rr" ]; then
    echo "fs_qemu: the benchmark did not run" >&2
    echo "$out" | tr -d '\r' | tail -5 >&2
    exit 1
fi
awk -v f="$fw" -v r="$rw" -v l="$load" 'BEGIN { printf "bench: x86_64_fs_seq_write_16MiB %d MiB/s vs raw_virtio_blk %d ratio %.2f (target 0.8; host CPUs %d%% busy)\n", f, r, (r > 0 ? f / r : 0), l }'
awk -v f="$fr" -v r="$rr" -v l="$load" 'BEGIN { printf "bench: x86_64_fs_seq_read_16MiB %d MiB/s vs raw_virtio_blk %d ratio %.2f (target 0.8; host CPUs %d%% busy)\n", f, r, (r > 0 ? f / r : 0), l }'
