#!/usr/bin/env bash
# make bench: externally signed proposals committed per second over
# zero-hosted --listen with 1 and 64 clients, against notes the terminal
# proposes inside the node (the cost of the socket and the signature check
# as a ratio).  The terminal commits one entry per flush; the socket
# server commits each round's proposals with one flush (group commit).
cd "$(dirname "$0")/.."
zh=build/bin/zero-hosted
zero=build/bin/zero
work=$(mktemp -d)
sock="$work/s"
mkfifo "$work/in"
"$zh" --disk "$work/d.img" --size 64 --listen "$sock" <"$work/in" >"$work/out" 2>&1 &
pid=$!
exec 3>"$work/in"
trap 'exec 3>&-; kill $pid 2>/dev/null; rm -rf "$work"' EXIT
now() { date +%s.%N; }
wait_for() {
    while [ "$(grep -c '^zero> committed' "$work/out")" -lt "$1" ]; do sleep 0.02; done
}

"$zero" key gen "$work/alice.key"
printf '%s\n' "id create alice --kind user --pubkey $("$zero" key pub "$work/alice.key")" \
    "policy allow alice id.create *" "policy allow agent-* note * if proposer.parent == alice" >&3
wait_for 3
for c in $(seq 0 63); do
    "$zero" key gen "$work/a$c.key"
    "$zero" propose --key "$work/alice.key" --proposer alice --number $((c + 1)) \
        id.create "agent-$c" agent "$("$zero" key pub "$work/a$c.key")" >"$work/p"
    "$zero" submit "$sock" "$work/p" >"$work/a" || { echo "bench: agent-$c not created: $(cat "$work/a")" >&2; break; }
done
# 1 client: 300 notes of agent-0; 64 clients: 5 notes each of agents 0..63.
mkdir -p "$work/one/c0"
for i in $(seq 1 300); do
    "$zero" propose --key "$work/a0.key" --proposer agent-0 --number "$i" note "bench $i" \
        >"$work/one/c0/$(printf %04d "$i")"
done
for c in $(seq 0 63); do
    mkdir -p "$work/many/c$(printf %02d "$c")"
    for i in $(seq 1 5); do
        n=$i
        [ "$c" -eq 0 ] && n=$((300 + i))
        "$zero" propose --key "$work/a$c.key" --proposer "agent-$c" --number "$n" note "b $c $i" \
            >"$work/many/c$(printf %02d "$c")/$i"
    done
done
t0=$(now)
node tests/tools/listen_client.js "$sock" flood "$work/one" >"$work/r1"
t1=$(now)
node tests/tools/listen_client.js "$sock" flood "$work/many" >"$work/r64"
t2=$(now)
base=$(grep -c '^zero> committed' "$work/out")
for i in $(seq 1 300); do echo "note internal $i"; done >&3
wait_for $((base + 300))
t3=$(now)
one=$(grep -c '^committed' "$work/r1")
many=$(grep -c '^committed' "$work/r64")
awk -v one="$one" -v many="$many" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
    r1 = one / (b - a); r64 = many / (c - b); ri = 300 / (d - c);
    printf "bench: listen_signed_1client %.0f entries/s vs terminal %.0f ratio %.2f (%d committed)\n", r1, ri, r1 / ri, one;
    printf "bench: listen_signed_64clients %.0f entries/s vs terminal %.0f ratio %.2f (%d committed)\n", r64, ri, r64 / ri, many;
}'
echo exit >&3
wait $pid
