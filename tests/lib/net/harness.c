/*
 * The lib/net packet harness (see harness.h).
 */
#include "harness.h"

#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "base/errors.h"

static const uint8_t peer_mac[6] = {2, 0, 0, 0, 0, 2};
static const uint8_t our_mac[6] = {2, 0, 0, 0, 0, 1};

static void h_send(void *ctx, const uint8_t *frame, size_t len)
{
    struct harness *h = ctx;
    ZASSERT(h->nout < H_OUT_MAX, "harness output queue has room");
    ZASSERT(len <= NET_FRAME_MAX, "stack frames fit an Ethernet frame");
    memcpy(h->out[h->nout].b, frame, len);
    h->out[h->nout].len = len;
    h->nout++;
}

static int h_authorize(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    struct harness *h = ctx;
    (void)sock;
    h->auth_calls++;
    h->last_kind = kind;
    h->last_ip = ip;
    h->last_port = port;
    return h->auth_answer;
}

static void h_record(void *ctx, int listener, int sock, uint32_t ip, uint16_t port)
{
    struct harness *h = ctx;
    (void)listener;
    (void)sock;
    (void)ip;
    (void)port;
    h->accepts++;
}

static void h_random(void *ctx, void *buf, size_t n)
{
    struct harness *h = ctx;
    uint8_t *p = buf;
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(h->random_value >> (8 * (i % 4)));
    }
}

void h_init(struct harness *h, const struct net_config *override)
{
    memset(h, 0, sizeof(*h));
    h->s = calloc(1, sizeof(net_stack));
    h->out = calloc(H_OUT_MAX, sizeof(struct h_frame));
    ZASSERT(h->s != NULL && h->out != NULL, "harness memory");
    h->now = 1000;
    struct net_config cfg = {
        .ip = H_US,
        .netmask = 0xffffff00u,
        .gateway = 0x0a0000feu,
        .rto_min_ms = 200,
        .msl_ms = 1000,
    };
    if (override != NULL) {
        cfg = *override;
    }
    memcpy(cfg.mac.b, our_mac, 6);
    static const struct net_ops ops = {
        .send_frame = h_send,
        .authorize = h_authorize,
        .record_accept = h_record,
        .random = h_random,
    };
    ZASSERT(net_init(h->s, &cfg, &ops, h, h->now) == 0, "net_init");
}

void h_free(struct harness *h)
{
    free(h->s);
    free(h->out);
}

void h_advance(struct harness *h, uint64_t ms)
{
    h->now += ms;
    net_poll(h->s, h->now);
}

static void h_inject_eth(struct harness *h, const uint8_t *dst, uint16_t type, const uint8_t *p,
                         size_t n)
{
    uint8_t f[NET_FRAME_MAX + 64];
    ZASSERT(n + NET_ETH_HLEN <= sizeof(f), "injected frame fits");
    memcpy(f, dst, 6);
    memcpy(f + 6, peer_mac, 6);
    net_put16(f + 12, type);
    memcpy(f + NET_ETH_HLEN, p, n);
    net_input(h->s, f, NET_ETH_HLEN + n, h->now);
}

void h_learn_peer(struct harness *h)
{
    uint8_t a[28] = {0, 1, 8, 0, 6, 4, 0, 1};
    memcpy(a + 8, peer_mac, 6);
    net_put32(a + 14, H_PEER);
    net_put32(a + 24, H_US);
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    h_inject_eth(h, bcast, NET_ETH_ARP, a, sizeof(a));
    h_drain(h);
}

void h_inject_ip(struct harness *h, uint32_t src, uint32_t dst, uint8_t proto, const void *p,
                 size_t n)
{
    uint8_t ip[NET_MTU];
    ZASSERT(n + NET_IP_HLEN <= sizeof(ip), "injected packet fits");
    memset(ip, 0, NET_IP_HLEN);
    ip[0] = 0x45;
    net_put16(ip + 2, (uint16_t)(NET_IP_HLEN + n));
    ip[8] = 64;
    ip[9] = proto;
    net_put32(ip + 12, src);
    net_put32(ip + 16, dst);
    net_put16(ip + 10, net_csum_fold(net_csum_add(0, ip, NET_IP_HLEN)));
    memcpy(ip + NET_IP_HLEN, p, n);
    h_inject_eth(h, our_mac, NET_ETH_IPV4, ip, NET_IP_HLEN + n);
}

void h_inject_tcp(struct harness *h, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t wnd, const uint8_t *opts, size_t optlen, const void *data,
                  size_t len)
{
    uint8_t t[NET_MTU];
    size_t hl = NET_TCP_HLEN + optlen;
    ZASSERT(optlen % 4 == 0 && hl + len <= sizeof(t) - NET_IP_HLEN, "injected segment fits");
    memset(t, 0, NET_TCP_HLEN);
    net_put16(t, sport);
    net_put16(t + 2, dport);
    net_put32(t + 4, seq);
    net_put32(t + 8, ack);
    t[12] = (uint8_t)((hl / 4) << 4);
    t[13] = flags;
    net_put16(t + 14, wnd);
    if (optlen > 0) {
        memcpy(t + NET_TCP_HLEN, opts, optlen);
    }
    if (len > 0) {
        memcpy(t + hl, data, len);
    }
    uint32_t sum = net_csum_pseudo(H_PEER, H_US, NET_IP_TCP, (uint16_t)(hl + len));
    net_put16(t + 16, net_csum_fold(net_csum_add(sum, t, hl + len)));
    h_inject_ip(h, H_PEER, H_US, NET_IP_TCP, t, hl + len);
}

void h_inject_udp(struct harness *h, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                  const void *data, size_t len)
{
    uint8_t u[NET_MTU];
    ZASSERT(len + NET_UDP_HLEN <= sizeof(u) - NET_IP_HLEN, "injected datagram fits");
    net_put16(u, sport);
    net_put16(u + 2, dport);
    net_put16(u + 4, (uint16_t)(NET_UDP_HLEN + len));
    net_put16(u + 6, 0);
    memcpy(u + NET_UDP_HLEN, data, len);
    uint32_t sum = net_csum_pseudo(src, dst, NET_IP_UDP, (uint16_t)(NET_UDP_HLEN + len));
    net_put16(u + 6, net_csum_fold(net_csum_add(sum, u, NET_UDP_HLEN + len)));
    h_inject_ip(h, src, dst, NET_IP_UDP, u, NET_UDP_HLEN + len);
}

/* Decodes the IPv4 part of a sent frame into out. */
static void h_decode_ip(struct h_seg *out, const uint8_t *p, size_t n)
{
    struct net_ipv4 ip;
    ZASSERT(net_ipv4_parse(p, n, &ip) == 0, "the stack sends valid IPv4 headers");
    out->proto = ip.proto;
    out->src = ip.src;
    out->dst = ip.dst;
    if (ip.proto == NET_IP_TCP) {
        ZASSERT(net_tcp_parse(ip.payload, ip.len, ip.src, ip.dst, &out->tcp) == 0,
                "the stack sends valid TCP segments");
        ZASSERT(net_tcp_parse_options(out->tcp.opts, out->tcp.optlen, &out->opts) == 0,
                "the stack sends valid TCP options");
    } else if (ip.proto == NET_IP_UDP) {
        ZASSERT(net_udp_parse(ip.payload, ip.len, ip.src, ip.dst, &out->udp) == 0,
                "the stack sends valid UDP datagrams");
    } else if (ip.proto == NET_IP_ICMP) {
        ZASSERT(net_icmp_parse(ip.payload, ip.len, &out->icmp) == 0,
                "the stack sends valid ICMP messages");
    }
}

bool h_next(struct harness *h, struct h_seg *out)
{
    if (h->rd == h->nout) {
        h->rd = h->nout = 0;
        return false;
    }
    struct h_frame *f = &h->out[h->rd++];
    memset(out, 0, sizeof(*out));
    memcpy(out->raw, f->b, f->len);
    struct net_eth eth;
    ZASSERT(net_eth_parse(out->raw, f->len, &eth) == 0, "the stack sends valid Ethernet");
    out->ethertype = eth.type;
    if (eth.type == NET_ETH_ARP) {
        ZASSERT(net_arp_parse(eth.payload, eth.len, &out->arp) == 0, "valid ARP");
    } else {
        h_decode_ip(out, eth.payload, eth.len);
    }
    return true;
}

unsigned h_pending(const struct harness *h)
{
    return h->nout - h->rd;
}

void h_drain(struct harness *h)
{
    h->rd = h->nout = 0;
}
