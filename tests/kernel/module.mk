# tests/kernel: hosted unit tests of the portable kernel core.
TESTS += kernel_elf kernel_ipc
kernel_elf_SRCS := tests/kernel/elf_test.c kernel/elf.c
kernel_elf_LIBS := base hal
kernel_ipc_SRCS := tests/kernel/ipc_test.c kernel/endpoint.c kernel/notification.c kernel/irq.c \
                   kernel/timer.c kernel/sched.c
kernel_ipc_LIBS := cap base hal
# libFuzzer target: the ELF loader on any bytes, with frames from a fixed pool
# and mappings recorded in place of the kernel's page tables.
FUZZERS += elf_load
elf_load_SRCS := fuzz/elf_load.c kernel/elf.c
elf_load_LIBS := base hal
elf_load_CORPUS := fuzz/corpus/elf_load

# QEMU tests of the x86_64 kernel (need make PLATFORM=x86_64 all and the ISO).
SCRIPT_TESTS += tests/kernel/boot.t tests/kernel/usertests.t tests/kernel/smp.t tests/kernel/hostile.t
# make soak: the adversarial suite booted again and again (HOSTILE_SOAK_SECONDS).
SOAK_SCRIPTS += tests/kernel/hostile_soak.sh
ifeq ($(PLATFORM)$(SAN)$(FUZZ),hosted)
TEST_PREREQS += kernel-x86_64-build
.PHONY: kernel-x86_64-build
kernel-x86_64-build:
	@$(MAKE) --no-print-directory PLATFORM=x86_64 all
endif

# Boot modules of the QEMU tests: hello and echo (boot.t), usertests
# (usertests.t, smp.t), smptest (smp.t), hostile (hostile.t).
ifeq ($(PLATFORM),x86_64)
PROGS += hello echo usertests smptest hostile
hello_SRCS := tests/kernel/hello.c
hello_LIBS := zuser base hal
hello_LDLIBS = $(USER_LDLIBS)
echo_SRCS := tests/kernel/echo.c
echo_LIBS := zuser base hal
echo_LDLIBS = $(USER_LDLIBS)
usertests_SRCS := tests/kernel/usertests.c tests/tap_core.c
usertests_LIBS := zuser base hal
usertests_LDLIBS = $(USER_LDLIBS)
smptest_SRCS := tests/kernel/smptest.c tests/tap_core.c
smptest_LIBS := zuser base hal
smptest_LDLIBS = $(USER_LDLIBS)
hostile_SRCS := tests/kernel/hostile.c tests/tap_core.c
hostile_LIBS := zuser base hal
hostile_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/hello $(BINDIR)/echo $(BINDIR)/usertests $(BINDIR)/smptest $(BINDIR)/hostile: lib/zero/user.ld
endif
