/*
 * hal_blk_* for user programs on the x86_64 kernel: "disk0", "disk1", ...
 * are the virtio-blk devices on PCI bus 0 in slot order, driven in this
 * process by drivers/virtio-blk, or "disk0" reached through a driver
 * process (hal_blk_use_driver).  A device cannot be created: create_bytes
 * is ignored (the disk image is made on the host).
 */
#include "base/errors.h"
#include "base/string.h"
#include "drivers/virtio-blk/server.h"
#include "drivers/virtio-blk/virtio_blk.h"
#include "hal/hal.h"
#include "drivers/virtio-blk/hal_blk.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define MAX_DISKS 4

struct hal_blk {
    bool open;
    bool remote;          /* through the driver process */
    struct vblk dev;      /* local */
    struct rtx_chan chan; /* remote */
    uint64_t size;        /* remote */
};

static struct hal_blk disks[MAX_DISKS];
static uint64_t driver_ep = ZERO_CAP_NONE;
static uint64_t driver_buf_va;

void hal_blk_use_driver(uint64_t ep, uint64_t buf_va)
{
    driver_ep = ep;
    driver_buf_va = buf_va;
}

/* "diskN" with N < MAX_DISKS -> N, else -1. */
static int disk_index(const char *name)
{
    if (name == NULL || strncmp(name, "disk", 4) != 0 || name[4] < '0' ||
        name[4] >= '0' + MAX_DISKS || name[5] != '\0') {
        return -1;
    }
    return name[4] - '0';
}

/* Opens the channel to the driver process and asks the size. */
static int remote_open(struct hal_blk *b)
{
    size_t out_len = 0;
    int r = rtx_open(&b->chan, driver_ep, driver_buf_va);
    r = r != 0 ? r : rtx_call(&b->chan, driver_ep, VBLK_OP_SIZE, 0, 0, 0, &out_len);
    if (r == 0 && out_len != sizeof(b->size)) {
        r = ZERR_IO;
    }
    if (r == 0) {
        memcpy(&b->size, b->chan.buf, sizeof(b->size));
        b->remote = true;
    }
    return r;
}

int hal_blk_open(const char *name, uint64_t create_bytes, struct hal_blk **out)
{
    (void)create_bytes;
    int i = disk_index(name);
    if (i < 0 || (driver_ep != ZERO_CAP_NONE && i != 0)) {
        return ZERR_NOENT;
    }
    struct hal_blk *b = &disks[i];
    if (!b->open) {
        int r = driver_ep != ZERO_CAP_NONE ? remote_open(b) : vblk_probe(&b->dev, (unsigned)i);
        if (r != 0) {
            return r == ZERR_PERM ? ZERR_IO : r;
        }
        b->open = true;
    }
    *out = b;
    return 0;
}

uint64_t hal_blk_size(const struct hal_blk *b)
{
    return b->remote ? b->size : vblk_size(&b->dev);
}

/* Reads through the driver process, RTX_BUF_LEN bytes per call. */
static int remote_read(struct hal_blk *b, uint64_t off, uint8_t *buf, size_t n)
{
    int r = 0;
    while (r == 0 && n > 0) {
        size_t k = n < RTX_BUF_LEN ? n : RTX_BUF_LEN;
        size_t out_len = 0;
        r = rtx_call(&b->chan, driver_ep, VBLK_OP_READ, off, k, 0, &out_len);
        r = r == 0 && out_len != k ? ZERR_IO : r;
        if (r == 0) {
            memcpy(buf, b->chan.buf, k);
        }
        buf += k;
        off += k;
        n -= k;
    }
    return r;
}

/* Writes through the driver process, RTX_BUF_LEN bytes per call. */
static int remote_write(struct hal_blk *b, uint64_t off, const uint8_t *buf, size_t n)
{
    int r = 0;
    while (r == 0 && n > 0) {
        size_t k = n < RTX_BUF_LEN ? n : RTX_BUF_LEN;
        size_t out_len = 0;
        memcpy(b->chan.buf, buf, k);
        r = rtx_call(&b->chan, driver_ep, VBLK_OP_WRITE, off, 0, k, &out_len);
        buf += k;
        off += k;
        n -= k;
    }
    return r;
}

int hal_blk_read(struct hal_blk *b, uint64_t off, void *buf, size_t n)
{
    return b->remote ? remote_read(b, off, buf, n) : vblk_read(&b->dev, off, buf, n);
}

int hal_blk_write(struct hal_blk *b, uint64_t off, const void *buf, size_t n)
{
    return b->remote ? remote_write(b, off, buf, n) : vblk_write(&b->dev, off, buf, n);
}

int hal_blk_flush(struct hal_blk *b)
{
    size_t out_len;
    return b->remote ? rtx_call(&b->chan, driver_ep, VBLK_OP_FLUSH, 0, 0, 0, &out_len)
                     : vblk_flush(&b->dev);
}

/* The device stays initialised (its DMA memory mapped) for a later open. */
void hal_blk_close(struct hal_blk *b)
{
    (void)b;
}
