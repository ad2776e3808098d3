#!/usr/bin/env bash
# Two Zero OS nodes on one Ethernet: two QEMU guests linked by a QEMU
# `-netdev socket` (one listens on a loopback TCP port, the other connects;
# QEMU carries every frame between them).  No DHCP server there, so each
# gets a static address from its kernel command line (net.ip=), and a MAC
# of its own.  One pings the other (ARP and ICMP across), then `nc -l` on
# one echoes the lines `nc` on the other sends, both ends committing
# net.listen / net.connect first and the listener recording net.accept.
source "$(dirname "$0")/../lib/qemu.sh"
source "$(dirname "$0")/../lib/guest.sh"
GUEST_DIR=$(mktemp -d)
cleanup() {
    guest_kill_all
    wait 2>/dev/null
    [ -n "${KEEP:-}" ] && echo "# kept $GUEST_DIR" || rm -rf "$GUEST_DIR"
}
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
truncate -s 16M "$GUEST_DIR/a.img" "$GUEST_DIR/b.img"

# guest NAME LAST-OCTET NETDEV-OPTIONS
guest() {
    guest_start "$1" 180 -append "net.ip=10.0.3.$2/24" \
        -drive "file=$GUEST_DIR/$1.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
        -netdev "socket,id=n0,$3" -device "virtio-net-pci,netdev=n0,mac=52:54:00:00:03:0$2"
}
guest a 1 "listen=127.0.0.1:$port"
guest b 2 "connect=127.0.0.1:$port"

guest_type a 'net' 'address 10\.0\.3\.1/24'
tap_check $? "a_takes_its_address_from_the_command_line"
guest_type b 'net' 'address 10\.0\.3\.2/24'
tap_check $? "b_takes_its_address_from_the_command_line"
guest_type b 'ping 10.0.3.1' 'reply from 10\.0\.3\.1 in [0-9]+ ms'
tap_check $? "b_pings_a"

guest_type a 'nc -l 7000' 'nc: listening on port 7000 \(net.listen committed #[0-9]+\)'
tap_check $? "a_listens"
guest_type b 'nc 10.0.3.1 7000' 'nc: connected'
tap_check $? "b_connects_to_a"
# b's console shows the line once as typed, once more when it comes back
twice() {
    for _ in $(seq 100); do
        [ "$(tr -d '\r\0' <"$GUEST_DIR/b.log" | grep -c "^$1\$")" -ge 2 ] && return 0
        sleep 0.1
    done
    return 1
}
guest_type b 'hello from b' '^hello from b$' 10
twice 'hello from b'
tap_check $? "b_gets_its_line_echoed"
guest_has a '^< hello from b$'
tap_check $? "a_received_the_line"
guest_type b 'second line' '^second line$' 10
guest_type b '.' 'nc: closed' 20
twice 'second line'
guest_wait a 'nc: 2 lines, 25 bytes echoed' 20
tap_check $? "a_counts_two_lines_when_b_closes"
guest_has a '^net.accept 10\.0\.3\.2:[0-9]+ recorded #[0-9]+'
tap_check $? "a_records_the_connection_from_b"
guest_has b '^net.connect 10\.0\.3\.1:7000 committed #[0-9]+'
tap_check $? "b_committed_its_connect"
guest_stop b
st_b=$GUEST_STATUS
guest_stop a
[ "$GUEST_STATUS" = 1 ] && [ "$st_b" = 1 ]
tap_check $? "both_power_off_cleanly (qemu status $GUEST_STATUS, $st_b)"
echo "1..$TESTNUM"
