/*
 * Wire formats of lib/net: strict parsers for every header the stack reads,
 * and the byte-order and checksum helpers its builders use.  Each parser
 * checks lengths before it reads and returns 0, ZERR_TRUNCATED (too short),
 * ZERR_CORRUPT (a bad checksum or an inconsistent length) or
 * ZERR_UNSUPPORTED (a valid header the stack does not handle).  Parsed
 * values are in host byte order; payload pointers point into the input.
 */
#ifndef ZERO_NET_WIRE_H
#define ZERO_NET_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"

enum {
    NET_ETH_HLEN = 14,
    NET_ETH_IPV4 = 0x0800,
    NET_ETH_ARP = 0x0806,
    NET_IP_HLEN = 20,
    NET_IP_ICMP = 1,
    NET_IP_TCP = 6,
    NET_IP_UDP = 17,
    NET_UDP_HLEN = 8,
    NET_TCP_HLEN = 20,
    NET_TCP_FIN = 0x01,
    NET_TCP_SYN = 0x02,
    NET_TCP_RST = 0x04,
    NET_TCP_PSH = 0x08,
    NET_TCP_ACK = 0x10,
    NET_TCP_URG = 0x20,
};

static inline uint16_t net_get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t net_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void net_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void net_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Sequence-number comparisons modulo 2^32 (RFC 9293 3.4). */
static inline bool net_seq_lt(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) < 0;
}

static inline bool net_seq_le(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) <= 0;
}

/* One's-complement sum of n bytes added to sum (not folded). */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t n);

/* Folds sum and returns its complement: the checksum field's value. */
uint16_t net_csum_fold(uint32_t sum);

/* The sum of the TCP/UDP pseudo-header. */
uint32_t net_csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

struct net_eth {
    net_mac dst, src;
    uint16_t type;
    const uint8_t *payload;
    size_t len;
};

int net_eth_parse(const uint8_t *p, size_t n, struct net_eth *out);

enum { NET_ARP_REQUEST = 1, NET_ARP_REPLY = 2 };

struct net_arp {
    uint16_t op;
    net_mac sha, tha;
    uint32_t spa, tpa;
};

/* Accepts only Ethernet/IPv4 ARP (htype 1, ptype 0x0800, lengths 6 and 4). */
int net_arp_parse(const uint8_t *p, size_t n, struct net_arp *out);

struct net_ipv4 {
    uint8_t tos, ttl, proto;
    uint16_t id;
    bool more_frags, dont_frag;
    uint16_t frag_off; /* in bytes */
    uint32_t src, dst;
    const uint8_t *payload;
    size_t len;
};

/*
 * Checks version, header length, total length and header checksum.  Trailing
 * bytes beyond the total length (Ethernet padding) are not payload.
 * Fragments parse; the stack refuses them (see docs/net.md).
 */
int net_ipv4_parse(const uint8_t *p, size_t n, struct net_ipv4 *out);

enum { NET_ICMP_ECHO_REPLY = 0, NET_ICMP_UNREACH = 3, NET_ICMP_ECHO = 8 };

struct net_icmp {
    uint8_t type, code;
    uint16_t id, seq; /* echo messages */
    const uint8_t *data;
    size_t len;
};

int net_icmp_parse(const uint8_t *p, size_t n, struct net_icmp *out);

struct net_udp {
    uint16_t sport, dport;
    const uint8_t *payload;
    size_t len;
};

/* Checks the length field and the checksum (0: none sent) against the pseudo-header. */
int net_udp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct net_udp *out);

struct net_tcp_seg {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t wnd;
    const uint8_t *opts;
    size_t optlen;
    const uint8_t *payload;
    size_t len;
};

int net_tcp_parse(const uint8_t *p, size_t n, uint32_t src, uint32_t dst, struct net_tcp_seg *out);

struct net_tcp_opts {
    bool has_mss, has_ws;
    uint16_t mss;
    uint8_t wscale; /* clamped to 14 (RFC 7323 2.3) */
};

/* Parses TCP options (MSS and window scale are used; the rest are skipped). */
int net_tcp_parse_options(const uint8_t *p, size_t n, struct net_tcp_opts *out);

enum {
    NET_DHCP_DISCOVER = 1,
    NET_DHCP_OFFER = 2,
    NET_DHCP_REQUEST = 3,
    NET_DHCP_ACK = 5,
    NET_DHCP_NAK = 6,
};

struct net_dhcp_msg {
    uint8_t op, type;
    uint32_t xid, yiaddr, server, netmask, router, dns, lease_s;
    net_mac chaddr;
};

/* Parses a BOOTP/DHCP message: magic cookie, options up to End, option 52 refused. */
int net_dhcp_parse(const uint8_t *p, size_t n, struct net_dhcp_msg *out);

/* Builds a DNS query for name's A record; returns its length or an error. */
int net_dns_build_query(uint8_t *out, size_t cap, uint16_t id, const char *name);

/*
 * Parses a DNS response to query id: checks the header, skips the question,
 * follows compression pointers (bounded) and returns the first A record of
 * the answers in *ip.  ZERR_NOENT when the name has no A record (or RCODE 3).
 */
int net_dns_parse_response(const uint8_t *p, size_t n, uint16_t id, uint32_t *ip);

#endif
