/*
 * virtio-blk as a driver process: the device, its DMA memory and the PCI
 * port capabilities stay in the driver's address space; clients reach it
 * through an endpoint over the service runtime's x86_64 channel
 * (svcrt/x86_64/rtx.h).
 *
 *   VBLK_OP_SIZE                          -> 8 bytes: device size in bytes
 *   VBLK_OP_READ  a0 offset, a1 length    -> the bytes
 *   VBLK_OP_WRITE a0 offset, buffer: bytes
 *   VBLK_OP_FLUSH
 *
 * Offsets and lengths are multiples of VBLK_SECTOR; one call moves at most
 * RTX_BUF_LEN bytes.  Every op answers the probe's error if the device
 * could not be initialised.
 */
#ifndef ZERO_DRIVERS_VIRTIO_BLK_SERVER_H
#define ZERO_DRIVERS_VIRTIO_BLK_SERVER_H

#include <stdint.h>

enum vblk_op {
    VBLK_OP_SIZE = 1,
    VBLK_OP_READ = 2,
    VBLK_OP_WRITE = 3,
    VBLK_OP_FLUSH = 4,
};

/* Drives the index'th virtio-blk device and serves endpoint ep until stopped. */
int vblk_serve(unsigned index, uint64_t ep, uint64_t buf_va);

#endif
