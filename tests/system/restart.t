#!/usr/bin/env bash
# Restarting a service process on x86_64 (docs/boot.md, "Restarts"), with
# zero-node-faulty (the test build): its identity process faults on purpose
# on "id create crash"; init's supervisor starts it again after its
# back-off on the same endpoint, the terminal's next call reaches the new
# process (its buffer shared again), nothing committed is lost, and the
# disk verifies.
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log
has() { tr -d '\r\0' <"$log" | grep -qE -- "$1"; }

echo "1..7"
truncate -s 16M "$disk"
input=''
for l in 'id create alice' 'id create crash' 'id create bob' 'id list' 'axiom verify' \
    exit; do input+="$l\\r"; done
qemu_run_input "$log" 120 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
    -initrd build/x86_64/bin/zero-node-faulty \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
has 'committed #1 ' && has 'zero-identity: faulting on purpose'
tap_check $? "identity_process_faults_on_purpose_after_a_commit"
has 'init: the identity service ended \(ZERR_[A-Z]+\); restarting in 100 ms'
tap_check $? "supervisor_restarts_it_after_the_first_back_off"
has 'init: the identity service started again \(restart 1\)' &&
    [ "$(tr -d '\r\0' <"$log" | grep -c 'caps identity:')" = 2 ]
tap_check $? "identity_started_again_with_the_same_capabilities"
! has 'identity service ended.*revoked' && ! has 'identity service is held'
tap_check $? "no_capability_revoked_nothing_held"
has 'committed #2 ' && has 'alice +user' && has 'bob +user'
tap_check $? "terminal_reaches_the_new_process_and_commits"
has '^ok: 3 entries'
tap_check $? "axiom_verify_after_the_restart"
"$zero" verify "$disk" >/dev/null 2>&1 && [ "$QEMU_STATUS" = 1 ]
tap_check $? "disk_verifies_and_exit_powers_off_cleanly (qemu status $QEMU_STATUS)"
tr -d "\0" <"$log" | grep -a "init:\|terminal:\|zero-\|committed\|^ok" | sed "s/^/# /"
exit 0
