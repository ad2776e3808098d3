#!/usr/bin/env bash
# Zero OS's network on x86_64 under QEMU user networking (TCG, as
# tests/system/net.t runs it): host to guest (`fetch` of 4 MiB from a host
# python3 http.server), guest to host (host curl of the same 4 MiB from
# `httpd /www`, which reads the filesystem), ping round trips to the
# gateway, and the cost of the authorization: the net.connect commit
# against the TCP connect that follows it (`nc`).  Prints "bench: ..."
# lines.  Needs qemu-system-x86_64, python3, curl, nc and the x86_64 build.
cd "$(dirname "$0")/.." || exit 2
source tests/lib/qemu.sh
for tool in qemu-system-x86_64 python3 curl nc; do
    command -v "$tool" >/dev/null || { echo "bench: net_qemu skipped (no $tool)" >&2; exit 0; }
done
[ -f build/x86_64/bin/zero-node ] || { echo "bench: net_qemu skipped (no x86_64 build)" >&2; exit 0; }
work=$(mktemp -d)
log=$work/serial.log
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hport=$(free_port)
fport=$(free_port)
lport=$(free_port)
mkdir -p "$work/www"
head -c 4194304 /dev/urandom >"$work/www/big.bin"
(cd "$work/www" && exec python3 -m http.server --bind 127.0.0.1 "$hport") >/dev/null 2>&1 &
pids+=($!)
(while :; do nc -l 127.0.0.1 "$lport" </dev/null >/dev/null 2>&1 || break; done) &
pids+=($!)
truncate -s 64M "$work/disk.img"
mkfifo "$work/in"
timeout 600 "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fport-:80" -device virtio-net-pci,netdev=n0 \
    <"$work/in" >"$log" 2>&1 &
qpid=$!
pids+=("$qpid")
exec 3>"$work/in"
run() { type_wait "$1" "$2" 300; } # LINE PATTERN: types LINE, waits for PATTERN after it
out() { tr -d '\r\0' <"$log" | grep -oE -- "$1" | tail -"${2:-1}"; }
for _ in $(seq 300); do tr -d '\r\0' <"$log" | grep 'zero> ' >/dev/null && break; sleep 0.1; done
run 'net' 'address 10\.0\.2\.15'
for i in 1 2 3 4 5; do run 'ping 10.0.2.2' 'reply from|error'; done
echo "bench: ping to the gateway (ms, 1 ms resolution): $(out 'reply from 10\.0\.2\.2 in [0-9]+ ms' 5 | awk '{printf "%s ", $5}')"
run 'mkdir /www' 'committed #'
run "fetch http://10.0.2.2:$hport/big.bin /www/big.bin" 'stored by fs.put|^error'
echo "bench: host to guest, fetch of 4 MiB: $(out '\([0-9]+ ms, [0-9]+ KB/s\)')"
run 'httpd /www' 'httpd: serving'
speed=$(curl -sS --max-time 300 -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$fport/big.bin")
echo "bench: guest to host, curl of 4 MiB from httpd /www: $((${speed%.*} / 1000)) KB/s"
for i in 1 2 3; do
    run "nc 10.0.2.2 $lport" 'nc: connected|^error|denied'
    run '.' 'nc: closed'
done
echo "bench: net.connect commit (us, the terminal's clock): $(out 'committed #[0-9]+ in [0-9]+ us' 3 | awk '{printf "%s ", $4}')"
echo "bench: TCP connect after it (us): $(out 'connected in [0-9]+ us' 3 | awk '{printf "%s ", $3}')"
printf 'exit\r' >&3
wait "$qpid"
exec 3>&-
