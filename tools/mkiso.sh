#!/usr/bin/env bash
# Makes a bootable ISO (GRUB for BIOS and UEFI) of a folder laid out like
# build/x86_64/iso (boot/grub/grub.cfg, the kernel, the modules).
#   tools/mkiso.sh TREE OUT.iso
set -euo pipefail
if [ $# -ne 2 ] || [ "$1" = --help ]; then
    sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
    [ $# -eq 2 ] && exit 0
    exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! grub-mkrescue -o "$2" "$1" >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
