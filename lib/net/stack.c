/*
 * The stack's entry points: initialisation, frame input and dispatch,
 * timers, IPv4 output and ICMP.
 *
 * IPv4 fragments are refused (counted in ip_frag_refused and dropped): the
 * stack sends with Don't Fragment and an MSS that fits the 1500-byte MTU,
 * so its own TCP never needs them, and refusing keeps a reassembly buffer
 * out of every node.  See docs/net.md.
 */
#include "net/internal/stack.h"

#include "base/errors.h"
#include "base/string.h"

enum { IP_TTL = 64 };

int net_init(net_stack *s, const struct net_config *cfg, const struct net_ops *ops, void *ctx,
             uint64_t now)
{
    if (ops == NULL || ops->send_frame == NULL || ops->authorize == NULL || ops->random == NULL ||
        cfg == NULL) {
        return ZERR_INVAL;
    }
    memset(s, 0, sizeof(*s));
    s->cfg = *cfg;
    if (s->cfg.rto_min_ms == 0) {
        s->cfg.rto_min_ms = 1000;
    }
    if (s->cfg.msl_ms == 0) {
        s->cfg.msl_ms = 30000;
    }
    s->ops = *ops;
    s->ctx = ctx;
    s->now = now;
    s->ip_id = (uint16_t)net_random32(s);
    s->drop_state = net_random32(s) | 1;
    s->next_port = 0;
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        s->tcp[i].listener = -1;
    }
    if (s->cfg.ip == 0) {
        net_dhcp_start(s);
    }
    return 0;
}

uint32_t net_random32(net_stack *s)
{
    uint32_t v = 0;
    s->ops.random(s->ctx, &v, sizeof(v));
    return v;
}

bool net_drop_frame(net_stack *s)
{
    if (s->cfg.drop_permille == 0) {
        return false;
    }
    /* xorshift32: a reproducible sequence seeded from ops->random. */
    uint32_t x = s->drop_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s->drop_state = x;
    return x % 1000 < s->cfg.drop_permille;
}

uint32_t net_local_ip(const net_stack *s)
{
    return s->cfg.ip;
}

void net_addr(const net_stack *s, uint32_t *ip, uint32_t *netmask, uint32_t *gateway, uint32_t *dns)
{
    *ip = s->cfg.ip;
    *netmask = s->cfg.netmask;
    *gateway = s->cfg.gateway;
    *dns = s->cfg.dns;
}

const struct net_counters *net_counters(const net_stack *s)
{
    return &s->counters;
}

/* Handles one IPv4 packet addressed to us (or broadcast). */
static void ip_input(net_stack *s, const uint8_t *p, size_t n)
{
    struct net_ipv4 ip;
    if (net_ipv4_parse(p, n, &ip) != 0) {
        s->counters.ip_bad++;
        return;
    }
    bool for_us = ip.dst == s->cfg.ip || ip.dst == NET_BROADCAST ||
                  (s->cfg.netmask != 0 && ip.dst == (s->cfg.ip | ~s->cfg.netmask));
    if (!for_us && !(s->cfg.ip == 0 && ip.proto == NET_IP_UDP)) {
        return;
    }
    if (ip.more_frags || ip.frag_off != 0) {
        s->counters.ip_frag_refused++;
        return;
    }
    switch (ip.proto) {
    case NET_IP_ICMP:
        net_icmp_input(s, &ip);
        break;
    case NET_IP_UDP:
        net_udp_input(s, &ip, p);
        break;
    case NET_IP_TCP:
        if (ip.dst == s->cfg.ip) {
            net_tcp_input(s, &ip);
        }
        break;
    default:
        net_icmp_unreach(s, &ip, p, 2); /* protocol unreachable */
        break;
    }
}

void net_input(net_stack *s, const uint8_t *frame, size_t len, uint64_t now)
{
    s->now = now;
    s->counters.rx_frames++;
    if (net_drop_frame(s)) {
        s->counters.rx_dropped++;
        return;
    }
    struct net_eth eth;
    if (net_eth_parse(frame, len, &eth) != 0) {
        s->counters.rx_dropped++;
        return;
    }
    static const net_mac bcast = {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
    if (memcmp(&eth.dst, &s->cfg.mac, 6) != 0 && memcmp(&eth.dst, &bcast, 6) != 0) {
        return;
    }
    if (eth.type == NET_ETH_ARP) {
        net_arp_input(s, eth.payload, eth.len);
    } else if (eth.type == NET_ETH_IPV4) {
        ip_input(s, eth.payload, eth.len);
    }
}

void net_poll(net_stack *s, uint64_t now)
{
    s->now = now;
    net_arp_poll(s);
    net_tcp_poll(s);
    net_dhcp_poll(s);
    net_dns_poll(s);
}

uint64_t net_next_deadline(const net_stack *s)
{
    uint64_t d = net_min_deadline(net_arp_deadline(s), net_tcp_deadline(s));
    if (s->dhcp.deadline != 0) {
        d = net_min_deadline(d, s->dhcp.deadline);
    }
    if (s->dns.state == 1) {
        d = net_min_deadline(d, s->dns.deadline);
    }
    return d;
}

/* Writes the IPv4 header in front of the payload at s->tx + 34. */
static void ip_header(net_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
    uint8_t *h = s->tx + NET_ETH_HLEN;
    h[0] = 0x45;
    h[1] = 0;
    net_put16(h + 2, (uint16_t)(NET_IP_HLEN + len));
    net_put16(h + 4, s->ip_id++);
    net_put16(h + 6, 0x4000); /* Don't Fragment */
    h[8] = IP_TTL;
    h[9] = proto;
    net_put16(h + 10, 0);
    net_put32(h + 12, src);
    net_put32(h + 16, dst);
    net_put16(h + 10, net_csum_fold(net_csum_add(0, h, NET_IP_HLEN)));
}

/* Sends an IPv4 packet from a given source (DHCP sends from 0.0.0.0). */
static int ip_output_from(net_stack *s, uint32_t src, uint32_t dst, uint8_t proto, size_t len)
{
    if (len > NET_MTU - NET_IP_HLEN) {
        return ZERR_RANGE;
    }
    ip_header(s, src, dst, proto, len);
    return net_arp_resolve_and_send(s, dst, NET_IP_HLEN + len);
}

int net_ip_output(net_stack *s, uint32_t dst, uint8_t proto, size_t len)
{
    return ip_output_from(s, s->cfg.ip, dst, proto, len);
}

int net_udp_send_raw(net_stack *s, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                     const void *buf, size_t len)
{
    if (len > NET_MTU - NET_IP_HLEN - NET_UDP_HLEN) {
        return ZERR_RANGE;
    }
    uint8_t *u = net_ip_payload(s);
    uint16_t ulen = (uint16_t)(NET_UDP_HLEN + len);
    net_put16(u, sport);
    net_put16(u + 2, dport);
    net_put16(u + 4, ulen);
    net_put16(u + 6, 0);
    memmove(u + NET_UDP_HLEN, buf, len);
    uint16_t c = net_csum_fold(net_csum_add(net_csum_pseudo(src, dst, NET_IP_UDP, ulen), u, ulen));
    net_put16(u + 6, c == 0 ? 0xffff : c);
    return ip_output_from(s, src, dst, NET_IP_UDP, ulen);
}

/* Writes an ICMP message (header + data) at the IP payload and sends it. */
static void icmp_send(net_stack *s, uint32_t dst, uint8_t type, uint8_t code, uint32_t rest,
                      const uint8_t *data, size_t len)
{
    uint8_t *m = net_ip_payload(s);
    if (len > NET_MTU - NET_IP_HLEN - 8) {
        len = NET_MTU - NET_IP_HLEN - 8;
    }
    m[0] = type;
    m[1] = code;
    net_put16(m + 2, 0);
    net_put32(m + 4, rest);
    memmove(m + 8, data, len);
    net_put16(m + 2, net_csum_fold(net_csum_add(0, m, 8 + len)));
    net_ip_output(s, dst, NET_IP_ICMP, 8 + len);
}

void net_icmp_input(net_stack *s, const struct net_ipv4 *ip)
{
    struct net_icmp m;
    if (net_icmp_parse(ip->payload, ip->len, &m) != 0) {
        s->counters.ip_bad++;
        return;
    }
    if (m.type == NET_ICMP_ECHO && m.code == 0 && ip->dst == s->cfg.ip) {
        s->counters.icmp_echo_replied++;
        icmp_send(s, ip->src, NET_ICMP_ECHO_REPLY, 0, (uint32_t)m.id << 16 | m.seq, m.data, m.len);
    } else if (m.type == NET_ICMP_ECHO_REPLY && s->ping.waiting && m.id == s->ping.id &&
               m.seq == s->ping.seq) {
        s->ping.waiting = false;
        s->ping.answered = true;
        s->ping.rtt_ms = s->now - s->ping.sent_at;
    }
}

void net_icmp_unreach(net_stack *s, const struct net_ipv4 *ip, const uint8_t *hdr, uint8_t code)
{
    if (ip->dst != s->cfg.ip) {
        return; /* never about broadcasts (RFC 1122 3.2.2) */
    }
    size_t hl = (size_t)(ip->payload - hdr);
    size_t n = hl + (ip->len < 8 ? ip->len : 8);
    uint8_t quote[60 + 8];
    memcpy(quote, hdr, n);
    icmp_send(s, ip->src, NET_ICMP_UNREACH, code, 0, quote, n);
}

int net_ping(net_stack *s, uint32_t ip, uint16_t seq, uint64_t now)
{
    s->now = now;
    if (s->cfg.ip == 0) {
        return ZERR_AGAIN;
    }
    if (s->ping.id == 0) {
        s->ping.id = (uint16_t)(net_random32(s) | 1);
    }
    s->ping.seq = seq;
    s->ping.waiting = true;
    s->ping.answered = false;
    s->ping.sent_at = now;
    static const uint8_t payload[32] = "Zero OS echo request payload....";
    icmp_send(s, ip, NET_ICMP_ECHO, 0, (uint32_t)s->ping.id << 16 | seq, payload, sizeof(payload));
    return 0;
}

int net_ping_result(const net_stack *s, uint64_t *rtt_ms)
{
    if (!s->ping.answered) {
        return ZERR_AGAIN;
    }
    *rtt_ms = s->ping.rtt_ms;
    return 0;
}

int net_ip_parse(const char *text, uint32_t *ip)
{
    uint32_t v = 0;
    for (int part = 0; part < 4; part++) {
        unsigned x = 0;
        int digits = 0;
        while (*text >= '0' && *text <= '9' && digits < 4) {
            x = x * 10 + (unsigned)(*text++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || x > 255 || *text != (part == 3 ? '\0' : '.')) {
            return ZERR_INVAL;
        }
        if (part < 3) {
            text++;
        }
        v = v << 8 | x;
    }
    *ip = v;
    return 0;
}
