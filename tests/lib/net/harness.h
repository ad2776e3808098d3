/*
 * A packet harness for lib/net tests: one stack on a manual clock, the
 * frames it sends captured in a queue, and helpers that build frames from
 * a peer (10.0.0.2, 02:00:00:00:00:02) and decode what the stack sent.
 * Randomness is a value the test sets, so initial sequence numbers can be
 * put next to 2^32.
 */
#ifndef ZERO_TESTS_NET_HARNESS_H
#define ZERO_TESTS_NET_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/net.h"
#include "net/wire.h"

#define H_US 0x0a000001u   /* 10.0.0.1 */
#define H_PEER 0x0a000002u /* 10.0.0.2 */
#define H_OUT_MAX 256

struct h_frame {
    size_t len;
    uint8_t b[NET_FRAME_MAX];
};

/* A decoded frame the stack sent. */
struct h_seg {
    uint16_t ethertype;
    uint8_t proto;
    uint32_t src, dst;
    struct net_tcp_seg tcp;
    struct net_tcp_opts opts;
    struct net_udp udp;
    struct net_icmp icmp;
    struct net_arp arp;
    uint8_t raw[NET_FRAME_MAX];
};

struct harness {
    net_stack *s;
    uint64_t now;
    struct h_frame *out;
    unsigned nout, rd;
    uint32_t random_value;
    int auth_answer;
    unsigned auth_calls, accepts;
    enum net_auth last_kind;
    uint32_t last_ip;
    uint16_t last_port;
};

/* Starts a stack at 10.0.0.1/24 (gateway 10.0.0.254) with rto_min 200 ms, msl 1000 ms. */
void h_init(struct harness *h, const struct net_config *override);
void h_free(struct harness *h);

/* Advances the clock by ms and runs the timers. */
void h_advance(struct harness *h, uint64_t ms);

/* Makes the stack learn the peer's MAC (an ARP request from the peer), and drops the reply. */
void h_learn_peer(struct harness *h);

/* Injects an IPv4 packet from src with the given payload. */
void h_inject_ip(struct harness *h, uint32_t src, uint32_t dst, uint8_t proto, const void *p,
                 size_t n);

/* Injects a TCP segment from the peer; opts may be NULL. */
void h_inject_tcp(struct harness *h, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
                  uint8_t flags, uint16_t wnd, const uint8_t *opts, size_t optlen, const void *data,
                  size_t len);

/* Injects a UDP datagram from src:sport to dst:dport. */
void h_inject_udp(struct harness *h, uint32_t src, uint16_t sport, uint32_t dst, uint16_t dport,
                  const void *data, size_t len);

/* Pops the next frame the stack sent and decodes it; false when none is queued. */
bool h_next(struct harness *h, struct h_seg *out);

/* Number of frames queued and not yet popped. */
unsigned h_pending(const struct harness *h);

/* Drops every queued frame. */
void h_drain(struct harness *h);

#endif
