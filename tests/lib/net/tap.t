#!/usr/bin/env bash
# Zero's TCP/IP stack against Linux's: zero-net on a TAP device inside a
# network namespace this test creates (10.9.0.2 is Zero, 10.9.0.1 Linux).
# Linux's curl downloads a 4 MiB file from Zero's httpd (hashes compared),
# with keep-alive, HEAD and 404; nc echoes lines through Zero's echo server
# and Zero's nc talks to Linux's nc -l; Zero's fetch downloads from a
# Linux HTTP server; dnsmasq hands Zero an address and answers its DNS
# query; then the download again with 5% of frames dropped both ways.
# A denied connect sends no frame at all (the TAP device's receive counter
# does not move) and a listening Linux socket sees nothing.
cd "$(dirname "$0")/../../.."
source tests/lib/tap.sh
ZNET=build/bin/zero-net

if [ ! -c /dev/net/tun ]; then
    echo "1..0 # SKIP TAP: /dev/net/tun is unavailable"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
    echo "1..0 # SKIP TAP: needs root and ip(8) to create a network namespace"
    exit 0
fi
for tool in curl nc dnsmasq python3 b3sum; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP TAP: $tool is not installed (tools/deps.sh installs it)"
        exit 0
    fi
done

ns=zero-net-$$
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
ip -n "$ns" tuntap add dev zt0 mode tap
ip -n "$ns" addr add 10.9.0.1/24 dev zt0
ip -n "$ns" link set zt0 up
in_ns() { ip netns exec "$ns" "$@"; }

mkdir -p "$work/www"
head -c 4194304 /dev/urandom >"$work/www/big.bin"
echo "Zero OS" >"$work/www/index.html"
want=$(sha256sum <"$work/www/big.bin" | cut -d' ' -f1)

# Starts zero-net on the TAP device in the background; waits until it is up.
start_zero() {
    ip netns exec "$ns" "$ZNET" --tap zt0 --addr 10.9.0.2/24 --rto-min 200 "$@" \
        >"$work/zero.log" 2>&1 &
    zpid=$!
    pids+=("$zpid")
    for _ in $(seq 50); do
        grep -q 'listening\|serving' "$work/zero.log" && return 0
        sleep 0.1
    done
    return 1
}
stop_zero() {
    kill "$zpid" 2>/dev/null
    wait "$zpid" 2>/dev/null
}

check "zero_httpd_starts" start_zero httpd "$work/www" 8080
got=$(in_ns curl -sS --max-time 60 http://10.9.0.2:8080/big.bin | sha256sum | cut -d' ' -f1)
check "curl_downloads_4MiB_with_the_same_hash" [ "$got" = "$want" ]
out=$(in_ns curl -sS -v --max-time 10 http://10.9.0.2:8080/ http://10.9.0.2:8080/index.html 2>&1)
check "keep_alive_reuses_the_connection" grep -q 'Re-using existing connection' <<<"$out"
check "index_served_twice" [ "$(grep -c '^Zero OS' <<<"$out")" = 2 ]
code=$(in_ns curl -sS -o /dev/null -w '%{http_code}' --max-time 10 http://10.9.0.2:8080/missing)
check "missing_file_is_404" [ "$code" = 404 ]
head=$(in_ns curl -sS -I --max-time 10 http://10.9.0.2:8080/big.bin)
check "head_reports_content_length" grep -q 'Content-Length: 4194304' <<<"$head"
stop_zero

check "zero_echo_starts" start_zero echo 7
echoed=$(printf 'line one\nline two\n' | in_ns timeout 10 nc -N 10.9.0.2 7)
check "linux_nc_lines_echoed_by_zero" [ "$echoed" = $'line one\nline two' ]
stop_zero

(printf 'from linux\n' | in_ns timeout 10 nc -l -N 10.9.0.1 7001 >"$work/nc.got") &
pids+=($!)
sleep 0.3
fromlinux=$(printf 'from zero\n' | in_ns timeout 10 "$ZNET" --tap zt0 --addr 10.9.0.2/24 nc 10.9.0.1 7001)
wait "${pids[-1]}"
check "zero_nc_receives_from_linux_nc" [ "$fromlinux" = "from linux" ]
check "linux_nc_receives_from_zero_nc" [ "$(cat "$work/nc.got")" = "from zero" ]

(cd "$work/www" && exec ip netns exec "$ns" python3 -m http.server --bind 10.9.0.1 8000) \
    >/dev/null 2>&1 &
pids+=($!)
hpid=$!
for _ in $(seq 50); do in_ns curl -s -o /dev/null http://10.9.0.1:8000/ && break; sleep 0.1; done
fetched=$(in_ns timeout 30 "$ZNET" --tap zt0 --addr 10.9.0.2/24 fetch 10.9.0.1 8000 /big.bin \
    "$work/fetched" | sed -n 's/.*blake3 //p')
check "zero_fetch_hash_matches_b3sum" [ "$fetched" = "$(b3sum --no-names "$work/www/big.bin")" ]
check "zero_fetch_file_matches" cmp -s "$work/fetched" "$work/www/big.bin"
kill "$hpid"

ip netns exec "$ns" timeout 20 nc -l 10.9.0.1 7002 >"$work/denied.got" &
pids+=($!)
sleep 0.2
rx_frames() { in_ns cat /sys/class/net/zt0/statistics/rx_packets; }
rx_before=$(rx_frames)
denied=$(in_ns timeout 10 "$ZNET" --tap zt0 --addr 10.9.0.2/24 --deny-connect nc 10.9.0.1 7002 \
    </dev/null 2>&1)
check "denied_connect_reports_the_refusal" grep -q 'refused by policy' <<<"$denied"
check "denied_connect_sent_no_frame_at_all" [ "$(rx_frames)" = "$rx_before" ]
check "denied_connect_reached_nobody" [ ! -s "$work/denied.got" ]
check "denied_connect_left_linux_listener_waiting" kill -0 "${pids[-1]}"

ip netns exec "$ns" dnsmasq --no-daemon --conf-file=/dev/null --interface=zt0 --bind-interfaces \
    --dhcp-range=10.9.0.50,10.9.0.60,1h --dhcp-option=3,10.9.0.1 --dhcp-option=6,10.9.0.1 \
    --address=/zero.test/10.9.0.77 --no-resolv --no-hosts --dhcp-leasefile="$work/leases" \
    --pid-file="$work/dnsmasq.pid" >"$work/dnsmasq.log" 2>&1 &
pids+=($!)
sleep 0.5
lease=$(in_ns timeout 20 "$ZNET" --tap zt0 dhcp)
check "dhcp_from_dnsmasq_gives_an_address" grep -q '^address 10.9.0.5[0-9]$' <<<"$lease"
check "dhcp_gives_gateway_and_dns" grep -q '^dns 10.9.0.1$' <<<"$lease"
resolved=$(in_ns timeout 20 "$ZNET" --tap zt0 resolve zero.test)
check "dns_query_to_dnsmasq_resolves" [ "$resolved" = "zero.test 10.9.0.77" ]

check "zero_httpd_with_5pct_drop_starts" start_zero --drop 50 httpd "$work/www" 8080
got=$(in_ns curl -sS --max-time 120 http://10.9.0.2:8080/big.bin | sha256sum | cut -d' ' -f1)
check "curl_download_correct_with_5pct_frames_dropped" [ "$got" = "$want" ]
stop_zero
tap_done
