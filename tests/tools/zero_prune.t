#!/usr/bin/env bash
# zero prune: old log segments of a disk are freed once an export holds
# them; the node starts from its snapshot; zero verify checks the whole
# history from the export plus the disk; receipts and consistency proofs
# over the pruned entries are made from the export and verify.
cd "$(dirname "$0")/../.."
zh=${ZERO_HOSTED:-build/bin/zero-hosted}
zero=${ZERO:-build/bin/zero}
js=tools/verify-js/zero-verify.js
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh
has() { grep -qE -- "$2" <<<"$1"; }
root() { sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p' <<<"$1"; }

# A 1 MiB disk with 8 KiB segments, 61 entries and a snapshot after #55.
mkdir -p "$work/corpus"
build/hosted/tests/axiom_snapshot.t "$work/corpus" "$work/unit.img" >/dev/null
disk=$work/unit.img.prune
full=$("$zero" verify "$disk")
check "the_disk_verifies_from_genesis" has "$full" '^ok: .*61 entries'

"$zero" export "$disk" "$work/old.log" >/dev/null
out=$("$zero" prune "$disk" --before 40 --export "$work/old.log")
check "prune_frees_segments_before_the_entry ($out)" has "$out" '^pruned [1-9][0-9]* segments: the log on .* now starts at offset [1-9]'

out=$("$zero" verify "$disk" 2>&1)
check "verify_alone_says_the_log_was_pruned" bash -c "test $? -eq 1 && grep -q 'pruned' <<<'$out'"
out=$("$zero" verify "$disk" --export "$work/old.log")
check "verify_with_the_export_checks_the_whole_history" test $? -eq 0 -a -n "$(root "$full")" -a "$(root "$out")" = "$(root "$full")"
check "verify_with_the_export_counts_every_entry" has "$out" '61 entries'
if command -v node >/dev/null 2>&1; then
    out=$(node "$js" "$disk" 2>&1)
    check "js_refuses_the_pruned_disk_alone_saying_so" bash -c "test $? -eq 1 && grep -q 'pruned' <<<'$out'"
else
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - js_refuses_the_pruned_disk_alone_saying_so # SKIP node not installed"
fi

# Receipts and consistency proofs over pruned history, from the export.
"$zero" export "$work/old.log" "$work/r3" --receipt 3 >/dev/null
out=$("$zero" verify "$work/r3")
check "receipt_of_a_pruned_entry_verifies ($out)" has "$out" '^ok: receipt .*entry #3 '
"$zero" proof consistency "$work/old.log" 5 -o "$work/c5" >/dev/null
out=$("$zero" verify "$work/c5")
check "consistency_proof_over_pruned_history_verifies" test $? -eq 0

# The node starts on the pruned disk from its snapshot and goes on.
out=$(printf '%s\n' 'note after pruning' 'axiom head' | "$zh" --disk "$disk" 2>&1)
check "node_starts_on_the_pruned_disk ($(grep -m1 -iE 'error|cannot' <<<"$out"))" has "$out" '\(62 entries\)|#62'
out=$("$zero" verify "$disk" --export "$work/old.log")
check "the_pruned_disk_goes_on_and_still_verifies_with_its_export" has "$out" '^ok: .*6[23] entries'

# Refusals: no snapshot, another disk's export, bad arguments.
"$zero" export "$work/unit.img" "$work/other.log" >/dev/null
cp "$work/unit.img" "$work/nosnap.img"
out=$("$zero" prune "$work/nosnap.img" --before 3 --export "$work/other.log" 2>&1)
check "prune_refuses_a_disk_without_a_snapshot" bash -c "test $? -eq 1 && grep -q 'no snapshot' <<<'$out'"
out=$("$zero" prune "$disk" --before 60 --export "$work/other.log" 2>&1)
check "prune_refuses_another_logs_export" test $? -eq 1
"$zero" prune "$disk" --before x --export "$work/old.log" >/dev/null 2>&1
check "prune_bad_seq_is_a_usage_error" test $? -eq 2
"$zero" prune --help | grep -q 'usage: zero prune'
check "prune_help" test $? -eq 0
tap_done
