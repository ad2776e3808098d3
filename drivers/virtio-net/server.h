/*
 * virtio-net as a driver process: the device, its DMA memory and the PCI
 * port capabilities stay in the driver's address space; the network
 * service reaches it through an endpoint over the service runtime's x86_64
 * channel (svcrt/x86_64/rtx.h), frames travelling in the shared buffer.
 *
 *   VNET_OP_INFO                 -> 6 bytes: the MAC address, then 1 byte:
 *                                   1 if the driver sleeps on the device's
 *                                   interrupt, 0 if it polls, then u32: the
 *                                   test drop filter's frames per 1000 (0:
 *                                   off), u64: frames it dropped so far
 *   VNET_OP_XFER a0 n, a1 wait   buffer: n frames to send, each a 2-byte
 *                                length (little-endian) then its bytes;
 *                                -> the frames received, in the same form,
 *                                   as many as fit; when none waits, the
 *                                   driver first sleeps until one arrives
 *                                   or a1 milliseconds pass
 *
 * Every op answers the probe's error if the device could not be set up.
 *
 * The test drop filter: with net.drop=N on the kernel's command line
 * (SYS_BOOT_ARGS), the driver loses N of every 1000 frames, sent and
 * received alike, chosen by a generator seeded with net.seed=S (default
 * 1): the same frames by their order through the driver in every run.
 */
#ifndef ZERO_DRIVERS_VIRTIO_NET_SERVER_H
#define ZERO_DRIVERS_VIRTIO_NET_SERVER_H

#include <stdint.h>

enum vnet_op {
    VNET_OP_INFO = 1,
    VNET_OP_XFER = 2,
};

#define VNET_WAIT_MAX_MS 1000u

/*
 * Drives the index'th virtio-net device and serves endpoint ep (shared
 * buffer at buf_va) until stopped; irq is an IRQ capability for the
 * device's line, or ZERO_CAP_NONE: then the driver asks the kernel for
 * one with its PCI configuration capability (SYS_IRQ_PCI), and polls
 * every millisecond only if that fails.
 */
int vnet_serve(unsigned index, uint64_t ep, uint64_t buf_va, uint64_t irq);

#endif
