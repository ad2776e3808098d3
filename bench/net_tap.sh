#!/usr/bin/env bash
# TCP throughput of Zero's stack against Linux's over the same path: a
# TAP device with a user process behind it, as QEMU gives a guest.  The
# host side is Linux in a network namespace this script creates.  Zero's
# side is zero-net on the TAP device; Linux's side is a second namespace
# whose own TAP device tap-relay joins to the host's (one more TAP hop than
# Zero has).  64 MiB each way with nc on the Linux ends; prints MB/s and
# the ratio Zero/Linux.  Needs root, ip(8), nc and /dev/net/tun.
cd "$(dirname "$0")/.."
ZNET=build/bin/zero-net
RELAY=build/bin/tap-relay
BYTES=$((64 << 20))
if [ ! -c /dev/net/tun ] || [ "$(id -u)" -ne 0 ] || ! command -v nc >/dev/null ||
    [ ! -x "$ZNET" ] || [ ! -x "$RELAY" ]; then
    echo "bench: net_tap skipped (needs root, /dev/net/tun, nc, build/bin/zero-net)" >&2
    exit 0
fi
h=zero-bench-h-$$
g=zero-bench-g-$$
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    ip netns del "$h" 2>/dev/null
    ip netns del "$g" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$h"
ip netns add "$g"
ip -n "$h" link set lo up
ip -n "$g" link set lo up
ip -n "$h" tuntap add dev zt0 mode tap
ip -n "$h" addr add 10.9.0.1/24 dev zt0
ip -n "$h" link set zt0 up
ip -n "$h" tuntap add dev lt0 mode tap
ip -n "$h" addr add 10.8.0.1/24 dev lt0
ip -n "$h" link set lt0 up
ip -n "$h" tuntap add dev lg0 mode tap
ip netns exec "$h" "$RELAY" lt0 lg0 &
pids+=($!)
sleep 0.3
ip -n "$h" link set lg0 netns "$g"
ip -n "$g" addr add 10.8.0.2/24 dev lg0
ip -n "$g" link set lg0 up

now_ns() { date +%s%N; }
# Prints MB/s for BYTES moved in the nanoseconds between $1 and $2.
rate() { awk -v b="$BYTES" -v t=$(($2 - $1)) 'BEGIN { printf "%.1f", b / (t / 1e9) / 1e6 }'; }

# Guest to host: the host's nc -l reads BYTES, the guest sends them.
ip netns exec "$h" nc -l 10.9.0.1 9000 >/dev/null &
pids+=($!)
sleep 0.3
t0=$(now_ns)
ip netns exec "$h" "$ZNET" --tap zt0 --addr 10.9.0.2/24 --rto-min 200 source 10.9.0.1 9000 \
    "$BYTES" >/dev/null
t1=$(now_ns)
zero_out=$(rate "$t0" "$t1")
ip netns exec "$h" nc -l 10.8.0.1 9000 >/dev/null &
pids+=($!)
sleep 0.3
t0=$(now_ns)
ip netns exec "$g" sh -c "head -c $BYTES /dev/zero | nc -N 10.8.0.1 9000"
t1=$(now_ns)
linux_out=$(rate "$t0" "$t1")

# Host to guest: the guest reads, the host's nc sends.
ip netns exec "$h" "$ZNET" --tap zt0 --addr 10.9.0.2/24 --rto-min 200 sink 9001 >/dev/null &
zp=$!
pids+=($zp)
sleep 0.3
t0=$(now_ns)
ip netns exec "$h" sh -c "head -c $BYTES /dev/zero | nc -N 10.9.0.2 9001"
wait "$zp"
t1=$(now_ns)
zero_in=$(rate "$t0" "$t1")
ip netns exec "$g" nc -l 10.8.0.2 9001 >/dev/null &
lp=$!
pids+=($lp)
sleep 0.3
t0=$(now_ns)
ip netns exec "$h" sh -c "head -c $BYTES /dev/zero | nc -N 10.8.0.2 9001"
wait "$lp"
t1=$(now_ns)
linux_in=$(rate "$t0" "$t1")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "bench: net_tcp_guest_to_host ${zero_out} MB/s vs linux ${linux_out} MB/s ratio $(ratio "$zero_out" "$linux_out")"
echo "bench: net_tcp_host_to_guest ${zero_in} MB/s vs linux ${linux_in} MB/s ratio $(ratio "$zero_in" "$linux_in")"
