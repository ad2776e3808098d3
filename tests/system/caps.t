#!/usr/bin/env bash
# The capability table of docs/boot.md ("One process per service") against
# a running system: zero-node boots on a virtio-blk disk, every service
# process prints what it holds when it is ready ("caps NAME: ..."), and the
# lines must be exactly the table's, no process more and none missing.
source "$(dirname "$0")/../lib/qemu.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/serial.log
truncate -s 16M "$work/disk.img"

echo "1..3"
qemu_run_input "$log" 120 'zero> ' 'exit\r' -cpu max -kernel "$KERNEL" \
    -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0
# The table's rows: | name | spawn argument | `caps` | what for |
sed -n '/^<!-- caps table -->/,/^<!-- end caps table -->/p' docs/boot.md |
    sed -n 's/^| \([a-z-]*\) | [0-9] | `\([^`]*\)` |.*/caps \1: \2/p' | sort >"$work/want"
tr -d '\r\0' <"$log" | grep -ao 'caps [a-z-]*: .*' | sort >"$work/got"
[ "$(wc -l <"$work/want")" = 7 ]
tap_check $? "the_table_in_docs_boot_md_lists_seven_processes"
[ "$(wc -l <"$work/got")" = 7 ]
tap_check $? "seven_service_processes_report_their_capabilities"
diff "$work/want" "$work/got" >"$work/diff"
r=$?
tap_check $r "every_process_holds_exactly_what_the_table_lists"
[ $r = 0 ] || sed 's/^/# /' "$work/diff" >&2
exit 0
