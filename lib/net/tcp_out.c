/*
 * TCP output and timers: segment building, the send loop bounded by the
 * peer's window and the congestion window (RFC 5681), the retransmission
 * timer with back-off (RFC 6298), zero-window probes (RFC 9293 3.8.6.1)
 * and TIME-WAIT.
 */
#include "net/internal/tcp.h"

#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"

struct tcp_hdr {
    uint32_t seq, ack;
    uint8_t flags;
    uint8_t optlen;
    uint8_t opts[8];
};

/* Writes the TCP header (and optlen option bytes) at the IP payload and sends len data bytes
 * already placed after it. */
static void tcp_emit(net_stack *s, uint32_t lip, uint32_t rip, uint16_t lport, uint16_t rport,
                     const struct tcp_hdr *h, uint16_t wnd, size_t len)
{
    uint8_t *p = net_ip_payload(s);
    size_t hl = NET_TCP_HLEN + h->optlen;
    net_put16(p, lport);
    net_put16(p + 2, rport);
    net_put32(p + 4, h->seq);
    net_put32(p + 8, h->ack);
    p[12] = (uint8_t)((hl / 4) << 4);
    p[13] = h->flags;
    net_put16(p + 14, wnd);
    net_put16(p + 16, 0);
    net_put16(p + 18, 0);
    memcpy(p + NET_TCP_HLEN, h->opts, h->optlen);
    uint16_t tl = (uint16_t)(hl + len);
    uint32_t sum = net_csum_pseudo(lip, rip, NET_IP_TCP, tl);
    net_put16(p + 16, net_csum_fold(net_csum_add(sum, p, tl)));
    if (h->flags & NET_TCP_RST) {
        s->counters.tcp_rst_sent++;
    }
    net_ip_output(s, rip, NET_IP_TCP, tl);
}

/* The window field for t, and remembers the right edge it advertises. */
static uint16_t tcp_wnd_field(struct net_tcb *t, bool syn)
{
    uint32_t w = tcp_rcv_wnd(t);
    uint8_t shift = syn ? 0 : t->rcv_wscale;
    uint32_t field = w >> shift;
    if (field > 0xffff) {
        field = 0xffff;
    }
    t->rcv_adv = t->rcv_nxt + (field << shift);
    return (uint16_t)field;
}

/* Sends a segment of t carrying len bytes of send buffer from offset off. */
static void tcp_xmit(net_stack *s, struct net_tcb *t, struct tcp_hdr *h, uint32_t off, uint32_t len)
{
    uint8_t *data = net_ip_payload(s) + NET_TCP_HLEN + h->optlen;
    uint32_t pos = (t->sb_head + off) % NET_TCP_BUF;
    uint32_t first = len < NET_TCP_BUF - pos ? len : NET_TCP_BUF - pos;
    memcpy(data, t->sndbuf + pos, first);
    memcpy(data + first, t->sndbuf, len - first);
    bool syn = (h->flags & NET_TCP_SYN) != 0;
    if (h->flags & NET_TCP_ACK) {
        h->ack = t->rcv_nxt;
        t->ack_now = false;
    }
    tcp_emit(s, t->lip, t->rip, t->lport, t->rport, h, tcp_wnd_field(t, syn), len);
}

void tcp_send_ctl(net_stack *s, struct net_tcb *t, uint8_t flags)
{
    /* At SND.MAX rather than SND.NXT: after a timeout SND.NXT went back, and a peer that
     * holds everything up to SND.MAX would find an ACK from behind its RCV.NXT unacceptable
     * and ignore what it acknowledges.  But never beyond the peer's window, where a peer
     * with a shut window could not accept it either (Linux's tcp_acceptable_seq). */
    uint32_t seq = t->snd_max;
    uint32_t wnd_end = t->snd_una + t->snd_wnd;
    if (net_seq_lt(wnd_end, seq) && !net_seq_lt(wnd_end, t->snd_nxt)) {
        seq = wnd_end;
    } else if (net_seq_lt(wnd_end, seq)) {
        seq = t->snd_nxt;
    }
    struct tcp_hdr h = {.seq = seq, .flags = flags};
    tcp_xmit(s, t, &h, 0, 0);
}

void tcp_send_syn(net_stack *s, struct net_tcb *t)
{
    struct tcp_hdr h = {.seq = t->iss, .flags = NET_TCP_SYN};
    if (t->state == NET_TCP_SYN_RCVD) {
        h.flags |= NET_TCP_ACK;
    }
    h.opts[0] = 2; /* MSS */
    h.opts[1] = 4;
    net_put16(h.opts + 2, TCP_MSS);
    h.optlen = 4;
    /* Window scale: always in a SYN, in a SYN-ACK only when the peer offered it. */
    if (t->state == NET_TCP_SYN_SENT || t->ws_ok) {
        h.opts[4] = 1; /* NOP */
        h.opts[5] = 3;
        h.opts[6] = 3;
        h.opts[7] = tcp_our_wscale();
        h.optlen = 8;
    }
    tcp_xmit(s, t, &h, 0, 0);
    if (t->rto_deadline == 0) {
        t->rto_deadline = s->now + t->rto;
    }
}

uint32_t tcp_send_at(net_stack *s, struct net_tcb *t, uint32_t seq, uint32_t limit)
{
    uint32_t off = seq - t->sb_seq;
    ZASSERT(off <= t->sb_len, "a segment starts inside the send buffer");
    uint32_t avail = t->sb_len - off;
    uint32_t n = avail < limit ? avail : limit;
    if (n > t->smss) {
        n = t->smss;
    }
    struct tcp_hdr h = {.seq = seq, .flags = NET_TCP_ACK};
    if (n > 0 && n == avail) {
        h.flags |= NET_TCP_PSH;
    }
    bool fin = t->fin_queued && n == avail;
    if (fin) {
        h.flags |= NET_TCP_FIN;
    }
    if (n == 0 && !fin) {
        return 0;
    }
    if (net_seq_lt(seq, t->snd_max)) {
        s->counters.tcp_retransmits++;
    }
    tcp_xmit(s, t, &h, off, n);
    uint32_t end = seq + n + (fin ? 1 : 0);
    if (net_seq_lt(t->snd_max, end)) {
        t->snd_max = end; /* a resent segment may carry bytes never sent before */
    }
    return n + (fin ? 1 : 0);
}

static bool tcp_can_send_data(const struct net_tcb *t)
{
    switch (t->state) {
    case NET_TCP_ESTABLISHED:
    case NET_TCP_CLOSE_WAIT:
    case NET_TCP_FIN_WAIT_1:
    case NET_TCP_CLOSING:
    case NET_TCP_LAST_ACK:
        return true;
    default:
        return false;
    }
}

/* Sends new segments while the windows allow; returns true when one went out. */
static bool tcp_send_window(net_stack *s, struct net_tcb *t)
{
    uint32_t wnd = t->snd_wnd < t->cwnd ? t->snd_wnd : t->cwnd;
    uint32_t end = t->sb_seq + t->sb_len + (t->fin_queued ? 1 : 0);
    bool sent = false;
    while (net_seq_lt(t->snd_nxt, end)) {
        uint32_t flight = t->snd_nxt - t->snd_una;
        uint32_t usable = wnd > flight ? wnd - flight : 0;
        uint32_t avail = t->sb_seq + t->sb_len - t->snd_nxt;
        bool fin_only = avail == 0;
        /* Sender-side silly window avoidance: no small segment while data is in flight. */
        if (!fin_only && (usable == 0 || (usable < t->smss && usable < avail && flight > 0))) {
            break;
        }
        bool fresh = !net_seq_lt(t->snd_nxt, t->snd_max);
        uint32_t n = tcp_send_at(s, t, t->snd_nxt, fin_only ? 0 : usable);
        if (n == 0) {
            break;
        }
        if (!t->rtt_timing && fresh) {
            t->rtt_timing = true; /* Karn: time only new data */
            t->rtt_seq = t->snd_nxt;
            t->rtt_start = s->now;
        }
        t->snd_nxt += n;
        if (net_seq_lt(t->snd_max, t->snd_nxt)) {
            t->snd_max = t->snd_nxt;
        }
        sent = true;
    }
    return sent;
}

void tcp_output(net_stack *s, struct net_tcb *t)
{
    if (tcp_can_send_data(t) && tcp_send_window(s, t) && t->rto_deadline == 0) {
        t->rto_deadline = s->now + t->rto;
    }
    if (t->ack_now) {
        tcp_send_ctl(s, t, NET_TCP_ACK);
    }
    /* The peer's window is shut with data to deliver: stop the retransmission timer and its
     * back-off, pull SND.NXT back and probe instead (BSD's tcp_output does the same); once
     * the window opens, sending resumes from SND.UNA at once. */
    bool pending = net_seq_lt(t->snd_una, t->sb_seq + t->sb_len);
    if (tcp_can_send_data(t) && t->snd_wnd == 0 && pending && t->persist_deadline == 0) {
        t->rto_deadline = 0;
        t->retries = 0;
        t->snd_nxt = t->snd_una;
        t->rtt_timing = false;
        tcp_rto_reset(s, t);
        t->persist_backoff = 0;
        t->persist_deadline = s->now + t->rto;
    }
}

void tcp_reset_reply(net_stack *s, const struct net_ipv4 *ip, const struct net_tcp_seg *seg)
{
    if (seg->flags & NET_TCP_RST) {
        return;
    }
    struct tcp_hdr h = {.flags = NET_TCP_RST};
    if (seg->flags & NET_TCP_ACK) {
        h.seq = seg->ack;
    } else {
        h.flags |= NET_TCP_ACK;
        h.ack = seg->seq + (uint32_t)seg->len + ((seg->flags & NET_TCP_SYN) ? 1 : 0) +
                ((seg->flags & NET_TCP_FIN) ? 1 : 0);
    }
    tcp_emit(s, ip->dst, ip->src, seg->dport, seg->sport, &h, 0, 0);
}

void tcp_free(struct net_tcb *t)
{
    uint32_t gen = t->gen;
    memset(t, 0, offsetof(struct net_tcb, ooo));
    t->gen = gen;
    t->listener = -1;
}

void tcp_drop(net_stack *s, struct net_tcb *t, int err)
{
    (void)s;
    if (t->orphan || t->listener >= 0) {
        tcp_free(t); /* nobody holds a handle */
        return;
    }
    t->state = NET_TCP_CLOSED;
    t->error = err;
    t->rto_deadline = 0;
    t->persist_deadline = 0;
    t->tw_deadline = 0;
}

void tcp_time_wait(net_stack *s, struct net_tcb *t)
{
    t->state = NET_TCP_TIME_WAIT;
    t->rto_deadline = 0;
    t->persist_deadline = 0;
    t->tw_deadline = s->now + 2 * (uint64_t)s->cfg.msl_ms;
}

/* RTO from SRTT and RTTVAR without back-off (RFC 6298 2.3), clamped. */
static void tcp_rto_set(net_stack *s, struct net_tcb *t)
{
    uint32_t var = 4 * t->rttvar > 1 ? 4 * t->rttvar : 1; /* G = 1 ms */
    uint32_t rto = t->srtt + var;
    if (rto < s->cfg.rto_min_ms) {
        rto = s->cfg.rto_min_ms;
    }
    t->rto = rto > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : rto;
}

void tcp_rto_reset(net_stack *s, struct net_tcb *t)
{
    if (t->rtt_valid) {
        tcp_rto_set(s, t);
    }
}

void tcp_rtt_sample(net_stack *s, struct net_tcb *t, uint32_t r)
{
    if (!t->rtt_valid) {
        t->srtt = r;
        t->rttvar = r / 2;
        t->rtt_valid = true;
    } else {
        uint32_t delta = t->srtt > r ? t->srtt - r : r - t->srtt;
        t->rttvar = (3 * t->rttvar + delta) / 4;
        t->srtt = (7 * t->srtt + r) / 8;
    }
    tcp_rto_set(s, t);
}

/* RFC 6298 5.4-5.7 and RFC 5681 3.1: the retransmission timer expired. */
static void tcp_timeout(net_stack *s, struct net_tcb *t)
{
    bool syn = t->state == NET_TCP_SYN_SENT || t->state == NET_TCP_SYN_RCVD;
    if (++t->retries > (syn ? TCP_SYN_RETRIES : TCP_DATA_RETRIES)) {
        s->counters.tcp_timeouts++;
        if (!syn) {
            tcp_send_ctl(s, t, NET_TCP_RST | NET_TCP_ACK);
        }
        tcp_drop(s, t, ZERR_TIMEOUT);
        return;
    }
    t->rto = t->rto * 2 > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : t->rto * 2;
    t->rto_deadline = s->now + t->rto;
    t->rtt_timing = false;
    if (syn) {
        tcp_send_syn(s, t);
        return;
    }
    uint32_t flight = t->snd_max - t->snd_una;
    t->ssthresh = flight / 2 > 2 * (uint32_t)t->smss ? flight / 2 : 2 * (uint32_t)t->smss;
    t->cwnd = t->smss;
    t->in_recovery = false;
    t->dupacks = 0;
    t->recover = t->snd_max;
    t->snd_nxt = t->snd_una; /* go back: resend from the first unacknowledged byte */
    t->snd_nxt += tcp_send_at(s, t, t->snd_una, t->smss);
}

/* The persist timer expired: send one byte beyond the closed window. */
static void tcp_probe(net_stack *s, struct net_tcb *t)
{
    if (t->snd_wnd != 0 || !net_seq_lt(t->snd_una, t->sb_seq + t->sb_len)) {
        t->persist_deadline = 0;
        return;
    }
    struct tcp_hdr h = {.seq = t->snd_una, .flags = NET_TCP_ACK};
    tcp_xmit(s, t, &h, t->snd_una - t->sb_seq, 1);
    if (t->persist_backoff < 6) {
        t->persist_backoff++;
    }
    uint64_t wait = (uint64_t)t->rto << t->persist_backoff;
    t->persist_deadline = s->now + (wait > TCP_RTO_MAX_MS ? TCP_RTO_MAX_MS : wait);
}

void tcp_check(const struct net_tcb *t)
{
    if (t->used && t->state != NET_TCP_LISTEN && t->state != NET_TCP_CLOSED) {
        ZASSERT(net_seq_le(t->snd_una, t->snd_nxt) && net_seq_le(t->snd_nxt, t->snd_max),
                "SND.UNA <= SND.NXT <= SND.MAX");
    }
}

void net_tcp_poll(net_stack *s)
{
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        struct net_tcb *t = &s->tcp[i];
        if (!t->used) {
            continue;
        }
        if (t->tw_deadline != 0 && t->tw_deadline <= s->now) {
            tcp_drop(s, t, 0); /* TIME-WAIT over (or an orphan's FIN-WAIT-2 limit) */
            continue;
        }
        tcp_check(t);
        if (t->rto_deadline != 0 && t->rto_deadline <= s->now) {
            tcp_timeout(s, t);
            tcp_check(t);
        }
        if (t->used && t->persist_deadline != 0 && t->persist_deadline <= s->now) {
            tcp_probe(s, t);
            tcp_check(t);
        }
    }
}

uint64_t net_tcp_deadline(const net_stack *s)
{
    uint64_t d = UINT64_MAX;
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        const struct net_tcb *t = &s->tcp[i];
        if (!t->used) {
            continue;
        }
        uint64_t ds[3] = {t->rto_deadline, t->persist_deadline, t->tw_deadline};
        for (unsigned k = 0; k < 3; k++) {
            if (ds[k] != 0) {
                d = net_min_deadline(d, ds[k]);
            }
        }
    }
    return d;
}
