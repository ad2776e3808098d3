/*
 * TCP internals shared by tcp_in.c (segment arrival), tcp_out.c (output
 * and timers) and tcp_sock.c (the socket calls).
 */
#ifndef ZERO_NET_INTERNAL_TCP_H
#define ZERO_NET_INTERNAL_TCP_H

#include "net/internal/stack.h"

enum {
    TCP_MSS = NET_MTU - NET_IP_HLEN - NET_TCP_HLEN, /* 1460: what we accept */
    TCP_DEFAULT_MSS = 536,                          /* RFC 9293 3.7.1 */
    TCP_RTO_INIT_MS = 1000,                         /* RFC 6298 2.1 */
    TCP_RTO_MAX_MS = 60000,                         /* RFC 6298 2.5 */
    TCP_SYN_RETRIES = 5,
    TCP_DATA_RETRIES = 12,
};

static inline uint32_t tcp_slot_of(const net_stack *s, const struct net_tcb *t)
{
    return (uint32_t)(t - s->tcp);
}

/* The receive window we can offer now (bytes). */
static inline uint32_t tcp_rcv_wnd(const struct net_tcb *t)
{
    return NET_TCP_BUF - t->rb_len;
}

/* The window-scale shift that lets NET_TCP_BUF be advertised. */
static inline uint8_t tcp_our_wscale(void)
{
    uint8_t ws = 0;
    while ((NET_TCP_BUF >> ws) > 0xffff) {
        ws++;
    }
    return ws;
}

/* RFC 5681 3.1's initial window for smss. */
static inline uint32_t tcp_initial_cwnd(uint32_t smss)
{
    return smss > 2190 ? 2 * smss : smss > 1095 ? 3 * smss : 4 * smss;
}

/* ---- tcp_sock.c ---- */

/* A free control block, zeroed with a new generation, or NULL. */
struct net_tcb *net_tcp_alloc(net_stack *s);

/* ---- tcp_out.c ---- */

/* Sends SYN (SYN_SENT) or SYN-ACK (SYN_RCVD) with our options. */
void tcp_send_syn(net_stack *s, struct net_tcb *t);
/* Sends a segment without data (ACK, RST) at SND.MAX. */
void tcp_send_ctl(net_stack *s, struct net_tcb *t, uint8_t flags);
/*
 * Sends one segment starting at seq (at most smss bytes of buffered data,
 * plus the FIN when it is next).  Returns the sequence space it covers.
 */
uint32_t tcp_send_at(net_stack *s, struct net_tcb *t, uint32_t seq, uint32_t limit);
/* Sends what the windows allow, then a pure ACK if one is owed. */
void tcp_output(net_stack *s, struct net_tcb *t);
/* Answers a segment that has no connection with a reset (RFC 9293 3.10.7.1). */
void tcp_reset_reply(net_stack *s, const struct net_ipv4 *ip, const struct net_tcp_seg *seg);
/* Releases the block (the handle becomes stale). */
void tcp_free(struct net_tcb *t);
/* Ends the connection with err; an orphan is freed, else the user sees err. */
void tcp_drop(net_stack *s, struct net_tcb *t, int err);
/* Feeds one round-trip sample into SRTT, RTTVAR and RTO (RFC 6298 2.2-2.3). */
void tcp_rtt_sample(net_stack *s, struct net_tcb *t, uint32_t r);
/* Drops the RTO's back-off: back to SRTT + 4 RTTVAR once there is a sample. */
void tcp_rto_reset(net_stack *s, struct net_tcb *t);
/* Asserts the send sequence variables are in order: SND.UNA <= SND.NXT <= SND.MAX. */
void tcp_check(const struct net_tcb *t);
/* Enters TIME-WAIT (2 MSL). */
void tcp_time_wait(net_stack *s, struct net_tcb *t);

#endif
