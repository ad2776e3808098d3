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
has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }

echo "1..11"
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
# init records every service's start at the first end, then Identity's exit
# and its start again, in between the terminal's commits
has 'committed #1 ' && has 'alice +user' && has 'bob +user' &&
    has 'init: svc.exit identity recorded #[0-9]+' && has 'init: svc.start identity recorded #[0-9]+'
tap_check $? "terminal_reaches_the_new_process_and_commits"
"$zero" log "$disk" >"$work/log.txt" 2>&1
other=$(grep -E '^#[0-9]+ ' "$work/log.txt" | grep -cvE ' svc\.')
has '^ok: [0-9]+ entries' && [ "$other" = 3 ]
tap_check $? "axiom_verify_after_the_restart_and_nothing_but_svc_entries_added ($other others)"
"$zero" verify "$disk" >/dev/null 2>&1 && [ "$QEMU_STATUS" = 1 ]
tap_check $? "disk_verifies_and_exit_powers_off_cleanly (qemu status $QEMU_STATUS)"
# the fault's kind and address (SYS_THREAD_FAULT): ud2, invalid opcode, at its instruction
grep -qE 'svc\.exit +identity pid [0-9]+: fault 6 at 0x[0-9a-f]{6,}' "$work/log.txt"
tap_check $? "the_fault_kind_and_address_are_in_the_log"
tr -d "\0" <"$log" | grep -a "init:\|terminal:\|zero-\|committed\|^ok" | sed "s/^/# /"

# A crash loop: after 5 restarts within 60 s the sixth end holds Identity
# (its capabilities are then revoked); the log gained only the supervisor's
# entries: for Identity 13 (its start, 6 exits, 5 starts again, 1 hold),
# besides one start for each other service: bounded.
truncate -s 0 "$disk" && truncate -s 16M "$disk"
input='id create alice\r'
for _ in 1 2 3 4 5 6; do input+='id create crash\r'; done
input+='id create bob\raxiom verify\rexit\r'
qemu_run_input "$log" 120 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
    -initrd build/x86_64/bin/zero-node-faulty \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
[ "$(tr -d '\r\0' <"$log" | grep -c 'identity service started again')" = 5 ] &&
    has 'init: the identity service is held: 5 restarts in 60 s' &&
    has 'init: the identity service ended \(ZERR_[A-Z]+\); its capabilities are revoked'
tap_check $? "sixth_end_within_60_s_holds_and_revokes"
"$zero" log "$disk" >"$work/log.txt" 2>&1
ids=$(grep -cE 'svc\.(start|exit|hold) +identity' "$work/log.txt")
other=$(grep -E '^#[0-9]+ ' "$work/log.txt" | grep -cvE ' svc\.')
has 'terminal: the identity service is gone \(ZERR_BADCAP\)' && has 'init: svc.hold identity recorded' &&
    [ "$ids" = 13 ] && [ "$other" = 2 ]
tap_check $? "held_service_refuses_at_once_and_the_log_gained_only_svc_entries ($ids for identity, $other others)"
"$zero" verify "$disk" >/dev/null 2>&1 && [ "$QEMU_STATUS" = 1 ]
tap_check $? "disk_verifies_after_the_crash_loop (qemu status $QEMU_STATUS)"
tr -d "\0" <"$log" | grep -a "init:\|terminal:" | sed "s/^/# /"
exit 0
