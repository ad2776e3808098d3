#!/usr/bin/env bash
# zero verify / log / export on a disk made by a scripted zero-hosted
# session: summaries, JSON Lines, exports, tampered exports, bad input.
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
    printf "\\x$(printf %02x $((v ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# Each `as` also commits its act_as entry: 11 entries in all.
printf '%s\n' 'id create alice' 'policy allow kind:user note *' 'as alice note hello' \
    'id create svc --kind service' 'id rotate alice' 'as alice note again' 'policy remove 2' \
    'as alice note denied now' | "$zh" --disk "$disk" --size 2 >/dev/null

out=$("$zero" verify "$disk")
check "verify_disk_exits_0" test $? -eq 0
check "verify_disk_one_line_summary" bash -c "[[ \$(wc -l <<<'$out') -eq 1 && '$out' == 'ok: disk '*'11 entries in 11 batches verified'* ]]"
"$zero" export "$disk" "$work/log" >/dev/null
check "export_exits_0" test $? -eq 0
out=$("$zero" verify "$work/log")
check "verify_accepts_export" bash -c "[[ '$out' == 'ok: export '*'11 entries'* ]]"
key=$(sed -n 's/.* key \([0-9a-f]*\)$/\1/p' <<<"$out")
"$zero" verify "$work/log" --key "$key" >/dev/null
check "verify_pinned_node_key_matches" test $? -eq 0
"$zero" verify "$work/log" --key "$(printf '%064d' 0)" >/dev/null
check "verify_wrong_pinned_key_exits_1" test $? -eq 1
check "log_lists_every_entry" test "$("$zero" log "$work/log" | wc -l)" -eq 11
"$zero" log --json "$disk" >"$work/j"
check "log_json_one_object_per_entry" test "$(grep -c '^{"seq":[0-9]*,"hash":"[0-9a-f]\{64\}",.*}$' "$work/j")" -eq 11
check "log_json_is_valid_json" node -e 'require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").forEach(l=>JSON.parse(l))' "$work/j"
check "log_json_carries_rotation" grep -q '"action":"id.rotate","payload":{"name":"alice","public_key"' "$work/j"

# Tampered exports: header bytes and a spread of body bytes, each alone.  A
# changed magic makes the file unrecognisable (exit 2); anything else is a
# failed verification (exit 1).
size=$(stat -c %s "$work/log")
missed=0
tried=0
for off in $(seq 0 1 15) $(seq 16 61 $((size - 1))); do
    cp "$work/log" "$work/t"
    flip "$work/t" "$off"
    "$zero" verify "$work/t" >/dev/null 2>&1
    rc=$?
    tried=$((tried + 1))
    want=1
    [ "$off" -lt 8 ] && want=2
    if [ $rc -ne $want ]; then missed=$((missed + 1)); echo "# byte $off: exit $rc"; fi
done
check "verify_detects_each_tampered_byte ($tried bytes)" test $missed -eq 0
head -c $((size - 512)) "$work/log" >"$work/t"
"$zero" verify "$work/t" >/dev/null 2>&1
check "verify_detects_truncated_export" test $? -eq 1
cp "$work/log" "$work/t"
head -c 512 /dev/zero >>"$work/t"
"$zero" verify "$work/t" >/dev/null 2>&1
check "verify_detects_appended_bytes" test $? -eq 1

# Receipts: an entry, its inclusion proof and the signed checkpoint.
"$zero" export "$disk" "$work/rc" --receipt 4 >/dev/null
check "export_receipt_exits_0" test $? -eq 0
out=$("$zero" verify "$work/rc" --key "$key")
check "verify_receipt_names_entry_and_key" bash -c "[[ '$out' == 'ok: receipt '*'entry #4 note by alice'*'of the 11-entry log signed by node key $key' ]]"
"$zero" verify "$work/rc" --key "$(printf '%064d' 0)" >/dev/null
check "verify_receipt_wrong_pinned_key_exits_1" test $? -eq 1
rsize=$(stat -c %s "$work/rc")
missed=0
for off in $(seq 0 $((rsize - 1))); do
    cp "$work/rc" "$work/t"
    flip "$work/t" "$off"
    "$zero" verify "$work/t" --key "$key" >/dev/null 2>&1 && { missed=$((missed + 1)); echo "# receipt byte $off accepted"; }
done
check "verify_rejects_every_single_byte_change_of_receipt ($rsize bytes)" test $missed -eq 0
"$zero" export "$disk" "$work/rc" --receipt 11 >/dev/null 2>&1
check "export_receipt_for_missing_entry_exits_2" test $? -eq 2

# Logs written in entry format 1 (tests/data/axiom/README.md) verify
# unchanged, to the same head and state root as when they were made.
out=$("$zero" verify tests/data/axiom/v1.zerolog)
check "verify_accepts_format_1_log_with_its_state_root" bash -c "[[ '$out' == *'8 entries'*'head #7 4c29a7cb7f345136bf2abd3046117873760122c3f9bf3754874cd31ad0a00511; state root 746d944c790375abe963f06de7fa5a9af2eb069d36b0a3415116456cdf1ea96a'* ]]"
out=$("$zero" verify tests/data/axiom/v1_signed.zerolog)
check "verify_accepts_format_1_signed_proposals" bash -c "[[ '$out' == *'6 entries'*'state root 3500909c9066f7c93db54e6327540e15f72a274827e8dd01397898f4a3e15dc1'* ]]"
check "log_json_format_1_signature_has_no_number" bash -c "\"$zero\" log --json tests/data/axiom/v1_signed.zerolog | grep '\"seq\":3,' | grep '\"signature\"' | grep -qv proposal_number"

# Bad input and a corrupted disk.
"$zero" verify "$work/nothing" >/dev/null 2>&1
check "verify_missing_file_exits_2" test $? -eq 2
head -c 4096 /dev/urandom >"$work/garbage"
"$zero" verify "$work/garbage" >/dev/null 2>"$work/e"
check "verify_garbage_exits_2_with_message" bash -c "test $? -eq 2 && grep -q 'neither a Zero OS disk nor a log export' '$work/e'"
"$zero" verify >/dev/null 2>&1
check "verify_without_path_exits_2" test $? -eq 2
flip "$disk" $((8704 + 1024 + 80))
"$zero" export "$disk" "$work/bad" >/dev/null 2>&1
check "export_refuses_corrupted_disk_exit_1" test $? -eq 1
"$zero" log "$disk" >"$work/o" 2>"$work/e"
check "log_stops_at_bad_entry_exit_1" bash -c "test $? -eq 1 && grep -q 'verification stopped at entry #2' '$work/e' && test \$(wc -l <'$work/o') -eq 2"
flip "$disk" 20
"$zero" verify "$disk" >"$work/o" 2>&1
check "verify_damaged_superblock_exits_1" bash -c "test $? -eq 1 && grep -q 'superblock checksum mismatch' '$work/o'"
echo "1..$n"
