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
#include "services/net/x86_64/httpd.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define QFRAMES 64
#define IDLE_WAIT_MS 5u
#define SERVER_STACK_PAGES 8
#define FETCH_PAGES (NETSVC_FETCH_MAX / 4096u)
#define SOCK_CONNECT_MS 15000u /* a connect that is not established by then fails */
#define RTO_MIN_MS 200u        /* Linux's lower bound of the retransmission timeout */

struct frameq {
    unsigned n;
    uint16_t len[QFRAMES];
    uint8_t b[QFRAMES][VNET_FRAME_MAX];
};

/* A call from the node, handed from the server thread to the loop. */
struct request {
    uint32_t op;
    uint64_t a0, a1;
    char path[NETSVC_PATH_MAX + 2]; /* the request bytes as a string, and one more NUL */
    size_t in_len;
    uint8_t in[RTX_BUF_LEN];
    int result;
    size_t out_len;
    uint8_t out[RTX_BUF_LEN];
    int state;      /* 0 idle, 1 posted, 2 running, 3 done */
    uint64_t since; /* when the loop took it */
    int sock;       /* NETSVC_OP_SOCK_CONNECT: the connection being opened */
    size_t done;    /* NETSVC_OP_SOCK_SEND: bytes queued so far */
};

struct fetch {
    int sock;
    bool sent, head_done;
    size_t head_len;
    char head[1024];
    blake3_hasher h;
    struct netsvc_fetch res;
    uint8_t *body; /* the first NETSVC_FETCH_MAX bytes of the last body */
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
    struct httpd http;
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
    if (kind == NET_AUTH_CONNECT && (r->op == NETSVC_OP_FETCH || r->op == NETSVC_OP_SOCK_CONNECT) &&
        r->a0 == ip && r->a1 == port) {
        return 0;
    }
    if (kind == NET_AUTH_LISTEN && (r->op == NETSVC_OP_LISTEN || r->op == NETSVC_OP_SOCK_LISTEN) &&
        r->a0 == port) {
        return 0;
    }
    return ZERR_DENIED;
}

/*
 * A connection the stack accepted: the HTTP server's are recorded by the
 * service itself before they are served (httpd_record); the others (the
 * node's nc -l) are handed to the terminal, which records them.
 */
static void netproc_accepted(void *ctx, int listener, int sock, uint32_t ip, uint16_t port)
{
    struct net_sock_info li;
    (void)ctx, (void)listener;
    if (net_sock_info(&N.s, sock, &li) != 0) {
        return;
    }
    if (N.http.listener > 0 && li.local_port == N.http.port) {
        httpd_accepted(&N.http, sock, ip, port);
    } else if (N.naccepts < sizeof(N.accepts) / sizeof(N.accepts[0])) {
        N.accepts[N.naccepts++] = (struct netsvc_accept){ip, port, li.local_port};
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

/* The end of a response head ("\r\n\r\n") in s, or NULL. */
static char *head_end(char *s)
{
    for (; *s != '\0'; s++) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == '\r' && s[3] == '\n') {
            return s;
        }
    }
    return NULL;
}

/* ---- HTTP client ------------------------------------------------------------ */

/* Takes the status line and headers once complete; hashes what follows. */
static void fetch_take(struct fetch *f, const uint8_t *b, size_t n)
{
    if (f->head_done) {
        blake3_update(&f->h, b, n);
        if (f->body != NULL && f->res.bytes < NETSVC_FETCH_MAX) {
            uint64_t room = NETSVC_FETCH_MAX - f->res.bytes;
            memcpy(f->body + f->res.bytes, b, n < room ? n : (size_t)room);
            f->res.kept += n < room ? n : room;
        }
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
        uint8_t *body = f->body != NULL ? f->body : hal_page_alloc(FETCH_PAGES);
        memset(f, 0, sizeof(*f));
        f->body = body;
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
        const char *host = r->path + strlen(r->path) + 1; /* after the path's NUL, or "" */
        int n = zfmt_snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", r->path,
                              host[0] != '\0' ? host : "zero");
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

/* Frames the driver's test drop filter lost so far (0 when it is off). */
static uint64_t driver_dropped(void)
{
    size_t len = 0;
    uint64_t n = 0;
    if (rtx_call(&N.drv, N.drv_ep, VNET_OP_INFO, 0, 0, 0, &len) == 0 && len >= 19) {
        memcpy(&n, N.drv.buf + 11, 8);
    }
    return n;
}

static int status_text(struct request *r)
{
    uint32_t ip, mask, gw, dns;
    char drops[48] = "";
    uint64_t dropped = driver_dropped();
    if (dropped != 0) {
        zfmt_snprintf(drops, sizeof(drops), "; dropped by the test filter %llu",
                      (unsigned long long)dropped);
    }
    const struct net_counters *c = net_counters(&N.s);
    net_addr(&N.s, &ip, &mask, &gw, &dns);
    int n = zfmt_snprintf(
        (char *)r->out, sizeof(r->out),
        "address %u.%u.%u.%u/%u gateway %u.%u.%u.%u dns %u.%u.%u.%u\n"
        "frames in %llu out %llu; tcp retransmits %llu; icmp echo replies %llu%s%s\n",
        ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, (unsigned)__builtin_popcount(mask),
        gw >> 24, (gw >> 16) & 255, (gw >> 8) & 255, gw & 255, dns >> 24, (dns >> 16) & 255,
        (dns >> 8) & 255, dns & 255, (unsigned long long)c->rx_frames,
        (unsigned long long)c->tx_frames, (unsigned long long)c->tcp_retransmits,
        (unsigned long long)c->icmp_echo_replied, drops,
        N.http.listener > 0 ? "; httpd listening" : "");
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

static int resolve_step(struct request *r)
{
    uint32_t ip;
    int err = 0;
    if (r->done == 0) { /* the first turn: a dotted quad, or a query */
        r->done = 1;
        err = net_ip_parse(r->path, &ip) == 0 ? 0 : net_dns_resolve(&N.s, r->path, N.now);
        err = err != 0 ? err : net_ip_parse(r->path, &ip) == 0 ? 0 : ZERR_AGAIN;
    } else {
        err = net_dns_result(&N.s, &ip);
    }
    if (err == 0) {
        memcpy(r->out, &ip, sizeof(ip));
        r->out_len = sizeof(ip);
    }
    return err;
}

/* ---- sockets for the node (the terminal's nc) ------------------------------------ */

static int sock_reply_handle(struct request *r, int sock)
{
    memcpy(r->out, &sock, sizeof(sock));
    r->out_len = sizeof(sock);
    return 0;
}

/* Opens a connection and waits until it is established (or fails). */
static int sock_connect_step(struct request *r)
{
    struct net_sock_info info;
    if (r->sock == 0) {
        r->sock = net_tcp_connect(&N.s, (uint32_t)r->a0, (uint16_t)r->a1, N.now);
        if (r->sock < 0) {
            int err = r->sock;
            r->sock = 0;
            return err;
        }
    }
    int err = net_sock_info(&N.s, r->sock, &info);
    if (err == 0 && info.error == 0 && info.state == NET_TCP_ESTABLISHED) {
        err = sock_reply_handle(r, r->sock);
        r->sock = 0;
        return err;
    }
    if (err == 0 && info.error == 0 && N.now - r->since < SOCK_CONNECT_MS) {
        return ZERR_AGAIN;
    }
    net_tcp_abort(&N.s, r->sock, N.now);
    r->sock = 0;
    return err != 0 ? err : info.error != 0 ? info.error : ZERR_TIMEOUT;
}

/* Queues all of the request's bytes on connection a0, waiting for room. */
static int sock_send_step(struct request *r)
{
    while (r->done < r->in_len) {
        long w = net_tcp_send(&N.s, (int)r->a0, r->in + r->done, r->in_len - r->done, N.now);
        if (w == ZERR_AGAIN) {
            return ZERR_AGAIN;
        }
        if (w < 0) {
            return (int)w;
        }
        r->done += (size_t)w;
    }
    return 0;
}

/* Reads what connection a0 holds, waiting up to a1 ms for the first byte. */
static int sock_recv_step(struct request *r)
{
    uint32_t cap = sizeof(r->out);
    if (r->in_len == sizeof(cap)) { /* the caller's room, when it says */
        memcpy(&cap, r->in, sizeof(cap));
        cap = cap < sizeof(r->out) ? cap : sizeof(r->out);
    }
    long got = net_tcp_recv(&N.s, (int)r->a0, r->out, cap, N.now);
    if (got >= 0) {
        r->out_len = (size_t)got; /* 0: the peer closed and everything was read */
        return 0;
    }
    return got == ZERR_AGAIN && N.now - r->since >= r->a1 ? ZERR_TIMEOUT : (int)got;
}

/* Waits up to a1 ms for a connection on listener a0. */
static int sock_accept_step(struct request *r)
{
    int s = net_tcp_accept(&N.s, (int)r->a0);
    if (s > 0) {
        return sock_reply_handle(r, s);
    }
    return s == ZERR_AGAIN && N.now - r->since >= r->a1 ? ZERR_TIMEOUT : s;
}

static int sock_step(struct request *r)
{
    int s;
    switch (r->op) {
    case NETSVC_OP_SOCK_CONNECT:
        return sock_connect_step(r);
    case NETSVC_OP_SOCK_LISTEN:
        s = net_tcp_listen(&N.s, (uint16_t)r->a0, 4);
        return s > 0 ? sock_reply_handle(r, s) : s;
    case NETSVC_OP_SOCK_ACCEPT:
        return sock_accept_step(r);
    case NETSVC_OP_SOCK_SEND:
        return sock_send_step(r);
    case NETSVC_OP_SOCK_RECV:
        return sock_recv_step(r);
    case NETSVC_OP_SOCK_SHUTDOWN:
        return net_tcp_shutdown(&N.s, (int)r->a0, N.now);
    case NETSVC_OP_SOCK_CLOSE:
        return net_tcp_close(&N.s, (int)r->a0, N.now);
    default:
        return ZERR_UNSUPPORTED;
    }
}

static int request_step(struct request *r)
{
    switch (r->op) {
    case NETSVC_OP_STATUS:
        (void)status_text(r);
        return 0;
    case NETSVC_OP_PING:
        return ping_step(r);
    case NETSVC_OP_LISTEN: /* the directory, NUL, the principal that serves it */
        return httpd_listen(&N.http, (uint16_t)r->a0, r->path, r->path + strlen(r->path) + 1);
    case NETSVC_OP_FETCH:
        return fetch_step(r);
    case NETSVC_OP_ACCEPTS:
        r->out_len = N.naccepts * sizeof(N.accepts[0]);
        memcpy(r->out, N.accepts, r->out_len);
        N.naccepts = 0;
        return 0;
    case NETSVC_OP_RESOLVE:
        return resolve_step(r);
    default:
        return sock_step(r);
    }
}

/* The loop's part: runs a posted request until it is done. */
static void request_poll(void)
{
    int state = __atomic_load_n(&N.rq.state, __ATOMIC_ACQUIRE);
    if (state != 1 && state != 2) {
        return;
    }
    if (state == 1) {
        N.rq.since = N.now;
        N.rq.sock = 0;
        N.rq.done = 0;
    }
    N.rq.state = 2;
    int r = request_step(&N.rq);
    if (r != ZERR_AGAIN) {
        N.rq.result = r;
        __atomic_store_n(&N.rq.state, 3, __ATOMIC_RELEASE);
    }
}

/*
 * NETSVC_OP_FETCH_READ, in the server thread: the last fetch's body is
 * written only while a fetch runs, and calls are one at a time.
 */
static int fetch_read(struct rtx_req *rq)
{
    const struct fetch *f = &N.f;
    if (f->body == NULL || rq->a0 > f->res.kept) {
        return ZERR_RANGE;
    }
    uint64_t left = f->res.kept - rq->a0;
    rq->out_len = left < RTX_BUF_LEN ? (size_t)left : RTX_BUF_LEN;
    memcpy(rq->buf, f->body + rq->a0, rq->out_len);
    return 0;
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
    if (rq->op == NETSVC_OP_FETCH_READ) {
        return fetch_read(rq);
    }
    r->op = rq->op;
    r->a0 = rq->a0;
    r->a1 = rq->a1;
    r->out_len = 0;
    r->in_len = rq->in_len < sizeof(r->in) ? rq->in_len : sizeof(r->in);
    memcpy(r->in, rq->buf, r->in_len);
    size_t n = r->in_len < NETSVC_PATH_MAX ? r->in_len : NETSVC_PATH_MAX;
    memset(r->path, 0, sizeof(r->path));
    memcpy(r->path, r->in, n);
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

/*
 * net.ip=A.B.C.D/LEN on the kernel's command line: a static address (no
 * DHCP) on a network without a server, as two guests linked by a QEMU
 * socket; 0 when absent or malformed.
 */
static uint32_t static_addr(uint32_t *mask)
{
    char v[24];
    uint32_t ip = 0;
    unsigned len = 0;
    char *slash;
    if (zero_boot_arg("net.ip", v, sizeof(v)) <= 0 || (slash = strchr(v, '/')) == NULL) {
        return 0;
    }
    *slash = '\0';
    for (const char *c = slash + 1; *c != '\0' && len <= 32; c++) {
        len = *c >= '0' && *c <= '9' ? len * 10u + (unsigned)(*c - '0') : 99u;
    }
    if (net_ip_parse(v, &ip) != 0 || slash[1] == '\0' || len == 0 || len > 32) {
        return 0;
    }
    *mask = len == 32 ? 0xffffffffu : ~(0xffffffffu >> len);
    return ip;
}

static int netproc_start(void)
{
    static const struct net_ops ops = {netproc_send, netproc_authorize, netproc_accepted,
                                       netproc_random};
    struct net_config cfg;
    size_t out_len = 0;
    uint32_t drop = 0;
    int r = rtx_call(&N.drv, N.drv_ep, VNET_OP_INFO, 0, 0, 0, &out_len);
    if (r != 0 || out_len < 7) {
        zprintf("net: no virtio-net device (%s)\n", zerr_name(r != 0 ? r : ZERR_IO));
        return r != 0 ? r : ZERR_IO;
    }
    memset(&cfg, 0, sizeof(cfg));
    memcpy(cfg.mac.b, N.drv.buf, 6);
    if (out_len >= 11) {
        memcpy(&drop, N.drv.buf + 7, 4);
    }
    zprintf("net: virtio-net %02x:%02x:%02x:%02x:%02x:%02x, driver in its own process (%s)\n",
            cfg.mac.b[0], cfg.mac.b[1], cfg.mac.b[2], cfg.mac.b[3], cfg.mac.b[4], cfg.mac.b[5],
            N.drv.buf[6] ? "interrupts" : "polling");
    if (drop != 0) {
        zprintf("net: test drop filter in the driver: %u of 1000 frames lost\n", drop);
    }
    cfg.ip = static_addr(&cfg.netmask);
    cfg.rto_min_ms = RTO_MIN_MS;
    N.now = now_ms();
    return net_init(&N.s, &cfg, &ops, NULL, N.now);
}

/* Without a device: answers every call with err until the node stops. */
static int serve_error(void *self, struct rtx_req *rq)
{
    rq->stop = rq->op == NETSVC_OP_STOP;
    return rq->stop ? 0 : *(const int *)self;
}

int netproc_main(uint64_t drv, uint64_t drv_va, uint64_t ep, uint64_t ep_va, uint64_t axiom,
                 uint64_t axiom_va)
{
    int r = ZERR_NOMEM;
    netproc = hal_page_alloc((sizeof(struct netproc) + 4095) / 4096);
    if (netproc != NULL) {
        N.drv_ep = drv;
        r = rtx_open(&N.drv, drv, drv_va);
        r = r != 0 ? r : netproc_start();
    }
    if (r == 0 && httpd_init(&N.http, &N.s, axiom, axiom_va) != 0) {
        zprintf("net: no filesystem for httpd (the Axiom process did not answer)\n");
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
        if (N.http.nrec > 0) { /* the replies out first: the commit delays no handshake */
            if (xfer(0) != 0) {
                zprintf("net: the driver process is unreachable\n");
                return 1;
            }
            (void)httpd_record(&N.http, N.now);
        }
        httpd_step(&N.http, N.now);
        request_poll();
        uint32_t ip = 0, mask, gw, dns;
        net_addr(&N.s, &ip, &mask, &gw, &dns);
        if (!announced && ip != 0 && N.rq.state == 0 && status_text(&N.rq) == 0) {
            zprintf("net: %.*s", (int)N.rq.out_len, (const char *)N.rq.out);
            announced = true;
        }
    }
}
