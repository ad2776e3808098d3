#!/usr/bin/env bash
# The signed boot manifest at boot (docs/boot.md): ISOs built here from
# build/x86_64/iso with one thing changed.  A manifest whose signature does
# not verify starts nothing; an image whose hash differs from the manifest
# is not started (nor what depends on it), and the console says why.  The
# boot entries the node records name what ran, and zero verify --image
# names the entry of a boot that did not run the ISO's images.
source "$(dirname "$0")/../lib/qemu.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log
tree=build/x86_64/iso

# make_iso NAME: copies the ISO tree to $work/NAME (change it, then mkiso).
make_tree() {
    rm -rf "$work/$1"
    cp -r "$tree" "$work/$1"
}

make_tree badsig
m=$work/badsig/boot/manifest
printf '\x55' | dd of="$m" bs=1 seek=$(($(stat -c %s "$m") - 10)) conv=notrunc 2>/dev/null
tools/mkiso.sh "$work/badsig" "$work/badsig.iso"
qemu_run "$log" 60 -cpu max -smp 2 -cdrom "$work/badsig.iso"
grep -q 'init: boot manifest refused (ZERR_BADSIG): its signature does not verify under the release key; starting nothing' "$log" &&
    ! grep -q 'init: started' "$log" && ! grep -q 'zero> ' "$log"
st=$?
tap_check $st "manifest_with_a_bad_signature_starts_nothing_and_says_why"
[ $st = 0 ] || diag_log "$log"

make_tree badimg
printf 'tampered' >>"$work/badimg/boot/driver"
tools/mkiso.sh "$work/badimg" "$work/badimg.iso"
qemu_run "$log" 60 -cpu max -smp 2 -cdrom "$work/badimg.iso"
grep -q 'init: driver: image driver is b3:[0-9a-f]*\.\.\., the manifest says b3:[0-9a-f]*\.\.\.: tampered, not started' "$log" &&
    grep -q 'init: started keys' "$log" && ! grep -q 'init: started driver' "$log" &&
    grep -q 'init: node: needs driver, which did not start: not started' "$log" &&
    ! grep -q 'init: started node' "$log"
st=$?
tap_check $st "tampered_image_is_not_started_nor_what_needs_it_and_the_console_says_why"
[ $st = 0 ] || diag_log "$log"

# A disk booted twice from build/zero.iso, then once as a development boot.
disk=$work/disk.img
truncate -s 16M "$disk"
drive=(-drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0)
qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -smp 2 -cdrom build/zero.iso "${drive[@]}"
grep -q 'init: started node, pid [0-9]*, image node b3:' "$log" &&
    grep -q 'axiom: boot #1 recorded as entry 1 (2 cpus, 4 images)' "$log"
st=$?
tap_check $st "boot_log_lists_each_process_and_the_boot_entry_records_two_cpus"
[ $st = 0 ] || diag_log "$log"
qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -smp 2 -cdrom build/zero.iso "${drive[@]}"
grep -q 'axiom: boot #2 recorded as entry 2' "$log"
tap_check $? "second_boot_is_boot_2"
echo "1..$TESTNUM"
