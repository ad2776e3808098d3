# kernel: the portable microkernel core.  kcap (capability spaces and the
# derivation tree) is also linked by the hosted service runtime, which makes
# the same checks the kernel makes.
LIBS += kcap
kcap_SRCS := $(wildcard kernel/cap/*.c)
kcap_LIBS := base

# make bench: null syscall and IPC round trip in instructions under QEMU -icount.
BENCH_SCRIPTS += bench/kernel_ipc.sh
