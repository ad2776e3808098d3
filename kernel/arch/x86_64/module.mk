# kernel/arch/x86_64: the x86_64 kernel image (architecture layer plus the
# portable kernel in kernel/), the flat image loaders boot, and the ISO.
ifeq ($(PLATFORM),x86_64)

# The kernel runs in the top 2 GiB and never touches SSE registers (user
# FPU state is switched with fxsave/fxrstor).  Everything linked into it is
# compiled that way; -mcmodel=kernel code also links below 2 GiB, so user
# programs can share these objects.
KERNEL_CFLAGS := -mcmodel=kernel -mgeneral-regs-only
$(O)/obj/lib/base/%.o $(O)/obj/lib/cap/%.o: CFLAGS += $(KERNEL_CFLAGS)

PROGS += zero-kernel
zero-kernel_SRCS := $(wildcard kernel/arch/x86_64/*.c kernel/arch/x86_64/*.S) $(wildcard kernel/*.c)
zero-kernel_LIBS := cap base
zero-kernel_CFLAGS := $(KERNEL_CFLAGS)
zero-kernel_LDLIBS := -T kernel/arch/x86_64/kernel.ld -Wl,-z,max-page-size=4096 -Wl,--build-id=none -lgcc
$(O)/bin/zero-kernel: kernel/arch/x86_64/kernel.ld

# The image loaders copy as it is (Multiboot address fields, no ELF parsing).
$(O)/bin/zero-kernel.bin: $(O)/bin/zero-kernel
	$(Q)objcopy -O binary $< $@
ALL_TARGETS += $(O)/bin/zero-kernel.bin

endif

# build/zero.iso: GRUB (BIOS and UEFI) with the kernel and init, Zero OS itself
# (zero-node: the services and the terminal; its disk is virtio-blk disk0),
# each program's image (zero-role-NAME without symbols or debug sections:
# its own role's code only, services/init/module.mk) and the boot manifest,
# signed with the release key (docs/boot.md).
ifeq ($(PLATFORM),x86_64)
ISO_PROGRAMS := init keys driver node identity policy terminal netdrv net com2 jobs
$(BUILD)/zero.iso: $(O)/bin/zero-kernel.bin $(foreach p,$(ISO_PROGRAMS),$(O)/bin/zero-role-$(p)) \
                   kernel/arch/x86_64/iso/grub.cfg \
                   kernel/arch/x86_64/iso/manifest.spec $(RELEASE_KEY) tools/mkiso.sh | $(HOST_ZERO)
	@rm -rf $(O)/iso && mkdir -p $(O)/iso/boot/grub
	$(Q)cp $(O)/bin/zero-kernel.bin $(O)/iso/boot/zero-kernel.bin
	$(Q)for p in $(ISO_PROGRAMS); do objcopy --strip-all $(O)/bin/zero-role-$$p $(O)/iso/boot/$$p || exit 1; done
	$(Q)$(HOST_ZERO) manifest build kernel/arch/x86_64/iso/manifest.spec $(O)/iso/boot -o $(O)/manifest.body
	$(Q)$(HOST_ZERO) manifest sign $(RELEASE_KEY) $(O)/manifest.body -o $(O)/iso/boot/manifest
	$(Q)cp kernel/arch/x86_64/iso/grub.cfg $(O)/iso/boot/grub/grub.cfg
	$(Q)tools/mkiso.sh $(O)/iso $@
ALL_TARGETS += $(BUILD)/zero.iso
.PHONY: iso run-x86_64
iso: $(BUILD)/zero.iso
run-x86_64: $(BUILD)/zero.iso
	tools/run-qemu.sh
endif

# make run: Zero OS in QEMU with its terminal on the console and a persistent
# disk (build/run/zero-disk.img); set for every platform because make run
# starts it from the hosted sub-make.
RUN_CMD := tools/run-qemu.sh
