#!/usr/bin/env bash
# Signed proposals over the x86_64 node's second serial port (COM2): QEMU
# turns COM2 into a Unix socket and the host's `zero submit` talks to it
# unchanged.  A proposal signed by a key held outside the node commits; a
# replay, a skipped number, another key's signature and a changed byte are
# refused and commit nothing; head, entry and receipt queries answer;
# garbage, an oversized length, half a request and a flood of hundreds of
# bad requests are refused while the terminal keeps committing; the log
# verifies on the host.
source "$(dirname "$0")/../lib/qemu.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP python3 is not installed"; exit 0; }
zero=build/bin/zero
work=$(mktemp -d)
log=$work/serial.log
sock=$work/com2.sock
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
# wait_for N PATTERN: until the console shows N lines matching PATTERN (60 s at most).
wait_for() {
    for _ in $(seq 600); do
        [ "$(count "$2")" -ge "$1" ] && return 0
        kill -0 "$qpid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
type_line() { printf '%s\r' "$1" >&3; }
# raw BYTES-AS-PYTHON-EXPR: sends bytes on the socket, prints the answers that come within 2 s.
raw() {
    python3 - "$sock" "$1" <<'PY'
import socket, struct, sys, time
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(eval(sys.argv[2], {"struct": struct}))
s.settimeout(2.0); buf = b""
try:
    while True:
        d = s.recv(65536)
        if not d: break
        buf += d
except socket.timeout:
    pass
while len(buf) >= 4:
    n = struct.unpack("<I", buf[:4])[0]
    print(buf[4:4 + n].decode(errors="replace"), end="")
    buf = buf[4 + n:]
PY
}

echo "1..26"
truncate -s 16M "$work/disk.img"
"$zero" key gen "$work/alice.key"
"$zero" key gen "$work/mallory.key"
apub=$("$zero" key pub "$work/alice.key")
mkfifo "$work/in"
timeout 600 "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    -chardev "socket,id=c2,path=$sock,server=on,wait=off" -serial chardev:c2 \
    <"$work/in" >"$log" 2>&1 &
qpid=$!
exec 3>"$work/in"
wait_for 1 'zero> '
has '^zero-com2: signed proposals on COM2'
tap_check $? "com2_server_runs_in_its_own_process"
type_line "id create alice --kind user --pubkey $apub"
type_line "policy allow alice note *"
wait_for 2 'committed #2 '

"$zero" propose --key "$work/alice.key" --proposer alice --number 1 note "over com2" >"$work/p1"
out=$("$zero" submit "$sock" "$work/p1" 2>&1)
grep -q '^committed #3 [0-9a-f]\{64\}$' <<<"$out"
tap_check $? "com2_commits_an_externally_signed_proposal ($out)"
hash1=$(awk '{print $3}' <<<"$out")

out=$("$zero" submit "$sock" "$work/p1" 2>&1)
rc=$?
[ $rc = 1 ] && grep -q '^denied: ' <<<"$out"
tap_check $? "com2_replay_denied ($out)"
"$zero" propose --key "$work/alice.key" --proposer alice --number 3 note skipped >"$work/p3"
out=$("$zero" submit "$sock" "$work/p3" 2>&1)
grep -qE '^(denied|error): proposal number #3 of alice skips ahead' <<<"$out"
tap_check $? "com2_skipped_number_denied ($out)"
"$zero" propose --key "$work/mallory.key" --proposer alice --number 2 note forged >"$work/pm"
out=$("$zero" submit "$sock" "$work/pm" 2>&1)
grep -q '^denied: ' <<<"$out"
tap_check $? "com2_other_keys_signature_denied ($out)"
"$zero" propose --key "$work/alice.key" --proposer alice --number 2 --hex note tampered >"$work/p2"
python3 - "$work/p2" <<'PY'
import sys
p = sys.argv[1]; h = open(p).read().strip(); b = bytearray.fromhex(h)
b[len(b) // 2] ^= 1
open(p + ".bad", "w").write(b.hex() + "\n")
PY
out=$("$zero" submit "$sock" "$work/p2.bad" 2>&1)
grep -qE '^(denied|error): ' <<<"$out"
tap_check $? "com2_changed_byte_refused ($out)"
# The same proposal without its signature (key 5 dropped from the map): no signed proposal.
python3 - "$work/p2" <<'PY'
import sys
p = sys.argv[1]; b = bytes.fromhex(open(p).read().strip())
assert b[0] == 0xa6 and b[-67:-64] == b"\x05\x58\x40"
open(p + ".unsigned", "w").write((b"\xa5" + b[1:-67]).hex() + "\n")
PY
out=$("$zero" submit "$sock" "$work/p2.unsigned" 2>&1)
grep -q '^error: not a signed proposal' <<<"$out"
tap_check $? "com2_unsigned_proposal_refused ($out)"
# As the node (root): only the node's key could sign it, and the COM2 server's
# capability to the Axiom proposes nothing unsigned.
"$zero" propose --key "$work/alice.key" --proposer root --number 1 note "as the node" >"$work/pr"
out=$("$zero" submit "$sock" "$work/pr" 2>&1)
grep -q '^denied: bad proposal signature of root' <<<"$out"
tap_check $? "com2_proposal_as_the_node_denied ($out)"

out=$("$zero" submit "$sock" --head 2>&1)
grep -q '^head #3 [0-9a-f]\{64\} state [0-9a-f]\{64\} tree [0-9a-f]\{64\}$' <<<"$out"
tap_check $? "com2_head_query (nothing refused was committed: $out)"
out=$("$zero" submit "$sock" --entry 3 2>&1)
grep -q "^entry #3 $hash1 [0-9a-f]*$" <<<"$out" &&
    [ "$(awk '{print $4}' <<<"$out" | xxd -r -p | b3sum --no-names 2>/dev/null || echo "$hash1")" = "$hash1" ]
tap_check $? "com2_entry_query_returns_the_committed_entry"
out=$("$zero" submit "$sock" --receipt 3 2>&1)
grep -q '^receipt #3 [0-9a-f]*$' <<<"$out"
tap_check $? "com2_receipt_query_answers"
echo "$out" >"$work/r3"

out=$(raw 'struct.pack("<I", 100000) + b"x" * 64')
grep -q '^error: a message is 1 to 2048 bytes' <<<"$out"
tap_check $? "com2_oversized_length_refused ($out)"
sleep 0.6
out=$(raw 'struct.pack("<I", 40) + b"\x01half"')
sleep 0.6
out=$("$zero" submit "$sock" --head 2>&1)
grep -q '^head #3 ' <<<"$out"
tap_check $? "com2_next_client_clean_after_garbage_and_half_request ($out)"

# A flood: 400 malformed and 100 replayed proposals in one go; meanwhile the terminal commits.
python3 - "$sock" "$work/p1" >"$work/flood" <<'PY' &
import socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
p1 = open(sys.argv[2], "rb").read()
junk = b"".join(struct.pack("<I", 33) + b"\x01" + bytes([i % 256]) * 32 for i in range(400))
replays = b"".join(struct.pack("<I", len(p1) + 1) + b"\x01" + p1 for _ in range(100))
s.sendall(junk + replays)
s.settimeout(120); buf = b""; n = 0
while n < 500:
    d = s.recv(65536)
    if not d: break
    buf += d
    while len(buf) >= 4 and len(buf) >= 4 + struct.unpack("<I", buf[:4])[0]:
        k = struct.unpack("<I", buf[:4])[0]; print(buf[4:4 + k].decode(), end=""); buf = buf[4 + k:]; n += 1
PY
fpid=$!
sleep 1
type_line "note typed during the flood"
wait_for 1 'committed #4 '
tap_check $? "com2_terminal_commits_during_a_flood"
wait $fpid
[ "$(grep -c '^error: not a signed proposal' "$work/flood")" = 400 ] &&
    [ "$(grep -c '^denied: ' "$work/flood")" = 100 ]
tap_check $? "com2_flood_every_request_refused ($(wc -l <"$work/flood") answers)"
"$zero" propose --key "$work/alice.key" --proposer alice --number 2 note "after the flood" >"$work/p2b"
out=$("$zero" submit "$sock" "$work/p2b" 2>&1)
grep -q '^committed #5 ' <<<"$out"
tap_check $? "com2_commits_after_the_flood ($out)"

# Eight proposals sent at once (pipelined): committed in order, in batches of several
# (group commit), each answer after its batch's flush.
mkdir -p "$work/pipe"
for i in $(seq 3 10); do
    "$zero" propose --key "$work/alice.key" --proposer alice --number "$i" note "pipelined $i" \
        >"$work/pipe/$(printf %02d "$i")"
done
python3 - "$sock" "$work/pipe" >"$work/pipe.out" <<'PY'
import os, socket, struct, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.settimeout(60)
d = sys.argv[2]
s.sendall(b"".join(struct.pack("<I", len(p) + 1) + b"\x01" + p
                   for p in (open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d)))))
buf = b""; n = 0
while n < 8:
    data = s.recv(65536)
    if not data: break
    buf += data
    while len(buf) >= 4 and len(buf) >= 4 + struct.unpack("<I", buf[:4])[0]:
        k = struct.unpack("<I", buf[:4])[0]; print(buf[4:4 + k].decode(), end=""); buf = buf[4 + k:]; n += 1
PY
[ "$(awk '/^committed #/ {print $2}' "$work/pipe.out" | tr '\n' ' ')" = "#6 #7 #8 #9 #10 #11 #12 #13 " ]
tap_check $? "com2_pipelined_proposals_all_committed_in_order ($(tr '\n' ';' <"$work/pipe.out" | cut -c1-80))"

# Log-in by a signed challenge, the answer sent over COM2 (zero login --submit).
challenge() { tr -d '\r\0' <"$log" | grep -oE 'challenge [0-9a-f]{64}$' | tail -1 | awk '{print $2}'; }
type_line "login alice"
wait_for 1 'challenge [0-9a-f]{64}$'
ch=$(challenge)
out=$("$zero" login --key "$work/mallory.key" --submit "$sock" alice "$ch" 2>&1)
rc=$?
[ $rc = 1 ] && [ "$out" = "denied: bad signature of alice over the challenge" ] &&
    wait_for 1 'denied: bad signature of alice over the challenge'
tap_check $? "com2_login_with_another_keys_signature_refused_and_shown ($out)"
out=$("$zero" login --key "$work/alice.key" --submit "$sock" alice "$ch" 2>&1)
grep -q '^denied: no challenge outstanding for alice' <<<"$out"
tap_check $? "com2_login_stale_challenge_refused ($out)"
type_line "login alice"
wait_for 2 'challenge [0-9a-f]{64}$'
ch2=$(challenge)
[ "$ch2" != "$ch" ]
tap_check $? "com2_login_each_challenge_fresh"
out=$("$zero" login --key "$work/alice.key" --submit "$sock" alice "$ch2" 2>&1)
rc=$?
[ $rc = 0 ] && [ "$out" = "logged in as alice" ] && wait_for 1 'logged in as alice'
tap_check $? "com2_login_by_signed_challenge ($out)"
type_line "whoami"
wait_for 1 '^(zero> )?alice$'
tap_check $? "com2_login_terminal_acts_as_the_principal"
out=$("$zero" login --key "$work/alice.key" --submit "$sock" alice "$ch2" 2>&1)
grep -q '^denied: no challenge outstanding for alice' <<<"$out"
tap_check $? "com2_login_answer_replayed_refused ($out)"
type_line "axiom verify"
type_line "exit"
wait "$qpid"
qpid=
has '^ok: 14 entries'
tap_check $? "com2_log_replays_on_the_node"
"$zero" verify "$work/disk.img" >"$work/v" 2>&1
tap_check $? "com2_host_zero_verify_accepts_the_disk"
node=$(grep -o 'key [0-9a-f]\{64\}' "$work/v" | head -1 | awk '{print $2}')
"$zero" receipt verify "$work/r3" --key "$node" >"$work/rv" 2>&1
tap_check $? "com2_receipt_verifies_offline_on_the_host ($(head -1 "$work/rv"))"
[ -n "${VERBOSE:-}" ] && diag_log "$log"
exit 0
