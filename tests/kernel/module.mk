# tests/kernel: hosted unit tests of the portable kernel core.
TESTS += kernel_cap kernel_elf kernel_ipc
kernel_cap_SRCS := tests/kernel/cap_test.c
kernel_cap_LIBS := kcap base hal
kernel_elf_SRCS := tests/kernel/elf_test.c kernel/elf.c
kernel_elf_LIBS := base hal
kernel_ipc_SRCS := tests/kernel/ipc_test.c kernel/ipc.c kernel/sched.c
kernel_ipc_LIBS := kcap base hal
# libFuzzer target: the ELF loader on any bytes, with frames from a fixed pool
# and mappings recorded in place of the kernel's page tables.
FUZZERS += elf_load
elf_load_SRCS := fuzz/elf_load.c kernel/elf.c
elf_load_LIBS := base hal
elf_load_CORPUS := fuzz/corpus/elf_load
# The capability rules are shared with the wasm platform: test them there too.
WASM_TESTS += kernel_cap

# QEMU tests of the x86_64 kernel (need make PLATFORM=x86_64 all and the ISO).
SCRIPT_TESTS += tests/kernel/boot.t tests/kernel/usertests.t tests/kernel/smp.t
ifeq ($(PLATFORM)$(SAN)$(FUZZ),hosted)
TEST_PREREQS += kernel-x86_64-build
.PHONY: kernel-x86_64-build
kernel-x86_64-build:
	@$(MAKE) --no-print-directory PLATFORM=x86_64 all
endif
