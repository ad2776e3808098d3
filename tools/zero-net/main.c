/*
 * zero-net: Zero OS's TCP/IP stack as a Linux process.
 *
 *   zero-net (--tap NAME | --fd N) [--addr A.B.C.D/LEN] [--gw A.B.C.D] [--dns A.B.C.D]
 *            [--mac N] [--drop PERMILLE] [--rto-min MS] [--deny-connect]
 *            [--axiom DISK [--as NAME]] APP ARGS...
 *
 * Without --addr the DHCP client configures the address.  The stack gets
 * frames from the transport and the time from the monotonic clock; the
 * application runs on its sockets.  See docs/net.md.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "axiom.h"
#include "base/errors.h"
#include "hal/hal.h"

struct app {
    const char *name;
    int (*init)(struct node *n, int argc, char **argv);
    int (*step)(struct node *n);
};

static const struct app apps[] = {
    {"httpd", httpd_init, httpd_step}, {"echo", echo_init, echo_step},
    {"nc", nc_init, nc_step},          {"fetch", fetch_init, fetch_step},
    {"sink", sink_init, sink_step},    {"source", source_init, source_step},
    {"ping", ping_init, ping_step},    {"resolve", resolve_init, resolve_step},
    {"dhcp", dhcp_init, dhcp_step},
};

uint64_t node_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int node_parse_ip(const char *text, const char *what, uint32_t *ip)
{
    if (net_ip_parse(text, ip) != 0) {
        fprintf(stderr, "zero-net: %s: not an IPv4 address: %s\n", what, text);
        return ZERR_INVAL;
    }
    return 0;
}

int node_parse_port(const char *text, uint16_t *port)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < 1 || v > 65535) {
        fprintf(stderr, "zero-net: not a port: %s\n", text);
        return ZERR_INVAL;
    }
    *port = (uint16_t)v;
    return 0;
}

static void node_send(void *ctx, const uint8_t *frame, size_t len)
{
    struct node *n = ctx;
    net_transport_send(&n->tr, frame, len);
}

static int node_authorize(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    struct node *n = ctx;
    (void)sock;
    if (zaxiom_on()) {
        return zaxiom_authorize(kind, ip, port);
    }
    if (kind == NET_AUTH_CONNECT && n->deny_connect) {
        fprintf(stderr, "zero-net: net.connect %u.%u.%u.%u:%u refused by policy\n", ip >> 24,
                (ip >> 16) & 255, (ip >> 8) & 255, ip & 255, port);
        return ZERR_DENIED;
    }
    return 0;
}

static void node_accepted(void *ctx, int listener, int sock, uint32_t ip, uint16_t port)
{
    struct node *n = ctx;
    if (zaxiom_on()) {
        zaxiom_accepted(n->s, listener, sock, ip, port);
    }
}

static void node_random(void *ctx, void *buf, size_t len)
{
    (void)ctx;
    if (hal_entropy(buf, len) != 0) {
        fprintf(stderr, "zero-net: no entropy source\n");
        exit(1);
    }
}

struct opts {
    const char *tap;
    const char *axiom; /* disk of the node behind the policy hook, or NULL */
    const char *as;    /* the principal connections are proposed as */
    int fd;
    struct net_config cfg;
};

/* Parses "A.B.C.D/LEN" into address and netmask. */
static int parse_addr(const char *text, struct net_config *cfg)
{
    char ip[32];
    const char *slash = strchr(text, '/');
    size_t len = slash != NULL ? (size_t)(slash - text) : strlen(text);
    if (len >= sizeof(ip)) {
        return ZERR_INVAL;
    }
    memcpy(ip, text, len);
    ip[len] = '\0';
    int bits = slash != NULL ? atoi(slash + 1) : 24;
    if (node_parse_ip(ip, "--addr", &cfg->ip) != 0 || bits < 1 || bits > 31) {
        return ZERR_INVAL;
    }
    cfg->netmask = 0xffffffffu << (32 - bits);
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: zero-net (--tap NAME | --fd N) [--addr A.B.C.D/LEN] [--gw IP] "
               "[--dns IP] [--mac N] [--drop PERMILLE] [--rto-min MS] [--deny-connect] "
               "[--axiom DISK [--as NAME]] APP ARGS...\n"
               "apps: httpd DIR [PORT], echo PORT, nc IP PORT, fetch IP PORT PATH OUT, "
               "sink PORT, source IP PORT BYTES, ping IP [COUNT], resolve NAME, dhcp\n"
               "--axiom DISK starts a node on DISK (formatted if blank) whose Axiom commits\n"
               "every connect and listen (net.connect, net.listen, as --as NAME, default\n"
               "root) before its first frame, and records accepted connections (net.accept).\n");
}

/* Parses the options before the application name; returns its index or an error. */
static int parse_opts(int argc, char **argv, struct opts *o, struct node *n)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int err = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        }
        if (strcmp(a, "--deny-connect") == 0) {
            n->deny_connect = true;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "zero-net: %s needs a value\n", a);
            return ZERR_INVAL;
        }
        i++;
        if (strcmp(a, "--tap") == 0) {
            o->tap = v;
        } else if (strcmp(a, "--axiom") == 0) {
            o->axiom = v;
        } else if (strcmp(a, "--as") == 0) {
            o->as = v;
        } else if (strcmp(a, "--fd") == 0) {
            o->fd = atoi(v);
        } else if (strcmp(a, "--addr") == 0) {
            err = parse_addr(v, &o->cfg);
        } else if (strcmp(a, "--gw") == 0) {
            err = node_parse_ip(v, "--gw", &o->cfg.gateway);
        } else if (strcmp(a, "--dns") == 0) {
            err = node_parse_ip(v, "--dns", &o->cfg.dns);
        } else if (strcmp(a, "--mac") == 0) {
            o->cfg.mac.b[5] = (uint8_t)atoi(v);
        } else if (strcmp(a, "--drop") == 0) {
            o->cfg.drop_permille = (uint32_t)atoi(v);
        } else if (strcmp(a, "--rto-min") == 0) {
            o->cfg.rto_min_ms = (uint32_t)atoi(v);
        } else {
            fprintf(stderr, "zero-net: unknown option %s\n", a);
            return ZERR_INVAL;
        }
        if (err != 0) {
            return err;
        }
    }
    if ((o->tap == NULL) == (o->fd < 0) || i >= argc) {
        usage(stderr);
        return ZERR_INVAL;
    }
    return i;
}

/* Feeds every waiting frame to the stack. */
static int node_receive(struct node *n)
{
    static uint8_t frame[65536];
    for (;;) {
        long len = net_transport_recv(&n->tr, frame, sizeof(frame));
        if (len <= 0) {
            return (int)len;
        }
        net_input(n->s, frame, (size_t)len, node_clock_ms());
    }
}

static int node_run(struct node *n, const struct app *app)
{
    for (;;) {
        if (node_receive(n) != 0) {
            fprintf(stderr, "zero-net: the frame transport failed\n");
            return 1;
        }
        n->now = node_clock_ms();
        net_poll(n->s, n->now);
        if (zaxiom_on()) {
            zaxiom_flush(n->s, n->now); /* accept records before the app sees them */
        }
        int r = app->step(n);
        if (r != APP_RUNNING) {
            return r == APP_DONE ? 0 : 1;
        }
        uint64_t next = net_next_deadline(n->s);
        uint64_t now = node_clock_ms();
        int wait = next <= now ? 0 : next - now > 10 ? 10 : (int)(next - now);
        struct pollfd p = {.fd = n->tr.fd, .events = POLLIN};
        poll(&p, 1, wait);
    }
}

int main(int argc, char **argv)
{
    static struct node n;
    struct opts o = {.fd = -1};
    o.cfg.mac = (net_mac){{0x02, 0x5a, 0x45, 0x52, 0x4f, 0x01}};
    int i = parse_opts(argc, argv, &o, &n);
    if (i < 0) {
        return 2;
    }
    const struct app *app = NULL;
    for (size_t k = 0; k < sizeof(apps) / sizeof(apps[0]); k++) {
        if (strcmp(argv[i], apps[k].name) == 0) {
            app = &apps[k];
        }
    }
    if (app == NULL) {
        fprintf(stderr, "zero-net: unknown application %s\n", argv[i]);
        return 2;
    }
    if (o.tap != NULL) {
        int err = net_transport_tap(&n.tr, o.tap);
        if (err != 0) {
            fprintf(stderr, "zero-net: cannot open TAP device %s: %s\n", o.tap, zerr_text(err));
            return 1;
        }
    } else {
        net_transport_fd(&n.tr, o.fd);
    }
    n.s = calloc(1, sizeof(net_stack));
    static const struct net_ops ops = {
        .send_frame = node_send,
        .authorize = node_authorize,
        .record_accept = node_accepted,
        .random = node_random,
    };
    if (n.s == NULL || net_init(n.s, &o.cfg, &ops, &n, node_clock_ms()) != 0) {
        fprintf(stderr, "zero-net: cannot start the stack\n");
        return 1;
    }
    if (o.axiom != NULL && zaxiom_open(o.axiom, o.as != NULL ? o.as : "root") != 0) {
        return 1;
    }
    n.now = node_clock_ms();
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (app->init(&n, argc - i - 1, argv + i + 1) != 0) {
        return 2;
    }
    int r = node_run(&n, app);
    if (zaxiom_on()) {
        zaxiom_close();
    }
    return r;
}
