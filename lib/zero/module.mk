# lib/zero: the runtime of user programs on the Zero OS kernel (start-up,
# system-call stubs in zero.h, console printing) and their linker script.
# A program links zuser and sets <name>_LDLIBS = $(USER_LDLIBS) (recursive:
# modules are read in path order) and depends on lib/zero/user.ld.
ifeq ($(PLATFORM),x86_64)
LIBS += zuser
zuser_SRCS := lib/zero/crt0.S lib/zero/print.c lib/zero/pci.c lib/zero/bootargs.c
zuser_LIBS := base hal
USER_LDLIBS := -T lib/zero/user.ld -Wl,-z,max-page-size=4096 -Wl,--build-id=none -lgcc
endif
