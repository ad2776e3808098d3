#!/usr/bin/env bash
# The capability table of docs/boot.md ("One process per service") against
# a running system: zero-node boots on a virtio-blk disk; every service
# process prints what it holds when it is ready ("caps NAME: ..."), and at
# the prompt `caps` makes init list what every process holds from the
# kernel's records ("kcaps NAME: ...", SYS_CAP_LIST), which a process
# cannot falsify.  Both must be exactly the table's, no process more and
# none missing.
source "$(dirname "$0")/../lib/qemu.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/serial.log
truncate -s 16M "$work/disk.img"

echo "1..6"
# Types `caps` at the first prompt, and `exit` once init's listing has ended.
fifo=$work/fifo
mkfifo "$fifo"
timeout 150 "${QEMU_BASE[@]}" -cpu max -kernel "$KERNEL" -initrd build/x86_64/bin/zero-node \
    -drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0 \
    <"$fifo" >"$log" 2>&1 &
qpid=$!
exec 3>"$fifo"
step=0
for _ in $(seq 1400); do
    if [ $step = 0 ] && grep -aq 'zero> ' "$log"; then
        printf 'caps\r' >&3
        step=1
    elif [ $step = 1 ] && grep -aq '^kcaps: end' "$log"; then
        printf 'exit\r' >&3
        step=2
    fi
    kill -0 "$qpid" 2>/dev/null || break
    sleep 0.1
done
wait "$qpid"
exec 3>&-

# The table's rows: | name | spawn argument | `caps` | `kcaps` | what for |
sed -n '/^<!-- caps table -->/,/^<!-- end caps table -->/p' docs/boot.md >"$work/table"
sed -n 's/^| \([a-z0-9-]*\) | [0-9]* | `\([^`]*\)` |.*/caps \1: \2/p' "$work/table" | sort >"$work/want"
sed -n 's/^| \([a-z0-9-]*\) | [0-9]* | [^|]* | `\([^`]*\)` |.*/kcaps \1: \2/p' "$work/table" |
    sort >"$work/kwant"
tr -d '\r\0' <"$log" | perl -ne 'print "$1\n" if /(?<!k)(caps [a-z0-9-]+: .*)/' | sort >"$work/got"
tr -d '\r\0' <"$log" | grep -ao 'kcaps [a-z0-9-]*: .*' | sort >"$work/kgot"
[ "$(wc -l <"$work/want")" = 8 ]
tap_check $? "the_table_in_docs_boot_md_lists_eight_processes"
[ "$(wc -l <"$work/got")" = 8 ]
tap_check $? "eight_service_processes_report_their_capabilities"
diff "$work/want" "$work/got" >"$work/diff"
r=$?
tap_check $r "every_process_holds_exactly_what_the_table_lists"
[ $r = 0 ] || sed 's/^/# /' "$work/diff" >&2
[ "$(wc -l <"$work/kwant")" = 10 ]
tap_check $? "the_table_lists_the_kernels_view_of_ten_processes"
[ "$(wc -l <"$work/kgot")" = 10 ] && [ $step = 2 ]
tap_check $? "init_lists_ten_processes_from_the_kernel_on_caps"
diff "$work/kwant" "$work/kgot" >"$work/kdiff"
r=$?
tap_check $r "the_kernel_says_every_process_holds_exactly_what_the_table_lists"
[ $r = 0 ] || sed 's/^/# /' "$work/kdiff" >&2
exit 0
