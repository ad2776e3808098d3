#!/usr/bin/env bash
# svc kill of the network service, its virtio-net driver, the jobs service
# and the COM2 listener on x86_64 (docs/boot.md, "Restarts"), booted from
# the ISO tree with its signed boot manifest, where each is restart=yes:
# each comes back on the same endpoint, what needs it works again (a page
# from httpd through hostfwd, a job, a head query over COM2), the end and
# the start are svc.exit and svc.start entries, `zero verify` of the disk
# passes, and the terminal's exit still powers off cleanly (the network
# service's orderly stop is no crash and no restart).  Then the manifest
# re-signed with restart=no for the network service and the jobs service:
# the network service, which ends when its driver is killed, is reported
# and not restarted, and `svc kill jobs` is refused.
source "$(dirname "$0")/../lib/qemu.sh"
for tool in curl python3 clang; do
    command -v "$tool" >/dev/null || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
zero=build/bin/zero
zh=build/bin/zero-hosted
spec=kernel/arch/x86_64/iso/manifest.spec
work=$(mktemp -d)
log=$work/serial.log
sock=$work/com2.sock
qpid=
cleanup() {
    exec 3>&- 2>/dev/null
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null
    wait 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "# kept $work" || rm -rf "$work"
}
trap cleanup EXIT
has() { tr -d '\r\0' <"$log" | grep -E -- "$1" >/dev/null; }
count() { tr -d '\r\0' <"$log" | grep -cE -- "$1"; }


# resign NAME SED: a copy of the tree whose manifest is the spec changed by SED, signed.
resign() {
    rm -rf "$work/$1"
    cp -r build/x86_64/iso/boot "$work/$1"
    sed "$2" "$spec" >"$work/$1.spec"
    "$zero" manifest build "$work/$1.spec" "$work/$1" -o "$work/$1.body" &&
        "$zero" manifest sign build/release-dev.key "$work/$1.body" -o "$work/$1/manifest"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for N PATTERN [SECS]: until the console shows N lines matching PATTERN.
wait_for() {
    for _ in $(seq $((${3:-60} * 10))); do
        [ "$(count "$2")" -ge "$1" ] && return 0
        kill -0 "$qpid" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}


# page: the index page through hostfwd (retried for 20 s), or nothing.
page() {
    for _ in $(seq 40); do
        curl -s --max-time 2 "http://127.0.0.1:$fport/" 2>/dev/null | grep -F 'restarted here' &&
            return 0
        sleep 0.5
    done
    return 1
}

# boot TREE: boots the ISO tree TREE with the disk, a network card and COM2.  512 MiB:
# a restart reserves the program's memory limit again before the ended one's comes
# back (docs/boot.md "Restarts"), and the manifest's limits take most of 256 MiB.
boot() {
    rm -f "$work/in" "$sock"
    mkfifo "$work/in"
    timeout 600 "${QEMU_BASE[@]}" -m 512M -cpu max -smp 2 -kernel "$KERNEL" -initrd "$(boot_tree "$1")" \
        -drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
        -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$fport-:80" -device virtio-net-pci,netdev=n0 \
        -chardev "socket,id=c2,path=$sock,server=on,wait=off" -serial chardev:c2 \
        <"$work/in" >"$log" 2>&1 &
    qpid=$!
    exec 3>"$work/in"
    wait_for 1 'zero> ' && wait_for 1 'address 10\.0\.2\.15/'
}

# quit: exit at the terminal; sets QEMU_STATUS.
quit() {
    printf 'exit\r' >&3
    wait "$qpid"
    QEMU_STATUS=$?
    qpid=
    exec 3>&-
}

echo "1..16"
mkdir "$work/www" "$work/progs" "$work/data"
echo '<p>restarted here</p>' >"$work/www/index.html"
clang --target=wasm32-wasi -O2 -o "$work/progs/wc.wasm" tests/wasi/wc.c || exit 1
seq 1 100 >"$work/data/small.txt"
disk=$work/disk.img
truncate -s 32M "$disk"
printf 'exit\n' | "$zh" --disk "$disk" --import "$work/www:/www" --import "$work/progs:/progs" \
    --import "$work/data:/data" >"$work/import.out" 2>&1
fport=$(free_port)

boot build/x86_64/iso/boot
type_wait 'httpd /www' 'httpd: serving /www on port 80' && page >/dev/null
tap_check $? "httpd_serves_through_hostfwd_before_any_restart"

# the network service: httpd's state goes with it, so httpd is started again
type_wait 'svc kill net' 'init: the net service started again \(restart 1\)' &&
    wait_for 2 'address 10\.0\.2\.15/' && type_wait 'httpd /www' 'httpd: serving /www on port 80' &&
    page >/dev/null
tap_check $? "svc_kill_net_comes_back_and_httpd_serves_again"

# its driver: the network service's calls to it fail, so it ends too and
# starts again after the driver (its dependency)
type_wait 'svc kill virtio-net' 'init: the virtio-net service started again \(restart 1\)'
st=$?
if [ $st = 0 ] && wait_for 1 'init: the net service started again \(restart 2\)' 10; then
    wait_for 3 'address 10\.0\.2\.15/' &&
        type_wait 'httpd /www' 'httpd: serving /www on port 80'
    st=$?
fi
[ $st = 0 ] && page >/dev/null
tap_check $? "svc_kill_virtio_net_comes_back_and_httpd_serves_again"

type_wait 'svc kill jobs' 'init: the jobs service started again \(restart 1\)' &&
    type_wait 'job run /progs/wc.wasm --in /data/small.txt -- small.txt' '^exit 0, fuel used' 120 &&
    has '100 +100 +292 small.txt'
tap_check $? "svc_kill_jobs_comes_back_and_a_job_runs"

out=$("$zero" submit "$sock" --head 2>&1)
grep '^head #' <<<"$out" >/dev/null
tap_check $? "com2_answers_before_its_restart ($out)"
type_wait 'svc kill com2' 'init: the com2 service started again \(restart 1\)'
st=$?
sleep 1
out=$("$zero" submit "$sock" --head 2>&1)
[ $st = 0 ] && grep '^head #' <<<"$out" >/dev/null
tap_check $? "svc_kill_com2_comes_back_and_answers_a_head_query ($out)"

type_wait 'svc list' '^com2 +[0-9]+ +running +1 ' &&
    has '^net +[0-9]+ +running +2 ' && has '^virtio-net +[0-9]+ +running +1 ' &&
    has '^jobs +[0-9]+ +running +1 '
tap_check $? "svc_list_shows_each_restart"
from=$(stat -c %s "$log")
quit
after() { tail -c +$((from + 1)) "$log" | tr -d '\r\0' | grep -E -- "$1" >/dev/null; }
# the network service stops when the terminal asks it to; if its end comes
# before the terminal's, init reports it (and does not restart it), else it
# is ended with the rest: either way no restart and no entry
after 'init: the net service ended \(exit\); its capabilities are revoked' ||
    echo "# the terminal ended before the network service's stop was seen"
# (the svc.* entries of the last restart may still be recorded after svc list:
# only an end of the network service would be new)
! after 'restarting|svc\.exit net|started again' && [ "$QEMU_STATUS" = 1 ]
st=$?
tap_check $st "exit_stops_the_network_service_in_order_and_powers_off (qemu status $QEMU_STATUS)"
[ $st = 0 ] || tail -c +$((from + 1)) "$log" | tr -d '\r\0' | grep -a 'init:' | sed 's/^/# /' >&2
! has 'is held'
tap_check $? "nothing_was_held"

"$zero" log "$disk" >"$work/log.txt" 2>&1
for s in net virtio-net jobs com2; do
    n=$(grep -cE "svc\.exit +$s pid [0-9]+: " "$work/log.txt")
    m=$(grep -cE "svc\.start +$s as pid [0-9]+ after [0-9]+ ms" "$work/log.txt")
    m=$((m - 1)) # the start of every running service, recorded at the first end
    want=1
    [ "$s" = net ] && want=2
    [ "$n" = "$want" ] && [ "$m" = "$want" ]
    tap_check $? "the_${s}_restarts_are_svc_exit_and_svc_start_entries ($n exits, $m starts)"
done
"$zero" verify "$disk" >/dev/null 2>&1
tap_check $? "zero_verify_passes_after_the_restarts"
tr -d "\0" <"$log" | grep -a "init: the\|svc:" | sed "s/^/# /"

# restart=no in a signed manifest is honoured
resign norestart '/^program \(net\|jobs\) /s/restart=yes/restart=no/'
boot "$work/norestart"
type_wait 'svc kill jobs' 'jobs is not restarted on this node'
tap_check $? "svc_kill_of_a_restart_no_service_is_refused"
type_wait 'svc kill virtio-net' 'init: the virtio-net service started again \(restart 1\)' &&
    wait_for 1 'init: the net service ended \([^)]*\); its capabilities are revoked' 10 &&
    sleep 2 && ! has 'the net service ended \([^)]*\); restarting' &&
    ! has 'the net service started again'
tap_check $? "a_restart_no_service_that_ends_is_reported_and_not_restarted"
quit
tr -d "\0" <"$log" | grep -a "init: the\|svc:" | sed "s/^/# /"
