#!/usr/bin/env bash
# Measures the Linux peer of Zero OS's kernel benchmarks: Debian's Linux 6.1
# booted in QEMU with the exact-instruction settings of docs/benchmarks.md,
# with bench/linux-peer/init.c as /init.  Prints "peer: NAME VALUE" lines and
# keeps them in build/linux-peer/figures-<mitigations>.txt.
#
#   peer.sh [off|auto]     mitigations=off (default) or the kernel's default
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-off}
dir=build/linux-peer
mkdir -p "$dir"

kernel=$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -1 || true)
if [ -z "$kernel" ]; then
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6/ {print $2; exit}')
    if [ -z "$pkg" ]; then
        echo "peer.sh: cannot find Debian's Linux 6.1 image package (apt-get update?)" >&2
        exit 1
    fi
    (cd "$dir" && apt-get download -q "$pkg" >/dev/null 2>&1) || {
        echo "peer.sh: apt-get download $pkg failed" >&2
        exit 1
    }
    dpkg-deb -x "$dir"/"$pkg"_*.deb "$dir"/root
    rm -f "$dir"/"$pkg"_*.deb
    kernel=$(ls "$dir"/root/boot/vmlinuz-* | head -1)
fi

stage="$dir/initramfs"
rm -rf "$stage" && mkdir -p "$stage/dev"
gcc -static -O2 -o "$stage/init" bench/linux-peer/init.c
mknod "$stage/dev/console" c 5 1
(cd "$stage" && find . | cpio -o -H newc --quiet) >"$dir/initrd.cpio"

append="console=ttyS0 quiet panic=-1"
[ "$mode" = off ] && append="$append mitigations=off"
out="$dir/figures-$mode.txt"
timeout 600 qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 1 \
    -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1 \
    -nodefaults -display none -monitor none -serial stdio -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$kernel" -initrd "$dir/initrd.cpio" -append "$append" 2>"$dir/qemu-$mode.log" |
    tr -d '\r' | grep '^peer: ' >"$out" || true
if ! grep -q linux_guest_up "$out"; then
    echo "peer.sh: the Linux guest did not report (see $out)" >&2
    exit 1
fi
grep -v linux_guest_up "$out"
