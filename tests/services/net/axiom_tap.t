#!/usr/bin/env bash
# The network's authorization against Linux: zero-net --axiom DISK on a TAP
# device in a network namespace this test creates (10.9.1.2 is Zero,
# 10.9.1.1 Linux), with a node's Axiom behind the policy hook.  A listen is
# a committed net.listen, each connection curl makes a net.accept record;
# an allowed connect is a committed net.connect and its SYN reaches Linux;
# a connect a policy rule denies sends no frame (the TAP device's receive
# counter and a capture stay empty) and commits nothing.  zero verify and
# the JavaScript verifier agree on the resulting log.
cd "$(dirname "$0")/../../.."
source tests/lib/tap.sh
ZNET=build/bin/zero-net
ZH=build/bin/zero-hosted
ZERO=build/bin/zero

if [ ! -c /dev/net/tun ]; then
    echo "1..0 # SKIP TAP: /dev/net/tun is unavailable"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
    echo "1..0 # SKIP TAP: needs root and ip(8) to create a network namespace"
    exit 0
fi
for tool in curl nc tcpdump; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP TAP: $tool is not installed"
        exit 0
    fi
done

ns=zero-ax-$$
work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    ip netns del "$ns" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev zt1 mode tap
ip -n "$ns" addr add 10.9.1.1/24 dev zt1
ip -n "$ns" link set zt1 up
in_ns() { ip netns exec "$ns" "$@"; }
disk=$work/node.img
mkdir -p "$work/www"
echo "Zero OS" >"$work/www/index.html"

printf '%s\n' 'policy deny root net.connect 10.9.1.1:7002' 'exit' |
    "$ZH" --disk "$disk" --size 16 >"$work/setup" 2>&1
check "policy_rule_with_an_address_port_resource" grep -q 'committed' "$work/setup"

ip netns exec "$ns" "$ZNET" --tap zt1 --addr 10.9.1.2/24 --axiom "$disk" httpd "$work/www" 8080 \
    >"$work/httpd.log" 2>&1 &
zpid=$!
pids+=("$zpid")
for _ in $(seq 100); do grep -qs 'serving' "$work/httpd.log" && break; sleep 0.1; done
check "listen_is_committed_before_the_port_opens" \
    grep -q 'net.listen 8080 committed as entry #' "$work/httpd.log"
out=$(in_ns curl -sS --max-time 10 http://10.9.1.2:8080/ http://10.9.1.2:8080/index.html 2>&1)
check "curl_fetches_from_the_authorized_listener" [ "$(grep -c '^Zero OS' <<<"$out")" = 2 ]
sleep 0.3
check "the_accepted_connection_is_recorded" grep -q 'net.accept recorded' "$work/httpd.log"
kill "$zpid"
wait "$zpid" 2>/dev/null

# An allowed connect: committed, then its SYN on the wire.
ip netns exec "$ns" timeout 10 tcpdump --immediate-mode -Z root -U -n -i zt1 -w "$work/allowed.pcap" 'tcp port 7001' 2>"$work/tcpdump1.log" &
pids+=($!)
capture_ready() {
    for _ in $(seq 50); do grep -qs 'listening on' "$1" && return 0; sleep 0.1; done
    return 1
}
capture_ready "$work/tcpdump1.log"
sleep 0.5
(printf 'from linux\n' | in_ns timeout 10 nc -l -N 10.9.1.1 7001 >"$work/nc.got") &
pids+=($!)
sleep 0.5
got=$(printf 'from zero\n' | in_ns timeout 10 "$ZNET" --tap zt1 --addr 10.9.1.2/24 \
    --axiom "$disk" nc 10.9.1.1 7001 2>"$work/nc.log")
check "allowed_connect_is_committed" grep -q 'net.connect 10.9.1.1:7001 committed' "$work/nc.log"
check "zero_nc_receives_from_linux_nc" [ "$got" = "from linux" ]
check "linux_nc_receives_from_zero_nc" [ "$(cat "$work/nc.got")" = "from zero" ]
sleep 0.3
kill "${pids[-2]}" 2>/dev/null
wait "${pids[-2]}" 2>/dev/null
check "the_capture_shows_its_syn" \
    [ "$(tcpdump -n -r "$work/allowed.pcap" 2>/dev/null | grep -c '10.9.1.1.7001: Flags \[S\],')" = 1 ]

# A denied connect: no frame at all, nothing committed.
entries() { "$ZERO" verify "$disk" 2>/dev/null | sed -n 's/^ok: .*: \([0-9]*\) entries in .*/\1/p'; }
before=$(entries)
ip netns exec "$ns" timeout 10 tcpdump --immediate-mode -Z root -U -n -i zt1 -w "$work/denied.pcap" 'ether src 02:5a:45:52:4f:01' 2>"$work/tcpdump2.log" &
tpid=$!
pids+=("$tpid")
capture_ready "$work/tcpdump2.log"
sleep 0.5
ip netns exec "$ns" timeout 20 nc -l 10.9.1.1 7002 >"$work/denied.got" &
pids+=($!)
sleep 0.5
rx_frames() { in_ns cat /sys/class/net/zt1/statistics/rx_packets; }
rx_before=$(rx_frames)
denied=$(in_ns timeout 10 "$ZNET" --tap zt1 --addr 10.9.1.2/24 --axiom "$disk" \
    nc 10.9.1.1 7002 </dev/null 2>&1)
check "denied_connect_names_the_rule" grep -q 'net.connect 10.9.1.1:7002 refused: rule #2 denies root' <<<"$denied"
check "denied_connect_sent_no_frame_at_all" [ "$(rx_frames)" = "$rx_before" ]
sleep 0.3
kill "$tpid" 2>/dev/null
wait "$tpid" 2>/dev/null
check "the_capture_of_the_denied_connect_ran" [ -s "$work/denied.pcap" ]
check "the_capture_of_the_denied_connect_is_empty" \
    [ "$(in_ns tcpdump -n -r "$work/denied.pcap" 2>/dev/null | wc -l)" = 0 ]
check "denied_connect_committed_nothing" [ "$(entries)" = "$before" ]

log=$("$ZERO" log "$disk")
check "the_log_lists_net_listen" grep -q 'net.listen' <<<"$log"
check "the_log_lists_net_accept" grep -q 'net.accept' <<<"$log"
check "the_log_lists_net_connect" grep -q 'net.connect.*10.9.1.1:7001' <<<"$log"
if command -v node >/dev/null; then
    c=$("$ZERO" verify "$disk" | sed -n 's/.*head #[0-9]* \([0-9a-f]*\); state root \([0-9a-f]*\);.*/\1 \2/p')
    j=$(node tools/verify-js/zero-verify.js "$disk" |
        sed -n 's/^ok: [0-9]* entries verified; head \([0-9a-f]*\); state root \([0-9a-f]*\).*/\1 \2/p')
    check "js_verifier_agrees_on_the_network_entries" [ -n "$c" -a "$c" = "$j" ]
    [ -n "$c" -a "$c" = "$j" ] || { "$ZERO" verify "$disk"; node tools/verify-js/zero-verify.js "$disk"; } | sed 's/^/# /' >&2
fi
tap_done
