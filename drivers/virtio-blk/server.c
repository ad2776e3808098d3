/* virtio-blk as a driver process (see server.h). */
#include "drivers/virtio-blk/server.h"

#include "base/errors.h"
#include "base/string.h"
#include "drivers/virtio-blk/virtio_blk.h"
#include "svcrt/x86_64/rtx.h"

struct vblk_server {
    struct vblk dev;
    int probe_err;
};

static int serve_one(void *self, struct rtx_req *rq)
{
    struct vblk_server *s = self;
    if (s->probe_err != 0) {
        return s->probe_err;
    }
    switch (rq->op) {
    case VBLK_OP_SIZE: {
        uint64_t size = vblk_size(&s->dev);
        memcpy(rq->buf, &size, sizeof(size));
        rq->out_len = sizeof(size);
        return 0;
    }
    case VBLK_OP_READ:
        if (rq->a1 > RTX_BUF_LEN) {
            return ZERR_RANGE;
        }
        {
            int err = vblk_read(&s->dev, rq->a0, rq->buf, (size_t)rq->a1);
            rq->out_len = err == 0 ? (size_t)rq->a1 : 0;
            return err;
        }
    case VBLK_OP_WRITE:
        return vblk_write(&s->dev, rq->a0, rq->buf, rq->in_len);
    case VBLK_OP_FLUSH:
        return vblk_flush(&s->dev);
    default:
        return ZERR_UNSUPPORTED;
    }
}

int vblk_serve(unsigned index, uint64_t ep, uint64_t buf_va)
{
    static struct vblk_server server;
    server.probe_err = vblk_probe(&server.dev, index);
    int err = rtx_serve(ep, buf_va, serve_one, &server);
    return err == 0 ? 0 : 1;
}
