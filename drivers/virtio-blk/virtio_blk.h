/*
 * A user-space virtio-blk driver (legacy virtio-pci, the I/O-port interface
 * every QEMU virtio-blk-pci device offers) for Zero OS on x86_64.
 *
 * The process needs the PCI configuration and PCI I/O-space port
 * capabilities (init holds them) and SYS_MEM_MAP for DMA memory.  One
 * request is in flight at a time and completion is polled (interrupts off):
 * the node issues its I/O synchronously anyway.  Writes are durable once
 * vblk_flush returns 0 (VIRTIO_BLK_F_FLUSH; without it the device writes
 * through and the flush is a no-op).
 */
#ifndef ZERO_DRIVERS_VIRTIO_BLK_H
#define ZERO_DRIVERS_VIRTIO_BLK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VBLK_SECTOR 512u

struct vring_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vblk {
    uint16_t io;    /* BAR0: the legacy register block in I/O space */
    uint16_t qsize; /* descriptors in queue 0 */
    uint16_t avail_idx;
    uint16_t used_idx; /* next used-ring entry to consume */
    bool has_flush;
    bool dead;        /* a request timed out: the device is not used again */
    uint64_t sectors; /* capacity */
    struct vring_desc *desc;
    volatile uint16_t *avail; /* flags, idx, ring[qsize] */
    volatile uint8_t *used;   /* flags, idx, ring[qsize] of {id, len} */
    uint8_t *buf;             /* DMA bounce buffer: header, status, data */
    uint64_t buf_pa;
    uint32_t pci_addr; /* configuration address of the function */
};

/*
 * Finds the index'th virtio-blk function on PCI bus 0, resets and
 * initialises it with one queue.  Returns 0, ZERR_NOENT (no such device),
 * ZERR_NOMEM (no DMA memory), ZERR_IO (the device refused) or ZERR_PERM
 * (no port capabilities).
 */
int vblk_probe(struct vblk *d, unsigned index);

/* Size of the device in bytes. */
uint64_t vblk_size(const struct vblk *d);

/*
 * Reads or writes n bytes at byte offset off (both multiples of
 * VBLK_SECTOR, inside the device).  0 or ZERR_RANGE / ZERR_IO.
 */
int vblk_read(struct vblk *d, uint64_t off, void *buf, size_t n);
int vblk_write(struct vblk *d, uint64_t off, const void *buf, size_t n);

/* Makes every completed write durable.  0 or ZERR_IO. */
int vblk_flush(struct vblk *d);

#endif
