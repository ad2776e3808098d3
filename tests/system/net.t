#!/usr/bin/env bash
# Zero OS on the network, on x86_64 under QEMU user networking: the
# virtio-net driver and the network service each run in their own process;
# DHCP gives 10.0.2.15; the terminal pings the gateway; `httpd` commits
# net.listen and host curl fetches its page through hostfwd, the connection
# recorded as net.accept; `fetch` commits net.connect and downloads a 1 MiB
# file from a host python3 http.server at 10.0.2.2 (BLAKE3 compared with
# b3sum); a connect denied by policy is refused and a frame capture
# (-object filter-dump) holds no SYN of it; the log verifies.
source "$(dirname "$0")/../lib/qemu.sh"
for tool in curl python3 b3sum tcpdump; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
work=$(mktemp -d)
log=$work/serial.log
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
has() { tr -d '\r\0' <"$log" | grep -qE -- "$1"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hport=$(free_port)
fport=$(free_port)
mkdir -p "$work/www"
head -c 1048576 /dev/urandom >"$work/www/big.bin"
(cd "$work/www" && exec python3 -m http.server --bind 127.0.0.1 "$hport") >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$hport/" && break; sleep 0.1; done

fifo=$work/in
mkfifo "$fifo"
timeout 180 "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fport-:80" -device virtio-net-pci,netdev=n0 \
    -object "filter-dump,id=f0,netdev=n0,file=$work/frames.pcap" <"$fifo" >"$log" 2>&1 &
qpid=$!
pids+=("$qpid")
exec 3>"$fifo"
# type LINE PATTERN: types LINE once the prompt is there, waits for PATTERN.
type_wait() {
    printf '%s\r' "$1" >&3
    for _ in $(seq 300); do
        has "$2" && return 0
        kill -0 "$qpid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}
for _ in $(seq 300); do has 'zero> ' && break; sleep 0.1; done

has '^net: virtio-net [0-9a-f:]{17}, driver in its own process'
tap_check $? "virtio_net_driver_runs_in_its_own_process"
type_wait 'net' 'address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 dns 10\.0\.2\.3'
tap_check $? "dhcp_gives_10_0_2_15_from_qemu_user_networking"
type_wait 'ping 10.0.2.2' 'reply from 10\.0\.2\.2 in [0-9]+ ms'
tap_check $? "ping_the_gateway"
type_wait 'httpd' 'httpd: serving on port 80 \(net.listen committed #[0-9]+\)'
tap_check $? "httpd_commits_net_listen_then_serves"
page=$(curl -sS --max-time 20 "http://127.0.0.1:$fport/")
grep -q "Zero's own TCP/IP stack" <<<"$page"
tap_check $? "host_curl_fetches_the_page_through_hostfwd"
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 20 "http://127.0.0.1:$fport/missing")
[ "$code" = 404 ]
tap_check $? "missing_page_is_404"
type_wait 'net' 'net.accept 10\.0\.2\.2:[0-9]+ recorded #[0-9]+'
tap_check $? "accepted_connections_are_recorded"
type_wait "fetch 10.0.2.2 $hport /big.bin" 'fetch: HTTP [0-9]+, [0-9]+ bytes, blake3 [0-9a-f]{64}'
has "net.connect 10.0.2.2:$hport committed #[0-9]+"
tap_check $? "fetch_commits_net_connect_first"
want=$(b3sum --no-names "$work/www/big.bin")
has "fetch: HTTP 200, 1048576 bytes, blake3 $want"
tap_check $? "fetch_downloads_1MiB_from_the_host_with_the_same_hash"
type_wait 'policy deny root net.connect 10.0.2.2:9' 'committed #'
type_wait 'fetch 10.0.2.2 9 /x' 'denied: rule #[0-9]+ denies root net.connect'
tap_check $? "a_denied_connect_is_refused_at_the_terminal"
type_wait 'axiom verify' '^ok: [0-9]+ entries'
tap_check $? "the_log_with_network_entries_verifies"
printf 'exit\r' >&3
wait "$qpid"
status=$?
exec 3>&-
[ "$status" = 1 ]
tap_check $? "exit_powers_off_cleanly (qemu status $status)"
frames=$(tcpdump -n -r "$work/frames.pcap" 2>/dev/null)
grep -q "10.0.2.15.[0-9]* > 10.0.2.2.$hport: Flags \[S\]" <<<"$frames"
tap_check $? "the_capture_shows_the_allowed_syn"
! grep -q "> 10.0.2.2.9: " <<<"$frames"
tap_check $? "the_capture_holds_no_frame_of_the_denied_connect"
echo "1..$TESTNUM"
