/*
 * virtio-net over legacy virtio-pci (see virtio_net.h): PCI discovery
 * through ports 0xcf8/0xcfc, the register block in BAR0, queue 0 receive
 * and queue 1 transmit, each in physically contiguous memory from
 * SYS_MEM_MAP.  Every buffer starts with the 10-byte legacy virtio_net_hdr
 * (no offloads negotiated, so it is all zeros on transmit).
 */
#include "drivers/virtio-net/virtio_net.h"

#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "zero/pci.h"
#include "zero/zero.h"

#define PCI_DEVICE_NET_LEGACY 0x1000
#define PCI_COMMAND 0x04
#define PCI_BAR0 0x10
#define PCI_INTERRUPT 0x3c
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MASTER 0x4

#define VIO_DEVICE_FEATURES 0x00
#define VIO_GUEST_FEATURES 0x04
#define VIO_QUEUE_PFN 0x08
#define VIO_QUEUE_SIZE 0x0c
#define VIO_QUEUE_SELECT 0x0e
#define VIO_QUEUE_NOTIFY 0x10
#define VIO_STATUS 0x12
#define VIO_ISR 0x13
#define VIO_NET_MAC 0x14

#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FAILED 128
#define NET_F_MAC (1u << 5)

#define DESC_F_WRITE 2
#define VRING_ALIGN 4096u
#define PAGE 4096u
#define HDR_LEN 10u             /* legacy virtio_net_hdr without mergeable buffers */
#define QUEUE_STRIDE 0x40000ull /* each queue's region inside the driver's 1 MiB */
#define POLL_NS 1000000ull

static uint32_t reg_in(const struct vnet *d, uint32_t off, uint32_t width)
{
    return io_in(ZERO_SLOT_PCI_IO, d->io + off, width);
}

static void reg_out(const struct vnet *d, uint32_t off, uint32_t width, uint32_t v)
{
    (void)io_out(ZERO_SLOT_PCI_IO, d->io + off, width, v);
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static uint64_t dma_map(uint64_t va, uint64_t npages)
{
    struct zsys r = {
        SYS_MEM_MAP, ZERO_SLOT_ASPACE, va, npages, ZERO_MAP_WRITE | ZERO_MAP_DMA, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? r.rdi : 0;
}

/* Sets up queue index q in DMA memory at va: the ring, then its buffers. */
static int queue_setup(struct vnet *d, struct vnet_queue *vq, uint16_t q, uint64_t va)
{
    reg_out(d, VIO_QUEUE_SELECT, 2, q);
    uint32_t n = reg_in(d, VIO_QUEUE_SIZE, 2);
    if (n < VNET_BUFS || n > 4096 || (n & (n - 1)) != 0) {
        return ZERR_IO;
    }
    size_t avail_end = align_up(16u * n + 6u + 2u * n, VRING_ALIGN);
    size_t bytes = avail_end + align_up(6u + 8u * n, VRING_ALIGN);
    uint64_t pa = dma_map(va, bytes / PAGE);
    uint64_t bufs_va = va + align_up(bytes, PAGE);
    vq->bufs_pa = pa == 0 ? 0 : dma_map(bufs_va, VNET_BUFS * VNET_BUF_SIZE / PAGE);
    if (pa == 0 || vq->bufs_pa == 0) {
        return ZERR_NOMEM;
    }
    uint8_t *ring = (uint8_t *)(uintptr_t)va;
    vq->size = (uint16_t)n;
    vq->desc = (struct vnet_desc *)ring;
    vq->avail = (volatile uint16_t *)(ring + 16u * n);
    vq->used = ring + avail_end;
    vq->bufs = (uint8_t *)(uintptr_t)bufs_va;
    for (uint16_t i = 0; i < VNET_BUFS; i++) {
        vq->desc[i] =
            (struct vnet_desc){vq->bufs_pa + (uint64_t)i * VNET_BUF_SIZE, VNET_BUF_SIZE, 0, 0};
    }
    reg_out(d, VIO_QUEUE_PFN, 4, (uint32_t)(pa / PAGE));
    return 0;
}

/* Hands descriptor id to the device in vq (it must already describe its buffer). */
static void queue_post(struct vnet_queue *vq, uint16_t id)
{
    vq->avail[2 + vq->avail_idx % vq->size] = id;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    vq->avail[1] = ++vq->avail_idx;
}

/* Takes the next used element of vq: 0 with id and len, or ZERR_AGAIN. */
static int queue_used(struct vnet_queue *vq, uint16_t *id, uint32_t *len)
{
    uint16_t idx = *(volatile const uint16_t *)(vq->used + 2);
    if (idx == vq->used_idx) {
        return ZERR_AGAIN;
    }
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    volatile const uint8_t *e = vq->used + 4 + 8u * (vq->used_idx % vq->size);
    uint32_t v_id = *(volatile const uint32_t *)e;
    *len = *(volatile const uint32_t *)(e + 4);
    *id = (uint16_t)v_id;
    vq->used_idx++;
    return v_id < VNET_BUFS ? 0 : ZERR_IO;
}

static void rx_fill(struct vnet *d)
{
    for (uint16_t i = 0; i < VNET_BUFS; i++) {
        d->rx.desc[i].flags = DESC_F_WRITE;
        queue_post(&d->rx, i);
    }
    reg_out(d, VIO_QUEUE_NOTIFY, 2, 0);
    for (uint16_t i = 0; i < VNET_BUFS; i++) {
        d->tx_free[i] = i;
    }
    d->tx_nfree = VNET_BUFS;
}

/* Finds the device, enables it on the bus and negotiates features. */
static int vnet_find(struct vnet *d, unsigned index)
{
    if (io_out(ZERO_SLOT_PCI_CFG, PCI_CFG_ADDR, 4, 0x80000000u) != 0) {
        return ZERR_PERM;
    }
    d->pci_addr = pci_find(PCI_VENDOR_VIRTIO, PCI_DEVICE_NET_LEGACY, index);
    if (d->pci_addr == 0) {
        return ZERR_NOENT;
    }
    uint32_t bar = pci_read32(d->pci_addr, PCI_BAR0);
    if ((bar & 1u) == 0 || (bar & ~3u) == 0 || (bar & ~3u) > 0xffff) {
        return ZERR_IO;
    }
    d->io = (uint16_t)(bar & ~3u);
    d->irq_line = (uint8_t)pci_read32(d->pci_addr, PCI_INTERRUPT);
    uint32_t cmd = pci_read32(d->pci_addr, PCI_COMMAND);
    pci_write32(d->pci_addr, PCI_COMMAND, (cmd & 0xffff) | PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    reg_out(d, VIO_STATUS, 1, 0);
    reg_out(d, VIO_STATUS, 1, STATUS_ACK);
    reg_out(d, VIO_STATUS, 1, STATUS_ACK | STATUS_DRIVER);
    uint32_t features = reg_in(d, VIO_DEVICE_FEATURES, 4);
    reg_out(d, VIO_GUEST_FEATURES, 4, features & NET_F_MAC);
    for (unsigned i = 0; i < 6; i++) {
        d->mac[i] = (features & NET_F_MAC) != 0 ? (uint8_t)reg_in(d, VIO_NET_MAC + i, 1) : 0;
    }
    if ((features & NET_F_MAC) == 0) {
        memcpy(d->mac, "\x02\x5a\x45\x52\x4f\x02", 6);
    }
    return 0;
}

int vnet_probe(struct vnet *d, unsigned index, uint64_t va)
{
    memset(d, 0, sizeof(*d));
    int r = vnet_find(d, index);
    if (r != 0) {
        return r;
    }
    r = queue_setup(d, &d->rx, 0, va);
    r = r != 0 ? r : queue_setup(d, &d->tx, 1, va + QUEUE_STRIDE);
    if (r != 0) {
        reg_out(d, VIO_STATUS, 1, STATUS_FAILED);
        return r;
    }
    reg_out(d, VIO_STATUS, 1, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);
    rx_fill(d);
    return 0;
}

int vnet_use_irq(struct vnet *d, uint64_t irq)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    if (n < 0) {
        return (int)n;
    }
    int64_t r = zsys3(SYS_IRQ_BIND, irq, (uint64_t)n, 0);
    if (r != 0) {
        return (int)r;
    }
    d->ntfn = (uint64_t)n;
    d->irq = irq;
    (void)reg_in(d, VIO_ISR, 1);
    return (int)zsys3(SYS_IRQ_ACK, irq, 0, 0);
}

/* Returns the transmit buffers the device is done with to the free list. */
static void tx_reclaim(struct vnet *d)
{
    uint16_t id;
    uint32_t len;
    while (queue_used(&d->tx, &id, &len) == 0 && d->tx_nfree < VNET_BUFS) {
        d->tx_free[d->tx_nfree++] = id;
    }
}

int vnet_send(struct vnet *d, const void *frame, size_t len)
{
    if (len > VNET_FRAME_MAX) {
        return ZERR_INVAL;
    }
    if (d->tx_nfree == 0) {
        tx_reclaim(d);
    }
    if (d->tx_nfree == 0) {
        d->c.tx_full++;
        return ZERR_AGAIN;
    }
    uint16_t id = d->tx_free[--d->tx_nfree];
    uint8_t *b = d->tx.bufs + (size_t)id * VNET_BUF_SIZE;
    memset(b, 0, HDR_LEN);
    memcpy(b + HDR_LEN, frame, len);
    d->tx.desc[id].len = (uint32_t)(HDR_LEN + len);
    d->tx.desc[id].flags = 0;
    queue_post(&d->tx, id);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    reg_out(d, VIO_QUEUE_NOTIFY, 2, 1);
    d->c.tx_frames++;
    return 0;
}

long vnet_recv(struct vnet *d, void *buf, size_t cap)
{
    uint16_t id;
    uint32_t len;
    for (;;) {
        int r = queue_used(&d->rx, &id, &len);
        if (r != 0) {
            return r;
        }
        const uint8_t *b = d->rx.bufs + (size_t)id * VNET_BUF_SIZE;
        long n = len > HDR_LEN && len <= VNET_BUF_SIZE ? (long)(len - HDR_LEN) : -1;
        if (n > 0 && (size_t)n <= cap) {
            memcpy(buf, b + HDR_LEN, (size_t)n);
        }
        d->rx.desc[id].flags = DESC_F_WRITE;
        queue_post(&d->rx, id);
        reg_out(d, VIO_QUEUE_NOTIFY, 2, 0);
        if (n > 0 && (size_t)n <= cap) {
            d->c.rx_frames++;
            return n;
        }
        d->c.rx_bad++;
    }
}

void vnet_wait(struct vnet *d, uint64_t deadline_ns)
{
    uint64_t now = hal_clock_ns();
    if (now >= deadline_ns) {
        return;
    }
    if (d->irq == 0) {
        uint64_t until = deadline_ns - now > POLL_NS ? now + POLL_NS : deadline_ns;
        hal_wait_until(until);
        return;
    }
    uint64_t bits = 0;
    if (zsys3(SYS_TIMER, d->ntfn, deadline_ns - now, 0) == 0) {
        zero_wait(d->ntfn, &bits, 1);
    }
    if (reg_in(d, VIO_ISR, 1) & 1u) {
        d->c.irqs++;
    }
    (void)zsys3(SYS_IRQ_ACK, d->irq, 0, 0);
}
