/*
 * hal_blk_* for user programs on the Zero OS kernel (hal_blk.c): through a
 * virtio-blk driver process (drivers/virtio-blk/server.h) instead of
 * driving the device in the calling process.
 */
#ifndef ZERO_DRIVERS_VIRTIO_BLK_HAL_BLK_H
#define ZERO_DRIVERS_VIRTIO_BLK_HAL_BLK_H

#include <stdint.h>

/*
 * From now on hal_blk_open("disk0") reaches the driver process behind
 * endpoint capability ep, with the shared buffer mapped at buf_va.
 */
void hal_blk_use_driver(uint64_t ep, uint64_t buf_va);

#endif
