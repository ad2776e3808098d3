/*
 * Hosted block device: a regular file.  Durability is fdatasync(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/check.h"
#include "base/errors.h"
#include "hal/hal.h"

struct hal_blk {
    int fd;
    uint64_t size;
};

static int blk_errno(void)
{
    switch (errno) {
    case ENOENT:
        return ZERR_NOENT;
    case ENOMEM:
        return ZERR_NOMEM;
    case ENOSPC:
        return ZERR_FULL;
    case EACCES:
    case EPERM:
        return ZERR_PERM;
    default:
        return ZERR_IO;
    }
}

int hal_blk_open(const char *name, uint64_t create_bytes, struct hal_blk **out)
{
    struct stat st;
    int fd;

    bool read_only = create_bytes == HAL_BLK_READ_ONLY;

    if (read_only) {
        create_bytes = 0;
    } else if (create_bytes % HAL_BLK_SECTOR != 0) {
        return ZERR_INVAL;
    }
    fd = open(name, (read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC | (create_bytes ? O_CREAT : 0),
              0600);
    if (fd < 0) {
        return blk_errno();
    }
    if (fstat(fd, &st) != 0) {
        goto out_close;
    }
    if (st.st_size == 0 && create_bytes != 0) {
        if (ftruncate(fd, (off_t)create_bytes) != 0 || fsync(fd) != 0) {
            goto out_close;
        }
        st.st_size = (off_t)create_bytes;
    }
    struct hal_blk *b = malloc(sizeof(*b));
    if (b == NULL) {
        close(fd);
        return ZERR_NOMEM;
    }
    b->fd = fd;
    b->size = (uint64_t)st.st_size / HAL_BLK_SECTOR * HAL_BLK_SECTOR;
    *out = b;
    return 0;

out_close : {
    int err = blk_errno();
    close(fd);
    return err;
}
}

uint64_t hal_blk_size(const struct hal_blk *b)
{
    return b->size;
}

static int blk_check(const struct hal_blk *b, uint64_t off, size_t n)
{
    if (off % HAL_BLK_SECTOR != 0 || n % HAL_BLK_SECTOR != 0) {
        return ZERR_INVAL;
    }
    if (!zck_range_ok(off, n, b->size)) {
        return ZERR_RANGE;
    }
    return 0;
}

int hal_blk_read(struct hal_blk *b, uint64_t off, void *buf, size_t n)
{
    int err = blk_check(b, off, n);
    char *p = buf;

    if (err != 0) {
        return err;
    }
    while (n > 0) {
        ssize_t r = pread(b->fd, p, n, (off_t)off);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return ZERR_IO;
        }
        p += r;
        off += (uint64_t)r;
        n -= (size_t)r;
    }
    return 0;
}

int hal_blk_write(struct hal_blk *b, uint64_t off, const void *buf, size_t n)
{
    int err = blk_check(b, off, n);
    const char *p = buf;

    if (err != 0) {
        return err;
    }
    while (n > 0) {
        ssize_t w = pwrite(b->fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return blk_errno();
        }
        p += w;
        off += (uint64_t)w;
        n -= (size_t)w;
    }
    return 0;
}

int hal_blk_flush(struct hal_blk *b)
{
    return fdatasync(b->fd) == 0 ? 0 : ZERR_IO;
}

void hal_blk_close(struct hal_blk *b)
{
    if (b != NULL) {
        close(b->fd);
        free(b);
    }
}
