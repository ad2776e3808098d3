#!/usr/bin/env bash
# Kernel costs in guest instructions, Zero against Linux in the same run.
#
# Both guests boot under the same QEMU command line with -icount shift=0
# (docs/kernel.md, benchmark notes), where rdtsc counts retired guest
# instructions: Zero runs user/ipcbench, Linux (Debian's linux-image, booted
# with mitigations=off) runs bench/kernel_linux_peer.c as its /init.  Same
# method on both: median of 51 batches, warm-up first, two processes on one
# CPU for the round trip.  The Linux kernel comes from `apt-get download`
# into build/linux-peer (once); without it the Linux figures measured the
# same way earlier are quoted and the peer name says "_quoted".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
PEER=build/linux-peer
QEMU=(qemu-system-x86_64 -machine pc -cpu Skylake-Client-v1 -m 256M -smp 1
      -icount shift=0,align=off,sleep=off -rtc base=2024-01-01T00:00:00,clock=vm -seed 1
      -nodefaults -display none -monitor none -serial stdio -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)

# Fetches the Linux kernel and builds the initramfs; returns 1 if it cannot.
linux_peer_build() {
    mkdir -p "$PEER" || return 1
    if ! ls "$PEER"/boot/vmlinuz-* >/dev/null 2>&1; then
        local pkg
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')
        [ -n "$pkg" ] || return 1
        (cd "$PEER" && { apt-get download "$pkg" >download.log 2>&1 ||
            { apt-get update >>download.log 2>&1 && apt-get download "$pkg" >>download.log 2>&1; }; }) ||
            return 1
        dpkg-deb --fsys-tarfile "$PEER"/linux-image-*.deb | tar -x -C "$PEER" --wildcards './boot/vmlinuz-*' ||
            return 1
        rm -f "$PEER"/linux-image-*.deb
    fi
    mkdir -p "$PEER/root" &&
        gcc -static -O2 -o "$PEER/root/init" bench/kernel_linux_peer.c &&
        (cd "$PEER/root" && echo init | cpio -o -H newc 2>/dev/null | gzip >../initrd.gz)
}

zero_out=$(timeout 300 "${QEMU[@]}" -kernel build/x86_64/bin/zero-kernel.bin \
    -initrd build/x86_64/bin/ipcbench 2>/dev/null)
status=$?
if [ "$status" != 1 ]; then
    echo "kernel_ipc: Zero run failed (QEMU status $status)" >&2
    echo "$zero_out" >&2
    exit 1
fi
zero_value() { echo "$zero_out" | tr -d '\r' | awk -v k="$1" '$1 == "zero:" && $2 == k {print $3}'; }

linux_null=326 linux_rt=12790 linux_boot= suffix=_quoted
if linux_peer_build; then
    linux_out=$(timeout 600 "${QEMU[@]}" -kernel "$(ls "$PEER"/boot/vmlinuz-* | head -1)" \
        -initrd "$PEER/initrd.gz" -append "console=ttyS0 quiet mitigations=off panic=-1" 2>/dev/null)
    ln=$(echo "$linux_out" | tr -d '\r' | awk '$1 == "linux:" && $2 == "getppid" {print $3}')
    lr=$(echo "$linux_out" | tr -d '\r' | awk '$1 == "linux:" && $2 == "pipe_roundtrip" {print $3}')
    lb=$(echo "$linux_out" | tr -d '\r' | awk '$1 == "linux:" && $2 == "boot_to_init" {print $3}')
    if [ -n "$ln" ] && [ -n "$lr" ] && [ "$lr" != 0 ]; then
        linux_null=$ln linux_rt=$lr linux_boot=$lb suffix=
    fi
fi
[ -z "$suffix" ] || echo "kernel_ipc: Linux peer not available, quoting the earlier measurement" >&2

line() {
    awk -v n="$1" -v v="$2" -v p="$3" -v pv="$4" \
        'BEGIN { printf "bench: %s %s instructions vs %s %s ratio %.3f\n", n, v, p, pv, v / pv }'
}
if [ -n "$linux_boot" ]; then
    line boot_to_init "$(zero_value boot_to_init)" linux_boot_to_init "$linux_boot"
else
    echo "bench: boot_to_init $(zero_value boot_to_init) instructions"
fi
line null_syscall "$(zero_value null_syscall)" "linux_getppid$suffix" "$linux_null"
line ipc_roundtrip "$(zero_value ipc_roundtrip)" "linux_pipe_roundtrip$suffix" "$linux_rt"
