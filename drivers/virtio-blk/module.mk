# drivers/virtio-blk: the user-space virtio-blk driver.  It is part of the
# x86_64 user HAL library (hal_blk_* open "disk0" through it); programs that
# never open a block device do not pull it in.
ifeq ($(PLATFORM),x86_64)
hal_SRCS += drivers/virtio-blk/virtio_blk.c
endif
