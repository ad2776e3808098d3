# drivers/virtio-blk: the user-space virtio-blk driver.  The driver and its
# client (hal_blk.c: hal_blk_* open "disk0" through it, in the calling
# process or in a driver process) are part of the x86_64 user HAL library;
# programs that never open a block device do not pull them in; one that
# does also links svcrt_x86 (the channel to a driver process).
# vblk_server: the driver as a process.
ifeq ($(PLATFORM),x86_64)
hal_SRCS += drivers/virtio-blk/virtio_blk.c drivers/virtio-blk/hal_blk.c
LIBS += vblk_server
vblk_server_SRCS := drivers/virtio-blk/server.c
vblk_server_LIBS := svcrt_x86 zuser base hal
endif
