# hal/x86_64: the x86_64 kernel image (architecture layer plus the portable
# kernel in kernel/), the flat image loaders boot, and the ISO.
ifeq ($(PLATFORM),x86_64)

# The kernel runs in the top 2 GiB and never touches SSE registers (user
# FPU state is switched with fxsave/fxrstor).  Everything linked into it is
# compiled that way; -mcmodel=kernel code also links below 2 GiB, so user
# programs can share these objects.
KERNEL_CFLAGS := -mcmodel=kernel -mgeneral-regs-only
$(O)/obj/lib/base/%.o $(O)/obj/kernel/cap/%.o: CFLAGS += $(KERNEL_CFLAGS)

PROGS += zero-kernel
zero-kernel_SRCS := $(wildcard hal/x86_64/*.c hal/x86_64/*.S) $(wildcard kernel/*.c)
zero-kernel_LIBS := kcap base
zero-kernel_CFLAGS := $(KERNEL_CFLAGS)
zero-kernel_LDLIBS := -T hal/x86_64/kernel.ld -Wl,-z,max-page-size=4096 -Wl,--build-id=none -lgcc
$(O)/bin/zero-kernel: hal/x86_64/kernel.ld

# The image loaders copy as it is (Multiboot address fields, no ELF parsing).
$(O)/bin/zero-kernel.bin: $(O)/bin/zero-kernel
	$(Q)objcopy -O binary $< $@
ALL_TARGETS += $(O)/bin/zero-kernel.bin

endif
