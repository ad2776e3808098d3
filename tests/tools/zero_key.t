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
tap_done
