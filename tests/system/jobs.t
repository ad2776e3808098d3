#!/usr/bin/env bash
# Jobs on x86_64 (docs/jobs.md "On x86_64"): the jobs service is a process
# of its own.  Programs built here with clang and wasi-libc and an input
# are imported into a disk's filesystem by zero-hosted; the disk boots on
# x86_64 and the terminal runs them by filesystem path; the same commands
# on a copy of the disk at zero-hosted's terminal give the same spec
# hashes, endings, fuel, stdout and output hashes.  Fuel exhaustion, a
# trap, a sandbox escape and an import that is not granted are recorded
# alike; an output appears in the filesystem; the jobs committed on x86_64
# are re-verified by `zero job verify` on the host and by zero-wasm under
# Node, and a receipt taken at the x86_64 terminal verifies offline.
source "$(dirname "$0")/../lib/qemu.sh"
root=$PWD
zero=$root/build/bin/zero
zh=$root/build/bin/zero-hosted
command -v clang >/dev/null || { echo "1..0 # SKIP clang not installed"; exit 0; }
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp -r "$work" "$KEEP"; rm -rf "$work"' EXIT
log=$work/serial.log
mkdir "$work/progs" "$work/data"
for p in wc sort hostile; do
    clang --target=wasm32-wasi -O2 -o "$work/progs/$p.wasm" "tests/wasi/$p.c" || exit 1
done
clang --target=wasm32-wasi -O2 -Wl,--allow-undefined -o "$work/progs/import.wasm" \
    tests/jobs/import.c || exit 1
seq 1 6000 | python3 -c "import sys,random; l=sys.stdin.readlines(); random.Random(7).shuffle(l); sys.stdout.write(''.join(l))" >"$work/data/big.txt"

disk=$work/disk.img
truncate -s 32M "$disk"
printf 'exit\n' | "$zh" --disk "$disk" --import "$work/progs:/progs" --import "$work/data:/data" \
    >"$work/import.out" 2>&1
cp "$disk" "$work/hosted.img"
cp "$disk" "$work/wasm.img"

# The same job commands on both platforms.
cmds=('job run /progs/wc.wasm --in /data/big.txt -- big.txt'
    'job run /progs/sort.wasm --in /data/big.txt --out /out -- big.txt sorted.txt'
    'job run /progs/hostile.wasm --fuel 100000 -- spin'
    'job run /progs/hostile.wasm -- trap'
    'job run /progs/hostile.wasm -- escape'
    'job run /progs/import.wasm'
    'job run /progs/nope.wasm'
    'job run /progs/wc.wasm --in /progs')
input=''
boot() { # boot LINE...: the lines typed at the x86_64 terminal, then exit
    local input='' c
    for c in "$@" exit; do input+="$c\\r"; done
    qemu_run_input "$log" 300 'zero> ' "$input" -cpu max -kernel "$KERNEL" \
        -initrd build/x86_64/bin/zero-node \
        -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
}
boot "${cmds[@]}" 'stat /out/sorted.txt'
tr -d '\r\0' <"$log" >"$work/x86.out"
# the entry of each job: the first committed line after its command
seqs=$(awk '/^zero> job run/ { want = 1 } want && /^committed #/ { sub("#", "", $2); print $2; want = 0 }' \
    "$work/x86.out")
sort_seq=$(echo $seqs | cut -d' ' -f2)
boot "job show $sort_seq" "job verify $sort_seq" "receipt $sort_seq"
tr -d '\r\0' <"$log" >>"$work/x86.out"
printf '%s\n' "${cmds[@]}" 'stat /out/sorted.txt' exit | "$zh" --disk "$work/hosted.img" >"$work/hosted.out" 2>&1
has() { grep -qE -- "$1" "$work/x86.out"; }

grep -q '^caps jobs: ' "$work/x86.out"
tap_check $? "x86_64_jobs_service_runs_in_its_own_process"
has '^committed #[0-9]+ ' && has '^exit 0, fuel used [0-9]+' && has '6000 +6000 +[0-9]+ big.txt'
tap_check $? "x86_64_wc_by_filesystem_path_commits_and_prints_its_stdout"
sorted=$(LC_ALL=C sort "$work/data/big.txt" | b3sum --no-names)
has "^output $sorted sorted.txt" && has '^placed /out/sorted.txt$' && has "^hash  $sorted\$"
tap_check $? "x86_64_sort_output_hash_is_b3sum_of_sorted_and_placed_in_the_filesystem"
has '^trap 12, fuel used ' && has '^trap 5, fuel used ' &&
    has 'escape Capabilities insufficient' && has '^refused: imports something not granted'
tap_check $? "x86_64_fuel_trap_escape_and_import_recorded"
has '^error: /progs/nope.wasm: no such file$' && has '^error: /progs: is a directory$'
tap_check $? "x86_64_missing_program_and_directory_input_named"
# the job lines (spec hash, ending and fuel, stdout, stderr, outputs) of both runs
# (entry numbers aside: x86_64 places a file larger than one message as a
# put and appends, each an entry)
jobl() { sed -n '1,/zero> stat/p' "$1" | sed 's/^zero> //' | grep -E '^(job [0-9a-f]{64}|exit |trap |refused|stdout |stderr |output |placed )'; }
jobl "$work/x86.out" >"$work/x86.jobs"
jobl "$work/hosted.out" >"$work/hosted.jobs"
[ "$(grep -c '^job ' "$work/x86.jobs")" = 6 ] && diff "$work/x86.jobs" "$work/hosted.jobs" >"$work/diff"
r=$?
tap_check $r "x86_64_and_hosted_give_identical_spec_hashes_results_fuel_and_outputs"
[ $r = 0 ] || sed 's/^/# /' "$work/diff" >&2
# and the wasm build's node under Node
if [ -x build/bin/zero-wasm ] && [ -f build/wasm/bin/zero ] && command -v node >/dev/null; then
    printf '%s\n' "${cmds[@]}" 'stat /out/sorted.txt' exit |
        build/bin/zero-wasm --disk "$work/wasm.img" >"$work/wasm.out" 2>&1
    jobl "$work/wasm.out" >"$work/wasm.jobs"
    diff "$work/x86.jobs" "$work/wasm.jobs" >"$work/diff"
    r=$?
    tap_check $r "x86_64_and_wasm_under_node_give_identical_spec_hashes_results_fuel_and_outputs"
    [ $r = 0 ] || sed 's/^/# /' "$work/diff" >&2
else
    TESTNUM=$((TESTNUM + 1))
    echo "ok $TESTNUM # SKIP zero-wasm not built"
fi
has "^#$sort_seq job [0-9a-f]{64} by root" && has '^verified: the re-run gives the recorded result'
tap_check $? "x86_64_job_show_and_verify"

ok=0
for s in $seqs; do
    "$zero" job verify "$disk" $s >"$work/hv.out" 2>&1 && grep -q "^ok: job #$s " "$work/hv.out" &&
        ok=$((ok + 1))
done
tap_check $([ $ok = 6 ]; echo $?) "host_zero_job_verify_reruns_every_x86_64_job ($ok of 6: $(echo $seqs))"
"$zero" job verify "$disk" >"$work/all.out" 2>&1
tap_check $? "host_zero_job_verify_the_whole_x86_64_log ($(cat "$work/all.out"))"
if [ -x build/bin/zero-wasm ] && [ -f build/wasm/bin/zero ] && command -v node >/dev/null; then
    build/bin/zero-wasm job verify "$disk" "$sort_seq" >"$work/w.out" 2>&1
    grep -q "^ok: job #$sort_seq " "$work/w.out"
    tap_check $? "zero_wasm_under_node_reverifies_a_job_committed_on_x86_64 ($(head -1 "$work/w.out"))"
else
    TESTNUM=$((TESTNUM + 1))
    echo "ok $TESTNUM # SKIP zero-wasm not built"
fi
key=$("$zero" verify "$disk" | grep -o 'node root key [0-9a-f]*' | cut -d' ' -f4)
grep -o "receipt #$sort_seq [0-9a-f]*" "$work/x86.out" >"$work/r.hex"
"$zero" receipt verify "$work/r.hex" --key "$key" >"$work/r.out" 2>&1
grep -q "^ok: entry #$sort_seq .*job.result by root" "$work/r.out"
tap_check $? "x86_64_receipt_verifies_offline ($(cat "$work/r.out"))"
echo "1..$TESTNUM"
