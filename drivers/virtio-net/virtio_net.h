/*
 * A user-space virtio-net driver for Zero OS on x86_64: the legacy
 * virtio-pci interface (I/O BAR0) that QEMU's virtio-net-pci offers as a
 * transitional device, one receive and one transmit split virtqueue, each
 * with VNET_BUFS buffers of its own: up to VNET_BUFS frames wait to be
 * received and VNET_BUFS are in flight to the device at once.
 *
 * The process needs the PCI configuration and I/O-space port capabilities
 * and SYS_MEM_MAP for DMA memory.  With an IRQ capability for the
 * device's interrupt line (vnet_wait), it sleeps until the device
 * interrupts or a deadline passes; without, it wakes every millisecond.
 */
#ifndef ZERO_DRIVERS_VIRTIO_NET_H
#define ZERO_DRIVERS_VIRTIO_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VNET_BUFS 32u
#define VNET_BUF_SIZE 2048u
#define VNET_FRAME_MAX 1514u /* Ethernet without FCS */

struct vnet_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vnet_queue {
    uint16_t size; /* descriptors in the ring (the device's choice) */
    uint16_t avail_idx, used_idx;
    struct vnet_desc *desc;
    volatile uint16_t *avail; /* flags, idx, ring[size] */
    volatile uint8_t *used;   /* flags, idx, ring[size] of {id, len} */
    uint8_t *bufs;            /* VNET_BUFS buffers of VNET_BUF_SIZE */
    uint64_t bufs_pa;
};

struct vnet_counters {
    uint64_t rx_frames, tx_frames, tx_full, rx_bad, irqs;
};

struct vnet {
    uint16_t io;
    uint32_t pci_addr;
    uint8_t irq_line; /* the PCI interrupt line the firmware assigned */
    uint8_t mac[6];
    struct vnet_queue rx, tx;
    uint16_t tx_free[VNET_BUFS];
    unsigned tx_nfree;
    uint64_t ntfn; /* notification the IRQ and timers signal; 0: none */
    uint64_t irq;  /* IRQ capability, or 0 */
    struct vnet_counters c;
};

/*
 * Finds the index'th virtio-net function on PCI bus 0, resets it and sets
 * up both queues with their buffers in DMA memory at va (a free region of
 * 1 MiB).  Returns 0, ZERR_NOENT (no device), ZERR_NOMEM, ZERR_IO (the
 * device refused) or ZERR_PERM (no port capabilities).
 */
int vnet_probe(struct vnet *d, unsigned index, uint64_t va);

/*
 * Binds the device's interrupt: irq is an IRQ capability for d->irq_line.
 * 0 or the kernel's error (the driver then polls).
 */
int vnet_use_irq(struct vnet *d, uint64_t irq);

/* Queues one frame (len <= VNET_FRAME_MAX) for sending; ZERR_AGAIN when all buffers are in flight.
 */
int vnet_send(struct vnet *d, const void *frame, size_t len);

/* Takes one received frame into buf (cap bytes); its length, or ZERR_AGAIN when none waits. */
long vnet_recv(struct vnet *d, void *buf, size_t cap);

/* Sleeps until a frame may have arrived (interrupt) or deadline_ns passes. */
void vnet_wait(struct vnet *d, uint64_t deadline_ns);

#endif
