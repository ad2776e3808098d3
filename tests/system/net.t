#!/usr/bin/env bash
# Zero OS on the network, on x86_64 under QEMU user networking: the
# virtio-net driver and the network service each run in their own process;
# DHCP gives 10.0.2.15; the terminal pings the gateway and resolves a name
# through QEMU's DNS; `fetch` commits net.connect and downloads a 4 MiB
# file from a host python3 http.server at 10.0.2.2 into the filesystem
# (BLAKE3 compared with b3sum, and the file's hash); `httpd /www` commits
# net.listen and serves that directory: host curl downloads the 4 MiB file
# through hostfwd with the same hash, HEAD, 404 and keep-alive; the
# connections are recorded as net.accept; `nc -l` echoes the lines host nc
# sends and Zero's `nc` talks to a host `nc -l` (contents compared); the
# service records every connection httpd accepts (net.accept) before it
# serves it, and one the policy refuses is reset; a
# connect denied by policy is refused and a frame capture (-object
# filter-dump) holds no SYN of it; the log verifies.
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
    [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT
has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hport=$(free_port)
fport=$(free_port)
ncport=$(free_port)
lport=$(free_port)
mkdir -p "$work/www"
head -c 4194304 /dev/urandom >"$work/www/big.bin"
(cd "$work/www" && exec python3 -m http.server --bind 127.0.0.1 "$hport") >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$hport/" && break; sleep 0.1; done
truncate -s 64M "$work/disk.img"
# QEMU's DNS (10.0.2.3) asks the host's resolver: in a mount namespace of
# its own, QEMU reads a resolv.conf naming a stub server on a loopback
# address that knows zero-peer.test (the host, 10.0.2.2).  Without root the
# name checks are skipped.
dns_ip=127.77.0.53
run=()
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
    python3 tests/system/dns_stub.py "$dns_ip" 53 zero-peer.test=10.0.2.2 >/dev/null 2>&1 &
    pids+=($!)
    echo "nameserver $dns_ip" >"$work/resolv.conf"
    run=(unshare -m --propagation private sh -c 'mount --bind "$0" /etc/resolv.conf && exec "$@"'
         "$work/resolv.conf")
fi

fifo=$work/in
mkfifo "$fifo"
timeout 600 "${run[@]}" "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fport-:80,hostfwd=tcp:127.0.0.1:$ncport-:7000" \
    -device virtio-net-pci,netdev=n0 \
    -object "filter-dump,id=f0,netdev=n0,file=$work/frames.pcap" <"$fifo" >"$log" 2>&1 &
qpid=$!
pids+=("$qpid")
exec 3>"$fifo"
for _ in $(seq 300); do has 'zero> ' && break; sleep 0.1; done

has '^net: virtio-net [0-9a-f:]{17}, driver in its own process'
tap_check $? "virtio_net_driver_runs_in_its_own_process"
type_wait 'net' 'address 10\.0\.2\.15/24 gateway 10\.0\.2\.2 dns 10\.0\.2\.3'
tap_check $? "dhcp_gives_10_0_2_15_from_qemu_user_networking"
type_wait 'ping 10.0.2.2' 'reply from 10\.0\.2\.2 in [0-9]+ ms'
tap_check $? "ping_the_gateway"
if [ ${#run[@]} -gt 0 ]; then
    type_wait 'ping zero-peer.test' 'reply from 10\.0\.2\.2 in [0-9]+ ms'
    has '^zero-peer.test is 10\.0\.2\.2'
    tap_check $? "ping_a_host_name_resolved_through_qemus_dns"
    type_wait 'ping nowhere.test' 'cannot resolve nowhere.test: no such name'
    tap_check $? "an_unknown_name_is_refused"
    type_wait "fetch http://zero-peer.test:$hport/big.bin" 'fetch: HTTP [0-9]+' 120
    has "fetch: HTTP 200, 4194304 bytes, blake3 $(b3sum --no-names "$work/www/big.bin")"
    tap_check $? "fetch_with_a_host_name"
else
    for n in ping_a_host_name_resolved_through_qemus_dns an_unknown_name_is_refused \
        fetch_with_a_host_name; do
        tap_check 0 "$n # SKIP needs root for a mount namespace"
    done
fi

# fetch into the filesystem
type_wait 'mkdir /www' 'committed #'
type_wait "fetch http://10.0.2.2:$hport/big.bin /www/big.bin" '(stored by fs.put|^error|^denied)' 300
has "net.connect 10.0.2.2:$hport committed #[0-9]+"
tap_check $? "fetch_commits_net_connect_first"
want=$(b3sum --no-names "$work/www/big.bin")
has "fetch: HTTP 200, 4194304 bytes, blake3 $want "
tap_check $? "fetch_downloads_4MiB_from_the_host_with_the_same_hash"
type_wait 'hash /www/big.bin' "^$want  /www/big.bin"
tap_check $? "fetch_stored_the_file_with_that_hash"
has 'fetch: /www/big.bin stored by fs.put #[0-9]+$'
tap_check $? "the_4MiB_file_is_one_fs_put_entry"
printf 'put /www/index.html\r<p>Zero OS serves its filesystem</p>\r.\r' >&3
type_wait 'stat /www/index.html' 'size  37'

# httpd DIR
type_wait 'httpd /www' 'httpd: serving /www on port 80 \(net.listen committed #[0-9]+\)'
tap_check $? "httpd_commits_net_listen_then_serves"
page=$(curl -sS --max-time 20 "http://127.0.0.1:$fport/")
grep -q "Zero OS serves its filesystem" <<<"$page"
tap_check $? "host_curl_fetches_index_html_through_hostfwd"
# the service prints the record after its commit and before it serves the
# connection: by the time curl has the page, the line is there (it may
# follow the terminal's prompt on the console)
accept_re='(^|zero> )net: net\.accept 10\.0\.2\.2:[0-9]+ on port 80 recorded #[0-9]+'
has "$accept_re"
tap_check $? "the_connection_was_recorded_before_it_was_served"
speed=$(curl -sS --max-time 120 -o "$work/dl.bin" -w '%{speed_download}' \
    "http://127.0.0.1:$fport/big.bin")
got=$(b3sum --no-names "$work/dl.bin")
[ "$got" = "$want" ]
tap_check $? "host_curl_downloads_4MiB_from_zeros_httpd_same_hash ($got)"
echo "# guest to host: curl took 4 MiB from httpd /www at $((${speed%.*} / 1024)) KiB/s"
echo "# host to guest: $(tr -d '\r\0' <"$log" | grep -o '([0-9]* ms, [0-9]* KB/s)' | tail -1)"
hd=$(curl -sSI --max-time 20 "http://127.0.0.1:$fport/big.bin" | tr -d '\r')
grep -q '^Content-Length: 4194304$' <<<"$hd"
tap_check $? "head_gives_the_length"
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 20 "http://127.0.0.1:$fport/missing")
[ "$code" = 404 ]
tap_check $? "missing_file_is_404"
kv=$(curl -sSv --max-time 20 -o /dev/null -o /dev/null "http://127.0.0.1:$fport/" \
    "http://127.0.0.1:$fport/index.html" 2>&1)
grep -qiE 're-?using (existing )?connection' <<<"$kv"
tap_check $? "keep_alive_serves_two_requests_on_one_connection"
# five connections so far (index, big.bin, HEAD, 404, keep-alive): five
# records, each an entry of the log as the principal that started httpd
recs=$(tr -d '\r\0' <"$log" | grep -E "$accept_re")
[ "$(wc -l <<<"$recs")" -ge 5 ]
tap_check $? "accepted_connections_are_recorded ($(wc -l <<<"$recs") records)"
type_wait 'axiom log 40' 'zero> '
ok=0
while read -r peer seq; do
    has "^#$seq +[0-9a-f]+ root +net\.accept +$peer on port 80" || ok=1
done < <(sed -E 's/^.*net: net\.accept ([0-9.:]+) on port 80 recorded #([0-9]+)/\1 \2/' <<<"$recs")
tap_check $ok "the_log_holds_each_net_accept_entry"

# nc -l: host nc's lines come back
seq 1 20000 | sed 's/^/line /' >"$work/lines.txt"
type_wait 'nc -l 7000' 'nc: listening on port 7000'
timeout 60 nc -N 127.0.0.1 "$ncport" <"$work/lines.txt" >"$work/echoed.txt"
for _ in $(seq 100); do has 'nc: [0-9]+ lines, [0-9]+ bytes echoed' && break; sleep 0.1; done
[ "$(b3sum --no-names <"$work/lines.txt")" = "$(b3sum --no-names <"$work/echoed.txt")" ]
tap_check $? "nc_l_echoes_host_nc_lines_same_hash"
has 'nc: 20000 lines, [0-9]+ bytes echoed'
tap_check $? "nc_l_counts_the_lines"

# nc HOST PORT: typed lines reach host nc -l, its reply is printed
echo "reply from the host" >"$work/reply.txt"
(timeout 60 nc -l 127.0.0.1 "$lport" <"$work/reply.txt" >"$work/got.txt") &
pids+=($!)
ncl=$!
sleep 0.5
type_wait "nc 10.0.2.2 $lport" 'nc: connected'
printf 'hello from zero\rsecond line\r.\r' >&3
for _ in $(seq 100); do has 'nc: closed' && break; sleep 0.1; done
wait "$ncl"
printf 'hello from zero\nsecond line\n' | cmp -s - "$work/got.txt"
tap_check $? "nc_sends_typed_lines_to_host_nc"
has 'reply from the host'
tap_check $? "nc_prints_what_host_nc_sends"

# a connection whose record the policy refuses is reset, never served
type_wait 'policy deny root net.accept *' 'committed #'
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 20 "http://127.0.0.1:$fport/" 2>/dev/null)
[ "$code" != 200 ] && has '(^|zero> )net: net\.accept 10\.0\.2\.2:[0-9]+ refused: rule #[0-9]+ denies'
tap_check $? "a_connection_whose_record_is_refused_is_not_served (curl status $code)"
type_wait 'policy deny root net.connect 10.0.2.2:9' 'committed #'
type_wait 'fetch http://10.0.2.2:9/x' 'denied: rule #[0-9]+ denies root net.connect'
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
