/*
 * virtio-blk over legacy virtio-pci (virtio 0.9.5 / 1.x "legacy interface"):
 * PCI discovery through configuration ports 0xcf8/0xcfc, the register block
 * in BAR0 (I/O space), one split virtqueue in physically contiguous memory
 * from SYS_MEM_MAP with ZERO_MAP_DMA.  See virtio_blk.h for the contract.
 */
#include "drivers/virtio-blk/virtio_blk.h"

#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "zero/pci.h"
#include "zero/zero.h"

#define PCI_DEVICE_BLK_LEGACY 0x1001
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MASTER 0x4
#define PCI_BAR0 0x10

/* Legacy register block (offsets into BAR0, no MSI-X). */
#define VIO_DEVICE_FEATURES 0x00
#define VIO_GUEST_FEATURES 0x04
#define VIO_QUEUE_PFN 0x08
#define VIO_QUEUE_SIZE 0x0c
#define VIO_QUEUE_SELECT 0x0e
#define VIO_QUEUE_NOTIFY 0x10
#define VIO_STATUS 0x12
#define VIO_ISR 0x13
#define VIO_BLK_CAPACITY 0x14

#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FAILED 128

#define BLK_F_FLUSH (1u << 9)
#define BLK_T_IN 0
#define BLK_T_OUT 1
#define BLK_T_FLUSH 4
#define BLK_S_OK 0

#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2
#define VRING_AVAIL_F_NO_INTERRUPT 1
#define VRING_ALIGN 4096u
#define PAGE 4096u

/* The bounce buffer: request header and status in its first page, data after. */
#define BUF_PAGES 16u
#define BUF_DATA_OFF PAGE
#define BUF_DATA_MAX ((BUF_PAGES - 1) * PAGE)
#define BUF_STATUS_OFF 64u

/* Where the driver maps its DMA memory in the process. */
#define VBLK_VA_BASE 0x0000300000000000ull
#define VBLK_VA_STRIDE 0x0000000001000000ull

#define REQUEST_TIMEOUT_NS 30000000000ull /* a device that has not answered in 30 s is dead */

struct blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

static uint32_t reg_in(const struct vblk *d, uint32_t off, uint32_t width)
{
    return io_in(ZERO_SLOT_PCI_IO, d->io + off, width);
}

static void reg_out(const struct vblk *d, uint32_t off, uint32_t width, uint32_t v)
{
    (void)io_out(ZERO_SLOT_PCI_IO, d->io + off, width, v);
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Bytes of a legacy split virtqueue of q entries (descriptors, avail, used). */
static size_t vring_bytes(uint32_t q)
{
    return align_up(16u * q + 6u + 2u * q, VRING_ALIGN) + align_up(6u + 8u * q, VRING_ALIGN);
}

/* Maps npages of DMA memory at va; returns the physical address, 0 on failure. */
static uint64_t dma_map(uint64_t va, uint64_t npages)
{
    struct zsys r = {
        SYS_MEM_MAP, ZERO_SLOT_ASPACE, va, npages, ZERO_MAP_WRITE | ZERO_MAP_DMA, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? r.rdi : 0;
}

/* Sets up queue 0 in fresh DMA memory at va.  0, ZERR_IO or ZERR_NOMEM. */
static int queue_setup(struct vblk *d, uint64_t va)
{
    reg_out(d, VIO_QUEUE_SELECT, 2, 0);
    uint32_t q = reg_in(d, VIO_QUEUE_SIZE, 2);
    if (q == 0 || q > 32768 || (q & (q - 1)) != 0) {
        return ZERR_IO;
    }
    size_t pages = vring_bytes(q) / PAGE;
    uint64_t pa = dma_map(va, pages);
    if (pa == 0) {
        return ZERR_NOMEM;
    }
    uint8_t *ring = (uint8_t *)(uintptr_t)va;
    d->qsize = (uint16_t)q;
    d->desc = (struct vring_desc *)ring;
    d->avail = (volatile uint16_t *)(ring + 16u * q);
    d->used = ring + align_up(16u * q + 6u + 2u * q, VRING_ALIGN);
    d->avail[0] = VRING_AVAIL_F_NO_INTERRUPT;
    reg_out(d, VIO_QUEUE_PFN, 4, (uint32_t)(pa / PAGE));
    return 0;
}

int vblk_probe(struct vblk *d, unsigned index)
{
    memset(d, 0, sizeof(*d));
    if (io_out(ZERO_SLOT_PCI_CFG, PCI_CFG_ADDR, 4, 0x80000000u) != 0) {
        return ZERR_PERM;
    }
    d->pci_addr = pci_find(PCI_VENDOR_VIRTIO, PCI_DEVICE_BLK_LEGACY, index);
    if (d->pci_addr == 0) {
        return ZERR_NOENT;
    }
    uint32_t bar = pci_read32(d->pci_addr, PCI_BAR0);
    if ((bar & 1u) == 0 || (bar & ~3u) == 0 || (bar & ~3u) > 0xffff) {
        return ZERR_IO; /* BAR0 must be I/O space for the legacy interface */
    }
    d->io = (uint16_t)(bar & ~3u);
    uint32_t cmd = pci_read32(d->pci_addr, PCI_COMMAND);
    pci_write32(d->pci_addr, PCI_COMMAND, (cmd & 0xffff) | PCI_COMMAND_IO | PCI_COMMAND_MASTER);

    reg_out(d, VIO_STATUS, 1, 0); /* reset */
    reg_out(d, VIO_STATUS, 1, STATUS_ACK);
    reg_out(d, VIO_STATUS, 1, STATUS_ACK | STATUS_DRIVER);
    uint32_t features = reg_in(d, VIO_DEVICE_FEATURES, 4);
    d->has_flush = (features & BLK_F_FLUSH) != 0;
    reg_out(d, VIO_GUEST_FEATURES, 4, features & BLK_F_FLUSH);
    d->sectors = (uint64_t)reg_in(d, VIO_BLK_CAPACITY, 4) |
                 ((uint64_t)reg_in(d, VIO_BLK_CAPACITY + 4, 4) << 32);

    uint64_t va = VBLK_VA_BASE + index * VBLK_VA_STRIDE;
    int r = queue_setup(d, va);
    if (r == 0) {
        d->buf = (uint8_t *)(uintptr_t)(va + VBLK_VA_STRIDE / 2);
        d->buf_pa = dma_map((uint64_t)(uintptr_t)d->buf, BUF_PAGES);
        r = d->buf_pa == 0 ? ZERR_NOMEM : 0;
    }
    if (r != 0) {
        reg_out(d, VIO_STATUS, 1, STATUS_FAILED);
        return r;
    }
    reg_out(d, VIO_STATUS, 1, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
    return 0;
}

uint64_t vblk_size(const struct vblk *d)
{
    return d->sectors * VBLK_SECTOR;
}

static uint16_t used_idx(const struct vblk *d)
{
    return *(volatile const uint16_t *)(d->used + 2);
}

/*
 * Sends one request (header, optional data of n bytes in the bounce buffer,
 * status) and waits for it, yielding the CPU.  0 if the device answered
 * OK, else ZERR_IO (also for ever after a request that timed out).
 */
static int request(struct vblk *d, uint32_t type, uint64_t sector, size_t n)
{
    if (d->dead) {
        return ZERR_IO;
    }
    struct blk_req_hdr *h = (struct blk_req_hdr *)d->buf;
    volatile uint8_t *status = d->buf + BUF_STATUS_OFF;
    h->type = type;
    h->reserved = 0;
    h->sector = sector;
    *status = 0xff;

    uint16_t i = 0;
    d->desc[i] = (struct vring_desc){d->buf_pa, sizeof(*h), VRING_DESC_F_NEXT, 1};
    if (n > 0) {
        uint16_t dir = type == BLK_T_IN ? VRING_DESC_F_WRITE : 0;
        d->desc[++i] = (struct vring_desc){d->buf_pa + BUF_DATA_OFF, (uint32_t)n,
                                           (uint16_t)(dir | VRING_DESC_F_NEXT), 2};
    }
    d->desc[i].next = (uint16_t)(i + 1);
    d->desc[++i] = (struct vring_desc){d->buf_pa + BUF_STATUS_OFF, 1, VRING_DESC_F_WRITE, 0};

    d->avail[2 + d->avail_idx % d->qsize] = 0; /* the chain starts at descriptor 0 */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    d->avail[1] = ++d->avail_idx;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    reg_out(d, VIO_QUEUE_NOTIFY, 2, 0);

    uint64_t deadline = hal_clock_ns() + REQUEST_TIMEOUT_NS;
    while (used_idx(d) == d->used_idx) {
        if (hal_clock_ns() > deadline) {
            d->dead = true; /* it still owns the descriptors: never reuse them */
            return ZERR_IO;
        }
        zero_yield();
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    d->used_idx++;
    (void)reg_in(d, VIO_ISR, 1); /* acknowledge */
    return *status == BLK_S_OK ? 0 : ZERR_IO;
}

static int check_range(const struct vblk *d, uint64_t off, size_t n)
{
    if (off % VBLK_SECTOR != 0 || n % VBLK_SECTOR != 0) {
        return ZERR_INVAL;
    }
    if (off > vblk_size(d) || n > vblk_size(d) - off) {
        return ZERR_RANGE;
    }
    return 0;
}

int vblk_read(struct vblk *d, uint64_t off, void *buf, size_t n)
{
    int r = check_range(d, off, n);
    uint8_t *out = buf;
    while (r == 0 && n > 0) {
        size_t k = n < BUF_DATA_MAX ? n : BUF_DATA_MAX;
        r = request(d, BLK_T_IN, off / VBLK_SECTOR, k);
        if (r == 0) {
            memcpy(out, d->buf + BUF_DATA_OFF, k);
        }
        memset(d->buf + BUF_DATA_OFF, 0, k); /* no copy of the key slot lingers here */
        out += k;
        off += k;
        n -= k;
    }
    return r;
}

int vblk_write(struct vblk *d, uint64_t off, const void *buf, size_t n)
{
    int r = check_range(d, off, n);
    const uint8_t *in = buf;
    while (r == 0 && n > 0) {
        size_t k = n < BUF_DATA_MAX ? n : BUF_DATA_MAX;
        memcpy(d->buf + BUF_DATA_OFF, in, k);
        r = request(d, BLK_T_OUT, off / VBLK_SECTOR, k);
        in += k;
        off += k;
        n -= k;
    }
    return r;
}

int vblk_flush(struct vblk *d)
{
    return d->has_flush ? request(d, BLK_T_FLUSH, 0, 0) : 0;
}
