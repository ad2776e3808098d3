#!/usr/bin/env bash
# Forged logs and disks (tests/tools/forge*.c), each breaking one rule of
# docs/formats.md with everything else correct, or none: zero verify and
# tools/verify-js/zero-verify.js must both reach the documents' verdict,
# and on an accepted log report the forger's entry count, head, state root
# and torn tail.  Then a differential run: structured mutations of valid
# exports and disks for ZERO_DIFF_SECONDS (default 60; `make soak` runs
# longer), on which the two must agree, zero verify (the sanitized build
# when there is one) never crashing.
cd "$(dirname "$0")/../.." || exit 1
forge=build/bin/zero-forge
zero=build/bin/zero
zsan=build/hosted-san/bin/zero
[ -x "$zsan" ] || zsan=$zero
js=tools/verify-js/zero-verify.js
seconds=${ZERO_DIFF_SECONDS:-60}
if ! command -v node >/dev/null; then
    echo "1..0 # SKIP node not installed"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh

# Verdicts, one line per file: "ok N HEAD ROOT TORN", "reject", "unusable",
# or "crash STATUS" (zero verify killed or exiting otherwise; zero-verify.js
# failing inside, exit 3).
c_verdicts() { # c_verdicts ZERO < FILES
    local f out rc
    while read -r f; do
        out=$(timeout 60 "$1" verify "$f" 2>/dev/null)
        rc=$?
        case $rc in
        0) sed -n 's/^ok: .*: \([0-9]*\) entries in .*; head #[0-9]* \([0-9a-f]*\); state root \([0-9a-f]*\);.*/ok \1 \2 \3/p' <<<"$out" |
            tr '\n' ' '
           t=$(sed -n 's/.*; torn tail of \([0-9]*\) bytes.*/\1/p' <<<"$out")
           echo "${t:-0}" ;;
        1) echo reject ;;
        2) echo unusable ;;
        *) echo "crash $rc" ;;
        esac
    done
}
js_verdicts() { # js_verdicts < FILES
    node -e '
const z = require(process.argv[1]);
const lines = require("fs").readFileSync(0, "utf8").split("\n").filter((l) => l);
for (const f of lines) {
    const v = z.verdictOf(f);
    let m;
    if (v.status === 0 && (m = /^ok: (\d+) entries verified; head (\w+); state root (\w+)(?:; torn tail of (\d+) bytes)?/.exec(v.out))) {
        console.log(`ok ${m[1]} ${m[2]} ${m[3]} ${m[4] || 0}`);
    } else {
        console.log(["ok?", "reject", "unusable"][v.status] || `crash ${v.status} ${(v.err || "").split("\n").slice(0, 3).join(" | ")}`);
    }
}' "$PWD/$js"
}

# --- the forged cases --------------------------------------------------------
mkdir -p "$work/cases"
"$forge" cases "$work/cases" >"$work/manifest"
check "forger_writes_cases" test "$(wc -l <"$work/manifest")" -ge 150
cut -d' ' -f1 "$work/manifest" >"$work/files"
c_verdicts "$zero" <"$work/files" >"$work/c"
js_verdicts <"$work/files" >"$work/j"
compare_cases() {
    local bad=0 file want rest c j
    while IFS=' ' read -r file want rest <&3 && read -r c <&4 && read -r j <&5; do
        case $want in
        accept) w="ok $rest" ;;
        *) w=$want ;;
        esac
        if [ "$c" != "$w" ] || [ "$j" != "$w" ]; then
            bad=$((bad + 1))
            echo "# ${file##*/}: documents '$w'"
            echo "#   zero verify     '$c'"
            echo "#   zero-verify.js  '$j'"
        fi
    done 3<"$work/manifest" 4<"$work/c" 5<"$work/j"
    echo "# $(wc -l <"$work/manifest") forged files, $bad not as documented"
    [ "$bad" -eq 0 ]
}
check "both_verifiers_reach_the_documented_verdict_on_every_forged_case" compare_cases
check "controls_accepted_and_breaks_refused" \
    bash -c "grep -c ' accept ' '$work/manifest' | grep -qv '^0$' && grep -c ' reject' '$work/manifest' | grep -qv '^0$'"

# --- forged format-2 (segmented) disks ---------------------------------------
# tests/tools/forge_seg.js writes them from docs/formats.md around the log
# of a valid segmented disk (axiom_snapshot.t's, 8 KiB segments, a
# snapshot): the log moved to other slots, pruned with an export, a broken
# hash chain inside a segment, segment headers lying about their range, a
# snapshot whose state root is not its checkpoint's, a pruned prefix whose
# export lost a signed checkpoint.  Both verifiers must accept the controls
# with the source's entry count, head and root, and refuse each break
# (exit 1) saying what is wrong.
seg_says() { # seg_says WHY: the words both refusals of case WHY must contain
    case $1 in
    seg-pruned-alone.disk) echo 'before offset [0-9]+ was pruned' ;;
    seg-bad-chain.disk) echo 'entry #16.*prev' ;;
    seg-header-swapped.disk) echo 'damage|corruption' ;;
    seg-header-repeat.disk) echo 'slot [0-9]+: segment' ;;
    seg-header-gap.disk) echo 'leave a gap' ;;
    seg-snapshot-bad-root) echo 'state root is not the checkpoint' ;;
    seg-pruned-no-checkpoint.disk) echo 'export' ;;
    *) echo 'no such case' ;;
    esac
}
segmented() {
    local name want file rest c j crc jrc bad=0 n=0 src
    mkdir -p "$work/seg/c" "$work/seg/o"
    build/hosted/tests/axiom_snapshot.t "$work/seg/c" "$work/seg/unit.img" >/dev/null
    node tests/tools/forge_seg.js "$work/seg/unit.img.prune" "$work/seg/o" >"$work/seg/list" ||
        { echo "# forge_seg.js failed"; return 1; }
    src=$("$zero" verify "$work/seg/unit.img.prune" |
        sed -n 's/.*: \([0-9]*\) entries.*; head #[0-9]* \([0-9a-f]*\); state root \([0-9a-f]*\);.*/\1 \2 \3/p')
    while read -r name want file rest; do
        n=$((n + 1))
        # shellcheck disable=SC2086 # rest: the options of the case
        c=$("$zsan" verify "$file" $rest 2>&1)
        crc=$?
        # shellcheck disable=SC2086
        j=$(node "$js" "$file" $rest 2>&1)
        jrc=$?
        if [ "$want" = accept ]; then
            c=$(sed -n 's/^ok: .*: \([0-9]*\) entries.*; head #[0-9]* \([0-9a-f]*\); state root \([0-9a-f]*\);.*/\1 \2 \3/p' <<<"$c")
            j=$(sed -n 's/^ok: \([0-9]*\) entries verified; head \([0-9a-f]*\); state root \([0-9a-f]*\).*/\1 \2 \3/p' <<<"$j")
            [ "$crc" -eq 0 ] && [ "$jrc" -eq 0 ] && [ -n "$src" ] && [ "$c" = "$src" ] && [ "$j" = "$src" ] && continue
        else
            pat=$(seg_says "$name")
            [ "$crc" -eq 1 ] && [ "$jrc" -eq 1 ] && grep -E "^FAILED: .*($pat)" <<<"$c" >/dev/null &&
                grep -E "^bad: entry #[0-9]+: " <<<"$j" >/dev/null && grep -E "$pat" <<<"$j" >/dev/null &&
                continue
        fi
        bad=$((bad + 1))
        echo "# $name: documents '$want' ($(seg_says "$name"))"
        echo "#   zero verify ($crc)    $c"
        echo "#   zero-verify.js ($jrc) $j"
    done <"$work/seg/list"
    echo "# $n segmented cases, $bad not as documented"
    rm -rf "$work/seg"
    [ "$bad" -eq 0 ] && [ "$n" -ge 11 ]
}
check "forged_segmented_disks_refused_by_both_verifiers_controls_accepted" segmented

# zero log and zero export refuse what zero verify refuses (a torn genesis batch).
"$zero" log "$work/cases/torn-genesis-batch.disk" >"$work/o" 2>&1
check "log_refuses_a_torn_genesis_batch_exit_1" test $? -eq 1
"$zero" export "$work/cases/torn-genesis-batch.disk" "$work/x" >/dev/null 2>&1
check "export_refuses_a_torn_genesis_batch_exit_1" bash -c "test $? -eq 1 && test ! -s '$work/x'"

# Inputs are opened read-only: an export and a disk nobody may write
# verify, list and export (as an unprivileged user when run as root).
as_user=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
mkdir -p "$work/ro" "$work/out"
cp "$work/cases/base.export" "$work/cases/base.disk" "$work/ro/"
chmod 0755 "$work" "$work/ro"
chmod 0777 "$work/out"
chmod 0444 "$work/ro/base.export" "$work/ro/base.disk"
read_only() {
    "${as_user[@]}" "$zero" verify "$work/ro/base.export" >/dev/null &&
        "${as_user[@]}" "$zero" verify "$work/ro/base.disk" >/dev/null &&
        "${as_user[@]}" "$zero" log "$work/ro/base.disk" >/dev/null &&
        "${as_user[@]}" "$zero" export "$work/ro/base.disk" "$work/out/x" >/dev/null &&
        cmp -s "$work/out/x" "$work/ro/base.export"
}
check "verify_log_export_read_a_file_they_may_not_write" read_only

# --- differential fuzzing ----------------------------------------------------
differ() {
    local start=$SECONDS round=0 total=0 bad=0
    while [ $((SECONDS - start)) -lt "$seconds" ]; do
        round=$((round + 1))
        rm -rf "$work/fz" && mkdir -p "$work/fz"
        "$forge" fuzz "$work/fz" "$round" 60 >"$work/fl" || { echo "# forger failed"; return 1; }
        c_verdicts "$zsan" <"$work/fl" >"$work/fc"
        js_verdicts <"$work/fl" >"$work/fj"
        while IFS= read -r f <&3 && IFS= read -r c <&4 && IFS= read -r j <&5; do
            total=$((total + 1))
            if [ "$c" != "$j" ] || [[ $c == crash* ]] || [[ $j == crash* ]]; then
                bad=$((bad + 1))
                echo "# ${f##*/} (zero-forge fuzz DIR $round 60): zero verify '$c', zero-verify.js '$j'"
            fi
        done 3<"$work/fl" 4<"$work/fc" 5<"$work/fj"
        [ "$bad" -eq 0 ] || break
    done
    echo "# $total mutants in $round rounds, $bad disagreements"
    [ "$bad" -eq 0 ] && [ "$total" -gt 0 ]
}
check "verifiers_agree_on_mutated_logs_for_${seconds}s" differ
tap_done
