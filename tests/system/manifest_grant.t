#!/usr/bin/env bash
# What the boot manifest grants is what init hands over (docs/boot.md,
# "What the manifest grants"): the ISO tree's kernel and modules booted
# directly (qemu -kernel -initrd, no GRUB), with the manifest as built, then
# re-signed with the release key after one change.  A capability the
# program's entry does not list is not handed over and the console says
# which; a memory limit smaller than the program's image keeps it from
# starting (the kernel quota of SYS_SPAWN_LIMITED).
source "$(dirname "$0")/../lib/qemu.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log
spec=kernel/arch/x86_64/iso/manifest.spec


# resign NAME SED: a copy of the tree whose manifest is the spec changed by SED, signed.
resign() {
    rm -rf "$work/$1"
    cp -r build/x86_64/iso/boot "$work/$1"
    sed "$2" "$spec" >"$work/$1.spec"
    build/bin/zero manifest build "$work/$1.spec" "$work/$1" -o "$work/$1.body" &&
        build/bin/zero manifest sign build/release-dev.key "$work/$1.body" -o "$work/$1/manifest"
}

truncate -s 16M "$work/disk.img"
drive=(-drive "file=$work/disk.img,if=none,id=d0,format=raw" -device virtio-blk-pci,drive=d0)
qemu_run_input "$log" 120 'zero> ' 'exit\r' -cpu max -smp 2 -kernel "$KERNEL" \
    -initrd "$(boot_tree build/x86_64/iso/boot)" "${drive[@]}"
grep -q 'zero> ' "$log" && grep -q 'axiom: boot #1 recorded' "$log" && ! grep -q 'does not grant' "$log"
st=$?
tap_check $st "the_manifest_as_built_grants_every_program_what_it_needs"
[ $st = 0 ] || diag_log "$log"

resign nopolicy '/^program terminal /s/\(caps=.*\),policy,/\1,/'
qemu_run "$log" 120 -cpu max -smp 2 -kernel "$KERNEL" -initrd "$(boot_tree "$work/nopolicy")" "${drive[@]}"
grep -q 'init: terminal: the manifest does not grant it policy; not handed over' "$log" &&
    ! grep -q 'zero> ' "$log"
st=$?
tap_check $st "a_capability_the_entry_does_not_list_is_not_handed_over"
[ $st = 0 ] || diag_log "$log"

resign tinynode '/^program node /s/mem=[0-9]*/mem=16/'
qemu_run "$log" 120 -cpu max -smp 2 -kernel "$KERNEL" -initrd "$(boot_tree "$work/tinynode")" "${drive[@]}"
grep -q 'init: node (role 2): cannot start: ZERR_LIMIT' "$log" && ! grep -q 'zero> ' "$log"
st=$?
tap_check $st "a_program_larger_than_its_memory_limit_does_not_start"
[ $st = 0 ] || diag_log "$log"
echo "1..$TESTNUM"
