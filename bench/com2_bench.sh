#!/usr/bin/env bash
# Signed proposals committed per second over the x86_64 node's second serial
# port (COM2, which QEMU turns into a Unix socket) against the same
# proposals over zero-hosted --listen's socket: one client each, sending N
# notes signed by alice at once (pipelined) and reading N answers; the time
# from the first byte sent to the last answer.  Both servers commit a batch
# of the proposals waiting with one flush (group commit).  TCG, so the COM2
# figure depends on the host's load; the line says how busy it was.
#   bench/com2_bench.sh [N]     (default 200; needs the x86_64 and hosted builds)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
if [ "${1:-}" = --help ]; then
    echo "usage: bench/com2_bench.sh [N]   (N signed notes each way, default 200; prints a bench: line)"
    exit 0
fi
n=${1:-200}
zero=build/bin/zero
zh=build/bin/zero-hosted
for f in "$zero" "$zh" build/x86_64/bin/zero-kernel.bin build/x86_64/bin/zero-node; do
    [ -x "$f" ] || [ -r "$f" ] || { echo "com2_bench: $f is missing: make PLATFORM=x86_64 && make PLATFORM=hosted" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "com2_bench: needs python3" >&2; exit 1; }
work=$(mktemp -d)
qpid= hpid=
cleanup() {
    exec 3>&- 4>&- 2>/dev/null
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
    [ -n "$hpid" ] && kill "$hpid" 2>/dev/null
    wait 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "# kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
host_busy() { awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

"$zero" key gen "$work/alice.key"
apub=$("$zero" key pub "$work/alice.key")
mkdir -p "$work/p"
for i in $(seq 1 "$n"); do
    "$zero" propose --key "$work/alice.key" --proposer alice --number "$i" note "bench $i" \
        >"$work/p/$(printf %05d "$i")"
done
# flood SOCKET: sends every proposal at once, reads n answers; prints "SECONDS COMMITTED".
flood() {
    python3 - "$1" "$work/p" "$n" <<'PY'
import os, socket, struct, sys, time
sock, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
body = b"".join(struct.pack("<I", len(p) + 1) + b"\x01" + p
                for p in (open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))))
s = socket.socket(socket.AF_UNIX); s.connect(sock); s.settimeout(300)
t0 = time.time(); s.sendall(body)
buf = b""; got = 0; ok = 0
while got < n:
    data = s.recv(65536)
    if not data: break
    buf += data
    while len(buf) >= 4 and len(buf) >= 4 + struct.unpack("<I", buf[:4])[0]:
        k = struct.unpack("<I", buf[:4])[0]; a = buf[4:4 + k]; buf = buf[4 + k:]
        got += 1; ok += a.startswith(b"committed")
print("%.3f %d" % (time.time() - t0, ok))
PY
}
wait_log() { # wait_log FILE PATTERN: up to 120 s
    for _ in $(seq 1200); do
        tr -d '\r\0' <"$1" | grep -E -- "$2" >/dev/null && return 0
        sleep 0.1
    done
    return 1
}

# --- x86_64: COM2 ---------------------------------------------------------------
truncate -s 64M "$work/disk.img"
mkfifo "$work/in"
qemu-system-x86_64 -m 256M -nodefaults -display none -monitor none -serial stdio -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -cpu max \
    -kernel build/x86_64/bin/zero-kernel.bin -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    -chardev "socket,id=c2,path=$work/com2.sock,server=on,wait=off" -serial chardev:c2 \
    <"$work/in" >"$work/qemu.log" 2>&1 &
qpid=$!
exec 3>"$work/in"
wait_log "$work/qemu.log" 'zero> ' || { echo "com2_bench: the node did not boot" >&2; exit 1; }
printf '%s\r' "id create alice --kind user --pubkey $apub" "policy allow alice note *" >&3
wait_log "$work/qemu.log" 'committed #2 ' || { echo "com2_bench: no alice" >&2; exit 1; }
b0=$(host_busy)
t0=$(date +%s.%N)
read -r c_secs c_ok < <(flood "$work/com2.sock")
b1=$(host_busy)
t1=$(date +%s.%N)
printf 'exit\r' >&3
wait "$qpid" 2>/dev/null
qpid=
exec 3>&-

# --- hosted: zero-hosted --listen ---------------------------------------------------
mkfifo "$work/hin"
"$zh" --disk "$work/h.img" --size 64 --listen "$work/h.sock" <"$work/hin" >"$work/h.log" 2>&1 &
hpid=$!
exec 4>"$work/hin"
printf '%s\n' "id create alice --kind user --pubkey $apub" "policy allow alice note *" >&4
wait_log "$work/h.log" 'committed #2 ' || { echo "com2_bench: no alice on the hosted node" >&2; exit 1; }
read -r h_secs h_ok < <(flood "$work/h.sock")
echo exit >&4
wait "$hpid" 2>/dev/null
hpid=

load=$(awk -v b="$((b1 - b0))" -v hz="$(getconf CLK_TCK)" -v w="$(echo "$t1 - $t0" | bc -l)" \
    -v c="$(nproc)" 'BEGIN { printf "%d", 100 * b / hz / (w * c) }')
awk -v n="$n" -v cs="$c_secs" -v co="$c_ok" -v hs="$h_secs" -v ho="$h_ok" -v load="$load" 'BEGIN {
    rc = co / cs; rh = ho / hs;
    printf "bench: com2_signed_commits_per_s %.1f vs hosted_socket %.1f ratio %.3f (%d and %d of %d committed; host %d%% busy)\n", rc, rh, rc / rh, co, ho, n, load;
}'
