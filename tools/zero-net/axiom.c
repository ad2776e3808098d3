/* zero-net --axiom: the node behind the policy hook (see axiom.h). */
#include "axiom.h"

#include <stdio.h>

#include "base/errors.h"
#include "services/axiom/net.h"
#include "services/init/node.h"
#include "services/net/auth.h"

#define ZAXIOM_DISK_BYTES (16ull * 1024 * 1024)

static struct node zax_node;
static struct blk zax_dev;
static struct netauth zax_auth;
static bool zax_on;

static int zaxiom_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self, (void)badge, (void)m;
    return ZERR_UNSUPPORTED; /* nothing calls the network service here */
}

int zaxiom_open(const char *path, const char *as)
{
    char why[200] = "";
    int err = blk_open(&zax_dev, path, ZAXIOM_DISK_BYTES);

    if (err != 0) {
        fprintf(stderr, "zero-net: cannot open disk %s: %s\n", path, zerr_text(err));
        return err;
    }
    err = node_start(&zax_node, &zax_dev, "root", why, sizeof(why));
    if (err != 0) {
        fprintf(stderr, "zero-net: cannot start the node on %s: %s\n", path, why);
        blk_close(&zax_dev);
        return err;
    }
    int self = rt_register(&zax_node.rt, "net", NULL, zaxiom_handle);
    int h = self < 0 ? self
                     : rt_grant(&zax_node.rt, zax_node.sid_axiom, (uint32_t)self, CAP_RIGHT_WRITE,
                                AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ);
    err = h < 0 ? h : netauth_init(&zax_auth, &zax_node.rt, (uint32_t)self, (uint32_t)h, as);
    if (err != 0) {
        fprintf(stderr, "zero-net: cannot reach the Axiom as %s: %s\n", as, zerr_text(err));
        zaxiom_close();
        return err;
    }
    zax_on = true;
    return 0;
}

bool zaxiom_on(void)
{
    return zax_on;
}

static void zaxiom_fmt(char *buf, size_t cap, enum net_auth kind, uint32_t ip, uint16_t port)
{
    if (kind == NET_AUTH_CONNECT) {
        snprintf(buf, cap, "net.connect %u.%u.%u.%u:%u", ip >> 24, (ip >> 16) & 255,
                 (ip >> 8) & 255, ip & 255, port);
    } else {
        snprintf(buf, cap, "%s %u", kind == NET_AUTH_LISTEN ? "net.listen" : "udp", port);
    }
}

int zaxiom_authorize(enum net_auth kind, uint32_t ip, uint16_t port)
{
    char what[48];
    int err = netauth_authorize(&zax_auth, kind, ip, port);

    if (kind == NET_AUTH_UDP) {
        return err;
    }
    zaxiom_fmt(what, sizeof(what), kind, ip, port);
    if (err != 0) {
        fprintf(stderr, "zero-net: %s refused: %s\n", what, zax_auth.last.why);
    } else {
        fprintf(stderr, "zero-net: %s committed as entry #%llu\n", what,
                (unsigned long long)zax_auth.last.seq);
    }
    return err;
}

void zaxiom_accepted(const net_stack *s, int listener, int sock, uint32_t ip, uint16_t port)
{
    netauth_accepted(&zax_auth, s, listener, sock, ip, port);
}

void zaxiom_flush(net_stack *s, uint64_t now)
{
    uint64_t refused = zax_auth.accepts_refused;
    unsigned n = zax_auth.queued;

    if (n == 0) {
        return;
    }
    unsigned done = netauth_flush(&zax_auth, s, now);
    if (done > 0) {
        fprintf(stderr, "zero-net: %u net.accept recorded, the last as entry #%llu\n", done,
                (unsigned long long)zax_auth.last.seq);
    }
    if (zax_auth.accepts_refused != refused) {
        fprintf(stderr, "zero-net: net.accept refused, connection reset: %s\n", zax_auth.last.why);
    }
}

void zaxiom_close(void)
{
    node_stop(&zax_node);
    blk_close(&zax_dev);
    zax_on = false;
}
