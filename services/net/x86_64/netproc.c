/*
 * The network service process on x86_64 (see netproc.h): the stack's loop
 * in the main thread, the node's calls in a second one.  Frames go to and
 * come from the driver process in batches (VNET_OP_XFER), so one IPC round
 * trip carries many frames both ways.
 */
#include "services/net/x86_64/netproc.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "drivers/virtio-net/server.h"
#include "drivers/virtio-net/virtio_net.h"
#include "hal/hal.h"
#include "net/net.h"
#include "services/net/netsvc.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define QFRAMES 64
#define IDLE_WAIT_MS 5u
#define HTTP_CONNS 8
#define HTTP_REQ_MAX 2048
#define SERVER_STACK_PAGES 8

struct frameq {
    unsigned n;
    uint16_t len[QFRAMES];
    uint8_t b[QFRAMES][VNET_FRAME_MAX];
};

struct http_conn {
    int sock;
    size_t req_len;
    char req[HTTP_REQ_MAX];
};

/* A call from the node, handed from the server thread to the loop. */
struct request {
    uint32_t op;
    uint64_t a0, a1;
    char path[NETSVC_PATH_MAX + 1];
    int result;
    size_t out_len;
    uint8_t out[1024];
    int state; /* 0 idle, 1 posted, 2 running, 3 done */
};

struct fetch {
    int sock;
    bool sent, head_done;
    size_t head_len;
    char head[1024];
    blake3_hasher h;
    struct netsvc_fetch res;
};

/* The service's state: 2.4 MiB, allocated at start (not in the image's BSS,
 * which every role of zero-node shares). */
struct netproc {
    net_stack s;
    struct rtx_chan drv;
    uint64_t drv_ep;
    struct frameq tx, rx;
    struct request rq;
    struct fetch f;
    int listener;
    uint16_t http_port;
    struct http_conn http[HTTP_CONNS];
    struct netsvc_accept accepts[16];
    unsigned naccepts;
    uint64_t ping_sent;
    uint64_t now;
};

static struct netproc *netproc;
#define N (*netproc)

static uint8_t server_stack[SERVER_STACK_PAGES * 4096] __attribute__((aligned(16)));

static uint64_t now_ms(void)
{
    return hal_clock_ns() / 1000000u;
}

static void netproc_send(void *ctx, const uint8_t *frame, size_t len)
{
    (void)ctx;
    if (N.tx.n < QFRAMES && len <= VNET_FRAME_MAX) {
        N.tx.len[N.tx.n] = (uint16_t)len;
        memcpy(N.tx.b[N.tx.n++], frame, len);
    }
}

/*
 * Only what the node asked for, after it committed the authorization:
 * a connect to the address and port of the running fetch, a listen on
 * the port of the running listen request.  Everything else is refused.
 */
static int netproc_authorize(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    (void)ctx, (void)sock;
    const struct request *r = &N.rq;
    if (r->state != 2) {
        return ZERR_DENIED;
    }
    if (kind == NET_AUTH_CONNECT && r->op == NETSVC_OP_FETCH && r->a0 == ip && r->a1 == port) {
        return 0;
    }
    if (kind == NET_AUTH_LISTEN && r->op == NETSVC_OP_LISTEN && r->a0 == port) {
        return 0;
    }
    return ZERR_DENIED;
}

static void netproc_accepted(void *ctx, int listener, int sock, uint32_t ip, uint16_t port)
{
    (void)ctx, (void)listener, (void)sock;
    if (N.naccepts < sizeof(N.accepts) / sizeof(N.accepts[0])) {
        N.accepts[N.naccepts++] = (struct netsvc_accept){ip, port, N.http_port};
    }
}

static void netproc_random(void *ctx, void *buf, size_t len)
{
    (void)ctx;
    (void)hal_entropy(buf, len);
}

/* Moves queued frames to the driver and received ones into N.rx; waits up to wait_ms. */
static int xfer(uint64_t wait_ms)
{
    unsigned sent = 0;
    do {
        size_t off = 0;
        unsigned k = 0;
        while (sent + k < N.tx.n && off + 2u + N.tx.len[sent + k] <= RTX_BUF_LEN) {
            uint16_t len = N.tx.len[sent + k];
            memcpy(N.drv.buf + off, &len, 2);
            memcpy(N.drv.buf + off + 2, N.tx.b[sent + k], len);
            off += 2u + len;
            k++;
        }
        sent += k;
        size_t out_len = 0;
        int r =
            rtx_call(&N.drv, N.drv_ep, VNET_OP_XFER, k, sent < N.tx.n ? 0 : wait_ms, off, &out_len);
        if (r != 0) {
            return r;
        }
        for (size_t p = 0; p + 2 <= out_len && N.rx.n < QFRAMES;) {
            uint16_t len;
            memcpy(&len, N.drv.buf + p, 2);
            if (len > VNET_FRAME_MAX || p + 2u + len > out_len) {
                break;
            }
            N.rx.len[N.rx.n] = len;
            memcpy(N.rx.b[N.rx.n++], N.drv.buf + p + 2, len);
            p += 2u + len;
        }
    } while (sent < N.tx.n);
    N.tx.n = 0;
    return 0;
}

/* ---- HTTP server: a fixed page ------------------------------------------- */

/* The end of a request or response head ("\r\n\r\n") in s, or NULL. */
static char *head_end(char *s)
{
    for (; *s != '\0'; s++) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == '\r' && s[3] == '\n') {
            return s;
        }
    }
    return NULL;
}

static const char page[] = "<!doctype html><title>Zero OS</title><h1>Zero OS</h1>"
                           "<p>Served by Zero's own TCP/IP stack on x86_64.</p>\n";

static void http_answer(struct http_conn *c, const char *req)
{
    char head[256];
    bool get = strncmp(req, "GET ", 4) == 0;
    bool head_only = strncmp(req, "HEAD ", 5) == 0;
    const char *path = req + (get ? 4 : 5);
    bool root = strncmp(path, "/ ", 2) == 0 || strncmp(path, "/index.html ", 12) == 0;
    int code = !get && !head_only ? 501 : root ? 200 : 404;
    size_t body = code == 200 ? sizeof(page) - 1 : 0;
    int n = zfmt_snprintf(
        head, sizeof(head),
        "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\nContent-Type: text/html\r\n\r\n", code,
        code == 200   ? "OK"
        : code == 404 ? "Not Found"
                      : "Not Implemented",
        body);
    (void)net_tcp_send(&N.s, c->sock, head, (size_t)n, N.now);
    if (get && body > 0) {
        (void)net_tcp_send(&N.s, c->sock, page, body, N.now);
    }
}

/* Answers every complete request in c's buffer; false when the connection ended. */
static bool http_serve(struct http_conn *c)
{
    long got =
        net_tcp_recv(&N.s, c->sock, c->req + c->req_len, HTTP_REQ_MAX - 1 - c->req_len, N.now);
    if (got == 0 || (got < 0 && got != ZERR_AGAIN)) {
        return false;
    }
    c->req_len += got > 0 ? (size_t)got : 0;
    c->req[c->req_len] = '\0';
    char *end;
    while ((end = head_end(c->req)) != NULL) {
        http_answer(c, c->req);
        size_t used = (size_t)(end + 4 - c->req);
        memmove(c->req, c->req + used, c->req_len - used + 1);
        c->req_len -= used;
    }
    return c->req_len < HTTP_REQ_MAX - 1;
}

static void http_step(void)
{
    if (N.listener <= 0) {
        return;
    }
    for (int s; (s = net_tcp_accept(&N.s, N.listener)) > 0;) {
        for (unsigned i = 0; i < HTTP_CONNS; i++) {
            if (N.http[i].sock == 0) {
                N.http[i] = (struct http_conn){.sock = s};
                s = 0;
                break;
            }
        }
        if (s > 0) {
            net_tcp_abort(&N.s, s, N.now);
        }
    }
    for (unsigned i = 0; i < HTTP_CONNS; i++) {
        if (N.http[i].sock > 0 && !http_serve(&N.http[i])) {
            net_tcp_close(&N.s, N.http[i].sock, N.now);
            N.http[i].sock = 0;
        }
    }
}

/* ---- HTTP client ------------------------------------------------------------ */

/* Takes the status line and headers once complete; hashes what follows. */
static void fetch_take(struct fetch *f, const uint8_t *b, size_t n)
{
    if (f->head_done) {
        blake3_update(&f->h, b, n);
        f->res.bytes += n;
        return;
    }
    size_t k = n < sizeof(f->head) - 1 - f->head_len ? n : sizeof(f->head) - 1 - f->head_len;
    memcpy(f->head + f->head_len, b, k);
    f->head_len += k;
    f->head[f->head_len] = '\0';
    char *end = head_end(f->head);
    if (end != NULL) {
        f->head_done = true;
        const char *sp = strchr(f->head, ' ');
        f->res.status = sp != NULL ? (uint32_t)(sp[1] - '0') * 100u +
                                         (uint32_t)(sp[2] - '0') * 10u + (uint32_t)(sp[3] - '0')
                                   : 0;
        size_t body_off = (size_t)(end + 4 - f->head);
        fetch_take(f, (const uint8_t *)f->head + body_off, f->head_len - body_off);
        fetch_take(f, b + k, n - k);
    } else if (f->head_len == sizeof(f->head) - 1) {
        f->head_done = true; /* headers too long: status 0 */
    }
}

/* Runs the fetch of request r; returns ZERR_AGAIN until it is done. */
static int fetch_step(struct request *r)
{
    struct fetch *f = &N.f;
    static uint8_t buf[8192];
    if (f->sock == 0) {
        memset(f, 0, sizeof(*f));
        blake3_init(&f->h);
        f->sock = net_tcp_connect(&N.s, (uint32_t)r->a0, (uint16_t)r->a1, N.now);
        if (f->sock < 0) {
            int err = f->sock;
            f->sock = 0;
            return err;
        }
    }
    if (!f->sent) {
        char req[NETSVC_PATH_MAX + 64];
        int n = zfmt_snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: zero\r\n\r\n", r->path);
        long w = net_tcp_send(&N.s, f->sock, req, (size_t)n, N.now);
        if (w == n) {
            f->sent = true;
        } else if (w != ZERR_AGAIN) {
            net_tcp_abort(&N.s, f->sock, N.now);
            f->sock = 0;
            return w < 0 ? (int)w : ZERR_IO;
        }
    }
    for (;;) {
        long got = net_tcp_recv(&N.s, f->sock, buf, sizeof(buf), N.now);
        if (got > 0) {
            fetch_take(f, buf, (size_t)got);
            continue;
        }
        if (got == ZERR_AGAIN) {
            return ZERR_AGAIN;
        }
        net_tcp_close(&N.s, f->sock, N.now);
        f->sock = 0;
        if (got < 0) {
            return (int)got;
        }
        blake3_finalize(&f->h, f->res.blake3, sizeof(f->res.blake3));
        memcpy(r->out, &f->res, sizeof(f->res));
        r->out_len = sizeof(f->res);
        return 0;
    }
}

/* ---- the node's requests ------------------------------------------------------ */

static int status_text(struct request *r)
{
    uint32_t ip, mask, gw, dns;
    const struct net_counters *c = net_counters(&N.s);
    net_addr(&N.s, &ip, &mask, &gw, &dns);
    int n = zfmt_snprintf(
        (char *)r->out, sizeof(r->out),
        "address %u.%u.%u.%u/%u gateway %u.%u.%u.%u dns %u.%u.%u.%u\n"
        "frames in %llu out %llu; tcp retransmits %llu; icmp echo replies %llu%s\n",
        ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, (unsigned)__builtin_popcount(mask),
        gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255, gw & 255, dns >> 24, (dns >> 16) & 255,
        (dns >> 8) & 255, dns & 255, (unsigned long long)c->rx_frames,
        (unsigned long long)c->tx_frames, (unsigned long long)c->tcp_retransmits,
        (unsigned long long)c->icmp_echo_replied, N.listener > 0 ? "; httpd listening" : "");
    r->out_len = n > 0 ? (size_t)n : 0;
    return ip == 0 ? ZERR_AGAIN : 0;
}

static int ping_step(struct request *r)
{
    uint64_t rtt;
    if (N.ping_sent == 0) {
        int err = net_ping(&N.s, (uint32_t)r->a0, 1, N.now);
        if (err != 0) {
            return err;
        }
        N.ping_sent = N.now;
    }
    if (net_ping_result(&N.s, &rtt) == 0) {
        N.ping_sent = 0;
        memcpy(r->out, &rtt, sizeof(rtt));
        r->out_len = sizeof(rtt);
        return 0;
    }
    if (N.now - N.ping_sent > 3000) {
        N.ping_sent = 0;
        return ZERR_TIMEOUT;
    }
    return ZERR_AGAIN;
}

static int request_step(struct request *r)
{
    switch (r->op) {
    case NETSVC_OP_STATUS:
        (void)status_text(r);
        return 0;
    case NETSVC_OP_PING:
        return ping_step(r);
    case NETSVC_OP_LISTEN:
        if (N.listener > 0) {
            return ZERR_EXIST;
        }
        N.http_port = (uint16_t)r->a0;
        N.listener = net_tcp_listen(&N.s, N.http_port, HTTP_CONNS);
        return N.listener > 0 ? 0 : N.listener;
    case NETSVC_OP_FETCH:
        return fetch_step(r);
    case NETSVC_OP_ACCEPTS:
        r->out_len = N.naccepts * sizeof(N.accepts[0]);
        memcpy(r->out, N.accepts, r->out_len);
        N.naccepts = 0;
        return 0;
    default:
        return ZERR_UNSUPPORTED;
    }
}

/* The loop's part: runs a posted request until it is done. */
static void request_poll(void)
{
    int state = __atomic_load_n(&N.rq.state, __ATOMIC_ACQUIRE);
    if (state != 1 && state != 2) {
        return;
    }
    N.rq.state = 2;
    int r = request_step(&N.rq);
    if (r != ZERR_AGAIN) {
        N.rq.result = r;
        __atomic_store_n(&N.rq.state, 3, __ATOMIC_RELEASE);
    }
}

/* The server thread's handler: posts the call and waits for the loop. */
static int serve_call(void *self, struct rtx_req *rq)
{
    (void)self;
    struct request *r = &N.rq;
    if (rq->op == NETSVC_OP_STOP) {
        rq->stop = 1; /* server_thread then ends the process */
        return 0;
    }
    r->op = rq->op;
    r->a0 = rq->a0;
    r->a1 = rq->a1;
    r->out_len = 0;
    size_t n = rq->in_len < NETSVC_PATH_MAX ? rq->in_len : NETSVC_PATH_MAX;
    memcpy(r->path, rq->buf, n);
    r->path[n] = '\0';
    __atomic_store_n(&r->state, 1, __ATOMIC_RELEASE);
    while (__atomic_load_n(&r->state, __ATOMIC_ACQUIRE) != 3) {
        hal_wait_until(hal_clock_ns() + 1000000u);
    }
    memcpy(rq->buf, r->out, r->out_len);
    rq->out_len = r->out_len;
    r->state = 0;
    return r->result;
}

static uint64_t server_ep, server_va;

static void server_thread(uint64_t arg)
{
    (void)arg;
    (void)rtx_serve(server_ep, server_va, serve_call, NULL);
    zero_exit(0);
}

static int netproc_start(void)
{
    static const struct net_ops ops = {netproc_send, netproc_authorize, netproc_accepted,
                                       netproc_random};
    struct net_config cfg;
    size_t out_len = 0;
    int r = rtx_call(&N.drv, N.drv_ep, VNET_OP_INFO, 0, 0, 0, &out_len);
    if (r != 0 || out_len < 7) {
        zprintf("net: no virtio-net device (%s)\n", zerr_name(r != 0 ? r : ZERR_IO));
        return r != 0 ? r : ZERR_IO;
    }
    memset(&cfg, 0, sizeof(cfg));
    memcpy(cfg.mac.b, N.drv.buf, 6);
    zprintf("net: virtio-net %02x:%02x:%02x:%02x:%02x:%02x, driver in its own process (%s)\n",
            cfg.mac.b[0], cfg.mac.b[1], cfg.mac.b[2], cfg.mac.b[3], cfg.mac.b[4], cfg.mac.b[5],
            N.drv.buf[6] ? "interrupts" : "polling");
    N.now = now_ms();
    return net_init(&N.s, &cfg, &ops, NULL, N.now);
}

/* Without a device: answers every call with err until the node stops. */
static int serve_error(void *self, struct rtx_req *rq)
{
    rq->stop = rq->op == NETSVC_OP_STOP;
    return rq->stop ? 0 : *(const int *)self;
}

int netproc_main(uint64_t drv, uint64_t drv_va, uint64_t ep, uint64_t ep_va)
{
    int r = ZERR_NOMEM;
    netproc = hal_page_alloc((sizeof(struct netproc) + 4095) / 4096);
    if (netproc != NULL) {
        N.drv_ep = drv;
        r = rtx_open(&N.drv, drv, drv_va);
        r = r != 0 ? r : netproc_start();
    }
    if (r != 0) {
        (void)rtx_serve(ep, ep_va, serve_error, &r);
        return 1;
    }
    server_ep = ep;
    server_va = ep_va;
    uint64_t top = (uint64_t)(uintptr_t)(server_stack + sizeof(server_stack)) - 8;
    if (zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)server_thread, top, 0, 10) < 0) {
        return 1;
    }
    bool announced = false;
    for (;;) {
        N.now = now_ms();
        uint64_t next = net_next_deadline(&N.s);
        uint64_t wait = next <= N.now ? 0 : next - N.now;
        wait = wait > IDLE_WAIT_MS ? IDLE_WAIT_MS : wait;
        if (xfer(N.tx.n > 0 || N.rq.state == 2 ? 0 : wait) != 0) {
            zprintf("net: the driver process is unreachable\n");
            return 1;
        }
        N.now = now_ms();
        for (unsigned i = 0; i < N.rx.n; i++) {
            net_input(&N.s, N.rx.b[i], N.rx.len[i], N.now);
        }
        N.rx.n = 0;
        net_poll(&N.s, N.now);
        http_step();
        request_poll();
        if (!announced && N.rq.state == 0 && status_text(&N.rq) == 0) {
            zprintf("net: %.*s", (int)N.rq.out_len, (const char *)N.rq.out);
            announced = true;
        }
    }
}
