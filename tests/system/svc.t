#!/usr/bin/env bash
# svc kill of every restartable service process on x86_64 (docs/boot.md,
# "Restarts"), with zero-node-faulty (the test build): each comes back on
# the same endpoint, the terminal keeps working (a restarted terminal
# prints its prompt again), every committed identity is still there, the
# restart and its reason are svc.* entries in the log, and `axiom verify`
# and `zero verify` of the disk pass.  init's own capability to the Axiom
# is bound to the node principal: its test proposal as another principal
# is refused and commits nothing.
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
log=$work/serial.log
has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }

# run_lines SECS LINE...: boots, types each line once the terminal has
# printed one more prompt than lines typed so far; a line @TEXT instead
# waits until TEXT is in the log (a terminal started again).
run_lines() {
    local secs=$1 fifo qpid n=0 c line
    shift
    fifo=$(mktemp -u)
    mkfifo "$fifo"
    timeout "$secs" "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" \
        -initrd build/x86_64/bin/zero-node-faulty \
        -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
        <"$fifo" >"$log" 2>&1 &
    qpid=$!
    exec 3>"$fifo"
    rm -f "$fifo"
    for line in "$@"; do
        if [ "${line#@}" != "$line" ]; then
            for _ in $(seq $((secs * 10))); do
                tr -d '\0' <"$log" | grep -aF -- "${line#@}" >/dev/null && break
                sleep 0.1
            done
            sleep 0.5
            continue
        fi
        n=$((n + 1))
        for _ in $(seq $((secs * 10))); do
            c=$(tr -d '\0' <"$log" | grep -ac 'zero> ')
            [ "$c" -ge "$n" ] && break
            kill -0 "$qpid" 2>/dev/null || break
            sleep 0.1
        done
        printf '%s\r' "$line" >&3 2>/dev/null
    done
    wait "$qpid"
    QEMU_STATUS=$?
    exec 3>&-
}

services="policy identity axiom keys virtio-blk terminal"
echo "1..$((7 + 3 * 6 + 4))"
truncate -s 16M "$disk"
lines=('id create u0')
k=0
for s in $services; do
    k=$((k + 1))
    lines+=("svc kill $s" "id create u$k")
done
lines+=('svc list' 'id list' 'axiom verify' 'exit')
run_lines 150 "${lines[@]}"

"$zero" log "$disk" >"$work/log.txt" 2>&1
has 'init: test: a note as probe through the node.s capability: ZERR_PERM \(this capability may propose only as root, not as probe\); entries 1 before, 1 after'
tap_check $? "init_bound_to_the_node_cannot_propose_as_another_principal"
k=0
for s in $services; do
    k=$((k + 1))
    has "init: the $s service ended \\(killed\\); restarting in 100 ms" &&
        has "init: the $s service started again \\(restart 1\\)"
    tap_check $? "svc_kill_${s}_comes_back_after_100_ms"
    has "u$k +user"
    tap_check $? "terminal_commits_after_the_${s}_restart"
    grep -qE "svc\.exit +$s pid [0-9]+: killed" "$work/log.txt" &&
        grep -qE "svc\.start +$s as pid [0-9]+ after [0-9]+ ms" "$work/log.txt"
    tap_check $? "the_${s}_restart_and_its_reason_are_in_the_log"
done
[ "$(tr -d '\r\0' <"$log" | grep -c 'terminal: ready at')" = 2 ]
tap_check $? "the_terminal_came_back_with_a_prompt"
has '^terminal +[0-9]+ running +1  killed' && has '^policy +[0-9]+ running +1  killed'
tap_check $? "svc_list_shows_each_restart"
lost=0
for k in 0 1 2 3 4 5 6; do has "u$k +user" || lost=$((lost + 1)); done
[ "$lost" = 0 ]
tap_check $? "no_committed_identity_is_lost ($lost missing)"
has '^ok: [0-9]+ entries' && ! has 'not recorded'
tap_check $? "axiom_verify_after_every_restart_and_every_entry_recorded"
"$zero" verify "$disk" >/dev/null 2>&1 && [ "$QEMU_STATUS" = 1 ]
tap_check $? "disk_verifies_and_exit_powers_off_cleanly (qemu status $QEMU_STATUS)"
n=$(grep -cE 'svc\.kill ' "$work/log.txt")
[ "$n" = 6 ]
tap_check $? "each_kill_was_committed_before_it_happened ($n svc.kill entries)"
tr -d "\0" <"$log" | grep -a "init:\|terminal:\|^svc\|committed\|^ok" | sed "s/^/# /"
grep -a "svc\." "$work/log.txt" | sed "s/^/# /"

# A held service: six faults of Identity hold it and revoke its capabilities;
# svc restart starts it again and, since its clients' capabilities went with
# the hold, starts its client (the terminal) again too, which then reaches it.
truncate -s 0 "$disk" && truncate -s 16M "$disk"
lines=('id create alice')
for _ in 1 2 3 4 5 6; do lines+=('id create crash'); done
lines+=('svc restart identity' '@init: the terminal service started again' 'id create bob'
    'id list' 'svc list' 'axiom verify' 'exit')
run_lines 150 "${lines[@]}"
has 'init: the identity service is held: 5 restarts in 60 s' &&
    has 'init: the identity service ended \(ZERR_TRAP\); its capabilities are revoked'
tap_check $? "crash_loop_holds_identity_and_revokes_it"
has 'init: the identity service started again \(restart 6\)' &&
    has 'init: the terminal service starts again for new capabilities to identity'
r1=$?
tap_check $r1 "svc_restart_releases_it_and_regrants_its_client"
has 'bob +user' && has '^identity +[0-9]+ running +6 '
r2=$?
tap_check $r2 "the_new_terminal_reaches_the_released_identity"
[ "$r1$r2" = 00 ] || tr -d '\r\0' <"$log" | grep -av '^caps \|^kcaps ' | tail -60 | sed 's/^/# /' >&2
"$zero" verify "$disk" >/dev/null 2>&1 && [ "$QEMU_STATUS" = 1 ] &&
    "$zero" log "$disk" 2>&1 | grep -E 'svc\.restart +identity' >/dev/null
r=$?
tap_check $r "disk_verifies_with_the_svc_restart_entry (qemu status $QEMU_STATUS)"
if [ $r != 0 ]; then
    { "$zero" verify "$disk" 2>&1 | tail -3; "$zero" log "$disk" 2>&1 | grep -E 'svc\.' | tail -8; } |
        sed 's/^/# /' >&2
fi
tr -d "\0" <"$log" | grep -a "init:\|terminal:\|^svc\|committed\|^ok" | sed "s/^/# /"
exit 0
