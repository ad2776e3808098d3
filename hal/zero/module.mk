# hal/zero: the platform layer of portable code as a user program on the
# Zero OS kernel (hal/hal.h over system calls); PLATFORM=x86_64.
ifeq ($(PLATFORM),x86_64)
LIBS += hal
hal_SRCS += $(wildcard hal/zero/*.c) # drivers/virtio-blk adds its driver
# a disk in a driver process is reached through the runtime's IPC back end
hal_LIBS := zuser svcrt_x86 base
endif
