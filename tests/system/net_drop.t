#!/usr/bin/env bash
# The x86_64 node's network with 5% of frames lost: the kernel's command
# line sets the virtio-net driver's test drop filter (net.drop=50, a seeded
# generator: the same frames, by their order through the driver, in every
# run), both directions.  Through QEMU user networking, Zero's fetch
# downloads 1 MiB from a host python3 http.server into the filesystem,
# host curl downloads a 4 MiB file from Zero's httpd (put on the disk
# beforehand by zero-hosted --import, quicker than a fetch through the
# lossy link), and host nc exchanges 20000 lines with Zero's nc -l; every
# hash is compared with b3sum's.
source "$(dirname "$0")/../lib/qemu.sh"
source "$(dirname "$0")/../lib/guest.sh"
for tool in curl python3 b3sum nc; do
    if ! command -v "$tool" >/dev/null; then
        echo "1..0 # SKIP $tool is not installed"
        exit 0
    fi
done
GUEST_DIR=$(mktemp -d)
work=$GUEST_DIR
pids=()
cleanup() {
    guest_kill_all
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hport=$(free_port)
fport=$(free_port)
ncport=$(free_port)
mkdir -p "$work/www" "$work/host"
head -c 4194304 /dev/urandom >"$work/www/big.bin"
head -c 1048576 /dev/urandom >"$work/host/one.bin"
want=$(b3sum --no-names "$work/www/big.bin")
(cd "$work/host" && exec python3 -m http.server --bind 127.0.0.1 "$hport") >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$hport/" && break; sleep 0.1; done
build/bin/zero-hosted --disk "$work/disk.img" --size 64 --import "$work/www:/www" </dev/null \
    >"$work/import.log" 2>&1
grep -q 'committed #' "$work/import.log"
tap_check $? "zero_hosted_puts_the_4MiB_file_on_the_disk"

t0=$(date +%s)
guest_start z 300 -append "net.drop=50 net.seed=7" \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fport-:80,hostfwd=tcp:127.0.0.1:$ncport-:7000" \
    -device virtio-net-pci,netdev=n0
guest_has z '^net: test drop filter in the driver: 50 of 1000 frames lost'
tap_check $? "the_boot_line_sets_the_drop_filter"
guest_type z 'net' 'address 10\.0\.2\.15/24'
tap_check $? "dhcp_still_gives_an_address"

one=$(b3sum --no-names "$work/host/one.bin")
guest_type z "fetch http://10.0.2.2:$hport/one.bin /www/one.bin" '(stored by fs.put|^error|^denied)' 120
guest_has z "fetch: HTTP 200, 1048576 bytes, blake3 $one "
tap_check $? "fetch_downloads_1MiB_from_the_host_with_the_same_hash"
guest_has z 'fetch: /www/one.bin stored by fs.put #[0-9]+$' &&
    guest_type z 'hash /www/one.bin' "^$one  /www/one.bin"
tap_check $? "and_stores_it_as_one_entry_with_that_hash"
guest_type z 'hash /www/big.bin' "^$want  /www/big.bin"
tap_check $? "the_imported_file_has_that_hash"

guest_type z 'httpd /www' 'httpd: serving /www on port 80'
speed=$(curl -sS --max-time 200 -o "$work/dl.bin" -w '%{speed_download}' \
    "http://127.0.0.1:$fport/big.bin")
[ "$(b3sum --no-names "$work/dl.bin")" = "$want" ]
tap_check $? "host_curl_downloads_4MiB_from_httpd_with_the_same_hash"

seq 1 20000 | sed 's/^/line /' >"$work/lines.txt"
guest_type z 'nc -l 7000' 'nc: listening on port 7000'
timeout 120 nc -N 127.0.0.1 "$ncport" <"$work/lines.txt" >"$work/echoed.txt"
guest_wait z 'nc: [0-9]+ lines, [0-9]+ bytes echoed' 30
[ "$(b3sum --no-names <"$work/lines.txt")" = "$(b3sum --no-names <"$work/echoed.txt")" ]
tap_check $? "nc_l_echoes_host_nc_lines_with_the_same_hash"

guest_type z 'net' 'dropped by the test filter [0-9]+'
n=$(tr -d '\r\0' <"$work/z.log" | grep -oE 'dropped by the test filter [0-9]+' | tail -1 | grep -oE '[0-9]+$')
retx=$(tr -d '\r\0' <"$work/z.log" | grep -oE 'tcp retransmits [0-9]+' | tail -1 | grep -oE '[0-9]+$')
[ "${n:-0}" -gt 100 ] && [ "${retx:-0}" -gt 0 ]
tap_check $? "frames_were_dropped_and_retransmitted (dropped ${n:-0}, retransmits ${retx:-0})"
echo "# with 5% loss: fetch $(tr -d '\r\0' <"$work/z.log" | grep -o '([0-9]* ms, [0-9]* KB/s)' | tail -1), curl $((${speed%.*} / 1024)) KiB/s; $(($(date +%s) - t0)) s in all"
guest_stop z
[ "$GUEST_STATUS" = 1 ]
tap_check $? "exit_powers_off_cleanly (qemu status $GUEST_STATUS)"
echo "1..$TESTNUM"
