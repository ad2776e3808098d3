#!/usr/bin/env bash
# zero proof consistency and zero verify on consistency proofs: proofs
# between checkpoints of a scripted zero-hosted session verify offline, and
# every single-byte change of a proof file is refused.
cd "$(dirname "$0")/../.."
zh=build/bin/zero-hosted
zero=build/bin/zero
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
disk=$work/disk.img
n=0
check() {
    local name=$1
    shift
    n=$((n + 1))
    if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}
flip() {
    local v
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\x$(printf %02x $((v ^ $3)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# Fourteen entries in fourteen batches (one entry, one batch; each `as`
# commits its act_as entry first).
printf '%s\n' 'id create alice' 'policy allow kind:user note *' 'as alice note one' \
    'id create svc --kind service' 'as alice note two' 'as alice note three' \
    'as alice note four' 'as alice note five' | "$zh" --disk "$disk" --size 2 >/dev/null

out=$("$zero" proof consistency "$disk" 3 -o "$work/p")
check "proof_exits_0" test $? -eq 0
check "proof_prints_old_and_new_trees" bash -c "[[ '$out' == 'old: 3 entries, batch 2, tree root '*'new: 14 entries, batch 13, tree root '* ]]"
check "proof_prints_its_hashes" test "$(grep -c '^proof [0-9]*: [0-9a-f]\{64\}$' <<<"$out")" -ge 1
out=$("$zero" verify "$work/p")
check "verify_accepts_consistency_proof" test $? -eq 0
check "verify_names_both_sizes" bash -c "[[ '$out' == 'ok: consistency proof '*'the 3-entry log'*'prefix of the 14-entry log'* ]]"
key=$(sed -n 's/.* key \([0-9a-f]*\)$/\1/p' <<<"$out")
"$zero" verify "$work/p" --key "$key" >/dev/null
check "verify_proof_pinned_key_matches" test $? -eq 0
"$zero" verify "$work/p" --key "$(printf '%064d' 0)" >/dev/null
check "verify_proof_wrong_pinned_key_exits_1" test $? -eq 1

# Every size pair of the log, both ways through the export.
"$zero" export "$disk" "$work/log" >/dev/null
bad=0
for m in $(seq 1 9); do
    for k in $(seq "$m" 9); do
        "$zero" proof consistency "$work/log" "$m" "$k" -o "$work/q" >/dev/null &&
            "$zero" verify "$work/q" >/dev/null || { bad=$((bad + 1)); echo "# $m..$k"; }
    done
done
check "proofs_between_every_pair_of_checkpoints_verify" test $bad -eq 0

"$zero" proof consistency "$disk" 5 3 >/dev/null 2>&1
check "proof_old_larger_than_new_exits_2" test $? -eq 2
"$zero" proof consistency "$disk" 15 >/dev/null 2>"$work/e"
check "proof_without_checkpoint_of_size_exits_2" test $? -eq 2
check "proof_without_checkpoint_names_size" grep -q 'no signed checkpoint of 15 entries' "$work/e"
"$zero" proof consistency "$disk" 0 >/dev/null 2>&1
check "proof_size_zero_is_usage_error" test $? -eq 2
"$zero" proof inclusion "$disk" 1 >/dev/null 2>&1
check "proof_unknown_kind_is_usage_error" test $? -eq 2
"$zero" proof consistency "$work/nothing" 1 >/dev/null 2>&1
check "proof_missing_disk_exits_2" test $? -eq 2

# Every single-byte change (two different changes per byte): exit 1, or
# exit 2 where the magic no longer says what the file is.
size=$(stat -c %s "$work/p")
missed=0
tried=0
for off in $(seq 0 $((size - 1))); do
    for x in 1 255; do
        cp "$work/p" "$work/t"
        flip "$work/t" "$off" "$x"
        "$zero" verify "$work/t" >/dev/null 2>&1
        rc=$?
        tried=$((tried + 1))
        want=1
        [ "$off" -lt 22 ] && want=2
        if [ $rc -ne $want ]; then missed=$((missed + 1)); echo "# byte $off ^ $x: exit $rc"; fi
    done
done
check "verify_refuses_every_single_byte_change ($tried changes)" test $missed -eq 0
# Truncated and extended proofs.
head -c $((size - 1)) "$work/p" >"$work/t"
"$zero" verify "$work/t" >/dev/null 2>&1
check "verify_refuses_truncated_proof" test $? -eq 1
cp "$work/p" "$work/t" && printf '\0' >>"$work/t"
"$zero" verify "$work/t" >/dev/null 2>&1
check "verify_refuses_extended_proof" test $? -eq 1
echo "1..$n"
