# bench: benchmarks of the base library (others live beside their components).
BENCHES += bench_fmt
bench_fmt_SRCS := bench/fmt_bench.c
bench_fmt_LIBS := base hal
BENCH_SCRIPTS += bench/platforms.sh

# ipcbench: the boot module bench/kernel_ipc.sh measures the kernel with.
ifeq ($(PLATFORM),x86_64)
PROGS += ipcbench
ipcbench_SRCS := bench/ipcbench.c
ipcbench_LIBS := zuser base hal
ipcbench_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/ipcbench: lib/zero/user.ld
endif

# Signed proposals committed per second over the x86_64 node's COM2 against
# zero-hosted --listen's socket (needs the x86_64 and hosted builds).
BENCH_SCRIPTS += bench/com2_bench.sh

# svcbench: the Axiom's submit across processes against in one (bench/svc_submit.sh).
BENCH_SCRIPTS += bench/svc_submit.sh

# Boot to the prompt, wall seconds and guest time (needs the x86_64 build).
BENCH_SCRIPTS += bench/boot.sh
ifeq ($(PLATFORM),x86_64)
PROGS += svcbench
svcbench_SRCS := bench/svcbench.c
svcbench_LIBS := init svcrt svcrt_x86 crypto zuser base hal
svcbench_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/svcbench: lib/zero/user.ld
endif

# fsbench: sequential throughput through the filesystem against the raw
# virtio-blk device in the same QEMU (bench/fs_qemu.sh).
BENCH_SCRIPTS += bench/fs_qemu.sh
ifeq ($(PLATFORM),x86_64)
PROGS += fsbench
fsbench_SRCS := bench/fsbench.c
fsbench_LIBS := init svcrt svcrt_x86 crypto zuser base hal
fsbench_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/fsbench: lib/zero/user.ld
endif
