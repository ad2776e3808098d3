#!/usr/bin/env bash
# Boots Zero OS (build/zero.iso: the kernel and the node) in QEMU with its
# terminal on this console and a persistent disk, build/run/zero-disk.img
# (made blank on first run; the node formats it), and a virtio-net NIC on
# QEMU user networking with host port 8080 (--http-port N) forwarded to the
# guest's port 80: type httpd at the prompt, then open http://127.0.0.1:8080/.
# `exit` at the zero> prompt powers the machine off; Ctrl-A X quits QEMU.
# --com2 PATH makes the node's second serial port the Unix socket PATH, for
# `zero submit PATH PROPOSAL` (docs/formats.md, "Over a serial port").
# --print prints the QEMU command line (one argument a line) instead of
# running it (bench/boot.sh boots exactly this way).
#
#   tools/run-qemu.sh [--disk PATH] [--size MIB] [--http-port N | --no-net]
#                     [--com2 PATH] [--print] [extra qemu arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
disk=build/run/zero-disk.img
mib=64
http_port=8080
net=1
print=0
com2=()
while [ $# -gt 0 ]; do
    case "$1" in
    --disk) disk=$2; shift 2 ;;
    --size) mib=$2; shift 2 ;;
    --http-port) http_port=$2; shift 2 ;;
    --no-net) net=0; shift ;;
    --print) print=1; shift ;;
    --com2) com2=(-chardev "socket,id=c2,path=$2,server=on,wait=off" -serial chardev:c2); shift 2 ;;
    --help | -h) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) break ;;
    esac
done
iso=build/zero.iso
if [ ! -r "$iso" ]; then
    echo "run-qemu: $iso is missing: make PLATFORM=x86_64 first" >&2
    exit 2
fi
if [ ! -e "$disk" ] && [ "$print" = 0 ]; then
    mkdir -p "$(dirname "$disk")"
    truncate -s "${mib}M" "$disk"
    echo "run-qemu: new disk $disk (${mib} MiB); Zero OS formats it at first start" >&2
fi
# Two CPUs (ZERO_CPUS=N for another count); the boot entry records how many.
# The node needs RDRAND for its keys: -cpu max under TCG, or the host CPU
# with ZERO_KVM=1 where KVM works.
accel=(-cpu max)
if [ "${ZERO_KVM:-0}" = 1 ]; then
    accel=(-accel kvm -cpu host)
fi
# The NIC has no option ROM (romfile=): Zero OS never boots from the
# network, and SeaBIOS would otherwise run iPXE's ROM at every start.
nic=()
if [ "$net" = 1 ]; then
    nic=(-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$http_port-:80" -device virtio-net-pci,netdev=n0,romfile=)
    [ "$print" = 1 ] ||
        echo "run-qemu: network: QEMU user networking; http://127.0.0.1:$http_port/ reaches the guest's port 80 (type httpd at the prompt)" >&2
fi
# The CD sits on an AHCI controller rather than the default IDE one: the
# firmware (SeaBIOS) and GRUB read the ISO through BIOS disk calls, which
# on IDE move every 16-bit word through an emulated port (PIO) and on AHCI
# by DMA, and the ISO's kernel and images take about half the QEMU CPU
# time to the kernel then (docs/boot.md, "Where boot time goes").
# bootindex=0: the CD first (no attempt on the blank data disk); no
# kvmvapic option ROM (a KVM-only TPR patching aid).
cd_dev=(-device ahci,id=ahci -drive "id=cd,if=none,media=cdrom,readonly=on,file=$iso"
    -device ide-cd,bus=ahci.0,drive=cd,bootindex=0 -global apic-common.vapic=off)
# 512 MiB: the manifest's memory limits take about 232 MiB, and a program
# started again has its limit reserved anew before the ended one's comes
# back (docs/boot.md, "Restarts"), so every service can be restarted.
cmd=(qemu-system-x86_64 "${accel[@]}" -smp "${ZERO_CPUS:-2}" -m 512M -nodefaults -display none -no-reboot
    -serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04
    "${cd_dev[@]}" -drive "file=$disk,if=none,id=d0,format=raw"
    -device virtio-blk-pci,drive=d0 "${nic[@]}" "${com2[@]}" "$@")
if [ "$print" = 1 ]; then
    printf '%s\n' "${cmd[@]}"
    exit 0
fi
echo "run-qemu: Ctrl-A X quits QEMU; 'exit' at the prompt powers off" >&2
status=0
"${cmd[@]}" || status=$?
# isa-debug-exit reports (code << 1) | 1: 1 is a clean power-off.
case $status in
1) exit 0 ;;
0) exit 0 ;;
*) exit $(((status - 1) / 2)) ;;
esac
