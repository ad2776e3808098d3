#!/usr/bin/env bash
# The node cannot forge: whoever holds the node's disk (and, for a sealed
# disk, its passphrase: together they give the root secret) can derive
# every key the node has and sign checkpoints, yet cannot produce an entry
# of an agent that holds its own key which zero verify (or zero-verify.js)
# accepts.  A control signed with the agent's real key is accepted, so the
# forging itself works.
cd "$(dirname "$0")/../.."
root=$PWD
zh=build/bin/zero-hosted
zero=build/bin/zero
agent=tools/agent-example/agent.sh
if ! command -v node >/dev/null; then
    echo "1..0 # SKIP node not installed"
    exit 0
fi
work=$(mktemp -d)
. tests/lib/tap.sh
trap 'rm -rf "$work"' EXIT
export ZERO="$root/$zero"

# alice and agent-1 hold their own keys; agent-1 records two notes.
"$zero" key gen "$work/alice.key"
"$zero" key gen "$work/agent-1.key"
mkfifo "$work/in"
"$zh" --disk "$work/d.img" --size 8 --listen "$work/s" <"$work/in" >"$work/out" 2>&1 &
pid=$!
exec 3>"$work/in"
printf '%s\n' "id create alice --kind user --pubkey $("$zero" key pub "$work/alice.key")" \
    'policy allow alice id.create * if resource.kind == agent' \
    'policy allow kind:agent note * if proposer.parent == alice' >&3
for _ in $(seq 1 100); do
    [ "$(grep -c 'committed' "$work/out")" -ge 3 ] && break
    sleep 0.1
done
"$agent" --socket "$work/s" --key "$work/alice.key" --name alice \
    id.create agent-1 agent "$("$zero" key pub "$work/agent-1.key")" >"$work/log"
"$agent" --socket "$work/s" --key "$work/agent-1.key" --name agent-1 note one >>"$work/log"
"$agent" --socket "$work/s" --key "$work/agent-1.key" --name agent-1 note two >>"$work/log"
echo 'as agent-1 note forged at the console' >&3
echo exit >&3
exec 3>&-
wait $pid
check "session_commits_the_agents_notes" test "$(grep -c ': committed' "$work/log")" -eq 3
check "console_cannot_act_as_the_agent" grep -q 'denied: act_as agent-1: agent-1 holds its own key' "$work/out"

# The rule that allows agent-1's notes is #3.
node tests/tools/node_cannot_forge.js "$work/d.img" "$work/f" agent-1 "$work/agent-1.key" 3 >"$work/cases"
check "forger_wrote_its_cases" test "$(wc -l <"$work/cases")" -ge 9
while read -r name want; do
    "$zero" verify "$work/f/$name" >"$work/c" 2>&1
    c=$?
    node tools/verify-js/zero-verify.js "$work/f/$name" >"$work/j" 2>&1
    j=$?
    if [ "$want" = accept ]; then
        check "$name: both verifiers accept" test $c -eq 0 -a $j -eq 0
    else
        check "$name: both verifiers refuse ($(grep -o 'bad proposal signature of [a-z0-9-]*\|holds its own key' "$work/c" | head -1))" \
            test $c -eq 1 -a $j -eq 1
    fi
done <"$work/cases"
tap_done
