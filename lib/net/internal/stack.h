/*
 * Functions shared between the files of lib/net (not part of its API).
 */
#ifndef ZERO_NET_INTERNAL_STACK_H
#define ZERO_NET_INTERNAL_STACK_H

#include "net/net.h"
#include "net/wire.h"

#define NET_BROADCAST 0xffffffffu

/* Handles: bits 0-5 slot, bit 6 UDP, bits 7-30 generation (never 0). */
#define NET_H_UDP 0x40
#define NET_H_SLOT 0x3f

static inline int net_handle(uint32_t gen, unsigned slot, bool udp)
{
    return (int)(((gen & 0xffffffu) << 7) | (udp ? NET_H_UDP : 0u) | slot);
}

/* The generation after gen (24 bits, never 0). */
static inline uint32_t net_next_gen(uint32_t gen)
{
    gen = (gen + 1) & 0xffffffu;
    return gen == 0 ? 1 : gen;
}

/* Sends an IPv4 packet whose payload (len bytes) the caller wrote at s->tx + 34. */
int net_ip_output(net_stack *s, uint32_t dst, uint8_t proto, size_t len);

/* Where net_ip_output() expects the payload. */
static inline uint8_t *net_ip_payload(net_stack *s)
{
    return s->tx + NET_ETH_HLEN + NET_IP_HLEN;
}

/* Our source address for dst (0.0.0.0 before DHCP has a lease). */
uint32_t net_local_ip(const net_stack *s);

/*
 * Sends the IPv4 packet at s->tx + 14 (iplen bytes) to dst's next hop,
 * resolving it first when needed (the packet then waits in the ARP entry).
 */
int net_arp_resolve_and_send(net_stack *s, uint32_t dst, size_t iplen);
/* Sends a whole frame through ops->send_frame, unless the drop filter takes it. */
void net_send_frame(net_stack *s, const uint8_t *frame, size_t len);

void net_arp_input(net_stack *s, const uint8_t *p, size_t n);
void net_arp_poll(net_stack *s);
uint64_t net_arp_deadline(const net_stack *s);

void net_icmp_input(net_stack *s, const struct net_ipv4 *ip);
/* Sends ICMP destination unreachable (code) about the packet ip. */
void net_icmp_unreach(net_stack *s, const struct net_ipv4 *ip, const uint8_t *hdr, uint8_t code);

/* True when a UDP port is bound (by a socket, DHCP or a DNS query). */
bool net_udp_port_taken(const net_stack *s, uint16_t port);
/* Completes a pending UDP bind authorization. */
int net_udp_auth_done(net_stack *s, int h, bool granted);

void net_udp_input(net_stack *s, const struct net_ipv4 *ip, const uint8_t *hdr);
/* Sends a datagram from sport; used by sockets, DHCP and DNS. */
int net_udp_send_raw(net_stack *s, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                     const void *buf, size_t len);

void net_tcp_input(net_stack *s, const struct net_ipv4 *ip);
void net_tcp_poll(net_stack *s);
uint64_t net_tcp_deadline(const net_stack *s);

/* DHCP and DNS see datagrams to their ports before the sockets do; true when taken. */
/* Starts (or restarts) the DHCP client from INIT. */
void net_dhcp_start(net_stack *s);
bool net_dhcp_input(net_stack *s, uint16_t dport, const uint8_t *p, size_t n);
void net_dhcp_poll(net_stack *s);
bool net_dns_input(net_stack *s, uint16_t dport, const uint8_t *p, size_t n);
void net_dns_poll(net_stack *s);

/* A random 32-bit value from ops->random. */
uint32_t net_random32(net_stack *s);

/* A free ephemeral port for proto (NET_IP_TCP or NET_IP_UDP). */
uint16_t net_ephemeral_port(net_stack *s, uint8_t proto);

/* True when the test drop filter discards this frame. */
bool net_drop_frame(net_stack *s);

static inline uint64_t net_min_deadline(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

#endif
