/*
 * fsbench: sequential write and read throughput through the filesystem
 * against the raw virtio-blk device, in the same QEMU (bench/fs_qemu.sh).
 *
 * This image is the first process (it holds the PCI capabilities, so the
 * virtio-blk driver runs in it): a node on disk0 (Axiom, file store)
 * served over the runtime channel, as the Axiom's process of zero-node
 * serves the filesystem.  It starts itself again as the client (spawn
 * argument 1), which, across the process boundary:
 *
 *   fs write  puts FILE_BYTES of incompressible bytes as one file
 *             (fssvc_put_call: streamed in 16 KiB parts through the
 *             shared frames, hashed, chunked, written, the store committed,
 *             the fs.put entry committed);
 *   fs read   reads it back in 16 KiB messages (each chunk verified);
 *   raw       asks the server to write then read the same number of bytes
 *             straight to the device (blk_write in CHUNK-byte requests, a
 *             flush), at the end of the disk, after the fs runs.
 *
 * Prints "zero: NAME VALUE" lines (MiB/s, from hal_clock_ns).
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/init/node.h"
#include "svcrt/wire.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define FILE_BYTES (16u * 1024u * 1024u)
#define CHUNK (256u * 1024u)
#define SERVE_VA 0x0000600000000000ull
#define CLIENT_VA 0x0000610000000000ull
#define FSBENCH_OP_RAW 0x2ffu /* out: u64 write ns, u64 read ns */

int zero_main(uint64_t arg);

static uint64_t mibs(uint64_t bytes, uint64_t ns)
{
    return ns == 0 ? 0 : bytes * 1000000000ull / ns / (1024u * 1024u);
}

/* Writes then reads FILE_BYTES at the end of dev; the times into out. */
static int bench_raw(struct blk *dev, struct rt_msg *m)
{
    uint8_t *buf = hal_page_alloc(CHUNK / HAL_PAGE_SIZE);
    uint64_t base = (dev->size - FILE_BYTES) & ~(uint64_t)(CHUNK - 1);
    int err = buf != NULL && m->out_cap >= 16 ? 0 : ZERR_NOMEM;

    for (size_t i = 0; buf != NULL && i < CHUNK; i++) {
        buf[i] = (uint8_t)(i * 2654435761u >> 11);
    }
    uint64_t t0 = hal_clock_ns();
    for (uint64_t off = 0; err == 0 && off < FILE_BYTES; off += CHUNK) {
        err = blk_write(dev, base + off, buf, CHUNK);
    }
    err = err != 0 ? err : blk_flush(dev);
    uint64_t t1 = hal_clock_ns();
    for (uint64_t off = 0; err == 0 && off < FILE_BYTES; off += CHUNK) {
        err = blk_read(dev, base + off, buf, CHUNK);
    }
    uint64_t t2 = hal_clock_ns();
    if (buf != NULL) {
        hal_page_free(buf, CHUNK / HAL_PAGE_SIZE);
    }
    if (err == 0) {
        struct wire_out w;
        wire_out_init(&w, m->out, m->out_cap);
        wire_u64(&w, t1 - t0);
        wire_u64(&w, t2 - t1);
        err = wire_out_end(&w, &m->out_len);
    }
    return err;
}

struct server {
    struct node n;
    struct blk dev;
};

static int server_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct server *s = self;

    if (m->op == FSBENCH_OP_RAW) {
        return bench_raw(&s->dev, m);
    }
    if (m->op > 0x100) {
        return fssvc_handle(&s->n.fs, badge, m);
    }
    return axiom_handle(&s->n.axiom, badge, m);
}

/* Puts the file, reads it back; the times, or 0 on a failure (said). */
static int bench_fs(struct rt *rt, uint32_t self, uint32_t h, uint64_t *wns, uint64_t *rns)
{
    static struct fssvc_put rq;
    static char why[FSSVC_WHY_MAX];
    struct axiom_result res;
    size_t pages = FILE_BYTES / HAL_PAGE_SIZE, got = 0;
    uint8_t *data = hal_page_alloc(pages), *back = hal_page_alloc(RTX_BUF_LEN / HAL_PAGE_SIZE);
    uint64_t x = 0x9e3779b97f4a7c15ull;

    if (data == NULL || back == NULL) {
        zprintf("fsbench: no memory\n");
        return 2;
    }
    for (size_t i = 0; i < FILE_BYTES; i += 8) { /* xorshift: nothing to dedup */
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memcpy(data + i, &x, 8);
    }
    memset(&rq, 0, sizeof(rq));
    memcpy(rq.proposer, "root", 5);
    memcpy(rq.path, "/bench.bin", 11);
    rq.mode = 0644;
    rq.data = data;
    rq.len = FILE_BYTES;
    uint64_t t0 = hal_clock_ns();
    int err = fssvc_put_call(rt, self, h, &rq, &res);
    uint64_t t1 = hal_clock_ns();
    for (uint64_t off = 0; err == 0 && off < FILE_BYTES; off += got) {
        err = fssvc_read_call(rt, self, h, "/bench.bin", off, back, RTX_BUF_LEN, &got, why);
        err = err == 0 && (got == 0 || memcmp(back, data + off, got) != 0) ? ZERR_CORRUPT : err;
    }
    uint64_t t2 = hal_clock_ns();
    if (err != 0) {
        zprintf("fsbench: the file did not go through: %s %s %s\n", zerr_name(err), res.why, why);
        return 2;
    }
    *wns = t1 - t0;
    *rns = t2 - t1;
    return 0;
}

static int run_client(void)
{
    static struct rt rt;
    static struct rtx_chan chan;
    static struct rtx_proxy px;
    uint8_t out[16];
    uint64_t fw = 0, fr = 0;

    if (rtx_open(&chan, ZERO_SLOT_EP, CLIENT_VA) != 0) {
        zprintf("fsbench: no channel to the server\n");
        return 2;
    }
    px = (struct rtx_proxy){&chan, ZERO_SLOT_EP};
    rt_init(&rt);
    int srv = rt_register(&rt, "node", &px, rtx_forward);
    int self = rt_register(&rt, "bench", &px, rtx_forward);
    int h = rt_grant(&rt, (uint32_t)srv, (uint32_t)self, CAP_RIGHT_WRITE, 0);
    if (bench_fs(&rt, (uint32_t)self, (uint32_t)h, &fw, &fr) != 0) {
        return 2;
    }
    struct rt_msg m = {FSBENCH_OP_RAW, NULL, 0, out, sizeof(out), 0};
    int err = rt_call(&rt, (uint32_t)self, (uint32_t)h, &m);
    struct wire_in r;
    wire_in_init(&r, out, m.out_len);
    uint64_t rw = wire_get_u64(&r), rr = wire_get_u64(&r);
    if (err != 0 || wire_in_end(&r) != 0) {
        zprintf("fsbench: the raw run failed: %s\n", zerr_name(err));
        return 2;
    }
    zprintf("zero: bytes %u\n", FILE_BYTES);
    zprintf("zero: fs_write_mibs %llu\n", (unsigned long long)mibs(FILE_BYTES, fw));
    zprintf("zero: fs_read_mibs %llu\n", (unsigned long long)mibs(FILE_BYTES, fr));
    zprintf("zero: raw_write_mibs %llu\n", (unsigned long long)mibs(FILE_BYTES, rw));
    zprintf("zero: raw_read_mibs %llu\n", (unsigned long long)mibs(FILE_BYTES, rr));
    zprintf("zero: done\n");
    return 0;
}

int zero_main(uint64_t arg)
{
    static struct server s;
    char why[200] = "";

    if (arg == 1) {
        return run_client();
    }
    if (blk_open(&s.dev, "disk0", 0) != 0 || s.dev.size < 3u * FILE_BYTES) {
        zprintf("fsbench: needs a virtio-blk disk of at least %u MiB\n", 3u * FILE_BYTES >> 20);
        return 2;
    }
    if (node_start(&s.n, &s.dev, "root", why, sizeof(why)) != 0) {
        zprintf("fsbench: no node: %s\n", why);
        return 2;
    }
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t cep =
        zsys4(SYS_CAP_DERIVE, (uint64_t)ep, ZERO_SLOT_ANY, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT,
              RTX_BADGE(1, AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ));
    struct zsys r = {SYS_SPAWN, 0, 1, (uint64_t)cep, ZERO_CAP_NONE, 0, 0};
    zsys_raw(&r);
    if (ep < 0 || cep < 0 || (int64_t)r.rax < 0) {
        zprintf("fsbench: no client process\n");
        return 2;
    }
    return rtx_serve_rt((uint64_t)ep, SERVE_VA, server_handle, &s);
}
