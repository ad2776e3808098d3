/*
 * UDP (RFC 768) sockets: a port each, NET_UDP_QUEUE datagrams queued;
 * a datagram arriving at a full queue is dropped.  A datagram to a port
 * nobody has gets ICMP port unreachable.
 */
#include "net/internal/stack.h"

#include "base/errors.h"
#include "base/string.h"

/* The socket named by handle h, or NULL when h is stale or not UDP. */
static struct net_udp_sock *udp_sock(net_stack *s, int h)
{
    if (h <= 0 || !(h & NET_H_UDP)) {
        return NULL;
    }
    unsigned slot = (unsigned)h & NET_H_SLOT;
    if (slot >= NET_MAX_UDP) {
        return NULL;
    }
    struct net_udp_sock *u = &s->udp[slot];
    if (!u->used || net_handle(u->gen, slot, true) != h) {
        return NULL;
    }
    return u;
}

static bool udp_port_used(const net_stack *s, uint16_t port)
{
    for (unsigned i = 0; i < NET_MAX_UDP; i++) {
        if (s->udp[i].used && s->udp[i].port == port) {
            return true;
        }
    }
    return false;
}

bool net_udp_port_taken(const net_stack *s, uint16_t port)
{
    return udp_port_used(s, port) || port == 68 || (s->dns.state == 1 && port == s->dns.port);
}

int net_udp_open(net_stack *s, uint16_t port)
{
    if (port != 0 && net_udp_port_taken(s, port)) {
        return ZERR_EXIST;
    }
    unsigned slot = 0;
    while (slot < NET_MAX_UDP && s->udp[slot].used) {
        slot++;
    }
    if (slot == NET_MAX_UDP) {
        return ZERR_FULL;
    }
    if (port == 0) {
        port = net_ephemeral_port(s, NET_IP_UDP);
    }
    struct net_udp_sock *u = &s->udp[slot];
    uint32_t gen = net_next_gen(u->gen);
    memset(u, 0, sizeof(*u));
    u->gen = gen;
    int h = net_handle(u->gen, slot, true);
    int err = s->ops.authorize(s->ctx, NET_AUTH_UDP, 0, port, h);
    if (err != 0 && err != ZERR_AGAIN) {
        return err < 0 ? err : ZERR_DENIED;
    }
    u->used = true;
    u->port = port;
    u->auth_pending = err == ZERR_AGAIN;
    return h;
}

int net_udp_auth_done(net_stack *s, int h, bool granted)
{
    struct net_udp_sock *u = udp_sock(s, h);
    if (u == NULL || !u->auth_pending) {
        return ZERR_BADCAP;
    }
    u->auth_pending = false;
    if (!granted) {
        u->used = false;
    }
    return 0;
}

int net_udp_sendto(net_stack *s, int sock, uint32_t ip, uint16_t port, const void *buf, size_t len,
                   uint64_t now)
{
    s->now = now;
    struct net_udp_sock *u = udp_sock(s, sock);
    if (u == NULL) {
        return ZERR_BADCAP;
    }
    if (u->auth_pending) {
        return ZERR_AGAIN;
    }
    if (port == 0 || ip == 0) {
        return ZERR_INVAL;
    }
    return net_udp_send_raw(s, s->cfg.ip, u->port, ip, port, buf, len);
}

long net_udp_recvfrom(net_stack *s, int sock, void *buf, size_t cap, uint32_t *ip, uint16_t *port)
{
    struct net_udp_sock *u = udp_sock(s, sock);
    if (u == NULL) {
        return ZERR_BADCAP;
    }
    if (u->count == 0) {
        return ZERR_AGAIN;
    }
    struct net_udp_dgram *d = &u->q[u->head];
    size_t n = d->len < cap ? d->len : cap;
    memcpy(buf, d->data, n);
    *ip = d->ip;
    *port = d->port;
    u->head = (uint8_t)((u->head + 1) % NET_UDP_QUEUE);
    u->count--;
    return (long)n;
}

int net_udp_close(net_stack *s, int sock)
{
    struct net_udp_sock *u = udp_sock(s, sock);
    if (u == NULL) {
        return ZERR_BADCAP;
    }
    u->used = false;
    return 0;
}

void net_udp_input(net_stack *s, const struct net_ipv4 *ip, const uint8_t *hdr)
{
    struct net_udp d;
    if (net_udp_parse(ip->payload, ip->len, ip->src, ip->dst, &d) != 0) {
        s->counters.ip_bad++;
        return;
    }
    if (net_dhcp_input(s, d.dport, d.payload, d.len) ||
        net_dns_input(s, d.dport, d.payload, d.len)) {
        return;
    }
    if (s->cfg.ip == 0) {
        return;
    }
    for (unsigned i = 0; i < NET_MAX_UDP; i++) {
        struct net_udp_sock *u = &s->udp[i];
        if (!u->used || u->auth_pending || u->port != d.dport) {
            continue;
        }
        if (u->count == NET_UDP_QUEUE || d.len > sizeof(u->q[0].data)) {
            s->counters.rx_dropped++;
            return;
        }
        struct net_udp_dgram *q = &u->q[(u->head + u->count) % NET_UDP_QUEUE];
        q->ip = ip->src;
        q->port = d.sport;
        q->len = (uint16_t)d.len;
        memcpy(q->data, d.payload, d.len);
        u->count++;
        return;
    }
    s->counters.udp_no_port++;
    net_icmp_unreach(s, ip, hdr, 3); /* port unreachable */
}
