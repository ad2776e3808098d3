/* virtio-net as a driver process (see server.h). */
#include "drivers/virtio-net/server.h"

#include "base/errors.h"
#include "base/string.h"
#include "drivers/virtio-net/virtio_net.h"
#include "hal/hal.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define VNET_DMA_VA 0x0000310000000000ull

struct vnet_server {
    struct vnet dev;
    int probe_err;
    uint32_t drop_permille; /* the test drop filter (net.drop=); 0: off */
    uint64_t drop_state;    /* its generator, from net.seed= */
    uint64_t dropped;
    uint8_t frame[VNET_BUF_SIZE];
};

/* A decimal boot argument (net.drop=, net.seed=), or def. */
static uint64_t boot_number(const char *key, uint64_t def)
{
    char v[24];
    uint64_t n = 0;
    if (zero_boot_arg(key, v, sizeof(v)) <= 0) {
        return def;
    }
    for (const char *c = v; *c != '\0'; c++) {
        if (*c < '0' || *c > '9') {
            return def;
        }
        n = n * 10u + (uint64_t)(*c - '0');
    }
    return n;
}

/*
 * The test drop filter: true for the frames to lose, drop_permille of
 * every 1000 on average, decided by splitmix64 from the seed, so the n-th
 * frame through the driver (either way) meets the same fate in every run.
 */
static bool drop_this(struct vnet_server *s)
{
    if (s->drop_permille == 0) {
        return false;
    }
    uint64_t z = (s->drop_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    if (z % 1000u < s->drop_permille) {
        s->dropped++;
        return true;
    }
    return false;
}

/* Sends the n frames packed in the request (copied out first: the buffer is shared). */
static int xfer_send(struct vnet_server *s, const struct rtx_req *rq, uint64_t n)
{
    size_t off = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint16_t len;
        if (off + 2 > rq->in_len) {
            return ZERR_INVAL;
        }
        memcpy(&len, rq->buf + off, 2);
        if (len > VNET_FRAME_MAX || off + 2 + len > rq->in_len) {
            return ZERR_INVAL;
        }
        memcpy(s->frame, rq->buf + off + 2, len);
        off += 2u + len;
        if (drop_this(s)) {
            continue;
        }
        for (int tries = 0; vnet_send(&s->dev, s->frame, len) == ZERR_AGAIN && tries < 100;
             tries++) {
            vnet_wait(&s->dev, hal_clock_ns() + 100000u); /* every buffer in flight */
        }
    }
    return 0;
}

/* Packs received frames into the reply; waits up to wait_ms for the first. */
static size_t xfer_recv(struct vnet_server *s, uint8_t *out, uint64_t wait_ms)
{
    uint64_t deadline = hal_clock_ns() + wait_ms * 1000000u;
    size_t off = 0;
    for (;;) {
        long n = vnet_recv(&s->dev, out + off + 2, RTX_BUF_LEN - off - 2);
        if (n > 0 && drop_this(s)) {
            continue;
        }
        if (n > 0) {
            uint16_t len = (uint16_t)n;
            memcpy(out + off, &len, 2);
            off += 2u + (size_t)n;
            if (RTX_BUF_LEN - off < 2u + VNET_FRAME_MAX) {
                return off;
            }
            continue;
        }
        if (off > 0 || hal_clock_ns() >= deadline) {
            return off;
        }
        vnet_wait(&s->dev, deadline);
    }
}

static int serve_one(void *self, struct rtx_req *rq)
{
    struct vnet_server *s = self;
    if (s->probe_err != 0) {
        return s->probe_err;
    }
    switch (rq->op) {
    case VNET_OP_INFO:
        memcpy(rq->buf, s->dev.mac, 6);
        rq->buf[6] = s->dev.irq != 0;
        memcpy(rq->buf + 7, &s->drop_permille, 4);
        memcpy(rq->buf + 11, &s->dropped, 8);
        rq->out_len = 19;
        return 0;
    case VNET_OP_XFER: {
        int err = xfer_send(s, rq, rq->a0);
        if (err != 0) {
            return err;
        }
        rq->out_len = xfer_recv(s, rq->buf, rq->a1 > VNET_WAIT_MAX_MS ? VNET_WAIT_MAX_MS : rq->a1);
        return 0;
    }
    default:
        return ZERR_UNSUPPORTED;
    }
}

int vnet_serve(unsigned index, uint64_t ep, uint64_t buf_va, uint64_t irq)
{
    static struct vnet_server server;
    uint64_t permille = boot_number("net.drop", 0);
    server.drop_permille = permille <= 1000 ? (uint32_t)permille : 1000;
    server.drop_state = boot_number("net.seed", 1);
    server.probe_err = vnet_probe(&server.dev, index, VNET_DMA_VA);
    if (server.probe_err == 0 && irq == ZERO_CAP_NONE) {
        int64_t c = zsys3(SYS_IRQ_PCI, ZERO_SLOT_PCI_CFG, (server.dev.pci_addr >> 8) & 0xffffu, 0);
        irq = c >= 0 ? (uint64_t)c : ZERO_CAP_NONE;
    }
    if (server.probe_err == 0 && irq != ZERO_CAP_NONE) {
        (void)vnet_use_irq(&server.dev, irq);
    }
    int err = rtx_serve(ep, buf_va, serve_one, &server);
    return err == 0 ? 0 : 1;
}
