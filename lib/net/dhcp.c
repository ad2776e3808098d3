/*
 * A DHCP client (RFC 2131): DISCOVER, OFFER, REQUEST, ACK, then renewal at
 * half the lease (T1) and a fresh start when the lease runs out or a NAK
 * comes.  It runs when the stack starts without an address.  Requests go
 * out as broadcasts with the broadcast flag set, so answers reach a node
 * that has no address yet.
 */
#include "net/internal/stack.h"

#include "base/errors.h"
#include "base/string.h"

enum {
    DHCP_OFF = 0,
    DHCP_INIT,
    DHCP_SELECTING,
    DHCP_REQUESTING,
    DHCP_BOUND,
    DHCP_RENEWING,
    DHCP_CLIENT_PORT = 68,
    DHCP_SERVER_PORT = 67,
    DHCP_RETRY_MS = 2000,
    DHCP_RETRY_MAX_MS = 32000,
    DHCP_MSG_MAX = 300,
};

void net_dhcp_start(net_stack *s)
{
    memset(&s->dhcp, 0, sizeof(s->dhcp));
    s->dhcp.state = DHCP_INIT;
    s->dhcp.deadline = s->now == 0 ? 1 : s->now;
}

/* Appends option code with len bytes of value at *o. */
static void put_opt(uint8_t *m, size_t *o, uint8_t code, const void *v, uint8_t len)
{
    m[(*o)++] = code;
    m[(*o)++] = len;
    memcpy(m + *o, v, len);
    *o += len;
}

static void dhcp_send(net_stack *s, uint8_t type)
{
    uint8_t m[DHCP_MSG_MAX];
    memset(m, 0, sizeof(m));
    m[0] = 1; /* BOOTREQUEST */
    m[1] = 1;
    m[2] = 6;
    net_put32(m + 4, s->dhcp.xid);
    net_put16(m + 10, 0x8000); /* broadcast flag */
    if (s->dhcp.state == DHCP_RENEWING) {
        net_put32(m + 12, s->cfg.ip);
    }
    memcpy(m + 28, s->cfg.mac.b, 6);
    net_put32(m + 236, 0x63825363u);
    size_t o = 240;
    put_opt(m, &o, 53, &type, 1);
    uint8_t addr[4];
    if (type == NET_DHCP_REQUEST && s->dhcp.state == DHCP_REQUESTING) {
        net_put32(addr, s->dhcp.offered);
        put_opt(m, &o, 50, addr, 4);
        net_put32(addr, s->dhcp.server);
        put_opt(m, &o, 54, addr, 4);
    }
    static const uint8_t params[] = {1, 3, 6, 51};
    put_opt(m, &o, 55, params, sizeof(params));
    m[o++] = 255;
    net_udp_send_raw(s, s->dhcp.state == DHCP_RENEWING ? s->cfg.ip : 0, DHCP_CLIENT_PORT,
                     NET_BROADCAST, DHCP_SERVER_PORT, m, o);
}

/* Sends type and arms the retransmission timer with exponential back-off. */
static void dhcp_transmit(net_stack *s, uint8_t type)
{
    uint64_t wait = (uint64_t)DHCP_RETRY_MS << (s->dhcp.tries < 4 ? s->dhcp.tries : 4);
    s->dhcp.tries++;
    s->dhcp.deadline = s->now + (wait > DHCP_RETRY_MAX_MS ? DHCP_RETRY_MAX_MS : wait);
    dhcp_send(s, type);
}

void net_dhcp_poll(net_stack *s)
{
    struct net_dhcp *d = &s->dhcp;
    if (d->state == DHCP_OFF || d->deadline == 0 || d->deadline > s->now) {
        return;
    }
    switch (d->state) {
    case DHCP_INIT:
        d->xid = net_random32(s);
        d->tries = 0;
        d->state = DHCP_SELECTING;
        dhcp_transmit(s, NET_DHCP_DISCOVER);
        break;
    case DHCP_SELECTING:
        dhcp_transmit(s, NET_DHCP_DISCOVER);
        break;
    case DHCP_REQUESTING:
        if (d->tries >= 4) {
            net_dhcp_start(s);
        } else {
            dhcp_transmit(s, NET_DHCP_REQUEST);
        }
        break;
    case DHCP_BOUND:
        d->state = DHCP_RENEWING;
        d->tries = 0;
        dhcp_transmit(s, NET_DHCP_REQUEST);
        break;
    default: /* RENEWING */
        if (s->now >= d->lease_start + (uint64_t)d->lease_s * 1000) {
            s->cfg.ip = 0; /* the lease ran out */
            net_dhcp_start(s);
        } else {
            dhcp_transmit(s, NET_DHCP_REQUEST);
        }
        break;
    }
}

/* Takes the address configuration from an ACK. */
static void dhcp_bind(net_stack *s, const struct net_dhcp_msg *m)
{
    struct net_dhcp *d = &s->dhcp;
    s->cfg.ip = m->yiaddr;
    s->cfg.netmask = m->netmask != 0 ? m->netmask : 0xffffff00u;
    s->cfg.gateway = m->router;
    if (m->dns != 0) {
        s->cfg.dns = m->dns;
    }
    d->server = m->server != 0 ? m->server : d->server;
    d->lease_s = m->lease_s != 0 ? m->lease_s : 3600;
    d->lease_start = s->now;
    d->state = DHCP_BOUND;
    d->tries = 0;
    d->deadline = s->now + (uint64_t)d->lease_s * 500; /* T1: half the lease */
}

bool net_dhcp_input(net_stack *s, uint16_t dport, const uint8_t *p, size_t n)
{
    struct net_dhcp *d = &s->dhcp;
    if (dport != DHCP_CLIENT_PORT) {
        return false;
    }
    struct net_dhcp_msg m;
    if (net_dhcp_parse(p, n, &m) != 0 || m.op != 2 || m.xid != d->xid ||
        memcmp(m.chaddr.b, s->cfg.mac.b, 6) != 0) {
        return true;
    }
    if (d->state == DHCP_SELECTING && m.type == NET_DHCP_OFFER && m.yiaddr != 0) {
        d->offered = m.yiaddr;
        d->server = m.server;
        d->state = DHCP_REQUESTING;
        d->tries = 0;
        dhcp_transmit(s, NET_DHCP_REQUEST);
    } else if ((d->state == DHCP_REQUESTING || d->state == DHCP_RENEWING) &&
               m.type == NET_DHCP_ACK && m.yiaddr != 0) {
        dhcp_bind(s, &m);
    } else if ((d->state == DHCP_REQUESTING || d->state == DHCP_RENEWING) &&
               m.type == NET_DHCP_NAK) {
        s->cfg.ip = 0;
        net_dhcp_start(s);
    }
    return true;
}
