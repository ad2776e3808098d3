#!/usr/bin/env bash
# The supervisor on hosted (docs/services.md "Supervision"): svc kill of each
# restartable service in turn brings it back (the terminal keeps working,
# no committed entry is lost, both verifiers accept the log, the restart
# and its reason are in it); kills in a row back off and then hold the
# service until svc restart; the policy decides who may kill; the log
# stays bounded.
cd "$(dirname "$0")/../.." || exit 1
zh=${ZERO_HOSTED:-build/bin/zero-hosted}
zero=build/bin/zero
js=tools/verify-js/zero-verify.js
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/lib/tap.sh
disk=$work/d.img
has() { grep -qE -- "$2" <<<"$1"; }
count() { grep -cE -- "$2" <<<"$1"; }

# --- each service killed in turn; a note after each ------------------------
cmds=('svc list' 'note before')
for s in keys axiom identity policy fs terminal; do
    cmds+=("svc kill $s" "note after-$s")
done
cmds+=('put /f' 'still here' '.' 'cat /f' 'svc list' 'axiom verify')
out=$(printf '%s\n' "${cmds[@]}" | "$zh" --disk "$disk" --size 16 2>&1)
check "svc_list_shows_six_running_services" \
    test "$(count "$out" '^(zero> )?(keys|axiom|identity|policy|fs|terminal) +[0-9]+ running +0  -$')" -eq 6
for s in keys axiom identity policy fs terminal; do
    check "svc_kill_${s}_brings_it_back" has "$out" "^svc: $s back as pid [0-9]+ after [0-9]+ ms$"
done
check "terminal_keeps_working_after_every_kill" \
    test "$(count "$out" '^zero> committed #[0-9]+ [0-9a-f]{64}$')" -ge 13
check "files_work_after_fs_restart" has "$out" '^zero> still here$'
check "axiom_verify_passes_after_the_kills" has "$out" 'ok: [0-9]+ entries .* matches'
check "svc_list_counts_one_restart_each" \
    test "$(count "$out" '^(zero> )?(keys|axiom|identity|policy|fs|terminal) +[0-9]+ running +1  killed$')" -eq 6
log=$("$zero" log "$disk")
check "no_committed_note_lost" test "$(count "$log" ' note +')" -eq 7
check "each_kill_is_recorded_with_its_reason" test "$(count "$log" 'svc.exit +[a-z]+ pid [0-9]+: killed')" -eq 6
check "each_restart_is_recorded_with_its_delay" \
    test "$(count "$log" 'svc.start +[a-z]+ as pid [0-9]+ after [1-9][0-9]* ms')" -eq 6
check "axiom_restart_recorded_once_it_is_back" has "$log" 'svc.exit +axiom pid 2: killed'
check "zero_verify_accepts_the_log" bash -c "'$zero' verify '$disk' | grep -q '^ok: '"
if command -v node >/dev/null; then
    c=$("$zero" verify "$disk" | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
    j=$(node "$js" "$disk" | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
    check "zero_verify_js_same_state_root" test -n "$c" -a "$c" = "$j"
else
    check "zero_verify_js_same_state_root # SKIP node not installed" true
fi
json=$("$zero" log --json "$disk")
check "json_lines_carry_the_exit" has "$json" '"action":"svc.exit","payload":\{"name":"fs","pid":[0-9]+,"how":"killed"'

"$zero" snapshot "$disk" -o "$work/s.snap" >/dev/null
check "snapshot_carries_the_services" \
    bash -c "'$zero' verify --snapshot '$work/s.snap' '$disk' | grep -q '^service fs: running as pid [0-9]*, 1 restart$'"

# --- a second run of the node on the same disk: new pids, kills still work -
out=$(printf '%s\n' 'svc kill policy' 'note again' | "$zh" --disk "$disk" 2>&1)
check "second_run_records_starts_and_kills" has "$out" '^svc: policy back as pid'
check "second_run_log_verifies" bash -c "'$zero' verify '$disk' | grep -q '^ok: '"

# --- who may: the policy on svc:NAME ----------------------------------------
out=$(printf '%s\n' 'id create bob --kind user' 'as bob svc kill terminal' \
    'policy allow bob svc.kill svc:terminal' 'as bob svc kill terminal' 'as bob svc kill axiom' \
    'svc kill nosuch' | "$zh" --disk "$work/p.img" --size 8 2>&1)
check "kill_without_a_rule_is_denied" has "$out" 'denied: no rule allows bob svc.kill svc:terminal'
check "kill_allowed_by_a_rule_runs" has "$out" '^svc: terminal back as pid'
check "kill_of_another_service_denied" has "$out" 'denied: no rule allows bob svc.kill svc:axiom'
check "kill_of_unknown_service_refused" has "$out" "error: no service called 'nosuch'"

# --- a crash loop: back-off doubles, then held until svc restart ------------
cmds=()
for _ in 1 2 3 4 5 6; do cmds+=('svc kill fs'); done
cmds+=('svc list' 'svc kill fs' 'svc restart fs' 'svc list')
out=$(printf '%s\n' "${cmds[@]}" | "$zh" --disk "$work/h.img" --size 8 2>&1)
check "back_off_doubles_100_to_1600_ms" \
    bash -c "grep -oE 'fs restarts in [0-9]+ ms' <<<'$out' | tr -dc '0-9\n' | paste -sd' ' | grep -qx '100 200 400 800 1600'"
check "sixth_kill_in_a_minute_holds" has "$out" '^svc: fs held: 5 restarts in 60 s'
check "svc_list_shows_held_with_reason" has "$out" '^(zero> )?fs +0 held +5  5 restarts in 60 s$'
check "kill_of_held_service_refused" has "$out" 'error: service fs does not run'
check "svc_restart_releases_it" has "$out" '^(zero> )?fs +[0-9]+ running +6  killed$'
hlog=$("$zero" log "$work/h.img")
check "hold_is_recorded" has "$hlog" 'svc.hold +fs: 5 restarts in 60 s'
check "crash_loop_log_is_bounded" test "$(count "$hlog" 'svc\.(start|exit|hold) +fs')" -le 14
check "held_log_verifies" bash -c "'$zero' verify '$work/h.img' | grep -q '^ok: '"
check "zero_verify_lists_the_services" \
    bash -c "'$zero' verify '$work/h.img' | grep -qx 'service fs: running as pid [0-9]*, 6 restarts'"
tap_done
