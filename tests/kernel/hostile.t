#!/usr/bin/env bash
# The kernel's adversarial suite: boots tests/kernel/hostile.c as init on 1
# and on 4 CPUs (multi-threaded TCG, 64 MiB so that taking every frame stays
# short) and forwards its TAP.  Each boot runs one hostile program per
# subsystem and checks the kernel's invariants after each (see the comment
# at the top of hostile.c).  The seed of each boot is printed; make soak
# boots it again and again (hostile_soak.sh).
#
# The time ceilings (worst system call, longest kernel-lock hold) are real
# time: virtual CPUs are host threads, and a host whose two cores are
# shared with other work deschedules them.  As in smp.t, a ceiling missed
# while other processes took more than a fifth of the host is reported as
# a skip, with the figures; every other invariant must hold regardless.
source "$(dirname "$0")/../lib/qemu.sh"
log=$(mktemp)
trap 'rm -f "$log" "$log.tap"' EXIT
CEILINGS='(worst system call under attack|longest kernel-lock hold)'
for n in 1 4; do
    timed_qemu_run "$log" 120 -accel tcg,thread=multi -cpu max -m 64M -smp "$n" \
        -kernel "$KERNEL" -initrd build/x86_64/bin/hostile
    tr -d '\r' <"$log" | grep -E '^hostile:' | sed 's/^/# /'
    others=$(grep -aE '^not ok ' "$log" | grep -cvE "$CEILINGS")
    if [ "$OTHER_PCT" -gt 20 ]; then
        qemu_forward_tap "$log" "smp $n" >"$log.tap" # not in a pipe: it counts TESTNUM
        sed -E "s/^not ok ([0-9]+) (- [^:]*: $CEILINGS)/ok \\1 # SKIP host busy: other processes took $OTHER_PCT% of its CPUs: \\2/" "$log.tap"
        [ "$QEMU_STATUS" = 1 ] || { [ "$QEMU_STATUS" = 3 ] && [ "$others" = 0 ]; }
    else
        qemu_forward_tap "$log" "smp $n"
        [ "$QEMU_STATUS" = 1 ]
    fi
    tap_check $? "hostile_suite_passes_on_${n}_cpus (qemu status $QEMU_STATUS, host $OTHER_PCT% busy elsewhere)"
    [ "$QEMU_STATUS" = 1 ] || diag_log "$log"
done
echo "1..$TESTNUM"
