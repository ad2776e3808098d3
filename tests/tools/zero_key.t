#!/usr/bin/env bash
# Sealed key slots through the tools: zero-hosted --seal and
# --passphrase-fd, refusals that leave the disk unchanged, zero key seal on
# an existing disk, a damaged slot, and key files (zero key gen / pub).
cd "$(dirname "$0")/../.."
zh=build/bin/zero-hosted
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh
printf 'correct horse\n' >"$work/pw"
printf 'wrong horse\n' >"$work/bad"

out=$(printf 'id create alice\nexit\n' | "$zh" --disk "$work/s.img" --size 4 --seal --passphrase-fd 3 3<"$work/pw")
check "zero_hosted_seal_formats_sealed_disk" grep -q '(new, formatted) (sealed)' <<<"$out"
# The key slot's protection field (disk offset 4096 + 12) reads 1: sealed.
check "zero_hosted_sealed_disk_slot_protection_is_1" \
    test "$(od -An -tu4 -j 4108 -N 4 "$work/s.img" | tr -d ' ')" = 1
sum=$(sha256sum <"$work/s.img")
printf 'id list\n' | "$zh" --disk "$work/s.img" --passphrase-fd 3 3<"$work/bad" >"$work/out" 2>"$work/err"
rc=$?
check "zero_hosted_wrong_passphrase_exits_2" test $rc -eq 2
check "zero_hosted_wrong_passphrase_says_so" grep -q 'wrong passphrase' "$work/err"
check "zero_hosted_wrong_passphrase_changes_nothing" test "$(sha256sum <"$work/s.img")" = "$sum"
printf 'id list\n' | setsid "$zh" --disk "$work/s.img" >/dev/null 2>"$work/err" </dev/null
check "zero_hosted_sealed_without_terminal_or_fd_refused" grep -q 'passphrase' "$work/err"
out=$(printf 'id list\n' | "$zh" --disk "$work/s.img" --passphrase-fd 3 3<"$work/pw")
check "zero_hosted_right_passphrase_opens" grep -q '^alice ' <<<"$out"
"$zero" verify "$work/s.img" >/dev/null
check "zero_verify_accepts_sealed_disk" test $? -eq 0

# zero key seal converts a plain disk; its log stays and verifies.
printf 'id create bob\n' | "$zh" --disk "$work/p.img" --size 4 >/dev/null
"$zero" key seal "$work/p.img" --passphrase-fd 3 --kdf 1,1024,1 3<"$work/pw" >"$work/out"
check "zero_key_seal_converts_plain_disk" grep -q '^sealed: ' "$work/out"
"$zero" key seal "$work/p.img" --passphrase-fd 3 3<"$work/pw" >/dev/null 2>"$work/err"
check "zero_key_seal_refuses_sealed_disk" bash -c "test $? -eq 1 && grep -q 'sealed already' '$work/err'"
out=$(printf 'id list\n' | "$zh" --disk "$work/p.img" --passphrase-fd 3 3<"$work/pw")
check "zero_key_sealed_disk_keeps_its_log" grep -q '^bob ' <<<"$out"
printf 'id list\n' | "$zh" --disk "$work/p.img" --passphrase-fd 3 3<"$work/bad" >/dev/null 2>&1
check "zero_key_sealed_disk_refuses_wrong_passphrase" test $? -eq 2
"$zero" key seal "$work/missing.img" --passphrase-fd 3 3<"$work/pw" >/dev/null 2>&1
check "zero_key_seal_missing_disk_exits_2" test $? -eq 2

# A damaged slot: one byte of the sealed secret flipped.
cp "$work/p.img" "$work/d.img"
printf '\x55' | dd of="$work/d.img" bs=1 seek=4116 conv=notrunc 2>/dev/null
printf 'id list\n' | "$zh" --disk "$work/d.img" --passphrase-fd 3 3<"$work/pw" >/dev/null 2>"$work/err"
check "zero_hosted_detects_damaged_slot" bash -c "test $? -eq 2 && grep -q 'key slot damaged' '$work/err'"

# Key files.
"$zero" key gen "$work/k"
check "zero_key_gen_mode_0600" test "$(stat -c %a "$work/k")" = 600
check "zero_key_gen_is_64_hex_digits" grep -qE '^[0-9a-f]{64}$' "$work/k"
check "zero_key_pub_matches_zero_sig" \
    test "$("$zero" key pub "$work/k")" = "$("$zero" sig pubkey --seed "$(cat "$work/k")")"
"$zero" key gen "$work/k" 2>"$work/err"
check "zero_key_gen_refuses_to_overwrite" bash -c "test $? -eq 2 && grep -q exists '$work/err'"
printf 'nothex\n' >"$work/junk"
"$zero" key pub "$work/junk" >/dev/null 2>"$work/err"
check "zero_key_pub_refuses_non_key_file" bash -c "test $? -eq 2 && grep -q 'not a key file' '$work/err'"

# Keys held outside the node: alice and her agent sign their own proposals
# (zero propose), the terminal submits them, both verifiers accept the log.
"$zero" key gen "$work/alice.key"
"$zero" key gen "$work/agent.key"
apub=$("$zero" key pub "$work/alice.key")
gpub=$("$zero" key pub "$work/agent.key")
p1=$("$zero" propose --key "$work/alice.key" --proposer alice --number 1 --hex id.create agent-1 agent "$gpub")
p2=$("$zero" propose --key "$work/agent.key" --proposer agent-1 --number 1 --hex note signed by the agent)
p3=$("$zero" propose --key "$work/alice.key" --proposer agent-1 --number 2 --hex note not the agent key)
"$zero" propose --key "$work/agent.key" --proposer agent-1 --number 2 note binary >"$work/p.cbor"
check "zero_propose_binary_is_hex_output_decoded" \
    test "$(od -An -tx1 -v "$work/p.cbor" | tr -d ' \n')" = \
         "$("$zero" propose --key "$work/agent.key" --proposer agent-1 --number 2 --hex note binary)"
printf '%s\n' "id create alice --kind user --pubkey $apub" "policy allow alice id.create *" \
    "policy allow agent-* note * if proposer.parent == alice" "submit $p1" "submit $p2" \
    "submit $p2" "submit $p3" "as agent-1 note unsigned" "id list" \
    | "$zh" --disk "$work/e.img" --size 4 >"$work/out"
check "submit_commits_signed_creation_and_note" test "$(grep -c '^zero> committed' "$work/out")" -eq 5
check "submit_refuses_replay" grep -q 'replayed proposal' "$work/out"
check "submit_refuses_wrong_key" grep -q 'bad proposal signature of agent-1' "$work/out"
check "node_cannot_propose_for_external_key" grep -q 'agent-1 holds its own key' "$work/out"
check "id_list_marks_own_keys" grep -q '^agent-1 .*(own key)$' "$work/out"
"$zero" verify "$work/e.img" >"$work/v1"
check "zero_verify_accepts_external_key_log" test $? -eq 0
if command -v node >/dev/null; then
    node tools/verify-js/zero-verify.js "$work/e.img" >"$work/v2"
    check "verify_js_accepts_external_key_log" test $? -eq 0
    check "verify_js_same_head_as_zero_verify" \
        test "$(grep -o 'head [#0-9 ]*[0-9a-f]\{64\}' "$work/v1" | grep -o '[0-9a-f]\{64\}')" = \
             "$(grep -o 'head [0-9a-f]\{64\}' "$work/v2" | grep -o '[0-9a-f]\{64\}')"
fi
printf 'submit 00ff\nsubmit xyz\n' | "$zh" >"$work/out"
check "submit_refuses_garbage" test "$(grep -c '^zero> error: ' "$work/out")" -eq 2
"$zero" propose --key "$work/agent.key" --proposer agent-1 --number 0 note x >/dev/null 2>&1
check "zero_propose_refuses_number_0" test $? -eq 2
"$zero" propose --key "$work/missing.key" --proposer agent-1 --number 1 note x >/dev/null 2>&1
check "zero_propose_refuses_missing_key" test $? -eq 2
tap_done
