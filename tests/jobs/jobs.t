#!/usr/bin/env bash
# Jobs on a node (docs/jobs.md): programs built here with clang and
# wasi-libc are put into a disk's content store (zero cas put), run as jobs
# at the terminal of zero-hosted, committed as job.result, shown, and
# re-verified on the node (job verify) and on the host (zero job verify).
# Fuel exhaustion, a trap, a sandbox escape and an import that is not
# granted end as recorded results; policy refusals commit nothing; a
# tampered output in the store and a tampered entry are named; the
# JavaScript verifier reaches the same state root.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
root=$PWD
zero=$root/build/bin/zero
zh=$root/build/bin/zero-hosted
tmp=$(mktemp -d)
keep=${KEEP:-}; trap '[ -z "$keep" ] && rm -rf "$tmp"' EXIT
for p in wc sort hostile; do
    clang --target=wasm32-wasi -O2 -o "$tmp/$p.wasm" "tests/wasi/$p.c" || exit 1
done
clang --target=wasm32-wasi -O2 -Wl,--allow-undefined -o "$tmp/import.wasm" tests/jobs/import.c || exit 1
cd "$tmp" || exit 1
seq 1 3000 | python3 -c "import sys,random; l=sys.stdin.readlines(); random.Random(7).shuffle(l); sys.stdout.write(''.join(l))" >big.txt
printf 'exit\n' | $zh --disk d.img >/dev/null 2>&1
$zero cas put d.img wc.wasm sort.wasm hostile.wasm import.wasm big.txt >put.out
check "jobs_cas_put_names_content_as_b3sum" grep -q "^$(b3sum --no-names big.txt)  big.txt$" put.out
h() { grep " $1\$" put.out | cut -c1-64; }
WC=$(h wc.wasm) SORT=$(h sort.wasm) HOST=$(h hostile.wasm) IMP=$(h import.wasm) BIG=$(h big.txt)
term() { printf '%s\nexit\n' "$1" | $zh --disk d.img 2>&1; }

term "job run $WC --in big.txt=$BIG -- big.txt" >run1.out
check "jobs_wc_commits_entry_1" grep -q '^committed #1 ' run1.out
check "jobs_wc_prints_its_stdout" grep -q '3000 *3000 *13893 big.txt' run1.out
check "jobs_wc_exits_0" grep -q '^exit 0, fuel used ' run1.out
term "job run $SORT --in big.txt=$BIG -- big.txt out/sorted.txt" >run2.out
check "jobs_sort_into_a_missing_directory_fails_cleanly" grep -q '^exit 1, fuel used' run2.out
term "job run $SORT --in big.txt=$BIG -- big.txt sorted.txt" >run3.out
sorted=$(LC_ALL=C sort big.txt | b3sum --no-names)
check "jobs_sort_output_hash_is_b3sum_of_sorted" grep -q "^output $sorted sorted.txt" run3.out
term "job run $HOST --fuel 100000 -- spin" >fuel.out
check "jobs_fuel_exhaustion_recorded" grep -q '^trap 12, fuel used ' fuel.out
term "job run $HOST -- trap" >trap.out
check "jobs_trap_recorded" grep -q '^trap 5, fuel used' trap.out
term "job run $HOST -- escape" >escape.out
check "jobs_escape_refused_inside_the_program" grep -q 'escape Capabilities insufficient' escape.out
term "job run $IMP" >import.out
check "jobs_ungranted_import_recorded_as_refused" grep -q '^refused: imports something not granted' import.out
check "jobs_each_run_committed" grep -q '^committed #7 ' import.out
term "job run $IMP" >import2.out
check "jobs_same_job_same_spec_hash" test "$(grep '^job ' import.out)" = "$(grep '^job ' import2.out)"

# policy: alice may run wc only, with at most 10^7 fuel
term "id create alice --kind user" >/dev/null
term "policy allow alice job.result job if program == $WC and fuel <= 10000000" >/dev/null
term "as alice job run $SORT --in big.txt=$BIG -- big.txt s.txt" >deny1.out
check "jobs_policy_refuses_another_program" grep -q 'denied: no rule allows alice job.result job' deny1.out
term "as alice job run $WC --fuel 10000001 --in big.txt=$BIG -- big.txt" >deny2.out
check "jobs_policy_refuses_more_fuel" grep -q 'denied: ' deny2.out
term "axiom head" >head.out
# Only the act_as entries of the two `as` (#11, #12) are committed.
check "jobs_refusals_commit_nothing" grep -q 'sequence   #12 ' head.out
term "as alice job run $WC --fuel 10000000 --in big.txt=$BIG -- big.txt" >allow.out
check "jobs_policy_allows_the_granted_program" grep -q '^committed #14 ' allow.out

term "job show 3" >show.out
check "jobs_show_names_the_output" grep -q "^output $sorted sorted.txt" show.out
term "job verify 5" >verify.out
check "jobs_node_reverifies_a_trap" grep -q '^verified: the re-run gives the recorded result' verify.out
for s in 1 3 4 5 7 14; do
    $zero job verify d.img $s >hv.out
    check "jobs_host_reverifies_job_$s ($(cut -c1-60 hv.out))" grep -q "^ok: job #$s " hv.out
done
$zero job verify d.img >all.out
check "jobs_host_reverifies_every_job_in_one_replay ($(cat all.out))" grep -q '^ok: 9 jobs re-run, 0 failed' all.out
check "jobs_host_refuses_a_non_job" sh -c "! $zero job verify d.img 0 >/dev/null"

node "$root/tools/verify-js/zero-verify.js" d.img >js.out
$zero verify d.img >c.out
check "jobs_js_verifier_same_state_root" test "$(grep -o 'state root [0-9a-f]*' js.out)" = "$(grep -o 'state root [0-9a-f]*' c.out)"

# the wasm build of zero re-verifies under Node what the hosted node committed
if [ -x "$root/build/bin/zero-wasm" ] && [ -f "$root/build/wasm/bin/zero" ]; then
    "$root/build/bin/zero-wasm" job verify d.img 3 >w.out 2>&1
    check "jobs_wasm_build_reverifies_under_node" grep -q '^ok: job #3 ' w.out
fi

# receipts: the terminal's receipt of the sort job verifies offline with the
# node key alone, and every single-byte change of it is refused
key=$(grep -o 'node root key [0-9a-f]*' c.out | cut -d' ' -f4)
term "receipt 3" | grep -o 'receipt #3 [0-9a-f]*' >r.hex
$zero receipt verify r.hex --key "$key" >r.out
check "jobs_receipt_verifies_offline ($(cat r.out))" grep -q '^ok: entry #3 .*job.result by root' r.out
check "jobs_receipt_other_key_refused" sh -c "! $zero receipt verify r.hex --key $(printf '%064d' 0) >/dev/null"
cut -d' ' -f3 r.hex | xxd -r -p >r.bin
size=$(stat -c %s r.bin)
accepted=0
mkdir m
python3 -c "
d = open('r.bin', 'rb').read()
for i in range(len(d)):
    m = bytearray(d); m[i] ^= 0x01
    open('m/%d' % i, 'wb').write(m)"
for f in m/*; do
    $zero receipt verify "$f" --key "$key" >/dev/null && accepted=$((accepted + 1))
done
check "jobs_receipt_every_single_byte_change_refused ($size bytes, $accepted accepted)" \
    test "$size" -gt 500 -a "$accepted" -eq 0

# tampering: a byte of sorted.txt's stored copy, then a byte of an entry
cp d.img t1.img
python3 - <<'PY'
d = bytearray(open('t1.img', 'rb').read())
i = d.index(b'1\n10\n100\n1000\n1001\n')
d[i] ^= 1
open('t1.img', 'wb').write(d)
PY
$zero job verify t1.img 3 >t1.out
check "jobs_tampered_output_named ($(cat t1.out))" grep -q 'output sorted.txt: the store' t1.out
$zero job verify t1.img >t1all.out
check "jobs_tampered_output_named_by_the_whole_log_check" grep -q '^job #3 FAILED: output sorted.txt' t1all.out
cp d.img t2.img
python3 - "$sorted" <<'PY'
import sys
d = bytearray(open('t2.img', 'rb').read())
i = d.index(bytes.fromhex(sys.argv[1]), 8192)
d[i] ^= 1
open('t2.img', 'wb').write(d)
PY
$zero job verify t2.img 3 >t2.out
check "jobs_tampered_entry_named ($(cat t2.out))" grep -q 'FAILED: the log does not verify: entry #3' t2.out

# outputs appear in the filesystem once the job.result is committed: as
# fs.put entries of the job's proposer after it, under the spec's --out
term "job run $SORT --in big.txt=$BIG --out /results/sort -- big.txt sorted.txt" >place.out
check "jobs_outputs_placed_in_the_filesystem" grep -q '^placed /results/sort/sorted.txt$' place.out
term "hash /results/sort/sorted.txt" >placed.out
check "jobs_placed_output_holds_the_output" grep -q "$sorted" placed.out
term "axiom log 4" >plog.out
check "jobs_placement_entries_follow_the_job_result" \
    sh -c "grep -A3 ' job.result ' plog.out | grep -q 'fs.put *\/results\/sort\/sorted.txt'"
term "axiom head" >phead.out
term "job run $SORT --in big.txt=$BIG --out /results/sort -- big.txt sorted.txt" >place2.out
term "axiom head" >phead2.out
seqof() { grep -o 'sequence *#[0-9]*' "$1" | grep -o '[0-9]*$'; }
check "jobs_same_output_again_is_not_put_again ($(seqof phead.out) -> $(seqof phead2.out))" \
    test "$(seqof phead2.out)" -eq $(($(seqof phead.out) + 1))
term "job run $SORT --in big.txt=$BIG --out /results/../x -- big.txt sorted.txt" >badout.out
check "jobs_bad_output_directory_refused ($(grep -o "output directory.*" badout.out | head -1))" \
    grep -q 'output directory /results/../x: ' badout.out
term "as alice job run $WC --fuel 10000000 --out /results/alice --in big.txt=$BIG -- big.txt" >aout.out
check "jobs_no_outputs_nothing_placed" grep -q '^committed #' aout.out
$zero job verify d.img >pall.out
check "jobs_host_reverifies_after_placement ($(cat pall.out))" grep -q '^ok: 12 jobs re-run, 0 failed' pall.out
node "$root/tools/verify-js/zero-verify.js" d.img >pjs.out
$zero verify d.img >pc.out
check "jobs_js_verifier_same_state_root_after_placement" \
    test "$(grep -o 'state root [0-9a-f]*' pjs.out)" = "$(grep -o 'state root [0-9a-f]*' pc.out)"
# receipt SEQ FILE: the same receipt as a file in the filesystem
term "receipt 3 /receipts-3" >rf.out
check "jobs_receipt_written_as_a_file" grep -q '^committed #' rf.out
grep -o 'receipt #3 [0-9a-f]*' rf.out | cut -d' ' -f3 | xxd -r -p >rf.bin
term "hash /receipts-3" >rfh.out
check "jobs_receipt_file_holds_the_receipt" grep -q "$(b3sum --no-names rf.bin)  /receipts-3" rfh.out
$zero receipt verify rf.bin --key "$key" >rfv.out
check "jobs_receipt_of_the_file_verifies ($(cat rfv.out))" grep -q '^ok: entry #3 ' rfv.out

# the wasm build's node places outputs the same way, under Node
if [ -x "$root/build/bin/zero-wasm" ] && [ -f "$root/build/wasm/bin/zero" ]; then
    cp d.img w.img
    printf '%s\nhash /wasm/sorted.txt\nexit\n' "job run $SORT --in big.txt=$BIG --out /wasm -- big.txt sorted.txt" |
        "$root/build/bin/zero-wasm" --disk w.img >wplace.out 2>&1
    check "jobs_wasm_node_places_outputs_too" grep -q "$sorted  /wasm/sorted.txt" wplace.out
fi
tap_done
