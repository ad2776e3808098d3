# kernel: the portable microkernel core.  Its capability rules are the
# library lib/cap, which the hosted service runtime links too.

# make bench: null syscall and IPC round trip in instructions under QEMU -icount.
BENCH_SCRIPTS += bench/kernel_ipc.sh
