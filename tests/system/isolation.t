#!/usr/bin/env bash
# Isolation between the service processes on x86_64, with zero-node-faulty
# (the test build): before the prompt its terminal sends truncated, one
# byte too long, garbage and buffer-sized requests to every operation of
# the Axiom, Identity and Policy processes (each must be refused, nothing
# committed, no process ends); then its policy process faults on purpose
# ("policy allow fault"); init names the gone service and starts it again
# on the same endpoint after its back-off (docs/boot.md "Restarts"), the
# terminal says which service was gone when its call was cut, and the
# Axiom and Identity keep their state and keep committing.
# The key process's hostile requests: keystests.t.
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log
has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }

echo "1..8"
truncate -s 16M "$disk"
input=''
for l in 'id create alice' 'policy allow fault' 'policy show' 'id create bob' 'id list' \
    'axiom verify' exit; do input+="$l\\r"; done
qemu_run_input "$log" 120 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
    -initrd build/x86_64/bin/zero-node-faulty \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
has 'hostile: 56 of 56 messages to 14 operations refused; entries 1 before, 1 after$'
tap_check $? "hostile_messages_to_every_operation_of_axiom_identity_policy_each_get_an_error"
# This machine has no network card: the net service may stop, by exit (never
# by a fault); every other service must still be running.
has 'caps terminal:' && ! has 'init: the (axiom|identity) service ended' &&
    [ "$(tr -d '\0' <"$log" | grep -a 'service ended' | grep -vc 'the net service ended (exit)')" = 1 ]
tap_check $? "no_service_process_ends_on_hostile_messages"
has 'committed #1 ' && has 'zero-policy: faulting on purpose'
tap_check $? "policy_process_faults_on_purpose_after_a_commit"
# (the commands that follow may end the node before the 100 ms are over)
has 'init: the policy service ended \(ZERR_[A-Z]+\); restarting in 100 ms' &&
    ! has 'policy service ended.*revoked'
tap_check $? "init_names_the_gone_service_and_restarts_it_on_the_same_endpoint"
has 'terminal: the policy service is gone'
tap_check $? "terminal_says_which_service_is_gone"
# Besides genesis, alice and bob the log holds only init's svc.* entries.
"$zero" log "$disk" >"$work/log.txt" 2>&1
other=$(grep -E '^#[0-9]+ ' "$work/log.txt" | grep -cvE ' svc\.')
has 'committed #1 ' && has 'alice +user +root' && has 'bob +user +root' && [ "$other" = 3 ]
tap_check $? "identity_and_axiom_keep_their_state_and_commit ($other entries besides svc.*)"
has '^ok: [0-9]+ entries' && grep -qE 'svc\.exit +policy pid [0-9]+: fault 6 at' "$work/log.txt"
tap_check $? "axiom_verify_after_the_fault_which_is_in_the_log"
"$zero" verify "$disk" >/dev/null 2>&1 && [ "$QEMU_STATUS" = 1 ]
tap_check $? "disk_verifies_and_exit_powers_off_cleanly (qemu status $QEMU_STATUS)"
tr -d "\0" <"$log" | grep -a "caps\|init:\|terminal:\|zero-\|hostile" | sed "s/^/# /"
exit 0
