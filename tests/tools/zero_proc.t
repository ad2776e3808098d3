#!/usr/bin/env bash
# Processes on the hosted node (services/terminal/proc.c, services/init/node_proc.c):
# spawn commits proc.spawn before anything runs and proc.exit after; a spawn
# the policy denies (beyond its frame limit), or as another principal, runs
# nothing and commits nothing; ps shows what ran; kill refuses an ended
# process; zero verify and the JavaScript verifier agree on the log.
cd "$(dirname "$0")/../.." || exit 1
zh=${ZERO_HOSTED:-build/bin/zero-hosted}
zero=${ZERO:-build/bin/zero}
. tests/lib/tap.sh
if ! command -v clang >/dev/null; then
    echo "1..0 # SKIP clang (wasm32-wasi) not installed"
    exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
d=$work/p.img
clang --target=wasm32-wasi -O2 -o "$work/wc.wasm" tests/wasi/wc.c
printf 'exit\n' | "$zh" --disk "$d" --size 16 >/dev/null
h=$("$zero" cas put "$d" "$work/wc.wasm" | cut -c1-64)
printf '%s\n' 'id create alice' \
    'policy allow kind:user proc.spawn image:wasm if limit.frames <= 256 and as == proposer' \
    "as alice spawn $h" "as alice spawn $h --frames 512" "as alice spawn $h --as root" \
    "spawn $h --frames 64 --threads 1 x y" 'spawn /no/such' 'ps' 'kill 1' 'kill 9' 'caps 1' \
    'cpus' 'help' 'poweroff' | "$zh" --disk "$d" >"$work/out" 2>&1
out=$(cat "$work/out")
has() { grep -q -- "$1" "$work/out" || { echo "# missing: $1"; false; }; }
check "spawn_commits_then_runs_then_records_exit" has 'process 1 started'
check "spawned_process_exits_0" has 'process 1 exited 0 after'
check "spawn_beyond_policy_frame_limit_denied" \
    has 'denied: no rule allows alice proc.spawn image:wasm (default deny)'
check "spawn_as_another_principal_refused" \
    has 'alice may run a process only as itself or a principal it issued, not root'
check "node_spawns_with_arguments_as_process_2" has 'process 2 started'
check "unknown_image_refused" has 'error: no image /no/such'
check "ps_lists_both_processes" bash -c "grep -Eq '^ +1 wasm +alice +58a31b42 exited' '$work/out' &&
    grep -Eq '^ +2 wasm +root +58a31b42' '$work/out'"
check "kill_of_ended_process_refused" has 'process 1 is not running: it has exited'
check "kill_of_unknown_process_refused" has 'no process 9'
check "help_lists_the_process_commands" bash -c "grep -q 'spawn IMAGE \[--as P\]' '$work/out' &&
    grep -q '  ps ' '$work/out' && grep -q '  poweroff ' '$work/out' && grep -q '  cpus ' '$work/out'"
check "poweroff_stops_the_node" has 'powering off'
# The denied spawns left no proc.spawn: alice's one and the node's are all.
n=$("$zero" log "$d" 2>/dev/null | grep -Ec ' proc\.spawn +wasm 58a31b42 as (alice|root)')
check "two_spawns_in_the_log_no_more" test "$n" -eq 2
n=$("$zero" log "$d" 2>/dev/null | grep -Ec ' proc\.exit +process [12] exited')
check "two_exits_in_the_log" test "$n" -eq 2
check "zero_verify_accepts_the_log" bash -c "'$zero' verify '$d' >/dev/null"
if command -v node >/dev/null; then
    c=$("$zero" verify "$d" 2>/dev/null | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
    j=$(node tools/verify-js/zero-verify.js "$d" 2>/dev/null | sed -n 's/.*state root \([0-9a-f]\{64\}\).*/\1/p')
    check "js_verifier_same_state_root_with_process_entries" test -n "$c" -a "$c" = "$j"
else
    echo "ok - # SKIP node not installed"
fi
tap_done
