#!/usr/bin/env bash
# The signed boot manifest at boot (docs/boot.md): ISOs built here from
# build/x86_64/iso with one thing changed.  A manifest whose signature does
# not verify starts nothing; an image whose hash differs from the manifest
# is not started (nor what depends on it), and the console says why.  The
# boot entries the node records name what ran, and zero verify --image
# names the entry of a boot that did not run the ISO's images (another
# release, signed with the same key).  A development boot records no boot.
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

# boot_entry LOG K: the entry number of boot #K in LOG, if it is the first
# entry of that start (the disk held exactly that many entries before it).
boot_entry() {
    local e n
    e=$(tr -d '\r' <"$1" | sed -n "s/^axiom: boot #$2 recorded as entry \([0-9]*\) .*/\1/p")
    n=$(tr -d '\r' <"$1" | sed -n 's/^disk disk0 (virtio-blk)[^:]*: \([0-9]*\) entries.*/\1/p')
    [ -n "$e" ] && [ "$e" = "$n" ] && echo "$e"
}

# A disk booted twice from build/zero.iso, then once as a development boot.
# Between boots the supervisor's svc.* entries (docs/services.md) follow
# each boot entry, so the boots' entry numbers are read from the log.
disk=$work/disk.img
nimg=$(grep -c '^program ' kernel/arch/x86_64/iso/manifest.spec) # every program, init too
truncate -s 16M "$disk"
drive=(-drive "file=$disk,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0)
qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -smp 2 -cdrom build/zero.iso "${drive[@]}"
grep -q 'init: started node, pid [0-9]*, image node b3:' "$log" &&
    grep -q "axiom: boot #1 recorded as entry 1 (2 cpus, $nimg images)" "$log" &&
    [ "$(boot_entry "$log" 1)" = 1 ]
st=$?
tap_check $st "boot_log_lists_each_process_and_the_boot_entry_records_two_cpus"
[ $st = 0 ] || diag_log "$log"
qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -smp 2 -cdrom build/zero.iso "${drive[@]}"
e2=$(boot_entry "$log" 2)
[ -n "$e2" ]
tap_check $? "second_boot_is_boot_2_and_the_first_entry_of_its_start"
build/bin/zero verify --image build/zero.iso "$disk" >"$log" 2>&1
rc=$?
[ $rc = 0 ] && grep -q 'boot #1 (entry 1): ran the images of build/zero.iso' "$log" &&
    grep -q "boot #2 (entry $e2): ran the images of build/zero.iso" "$log"
st=$?
tap_check $st "verify_image_accepts_boots_of_the_same_iso"
[ $st = 0 ] || diag_log "$log"
# Another release: the node image changed, the manifest rebuilt and signed
# with the same release key.  It boots; its boot is not one of zero.iso.
make_tree other
printf 'another release' >>"$work/other/boot/node"
build/bin/zero manifest build kernel/arch/x86_64/iso/manifest.spec "$work/other/boot" -o "$work/other.body" &&
    build/bin/zero manifest sign build/release-dev.key "$work/other.body" -o "$work/other/boot/manifest" &&
    tools/mkiso.sh "$work/other" "$work/other.iso"
qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -smp 2 -cdrom "$work/other.iso" "${drive[@]}"
e3=$(boot_entry "$log" 3)
[ -n "$e3" ]
tap_check $? "another_release_signed_with_the_release_key_boots"
build/bin/zero verify --image build/zero.iso "$disk" >"$log" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "boot #3 (entry $e3): did not run the images of build/zero.iso: another boot manifest" "$log" &&
    grep -q "boot #2 (entry $e2): ran the images of build/zero.iso" "$log"
st=$?
tap_check $st "verify_image_names_the_entry_of_a_boot_that_ran_other_images"
[ $st = 0 ] || diag_log "$log"
build/bin/zero verify --image "$work/other.iso" "$disk" >"$log" 2>&1
[ $? = 1 ] && grep -q 'boot #1 (entry 1): did not run the images of .*other.iso: another boot manifest' "$log" &&
    grep -q "boot #3 (entry $e3): ran the images of .*other.iso" "$log"
tap_check $? "verify_image_against_the_other_release_names_the_first_two_boots"
qemu_run_input "$log" 90 'zero> ' 'exit\r' -cpu max -kernel "$KERNEL" \
    -initrd build/x86_64/bin/zero-node "${drive[@]}"
grep -q 'init: no boot manifest: a development boot, images not verified, no boot entry' "$log" &&
    grep -q 'disk disk0 (virtio-blk): [0-9]* entries' "$log" && ! grep -q 'axiom: boot #' "$log"
tap_check $? "development_boot_says_so_and_records_no_boot"
build/bin/zero verify --image "$work/badsig.iso" "$disk" >"$log" 2>&1
[ $? = 1 ] && grep -q 'FAILED: .*badsig.iso: boot manifest b3:[0-9a-f]* signed by [0-9a-f]* does not verify (bad signature)' "$log"
tap_check $? "verify_image_refuses_an_iso_whose_manifest_does_not_verify"
build/bin/zero verify "$disk" >"$log" 2>&1
grep -q "boot #1 (entry 1): 2 cpus, $nimg images, kernel b3:" "$log" &&
    grep -q "boot #3 (entry $e3): 2 cpus, $nimg images, kernel b3:" "$log"
tap_check $? "zero_verify_lists_the_boots_it_saw"
if command -v node >/dev/null; then
    c=$(build/bin/zero verify "$disk" | sed -n 's/.*head #[0-9]* \([0-9a-f]*\); state root \([0-9a-f]*\);.*/\1 \2/p')
    j=$(node tools/verify-js/zero-verify.js "$disk" | sed -n 's/^ok: .* head \([0-9a-f]*\); state root \([0-9a-f]*\).*/\1 \2/p')
    [ -n "$c" ] && [ "$c" = "$j" ]
    tap_check $? "js_verifier_reaches_the_same_head_and_state_root_on_a_disk_with_boots"
fi
echo "1..$TESTNUM"
