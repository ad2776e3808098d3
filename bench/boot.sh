#!/usr/bin/env bash
# Boot to the `zero> ` prompt on x86_64 with every service in its own
# process (issue: one process per service; target at most 1.0 s wall under
# QEMU TCG), on a blank disk, two CPUs.  Three ways in:
#
#   direct   QEMU loads the kernel and the ISO tree's modules itself
#            (-kernel/-initrd: the same signed manifest and images as
#            build/zero.iso, no firmware disk reads, no GRUB);
#   iso      build/zero.iso exactly as `make run` boots it (the command line
#            of tools/run-qemu.sh --print, without the NIC): SeaBIOS and
#            GRUB read it from a CD on an AHCI controller;
#   iso_ide  the same ISO on QEMU's default IDE CD (-cdrom), as `make run`
#            booted it before (for comparison).
#
# Wall seconds from QEMU's start to the prompt (best of N runs; under a
# loaded host they grow with the load, so the line also says how busy the
# host was and QEMU's own CPU seconds, to the kernel and to the prompt),
# then the guest time under -icount shift=0 (one virtual ns per
# instruction, plus the idle waits it skips: the LAPIC calibration and the
# AP start-up), read from the time-stamp counter the kernel prints in its
# first line (`entered at tsc N`) and the terminal before its first prompt
# (`terminal: ready at tsc N`).  docs/boot.md ("Where boot time goes") has
# the breakdown.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/boot.sh [RUNS]   (needs make PLATFORM=x86_64 all; prints bench: lines)"
    exit 0
fi
runs=${1:-3}
tree=build/x86_64/iso/boot
if [ ! -r build/zero.iso ] || [ ! -r "$tree/manifest" ]; then
    echo "boot: build/zero.iso is missing: make PLATFORM=x86_64 all" >&2
    exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mods=
for m in $(awk '$1 == "module2" { print $2 }' kernel/arch/x86_64/iso/grub.cfg); do
    mods="$mods,$tree/${m#/boot/}"
done
qemu=(qemu-system-x86_64 -cpu max -smp 2 -m 256M -nodefaults -display none -no-reboot
    -serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04
    -drive "file=$work/disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0)
direct=("${qemu[@]}" -kernel build/x86_64/bin/zero-kernel.bin -initrd "${mods#,}")
mapfile -t iso < <(tools/run-qemu.sh --print --no-net --disk "$work/disk")
iso_ide=("${qemu[@]}" -cdrom build/zero.iso)

# one_boot QEMU-COMMAND...: boots on a fresh blank disk until the prompt;
# prints "WALL_TO_KERNEL WALL_TO_PROMPT CPU_TO_KERNEL CPU_TO_PROMPT
# TSC_AT_KERNEL TSC_AT_PROMPT" (or "fail").
one_boot() {
    rm -f "$work/disk"
    truncate -s 16M "$work/disk"
    perl -MTime::HiRes=time -e '
        my $t0 = time;
        my $pid = open(my $q, "-|", @ARGV) or die "qemu: $!";
        my ($buf, $kernel, $kcpu, $ktsc, $tsc) = ("", -1, -1, -1, -1);
        my $hz = `getconf CLK_TCK` + 0;
        sub cpu { open(my $st, "<", "/proc/$_[0]/stat"); my @f = split / /, (<$st> =~ s/.*\) //r);
                  return ($f[11] + $f[12]) / $hz; }
        local $SIG{ALRM} = sub { kill "TERM", $pid; print "fail\n"; exit 0 };
        alarm 120;
        while (sysread($q, my $c, 1)) {
            $buf .= $c;
            if ($kernel < 0 && $buf =~ /entered at tsc (\d+)\)/) {
                ($kernel, $kcpu, $ktsc) = (time - $t0, cpu($pid), $1);
            }
            $tsc = $1 if $buf =~ /terminal: ready at tsc (\d+)/;
            if ($buf =~ /zero> $/) {
                my ($wall, $cpu) = (time - $t0, cpu($pid));
                kill "TERM", $pid;
                printf "%.3f %.3f %.3f %.3f %d %d\n", $kernel, $wall, $kcpu, $cpu, $ktsc, $tsc;
                exit 0;
            }
            $buf = "" if $c eq "\n";
        }
        print "fail\n";
    ' "$@" </dev/null 2>/dev/null
}

host_busy() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# best WAY ARGS...: the fastest of $runs wall boots, as a bench: line.
best() {
    local way=$1 best="" b0 b1 t0 t1 r
    shift
    b0=$(host_busy)
    t0=$(date +%s.%N)
    for _ in $(seq "$runs"); do
        r=$(one_boot "$@")
        [ "$r" = fail ] && { echo "boot: the $way boot did not reach the prompt" >&2; return 1; }
        best=$(printf '%s\n%s\n' "$best" "$r" | awk 'NF == 6' | sort -k2 -g | head -1)
    done
    b1=$(host_busy)
    t1=$(date +%s.%N)
    load=$(awk -v b="$((b1 - b0))" -v hz="$(getconf CLK_TCK)" -v w="$(echo "$t1 - $t0" | bc -l)" \
        -v c="$(nproc)" 'BEGIN { printf "%d", 100 * b / hz / (w * c) }')
    echo "$best" | awk -v way="$way" -v n="$runs" -v load="$load" '{
        printf "bench: boot_to_prompt_%s_wall %.3f s (best of %d; kernel entered at %.3f s; QEMU CPU %.3f s, %.3f s of it before the kernel; host CPUs %d%% busy) target 1.0\n",
            way, $2, n, $1, $4, $3, load }'
}

# icount WAY ARGS...: guest time to the prompt under -icount shift=0.
icount() {
    local way=$1 r
    shift
    r=$(one_boot "$@" -icount shift=0,align=off,sleep=off)
    [ "$r" = fail ] && { echo "boot: the $way boot under -icount did not reach the prompt" >&2; return 1; }
    echo "$r" | awk -v way="$way" '{ printf "bench: boot_to_prompt_%s_icount %d guest_ns (kernel entered at %d; instructions plus skipped idle waits)\n", way, $6, $5 }'
}

status=0
best direct "${direct[@]}" || status=1
best iso "${iso[@]}" || status=1
best iso_ide "${iso_ide[@]}" || status=1
icount direct "${direct[@]}" || status=1
icount iso "${iso[@]}" || status=1
exit $status
