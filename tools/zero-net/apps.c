/*
 * The smaller zero-net applications: a line echo server, nc, an HTTP
 * client that saves the body and prints its BLAKE3 hash, a byte sink and
 * source for throughput figures, ping, a DNS lookup and DHCP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/blake3.h"

static void print_ip(const char *label, uint32_t ip)
{
    printf("%s%u.%u.%u.%u\n", label, ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

/* ---- echo PORT: sends every byte back; closes when the peer does ---------- */

enum { ECHO_CONNS = 8, ECHO_BUF = 16384 };

static struct {
    int listener;
    struct {
        int sock;
        size_t len, off;
        char buf[ECHO_BUF];
    } c[ECHO_CONNS];
} E;

int echo_init(struct node *n, int argc, char **argv)
{
    uint16_t port;
    if (argc != 1 || node_parse_port(argv[0], &port) != 0) {
        fprintf(stderr, "usage: zero-net ... echo PORT\n");
        return ZERR_INVAL;
    }
    E.listener = net_tcp_listen(n->s, port, ECHO_CONNS);
    if (E.listener < 0) {
        fprintf(stderr, "zero-net: echo: cannot listen: %s\n", zerr_text(E.listener));
        return ZERR_INVAL;
    }
    printf("echo: listening on port %u\n", port);
    return 0;
}

int echo_step(struct node *n)
{
    int sock;
    while ((sock = net_tcp_accept(n->s, E.listener)) > 0) {
        int i = 0;
        while (i < ECHO_CONNS && E.c[i].sock != 0) {
            i++;
        }
        if (i == ECHO_CONNS) {
            net_tcp_abort(n->s, sock, n->now);
            continue;
        }
        E.c[i].sock = sock;
        E.c[i].len = E.c[i].off = 0;
    }
    for (int i = 0; i < ECHO_CONNS; i++) {
        if (E.c[i].sock == 0) {
            continue;
        }
        for (;;) {
            if (E.c[i].off < E.c[i].len) {
                long w = net_tcp_send(n->s, E.c[i].sock, E.c[i].buf + E.c[i].off,
                                      E.c[i].len - E.c[i].off, n->now);
                if (w <= 0) {
                    break;
                }
                E.c[i].off += (size_t)w;
                continue;
            }
            long r = net_tcp_recv(n->s, E.c[i].sock, E.c[i].buf, ECHO_BUF, n->now);
            if (r == ZERR_AGAIN) {
                break;
            }
            if (r <= 0) {
                net_tcp_close(n->s, E.c[i].sock, n->now);
                E.c[i].sock = 0;
                break;
            }
            E.c[i].len = (size_t)r;
            E.c[i].off = 0;
        }
    }
    return APP_RUNNING;
}

/* ---- connecting applications share this ---------------------------------- */

static struct {
    int sock;
    bool connected, eof_in, shut;
    uint64_t started, bytes, total;
    size_t len, off;
    int out_fd;
    blake3_hasher hash;
    char buf[65536];
    char hdr[4096];
    size_t hdr_len;
    bool in_body;
} C;

/* Starts a connection to argv[0]:argv[1]. */
static int connect_to(struct node *n, char **argv)
{
    uint32_t ip;
    uint16_t port;
    if (node_parse_ip(argv[0], "address", &ip) != 0 || node_parse_port(argv[1], &port) != 0) {
        return ZERR_INVAL;
    }
    C.started = n->now;
    C.sock = net_tcp_connect(n->s, ip, port, n->now);
    if (C.sock < 0) {
        fprintf(stderr, "zero-net: connect %s:%s: %s\n", argv[0], argv[1], zerr_text(C.sock));
        return C.sock;
    }
    return 0;
}

/* Reports a connection error once; returns the step result. */
static int connect_state(struct node *n)
{
    struct net_sock_info info;
    if (net_sock_info(n->s, C.sock, &info) != 0) {
        return ZERR_BADCAP;
    }
    if (info.state == NET_TCP_CLOSED && info.error != 0) {
        fprintf(stderr, "zero-net: connection failed: %s\n", zerr_text(info.error));
        return info.error;
    }
    C.connected = info.state != NET_TCP_SYN_SENT && info.state != NET_TCP_SYN_RCVD;
    return APP_RUNNING;
}

/* ---- nc IP PORT: stdin to the connection, the connection to stdout -------- */

int nc_init(struct node *n, int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: zero-net ... nc IP PORT\n");
        return ZERR_INVAL;
    }
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    return connect_to(n, argv);
}

/* Moves stdin to the connection; half-closes at the end of stdin. */
static void nc_upload(struct node *n)
{
    while (!C.shut) {
        if (C.off == C.len && !C.eof_in) {
            ssize_t r = read(0, C.buf, 4096);
            if (r == 0 || (r < 0 && errno != EAGAIN)) {
                C.eof_in = true;
            } else if (r > 0) {
                C.len = (size_t)r;
                C.off = 0;
            }
        }
        if (C.off == C.len) {
            if (C.eof_in) {
                net_tcp_shutdown(n->s, C.sock, n->now);
                C.shut = true;
            }
            return;
        }
        long w = net_tcp_send(n->s, C.sock, C.buf + C.off, C.len - C.off, n->now);
        if (w <= 0) {
            return;
        }
        C.off += (size_t)w;
    }
}

int nc_step(struct node *n)
{
    int st = connect_state(n);
    if (st != APP_RUNNING || !C.connected) {
        return st;
    }
    nc_upload(n);
    char in[4096];
    for (;;) {
        long r = net_tcp_recv(n->s, C.sock, in, sizeof(in), n->now);
        if (r == ZERR_AGAIN) {
            return APP_RUNNING;
        }
        if (r == 0) {
            fflush(stdout);
            net_tcp_close(n->s, C.sock, n->now);
            return APP_DONE;
        }
        if (r < 0) {
            fprintf(stderr, "zero-net: nc: %s\n", zerr_text((int)r));
            return (int)r;
        }
        fwrite(in, 1, (size_t)r, stdout);
        fflush(stdout);
    }
}

/* ---- fetch IP PORT PATH OUT: HTTP GET into OUT, prints the BLAKE3 hash ---- */

int fetch_init(struct node *n, int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: zero-net ... fetch IP PORT PATH OUT\n");
        return ZERR_INVAL;
    }
    C.out_fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (C.out_fd < 0) {
        fprintf(stderr, "zero-net: fetch: cannot create %s\n", argv[3]);
        return ZERR_INVAL;
    }
    C.len = (size_t)snprintf(C.buf, sizeof(C.buf),
                             "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", argv[2],
                             argv[0]);
    blake3_init(&C.hash);
    return connect_to(n, argv);
}

/* Takes response bytes: the header first (checks the status), then the body. */
static int fetch_take(const char *p, size_t len)
{
    if (C.in_body) {
        blake3_update(&C.hash, p, len);
        C.bytes += len;
        return write(C.out_fd, p, len) == (ssize_t)len ? 0 : ZERR_IO;
    }
    size_t room = sizeof(C.hdr) - C.hdr_len;
    size_t take = len < room ? len : room;
    memcpy(C.hdr + C.hdr_len, p, take);
    C.hdr_len += take;
    for (size_t i = 3; i < C.hdr_len; i++) {
        if (memcmp(C.hdr + i - 3, "\r\n\r\n", 4) == 0) {
            if (strncmp(C.hdr, "HTTP/1.1 200", 12) != 0 &&
                strncmp(C.hdr, "HTTP/1.0 200", 12) != 0) {
                fprintf(stderr, "zero-net: fetch: %.*s\n", (int)strcspn(C.hdr, "\r"), C.hdr);
                return ZERR_NOENT;
            }
            C.in_body = true;
            size_t body = C.hdr_len - i - 1;
            int err = fetch_take(C.hdr + i + 1, body);
            if (err != 0) {
                return err;
            }
            return fetch_take(p + take, len - take);
        }
    }
    return C.hdr_len == sizeof(C.hdr) ? ZERR_CORRUPT : 0;
}

int fetch_step(struct node *n)
{
    int st = connect_state(n);
    if (st != APP_RUNNING || !C.connected) {
        return st;
    }
    while (C.off < C.len) {
        long w = net_tcp_send(n->s, C.sock, C.buf + C.off, C.len - C.off, n->now);
        if (w <= 0) {
            break;
        }
        C.off += (size_t)w;
    }
    char in[16384];
    for (;;) {
        long r = net_tcp_recv(n->s, C.sock, in, sizeof(in), n->now);
        if (r == ZERR_AGAIN) {
            return APP_RUNNING;
        }
        if (r < 0) {
            fprintf(stderr, "zero-net: fetch: %s\n", zerr_text((int)r));
            return (int)r;
        }
        if (r == 0) {
            break;
        }
        int err = fetch_take(in, (size_t)r);
        if (err != 0) {
            return err;
        }
    }
    uint8_t digest[BLAKE3_OUT_LEN];
    char hex[2 * BLAKE3_OUT_LEN + 1];
    blake3_finalize(&C.hash, digest, sizeof(digest));
    zfmt_hex(hex, digest, sizeof(digest));
    printf("fetch: %llu bytes, blake3 %s\n", (unsigned long long)C.bytes, hex);
    net_tcp_close(n->s, C.sock, n->now);
    close(C.out_fd);
    return APP_DONE;
}

/* ---- sink PORT: reads one connection to its end, prints the rate --------- */

static int sink_listener;

int sink_init(struct node *n, int argc, char **argv)
{
    uint16_t port;
    if (argc != 1 || node_parse_port(argv[0], &port) != 0) {
        fprintf(stderr, "usage: zero-net ... sink PORT\n");
        return ZERR_INVAL;
    }
    sink_listener = net_tcp_listen(n->s, port, 1);
    C.sock = 0;
    return sink_listener < 0 ? sink_listener : 0;
}

int sink_step(struct node *n)
{
    if (C.sock <= 0) {
        C.sock = net_tcp_accept(n->s, sink_listener);
        C.started = n->now;
        if (C.sock <= 0) {
            return APP_RUNNING;
        }
    }
    for (;;) {
        long r = net_tcp_recv(n->s, C.sock, C.buf, sizeof(C.buf), n->now);
        if (r == ZERR_AGAIN) {
            return APP_RUNNING;
        }
        if (r < 0) {
            return (int)r;
        }
        if (r == 0) {
            uint64_t ms = n->now - C.started + 1;
            printf("sink: %llu bytes in %llu ms\n", (unsigned long long)C.bytes,
                   (unsigned long long)ms);
            net_tcp_close(n->s, C.sock, n->now);
            return APP_DONE;
        }
        C.bytes += (uint64_t)r;
    }
}

/* ---- source IP PORT BYTES: sends BYTES bytes, then closes ---------------- */

int source_init(struct node *n, int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: zero-net ... source IP PORT BYTES\n");
        return ZERR_INVAL;
    }
    C.total = strtoull(argv[2], NULL, 10);
    memset(C.buf, 'z', sizeof(C.buf));
    return connect_to(n, argv);
}

int source_step(struct node *n)
{
    int st = connect_state(n);
    if (st != APP_RUNNING || !C.connected) {
        return st;
    }
    while (C.bytes < C.total) {
        uint64_t left = C.total - C.bytes;
        long w =
            net_tcp_send(n->s, C.sock, C.buf, left < sizeof(C.buf) ? left : sizeof(C.buf), n->now);
        if (w <= 0) {
            return w == ZERR_AGAIN ? APP_RUNNING : (int)w;
        }
        C.bytes += (uint64_t)w;
    }
    if (!C.shut) {
        net_tcp_shutdown(n->s, C.sock, n->now);
        C.shut = true;
    }
    char b[256];
    long r = net_tcp_recv(n->s, C.sock, b, sizeof(b), n->now);
    if (r == ZERR_AGAIN) {
        return APP_RUNNING;
    }
    printf("source: %llu bytes in %llu ms\n", (unsigned long long)C.bytes,
           (unsigned long long)n->now - C.started + 1);
    net_tcp_close(n->s, C.sock, n->now);
    return APP_DONE;
}

/* ---- ping IP [COUNT] ------------------------------------------------------ */

static struct {
    uint32_t ip;
    unsigned count, sent, answered;
    uint64_t sent_at;
} P;

int ping_init(struct node *n, int argc, char **argv)
{
    (void)n;
    if (argc < 1 || argc > 2 || node_parse_ip(argv[0], "ping", &P.ip) != 0) {
        fprintf(stderr, "usage: zero-net ... ping IP [COUNT]\n");
        return ZERR_INVAL;
    }
    P.count = argc == 2 ? (unsigned)atoi(argv[1]) : 3;
    return 0;
}

int ping_step(struct node *n)
{
    uint64_t rtt;
    if (P.sent > 0 && net_ping_result(n->s, &rtt) == 0 && P.answered < P.sent) {
        P.answered = P.sent;
        printf("ping: reply %u from %u.%u.%u.%u in %llu ms\n", P.sent, P.ip >> 24,
               (P.ip >> 16) & 255, (P.ip >> 8) & 255, P.ip & 255, (unsigned long long)rtt);
    }
    if (P.sent == P.count && (P.answered == P.sent || n->now - P.sent_at > 2000)) {
        printf("ping: %u sent, %u answered\n", P.sent, P.answered);
        return P.answered == P.sent ? APP_DONE : ZERR_TIMEOUT;
    }
    if (P.sent < P.count && (P.sent == 0 || n->now - P.sent_at >= 200)) {
        if (net_ping(n->s, P.ip, (uint16_t)(P.sent + 1), n->now) == 0) {
            P.sent++;
            P.sent_at = n->now;
        }
    }
    return APP_RUNNING;
}

/* ---- resolve NAME, dhcp ---------------------------------------------------- */

static const char *resolve_name;
static bool resolve_started;

int resolve_init(struct node *n, int argc, char **argv)
{
    (void)n;
    if (argc != 1) {
        fprintf(stderr, "usage: zero-net ... resolve NAME\n");
        return ZERR_INVAL;
    }
    resolve_name = argv[0];
    return 0;
}

int resolve_step(struct node *n)
{
    uint32_t ip, mask, gw, dns;
    net_addr(n->s, &ip, &mask, &gw, &dns);
    if (ip == 0) {
        return APP_RUNNING; /* waiting for DHCP */
    }
    if (!resolve_started) {
        resolve_started = true;
        int err = net_dns_resolve(n->s, resolve_name, n->now);
        if (err != 0) {
            fprintf(stderr, "zero-net: resolve: %s\n", zerr_text(err));
            return err;
        }
    }
    int err = net_dns_result(n->s, &ip);
    if (err == ZERR_AGAIN) {
        return APP_RUNNING;
    }
    if (err != 0) {
        fprintf(stderr, "zero-net: resolve %s: %s\n", resolve_name, zerr_text(err));
        return err;
    }
    printf("%s ", resolve_name);
    print_ip("", ip);
    return APP_DONE;
}

int dhcp_init(struct node *n, int argc, char **argv)
{
    (void)n;
    (void)argv;
    return argc == 0 ? 0 : ZERR_INVAL;
}

int dhcp_step(struct node *n)
{
    uint32_t ip, mask, gw, dns;
    net_addr(n->s, &ip, &mask, &gw, &dns);
    if (ip == 0) {
        return APP_RUNNING;
    }
    print_ip("address ", ip);
    print_ip("netmask ", mask);
    print_ip("gateway ", gw);
    print_ip("dns ", dns);
    return APP_DONE;
}
