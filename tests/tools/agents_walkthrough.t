#!/usr/bin/env bash
# Runs docs/agents.md: its `sh` blocks on the host and its `zero` blocks at
# the terminal of a zero-hosted --listen node, in order, then checks what
# the page says happens: the agent's notes committed under its own
# signature, its other proposals and the node's `as` refused, revocation.
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
. tests/lib/tap.sh
pid=
trap 'exec 3>&- 2>/dev/null; [ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
export PATH="$root/build/bin:$PATH"
ln -s "$root/tools" "$work/tools"
cd "$work" || exit 1

mkfifo console
zero-hosted --disk node.img --listen node.sock <console >console.out 2>&1 &
pid=$!
exec 3>console
for _ in $(seq 1 100); do [ -S node.sock ] && break; sleep 0.1; done

# Types one line at the terminal (ALICE_PUB: alice.pub's key) and waits for
# the next prompt.
console() {
    local line=${1//ALICE_PUB/$(cat alice.pub)} before
    before=$(grep -o 'zero> ' console.out | wc -l)
    echo "$line" >&3
    for _ in $(seq 1 100); do
        [ "$(grep -o 'zero> ' console.out | wc -l)" -gt "$before" ] && return 0
        sleep 0.05
    done
    echo "# no prompt after: $line"
}

# The page as a script: sh blocks verbatim, each zero block line through console.
awk '
    /^```sh$/ { mode = "sh"; next }
    /^```zero$/ { mode = "zero"; next }
    /^```/ { mode = ""; next }
    mode == "sh" { print }
    mode == "zero" { gsub(/\x27/, "\x27\\\x27\x27"); print "console \x27" $0 "\x27" }
' "$root/docs/agents.md" >walk.sh
check "page_has_host_and_terminal_steps" bash -c "grep -q '^console ' walk.sh && grep -q 'agent.sh' walk.sh"
. ./walk.sh >walk.out 2>&1
echo exit >&3
wait $pid
pid=

check "alice_issues_her_agent_by_signed_proposal" grep -q '^alice #1 id.create agent-1 agent [0-9a-f]*: committed #4 ' alice.out
check "agent_notes_committed_in_its_grant" \
    bash -c "grep -q '^agent-1 #1 note temperature 21.5 C: committed #5 ' agent.out &&
             grep -q '^agent-1 #2 note temperature 21.7 C: committed #6 ' agent.out"
check "agent_refused_outside_its_grant" \
    grep -q '^agent-1 #3 policy.add .*: denied: no rule allows agent-1 policy.add policy (default deny)$' agent.out
check "agent_cannot_issue_principals" grep -q '^agent-1 #3 id.create .*: denied: a agent may not issue a agent (agent-2)$' agent.out
check "node_cannot_act_as_the_agent" \
    grep -q 'denied: act_as agent-1: agent-1 holds its own key: the node cannot act for it' console.out
check "alice_revokes_her_agent" grep -q '^alice #2 id.revoke agent-1: committed #8 ' alice.out
check "revoked_agent_refused" grep -q '^agent-1 #3 note still here?: denied: principal agent-1 is revoked$' agent.out
check "refusals_use_no_proposal_number" test "$(cat agent-1.key.number)" = 3
check "log_shows_each_agent_action_signed_by_the_agent" \
    bash -c "[ \$(wc -l <agent-entries.json) -eq 2 ] &&
             [ \$(grep -c '\"signature\":\"[0-9a-f]\{128\}\",\"proposal_number\":[12]' agent-entries.json) -eq 2 ]"
check "zero_verify_checks_the_log" grep -q '^ok: disk node.img: 9 entries' verify.out
if command -v node >/dev/null; then
    check "js_verifier_agrees" bash -c "node '$root/tools/verify-js/zero-verify.js' node.img | grep -q '^ok: 9 entries'"
fi
check "agent_help" bash -c "tools/agent-example/agent.sh --help | grep -q '^usage: agent.sh'"
tools/agent-example/agent.sh --socket node.sock >/dev/null 2>&1
check "agent_usage_error_exits_2" test $? -eq 2
grep -q . walk.out && sed 's/^/# /' walk.out | head -20
tap_done
