/*
 * ARP (RFC 826): a cache of NET_ARP_ENTRIES entries with timeouts.
 *
 * A resolved entry lives ARP_TTL_MS and is then forgotten (the next packet
 * resolves again).  An unresolved one holds the latest IP packet sent to it
 * and asks ARP_TRIES times, ARP_RETRY_MS apart, before it gives up and
 * drops the packet (TCP's retransmission sends it again later).
 */
#include "net/internal/stack.h"

#include "base/errors.h"
#include "base/string.h"

enum {
    ARP_FREE = 0,
    ARP_PENDING = 1,
    ARP_RESOLVED = 2,
    ARP_TTL_MS = 60000,
    ARP_RETRY_MS = 1000,
    ARP_TRIES = 3,
};

static const net_mac broadcast_mac = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};

void net_send_frame(net_stack *s, const uint8_t *frame, size_t len)
{
    s->counters.tx_frames++;
    if (net_drop_frame(s)) {
        s->counters.tx_dropped++;
        return;
    }
    s->ops.send_frame(s->ctx, frame, len);
}

/* Writes the Ethernet header at s->tx and sends the frame. */
static void eth_send(net_stack *s, const net_mac *dst, uint16_t type, size_t payload_len)
{
    memcpy(s->tx, dst->b, 6);
    memcpy(s->tx + 6, s->cfg.mac.b, 6);
    net_put16(s->tx + 12, type);
    size_t len = NET_ETH_HLEN + payload_len;
    if (len < 60) {
        memset(s->tx + len, 0, 60 - len); /* minimum frame size */
        len = 60;
    }
    net_send_frame(s, s->tx, len);
}

static void arp_send(net_stack *s, uint16_t op, const net_mac *tha, uint32_t tpa,
                     const net_mac *eth_dst)
{
    uint8_t *a = s->tx + NET_ETH_HLEN;
    net_put16(a, 1);
    net_put16(a + 2, NET_ETH_IPV4);
    a[4] = 6;
    a[5] = 4;
    net_put16(a + 6, op);
    memcpy(a + 8, s->cfg.mac.b, 6);
    net_put32(a + 14, s->cfg.ip);
    memcpy(a + 18, tha->b, 6);
    net_put32(a + 24, tpa);
    if (op == NET_ARP_REQUEST) {
        s->counters.arp_requests++;
    }
    eth_send(s, eth_dst, NET_ETH_ARP, 28);
}

static struct net_arp_entry *arp_find(net_stack *s, uint32_t ip)
{
    for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
        if (s->arp[i].state != ARP_FREE && s->arp[i].ip == ip) {
            return &s->arp[i];
        }
    }
    return NULL;
}

/* A free entry, or else the one closest to expiry. */
static struct net_arp_entry *arp_victim(net_stack *s)
{
    struct net_arp_entry *best = &s->arp[0];
    for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
        if (s->arp[i].state == ARP_FREE) {
            return &s->arp[i];
        }
        if (s->arp[i].deadline < best->deadline) {
            best = &s->arp[i];
        }
    }
    return best;
}

/* The next hop for dst, or 0 when there is no route. */
static uint32_t next_hop(const net_stack *s, uint32_t dst)
{
    if (s->cfg.netmask != 0 && (dst & s->cfg.netmask) == (s->cfg.ip & s->cfg.netmask)) {
        return dst;
    }
    return s->cfg.gateway;
}

int net_arp_resolve_and_send(net_stack *s, uint32_t dst, size_t iplen)
{
    if (dst == NET_BROADCAST ||
        (s->cfg.netmask != 0 && s->cfg.ip != 0 && dst == (s->cfg.ip | ~s->cfg.netmask))) {
        eth_send(s, &broadcast_mac, NET_ETH_IPV4, iplen);
        return 0;
    }
    uint32_t hop = next_hop(s, dst);
    if (hop == 0) {
        return ZERR_NOENT;
    }
    struct net_arp_entry *e = arp_find(s, hop);
    if (e != NULL && e->state == ARP_RESOLVED) {
        eth_send(s, &e->mac, NET_ETH_IPV4, iplen);
        return 0;
    }
    bool fresh = e == NULL;
    if (fresh) {
        e = arp_victim(s);
        memset(e, 0, sizeof(*e));
        e->ip = hop;
        e->state = ARP_PENDING;
        e->tries = 1;
        e->deadline = s->now + ARP_RETRY_MS;
    }
    memcpy(e->pending, s->tx + NET_ETH_HLEN, iplen);
    e->pending_len = (uint16_t)iplen;
    if (fresh) {
        arp_send(s, NET_ARP_REQUEST, &(net_mac){{0}}, hop, &broadcast_mac);
    }
    return 0;
}

/* Records ip -> mac and sends a packet that waited for it. */
static void arp_learn(net_stack *s, struct net_arp_entry *e, uint32_t ip, const net_mac *mac)
{
    if (e == NULL) {
        e = arp_victim(s);
        memset(e, 0, sizeof(*e));
    }
    e->ip = ip;
    e->mac = *mac;
    e->state = ARP_RESOLVED;
    e->deadline = s->now + ARP_TTL_MS;
    if (e->pending_len != 0) {
        size_t n = e->pending_len;
        e->pending_len = 0;
        memcpy(s->tx + NET_ETH_HLEN, e->pending, n);
        eth_send(s, &e->mac, NET_ETH_IPV4, n);
    }
}

void net_arp_input(net_stack *s, const uint8_t *p, size_t n)
{
    struct net_arp a;
    if (net_arp_parse(p, n, &a) != 0 || a.spa == 0) {
        return;
    }
    /* RFC 826's merge: update a known sender; learn it if we are the target. */
    struct net_arp_entry *e = arp_find(s, a.spa);
    bool for_us = s->cfg.ip != 0 && a.tpa == s->cfg.ip;
    if (e != NULL || for_us) {
        arp_learn(s, e, a.spa, &a.sha);
    }
    if (for_us && a.op == NET_ARP_REQUEST) {
        s->counters.arp_replies++;
        arp_send(s, NET_ARP_REPLY, &a.sha, a.spa, &a.sha);
    }
}

void net_arp_poll(net_stack *s)
{
    for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
        struct net_arp_entry *e = &s->arp[i];
        if (e->state == ARP_FREE || e->deadline > s->now) {
            continue;
        }
        if (e->state == ARP_PENDING && e->tries < ARP_TRIES) {
            e->tries++;
            e->deadline = s->now + ARP_RETRY_MS;
            arp_send(s, NET_ARP_REQUEST, &(net_mac){{0}}, e->ip, &broadcast_mac);
        } else {
            e->state = ARP_FREE;
            e->pending_len = 0;
        }
    }
}

uint64_t net_arp_deadline(const net_stack *s)
{
    uint64_t d = UINT64_MAX;
    for (unsigned i = 0; i < NET_ARP_ENTRIES; i++) {
        if (s->arp[i].state != ARP_FREE) {
            d = net_min_deadline(d, s->arp[i].deadline);
        }
    }
    return d;
}
