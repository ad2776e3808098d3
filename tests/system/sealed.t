#!/usr/bin/env bash
# A sealed key slot on x86_64: the terminal asks for the passphrase at
# start (echo off) and hands it to the key process over IPC; a wrong one
# is refused and asked again, three wrong ones power off with the disk
# unchanged.  At the console, `login NAME` proves a derived-key principal
# by the passphrase and an external-key principal by a signature over a
# fresh challenge (made on the host by `zero login --key`); a wrong
# passphrase or another key's signature is refused; `as` is the recorded
# act_as action and is refused for a principal holding its own key.
source "$(dirname "$0")/../lib/qemu.sh"
zero=build/bin/zero
zh=build/bin/zero-hosted
work=$(mktemp -d)
log=$work/serial.log
qpid=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
    wait 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT
has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }
count() { tr -d '\r\0' <"$log" | grep -cE -- "$1"; }
wait_for() {
    for _ in $(seq 1200); do
        [ "$(count "$2")" -ge "$1" ] && return 0
        kill -0 "$qpid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
type_line() { printf '%s\r' "$1" >&3; }
pass='correct horse battery'

echo "1..15"
disk=$work/disk.img
"$zero" key gen "$work/alice.key"
"$zero" key gen "$work/mallory.key"
apub=$("$zero" key pub "$work/alice.key")
printf '%s\n' "id create alice --kind user --pubkey $apub" 'id create bob' |
    "$zh" --disk "$disk" --size 16 >/dev/null 2>&1
"$zero" key seal "$disk" --passphrase-fd 4 --kdf "${ZERO_SEAL_KDF:-1,8192,1}" 4<<<"$pass" >/dev/null

mkfifo "$work/in"
timeout 900 "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    <"$work/in" >"$log" 2>&1 &
qpid=$!
exec 3>"$work/in"
wait_for 1 'passphrase: '
has 'the key slot of this node.s disk is sealed'
tap_check $? "x86_64_console_asks_for_the_passphrase_of_a_sealed_disk"
type_line "wrong horse"
wait_for 1 'denied: wrong passphrase \(nothing changed\)'
tap_check $? "x86_64_wrong_passphrase_refused"
t0=$(date +%s.%N)
type_line "$pass"
wait_for 1 'zero> '
t1=$(date +%s.%N)
has '^key slot unlocked' && has 'disk disk0 \(virtio-blk\): 3 entries'
tap_check $? "x86_64_right_passphrase_unlocks_and_the_node_starts ($(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f s", b-a}'))"
type_line "note sealed boot"
wait_for 1 'committed #3 '
tap_check $? "x86_64_unlocked_node_commits"

type_line "login bob"
wait_for 2 'passphrase: '
type_line "not it"
wait_for 2 'denied: wrong passphrase'
type_line "whoami"
wait_for 1 '^root$'
tap_check $? "x86_64_login_with_a_wrong_passphrase_refused"
type_line "login bob"
wait_for 3 'passphrase: '
type_line "$pass"
wait_for 1 'logged in as bob'
tap_check $? "x86_64_login_derived_key_principal_by_passphrase"
! has "$pass|wrong horse|not it"
tap_check $? "x86_64_passphrases_are_not_echoed"

type_line "login alice"
wait_for 1 '^challenge [0-9a-f]{64}'
ch=$(tr -d '\r\0' <"$log" | grep -oE '^challenge [0-9a-f]{64}' | tail -1 | awk '{print $2}')
bad=$("$zero" login --key "$work/mallory.key" alice "$ch")
type_line "login alice $bad"
wait_for 1 'denied: bad signature of alice over the challenge'
tap_check $? "x86_64_login_with_another_keys_signature_refused"
type_line "login alice $("$zero" login --key "$work/alice.key" alice "$ch")"
wait_for 1 'denied: no challenge outstanding for alice'
tap_check $? "x86_64_a_challenge_takes_one_answer"
type_line "login alice"
wait_for 2 '^challenge [0-9a-f]{64}'
ch=$(tr -d '\r\0' <"$log" | grep -oE '^challenge [0-9a-f]{64}' | tail -1 | awk '{print $2}')
type_line "login alice $("$zero" login --key "$work/alice.key" alice "$ch")"
wait_for 1 'logged in as alice'
tap_check $? "x86_64_login_external_key_principal_by_signed_challenge"

type_line "login root"
wait_for 4 'passphrase: '
type_line "$pass"
wait_for 1 'logged in as root'
type_line "as alice note forged"
wait_for 1 'alice holds its own key: the node cannot act for it'
tap_check $? "x86_64_as_refused_for_an_external_key_principal"
type_line "as bob note as-bob"
wait_for 1 'denied: no rule allows bob note'
type_line "axiom log 3"
wait_for 1 '^#4 +[0-9a-f]+ root +act_as +bob'
tap_check $? "x86_64_as_is_a_recorded_act_as_entry_and_then_bob_is_checked"
type_line "exit"
wait "$qpid"
qpid=
exec 3>&-
[ -n "${VERBOSE:-}" ] && diag_log "$log"
cp "$log" "$work/boot1.log"

sum=$(sha256sum <"$disk")
qemu_run_input "$log" 600 'passphrase: ' 'one\rtwo\rthree\r' -cpu max -kernel "$KERNEL" \
    -initrd build/x86_64/bin/zero-node \
    -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
[ "$(count 'denied: wrong passphrase')" = 3 ] && has 'denied: 3 wrong passphrases: the key slot stays sealed'
tap_check $? "x86_64_three_wrong_passphrases_power_off"
[ "$sum" = "$(sha256sum <"$disk")" ]
tap_check $? "x86_64_refused_unlock_changes_nothing_on_the_disk"
"$zero" verify "$disk" >/dev/null 2>&1
tap_check $? "host_zero_verify_accepts_the_sealed_disk_continued_on_x86_64"
exit 0
