/*
 * Two stacks in one process, linked by a socketpair(AF_UNIX, SOCK_DGRAM)
 * that carries their Ethernet frames through the zero-net transport: ARP
 * between them, ping, UDP, and 1 MiB through a TCP echo server and back,
 * checked byte for byte, once clean and once with 5% of frames dropped
 * both ways.  Time is the real monotonic clock.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "net/net.h"
#include "net/wire.h"
#include "tap.h"
#include "tools/zero-net/transport.h"

enum { A_IP = 0x0a0a0001, B_IP = 0x0a0a0002, ECHO_PORT = 7, TOTAL = 1 << 20 };

struct peer {
    net_stack *s;
    struct net_transport tr;
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t trace_after;
static void send_frame(void *ctx, const uint8_t *f, size_t n)
{
    struct peer *p = ctx;
    if (trace_after != 0 && now_ms() > trace_after && n > 54 && f[23] == 6) {
        const uint8_t *t = f + 34;
        tap_diag("%llu %s seq %u ack %u flags %x wnd %u len %zu", (unsigned long long)now_ms(),
                 f[11] == 1 ? "A>" : "B>", net_get32(t + 4), net_get32(t + 8), t[13],
                 net_get16(t + 14), n - 54);
    }
    net_transport_send(&p->tr, f, n);
}

static int allow(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    (void)ctx;
    (void)kind;
    (void)ip;
    (void)port;
    (void)sock;
    return 0;
}

static void rnd(void *ctx, void *buf, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        ((uint8_t *)buf)[i] = (uint8_t)rand();
    }
}

static void peer_init(struct peer *p, int fd, uint32_t ip, uint8_t mac_last, uint32_t drop)
{
    static const struct net_ops ops = {.send_frame = send_frame, .authorize = allow, .random = rnd};
    struct net_config cfg = {
        .mac = {{2, 0, 0, 0, 0x10, mac_last}},
        .ip = ip,
        .netmask = 0xffffff00u,
        .rto_min_ms = 50,
        .drop_permille = drop,
    };
    p->s = calloc(1, sizeof(net_stack));
    net_transport_fd(&p->tr, fd);
    net_init(p->s, &cfg, &ops, p, now_ms());
}

/* Moves frames both ways and runs both stacks' timers, waiting up to 2 ms for a frame. */
static void pump(struct peer *a, struct peer *b)
{
    static uint8_t f[2048];
    struct peer *ps[2] = {a, b};
    struct pollfd pfd[2] = {{.fd = a->tr.fd, .events = POLLIN}, {.fd = b->tr.fd, .events = POLLIN}};
    poll(pfd, 2, 2);
    for (int k = 0; k < 2; k++) {
        long n;
        while ((n = net_transport_recv(&ps[k]->tr, f, sizeof(f))) > 0) {
            net_input(ps[k]->s, f, (size_t)n, now_ms());
        }
        net_poll(ps[k]->s, now_ms());
    }
}

/* Serves echo on a: sends back what it read before it reads more. */
static void echo_serve(struct peer *a, int listener, int *conn)
{
    static uint8_t buf[8192];
    static size_t len, off;
    if (*conn == 0) {
        *conn = net_tcp_accept(a->s, listener);
        len = off = 0;
        if (*conn <= 0) {
            *conn = 0;
            return;
        }
    }
    if (*conn < 0) {
        return;
    }
    while (off < len) {
        long w = net_tcp_send(a->s, *conn, buf + off, len - off, now_ms());
        if (w <= 0) {
            return;
        }
        off += (size_t)w;
    }
    long r = net_tcp_recv(a->s, *conn, buf, sizeof(buf), now_ms());
    if (r > 0) {
        len = (size_t)r;
        off = 0;
    } else if (r == 0) {
        net_tcp_close(a->s, *conn, now_ms());
        *conn = -1;
    }
}

/* Sends TOTAL bytes through the echo and compares what returns; true when equal. */
static bool echo_round(struct peer *a, struct peer *b, uint64_t *ms)
{
    uint8_t *data = malloc(TOTAL);
    uint8_t *back = malloc(TOTAL);
    for (size_t i = 0; i < TOTAL; i++) {
        data[i] = (uint8_t)rand();
    }
    int l = net_tcp_listen(a->s, ECHO_PORT, 2);
    int c = net_tcp_connect(b->s, A_IP, ECHO_PORT, now_ms());
    int conn = 0;
    size_t sent = 0, got = 0;
    bool shut = false;
    uint64_t start = now_ms();
    trace_after = getenv("NET_TRACE") ? start + (uint64_t)atoi(getenv("NET_TRACE")) : 0;
    while (now_ms() - start < 60000) {
        pump(a, b);
        echo_serve(a, l, &conn);
        if (sent < TOTAL) {
            size_t chunk = TOTAL - sent < 4096 ? TOTAL - sent : 4096;
            long w = net_tcp_send(b->s, c, data + sent, chunk, now_ms());
            sent += w > 0 ? (size_t)w : 0;
        } else if (!shut) {
            shut = net_tcp_shutdown(b->s, c, now_ms()) == 0;
        }
        long r = net_tcp_recv(b->s, c, back + got, TOTAL - got, now_ms());
        if (r > 0) {
            got += (size_t)r;
        } else if (r == 0 || (r < 0 && r != ZERR_AGAIN)) {
            break;
        }
    }
    *ms = now_ms() - start;
    bool same = got == TOTAL && memcmp(data, back, TOTAL) == 0;
    if (!same) {
        tap_diag("sent %zu, got back %zu", sent, got);
        struct net_sock_info i;
        int hs[2] = {c, conn};
        net_stack *ss[2] = {b->s, a->s};
        for (int k = 0; k < 2; k++) {
            if (net_sock_info(ss[k], hs[k], &i) == 0) {
                tap_diag("%s: state %d cwnd %u ssthresh %u wnd %u rto %u readable %u writable %u",
                         k ? "server" : "client", i.state, i.cwnd, i.ssthresh, i.snd_wnd, i.rto_ms,
                         i.readable, i.writable);
                const struct net_tcb *t = &ss[k]->tcp[hs[k] & 0x3f];
                tap_diag("  una %u nxt %u max %u sb_seq %u sb_len %u rcv_nxt %u rto_dl %lld "
                         "persist %lld now %llu dup %u rec %d fin %d",
                         t->snd_una, t->snd_nxt, t->snd_max, t->sb_seq, t->sb_len, t->rcv_nxt,
                         (long long)t->rto_deadline, (long long)t->persist_deadline,
                         (unsigned long long)now_ms(), t->dupacks, t->in_recovery, t->fin_queued);
            }
        }
    }
    net_tcp_close(b->s, c, now_ms());
    net_tcp_close(a->s, l, now_ms());
    free(data);
    free(back);
    return same;
}

/* Sends TOTAL bytes from b to a (a only reads) and compares; true when equal. */
static bool one_way(struct peer *a, struct peer *b, uint64_t *ms)
{
    uint8_t *data = malloc(TOTAL);
    uint8_t *got = malloc(TOTAL);
    for (size_t i = 0; i < TOTAL; i++) {
        data[i] = (uint8_t)rand();
    }
    int l = net_tcp_listen(a->s, ECHO_PORT + 1, 1);
    int c = net_tcp_connect(b->s, A_IP, ECHO_PORT + 1, now_ms());
    int conn = 0;
    size_t sent = 0, n = 0;
    uint64_t start = now_ms();
    while (now_ms() - start < 60000) {
        pump(a, b);
        if (sent < TOTAL) {
            long w = net_tcp_send(b->s, c, data + sent, TOTAL - sent, now_ms());
            sent += w > 0 ? (size_t)w : 0;
        } else {
            net_tcp_shutdown(b->s, c, now_ms());
        }
        if (conn <= 0) {
            conn = net_tcp_accept(a->s, l);
            continue;
        }
        long r = net_tcp_recv(a->s, conn, got + n, TOTAL - n, now_ms());
        if (r > 0) {
            n += (size_t)r;
        } else if (r != ZERR_AGAIN) {
            break;
        }
    }
    *ms = now_ms() - start;
    bool same = n == TOTAL && memcmp(data, got, TOTAL) == 0;
    net_tcp_close(a->s, conn, now_ms());
    net_tcp_close(a->s, l, now_ms());
    net_tcp_close(b->s, c, now_ms());
    free(data);
    free(got);
    return same;
}

static void run(uint32_t drop)
{
    int sv[2];
    ok(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0, "socketpair");
    struct peer a, b;
    peer_init(&a, sv[0], A_IP, 1, drop);
    peer_init(&b, sv[1], B_IP, 2, drop);

    uint64_t rtt = 0;
    bool answered = false;
    for (int tries = 0; tries < 20 && !answered; tries++) {
        net_ping(b.s, A_IP, (uint16_t)tries, now_ms());
        for (int i = 0; i < 50 && !answered; i++) {
            pump(&a, &b);
            answered = net_ping_result(b.s, &rtt) == 0;
        }
    }
    ok(answered, "ping over the socketpair is answered (drop %u permille)", drop);

    int ua = net_udp_open(a.s, 5353);
    int ub = net_udp_open(b.s, 0);
    char buf[64];
    long n = ZERR_AGAIN;
    uint32_t from = 0;
    uint16_t port = 0;
    for (int tries = 0; tries < 20 && n == ZERR_AGAIN; tries++) {
        net_udp_sendto(b.s, ub, A_IP, 5353, "datagram", 8, now_ms());
        for (int i = 0; i < 20 && n == ZERR_AGAIN; i++) {
            pump(&a, &b);
            n = net_udp_recvfrom(a.s, ua, buf, sizeof(buf), &from, &port);
        }
    }
    ok(n == 8 && memcmp(buf, "datagram", 8) == 0 && from == B_IP, "UDP datagram arrives");

    uint64_t ms = 0;
    ok(one_way(&a, &b, &ms), "1 MiB one way, byte for byte (drop %u permille)", drop);
    tap_diag("drop %u permille: 1 MiB one way in %llu ms", drop, (unsigned long long)ms);
    ok(echo_round(&a, &b, &ms), "1 MiB through TCP echo and back, byte for byte (drop %u)", drop);
    tap_diag("drop %u permille: 1 MiB echoed in %llu ms", drop, (unsigned long long)ms);
    uint64_t retx = net_counters(a.s)->tcp_retransmits + net_counters(b.s)->tcp_retransmits;
    uint64_t fast =
        net_counters(a.s)->tcp_fast_retransmits + net_counters(b.s)->tcp_fast_retransmits;
    tap_diag("drop %u permille: retransmits %llu, fast %llu", drop, (unsigned long long)retx,
             (unsigned long long)fast);
    if (drop > 0) {
        ok(net_counters(b.s)->tcp_retransmits > 0, "losses were repaired by retransmission");
    }
    close(sv[0]);
    close(sv[1]);
    free(a.s);
    free(b.s);
}

int main(void)
{
    tap_no_plan();
    srand(1);
    run(0);
    run(50);
    return tap_done();
}
