#!/usr/bin/env bash
# zero-hosted --listen and zero submit: signed proposals and queries over a
# Unix socket; garbage, half, oversized and empty messages, hundreds of
# connections at once and a pipelined flood from several clients; the
# terminal keeps working, and every acknowledged entry is in the log after
# a restart.
cd "$(dirname "$0")/../.."
zh=build/bin/zero-hosted
zero=build/bin/zero
work=$(mktemp -d)
. tests/lib/tap.sh
sock="$work/s"
mkfifo "$work/in"
"$zh" --disk "$work/d.img" --size 16 --listen "$sock" <"$work/in" >"$work/out" 2>"$work/err" &
pid=$!
exec 3>"$work/in"
trap 'exec 3>&-; kill $pid 2>/dev/null; rm -rf "$work"' EXIT

# Waits until the terminal's output holds N lines matching PATTERN.
wait_for() {
    for _ in $(seq 1 300); do
        [ "$(grep -c "$2" "$work/out")" -ge "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

"$zero" key gen "$work/alice.key"
apub=$("$zero" key pub "$work/alice.key")
agents=4
per=40
for c in $(seq 0 $((agents - 1))); do
    "$zero" key gen "$work/a$c.key"
done
{
    echo "id create alice --kind user --pubkey $apub"
    echo "policy allow alice id.create *"
    echo "policy allow agent-* note * if proposer.parent == alice"
} >&3
check "terminal_commits_setup_while_listening" wait_for 3 '^zero> committed'
n=1
for c in $(seq 0 $((agents - 1))); do
    "$zero" propose --key "$work/alice.key" --proposer alice --number $n \
        id.create "agent-$c" agent "$("$zero" key pub "$work/a$c.key")" >"$work/create$c"
    n=$((n + 1))
done
out=$("$zero" submit "$sock" "$work/create0")
check "submit_commits_signed_proposal" grep -q '^committed #4 [0-9a-f]\{64\}$' <<<"$out"
"$zero" submit "$sock" "$work/create0" >"$work/o" 2>&1
rc=$?
check "submit_replay_denied_exit_1" bash -c "test $rc -eq 1 && grep -q '^denied: ' '$work/o'"
for c in $(seq 1 $((agents - 1))); do
    "$zero" propose --key "$work/alice.key" --proposer alice --number $((c + 1)) --hex \
        id.create "agent-$c" agent "$("$zero" key pub "$work/a$c.key")" >"$work/create$c.hex"
    "$zero" submit "$sock" "$work/create$c.hex" >/dev/null
done
check "submit_accepts_hex_proposals" test "$("$zero" submit "$sock" --head | grep -o '^head #[0-9]*')" = "head #7"
out=$("$zero" submit "$sock" --entry 4)
check "entry_query_returns_the_entry" grep -q '^entry #4 [0-9a-f]\{64\} [0-9a-f]*$' <<<"$out"
"$zero" submit "$sock" --entry 999 >/dev/null
check "entry_query_for_missing_entry_exit_2" test $? -eq 2

node tests/tools/listen_client.js "$sock" hostile >"$work/hostile"
check "garbage_gets_error_and_close" grep -q '^garbage error: a message is 1 to 2048 bytes' "$work/hostile"
check "half_message_then_close_is_dropped" grep -q '^half closed' "$work/hostile"
check "oversized_header_refused" grep -q '^oversized error: a message is 1 to 2048 bytes, not 65536' "$work/hostile"
check "empty_message_refused" grep -q '^empty error: ' "$work/hostile"
check "unknown_request_refused" grep -q '^unknown error: unknown request' "$work/hostile"
check "malformed_proposal_refused" grep -q '^bad_proposal error: not a signed proposal' "$work/hostile"
check "hundreds_of_connections_answered_or_closed" grep -q '^many_connections [0-9]* heads' "$work/hostile"
grep '^many' "$work/hostile" | sed 's/^/# /'

# A flood: each agent pipelines its notes on one connection; the terminal
# commits a note in the middle of it.
for c in $(seq 0 $((agents - 1))); do
    mkdir -p "$work/flood/c$c"
    for i in $(seq 1 $per); do
        "$zero" propose --key "$work/a$c.key" --proposer "agent-$c" --number "$i" \
            note "flood $c $i" >"$work/flood/c$c/$(printf %04d "$i").cbor"
    done
done
# One bad proposal in the middle of client 0's stream: a changed byte.
flip "$work/flood/c0/0020.cbor" 30
node tests/tools/listen_client.js "$sock" flood "$work/flood" >"$work/acks" &
fpid=$!
echo "note typed during the flood" >&3
wait $fpid
check "terminal_works_during_flood" wait_for 4 '^zero> committed'
acked=$(grep -c '^committed' "$work/acks")
check "flood_commits_all_but_the_tampered_and_its_followers" test "$acked" -eq $((agents * per - (per - 19)))
echo "# flood: $acked committed, $(grep -vc '^committed' "$work/acks") refused"
echo exit >&3
wait $pid
"$zero" verify "$work/d.img" >"$work/v"
check "log_verifies_after_the_flood" test $? -eq 0
# Group commit: the flood's proposals share batches (one flush each).
read -r ents bats < <(sed -n 's/.*: \([0-9]*\) entries in \([0-9]*\) batches.*/\1 \2/p' "$work/v")
check "flood_proposals_share_flushes ($ents entries in $bats batches)" test "$bats" -lt $((ents - acked / 2))
"$zero" log "$work/d.img" --json >"$work/log.json"
lost=0
while read -r _ seq hash; do
    grep -q "\"seq\":${seq#\#},\"hash\":\"$hash\"" "$work/log.json" || lost=$((lost + 1))
done < <(grep '^committed' "$work/acks")
check "nothing_acknowledged_lost" test $lost -eq 0
check "socket_removed_at_exit" test ! -e "$sock"
tap_done
