/*
 * hal_blk_* for user programs on the x86_64 kernel: "disk0", "disk1", ...
 * are the virtio-blk devices on PCI bus 0 in slot order, driven in this
 * process by drivers/virtio-blk.  A device cannot be created: create_bytes
 * is ignored (the disk image is made on the host).
 */
#include "base/errors.h"
#include "base/string.h"
#include "drivers/virtio-blk/virtio_blk.h"
#include "hal/hal.h"

#define MAX_DISKS 4

struct hal_blk {
    struct vblk dev;
    bool open;
};

static struct hal_blk disks[MAX_DISKS];

/* "diskN" with N < MAX_DISKS -> N, else -1. */
static int disk_index(const char *name)
{
    if (name == NULL || strncmp(name, "disk", 4) != 0 || name[4] < '0' ||
        name[4] >= '0' + MAX_DISKS || name[5] != '\0') {
        return -1;
    }
    return name[4] - '0';
}

int hal_blk_open(const char *name, uint64_t create_bytes, struct hal_blk **out)
{
    (void)create_bytes;
    int i = disk_index(name);
    if (i < 0) {
        return ZERR_NOENT;
    }
    struct hal_blk *b = &disks[i];
    if (!b->open) {
        int r = vblk_probe(&b->dev, (unsigned)i);
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
    return vblk_size(&b->dev);
}

int hal_blk_read(struct hal_blk *b, uint64_t off, void *buf, size_t n)
{
    return vblk_read(&b->dev, off, buf, n);
}

int hal_blk_write(struct hal_blk *b, uint64_t off, const void *buf, size_t n)
{
    return vblk_write(&b->dev, off, buf, n);
}

int hal_blk_flush(struct hal_blk *b)
{
    return vblk_flush(&b->dev);
}

/* The device stays initialised (its DMA memory mapped) for a later open. */
void hal_blk_close(struct hal_blk *b)
{
    (void)b;
}
