#!/usr/bin/env bash
# zero sig: RFC 8032 vectors through the command line, exit statuses, and
# clear errors for bad hex.
cd "$(dirname "$0")/../.."
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh
seed=c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7
pub=fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025
sig=6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a
printf '\xaf\x82' >"$work/msg"

check "zero_sig_pubkey_matches_rfc8032" test "$("$zero" sig pubkey --seed "$seed")" = "$pub"
check "zero_sig_sign_msg_hex_matches_rfc8032" test "$("$zero" sig sign --seed "$seed" --msg-hex af82)" = "$sig"
check "zero_sig_sign_file_matches_rfc8032" test "$("$zero" sig sign --seed "$seed" "$work/msg")" = "$sig"
check "zero_sig_sign_stdin_matches_rfc8032" test "$("$zero" sig sign --seed "$seed" - <"$work/msg")" = "$sig"
out=$("$zero" sig verify --pub "$pub" --sig "$sig" "$work/msg")
check "zero_sig_verify_valid_exits_0" test $? -eq 0 -a "$out" = valid
out=$("$zero" sig verify --pub "$pub" --sig "$sig" --msg-hex af83)
check "zero_sig_verify_invalid_exits_1" test $? -eq 1 -a "$out" = invalid
badsig=${sig:0:126}0b
"$zero" sig verify --pub "$pub" --sig "$badsig" --msg-hex af82 >/dev/null
check "zero_sig_verify_tampered_signature_exits_1" test $? -eq 1
"$zero" sig verify --pub "$pub" --sig "${sig:0:120}" --msg-hex af82 >/dev/null 2>"$work/err"
rc=$?
check "zero_sig_short_signature_exits_2_with_message" bash -c "test $rc -eq 2 && grep -q 'must be 64 bytes' '$work/err'"
"$zero" sig pubkey --seed "zz${seed:2}" >/dev/null 2>"$work/err"
rc=$?
check "zero_sig_bad_hex_seed_exits_2_with_message" bash -c "test $rc -eq 2 && grep -q 'seed must be 32 bytes' '$work/err'"
"$zero" sig sign --seed "$seed" --msg-hex abc >/dev/null 2>&1
check "zero_sig_odd_msg_hex_exits_2" test $? -eq 2
"$zero" sig sign --seed "$seed" --msg-hex af82 "$work/msg" >/dev/null 2>&1
check "zero_sig_msg_hex_and_file_exits_2" test $? -eq 2
"$zero" sig verify --pub "$pub" --sig "$sig" "$work/missing" >/dev/null 2>&1
check "zero_sig_missing_file_exits_2" test $? -eq 2
"$zero" sig frobnicate >/dev/null 2>&1
check "zero_sig_unknown_subcommand_exits_2" test $? -eq 2
if [ -x build/bin/zero-wasm ] && [ -f build/wasm/bin/zero ]; then
    check "zero_sig_wasm_sign_matches_rfc8032" \
        test "$(build/bin/zero-wasm sig sign --seed "$seed" --msg-hex af82)" = "$sig"
    build/bin/zero-wasm sig verify --pub "$pub" --sig "$sig" --msg-hex af83 >/dev/null
    check "zero_sig_wasm_verify_invalid_exits_1" test $? -eq 1
fi
check "zero_sig_help_exits_0" bash -c "'$zero' sig --help | grep -q 'zero sig verify'"
tap_done
