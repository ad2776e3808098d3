#!/usr/bin/env bash
# The kernel's adversarial suite: boots tests/kernel/hostile.c as init on 1
# and on 4 CPUs (multi-threaded TCG) and forwards its TAP.  Each boot runs
# one hostile program per subsystem and checks the kernel's invariants
# after each (see the comment at the top of hostile.c).  The seed of each
# boot is printed; make soak boots it again and again (hostile_soak.sh).
source "$(dirname "$0")/../lib/qemu.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for n in 1 4; do
    qemu_run "$log" 120 -accel tcg,thread=multi -cpu max -smp "$n" -kernel "$KERNEL" \
        -initrd build/x86_64/bin/hostile
    tr -d '\r' <"$log" | grep -E '^hostile:' | sed 's/^/# /'
    qemu_forward_tap "$log" "smp $n"
    [ "$QEMU_STATUS" = 1 ]
    tap_check $? "hostile_suite_passes_on_${n}_cpus (qemu status $QEMU_STATUS)"
    [ "$QEMU_STATUS" = 1 ] || diag_log "$log"
done
echo "1..$TESTNUM"
