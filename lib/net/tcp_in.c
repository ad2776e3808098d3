/*
 * TCP segment arrival (RFC 9293 3.10.7), in the order the RFC gives:
 * LISTEN, SYN-SENT, then the sequence check, RST, SYN, ACK, data and FIN
 * for every other state.  RST and SYN in the window get a challenge ACK
 * unless they are exact (RFC 5961 3 and 4).  Duplicate ACKs drive fast
 * retransmit and recovery (RFC 5681 3.2, with RFC 6582's partial ACKs).
 */
#include "net/internal/tcp.h"

#include "base/errors.h"
#include "base/string.h"

/* The connection a segment belongs to, or else a listener on its port. */
static struct net_tcb *tcp_lookup(net_stack *s, const struct net_ipv4 *ip,
                                  const struct net_tcp_seg *seg)
{
    struct net_tcb *listener = NULL;
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        struct net_tcb *t = &s->tcp[i];
        if (!t->used || t->auth_pending || t->lport != seg->dport || t->state == NET_TCP_CLOSED) {
            continue;
        }
        if (t->state == NET_TCP_LISTEN) {
            listener = t;
        } else if (t->rip == ip->src && t->rport == seg->sport) {
            return t;
        }
    }
    return listener;
}

/* Takes the MSS and window-scale options of a SYN. */
static void tcp_syn_options(struct net_tcb *t, const struct net_tcp_seg *seg)
{
    struct net_tcp_opts o;
    if (net_tcp_parse_options(seg->opts, seg->optlen, &o) != 0) {
        memset(&o, 0, sizeof(o));
    }
    uint32_t mss = o.has_mss ? o.mss : TCP_DEFAULT_MSS;
    if (mss > TCP_MSS) {
        mss = TCP_MSS;
    }
    t->smss = (uint16_t)(mss < 64 ? 64 : mss);
    t->ws_ok = o.has_ws;
    t->snd_wscale = o.has_ws ? o.wscale : 0;
    t->rcv_wscale = o.has_ws ? tcp_our_wscale() : 0;
}

/* Counts a listener's connections not yet accepted. */
static unsigned tcp_backlog_used(const net_stack *s, int listener)
{
    unsigned n = 0;
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        if (s->tcp[i].used && s->tcp[i].listener == listener) {
            n++;
        }
    }
    return n;
}

/* A segment for a listener: a SYN makes a new connection in SYN-RECEIVED. */
static void tcp_listen_input(net_stack *s, struct net_tcb *l, const struct net_ipv4 *ip,
                             const struct net_tcp_seg *seg)
{
    if (seg->flags & NET_TCP_RST) {
        return;
    }
    if (seg->flags & NET_TCP_ACK) {
        tcp_reset_reply(s, ip, seg);
        return;
    }
    int li = (int)tcp_slot_of(s, l);
    if (!(seg->flags & NET_TCP_SYN) || tcp_backlog_used(s, li) >= l->backlog) {
        return; /* a full backlog drops the SYN; the peer retries */
    }
    struct net_tcb *t = net_tcp_alloc(s);
    if (t == NULL) {
        return;
    }
    t->state = NET_TCP_SYN_RCVD;
    t->listener = (int8_t)li;
    t->lip = ip->dst;
    t->rip = ip->src;
    t->lport = seg->dport;
    t->rport = seg->sport;
    tcp_syn_options(t, seg);
    t->irs = seg->seq;
    t->rcv_nxt = seg->seq + 1;
    t->snd_wnd = seg->wnd; /* never scaled in a SYN (RFC 7323 2.2) */
    t->snd_wl1 = seg->seq;
    t->iss = net_random32(s);
    t->snd_una = t->iss;
    t->snd_nxt = t->iss + 1;
    t->snd_max = t->iss + 1;
    t->sb_seq = t->iss + 1;
    t->snd_wl2 = t->iss;
    t->rtt_timing = true;
    t->rtt_seq = t->iss;
    t->rtt_start = s->now;
    tcp_send_syn(s, t);
}

/* The connection is established: set the send state from the segment that completed it. */
static void tcp_established(net_stack *s, struct net_tcb *t, const struct net_tcp_seg *seg)
{
    t->state = NET_TCP_ESTABLISHED;
    t->snd_una = seg->ack;
    t->snd_wl1 = seg->seq;
    t->snd_wl2 = seg->ack;
    t->cwnd = tcp_initial_cwnd(t->smss);
    t->ssthresh = 1u << 30;
    t->retries = 0;
    t->rto_deadline = 0;
    if (t->rtt_timing && net_seq_lt(t->rtt_seq, seg->ack)) {
        tcp_rtt_sample(s, t, (uint32_t)(s->now - t->rtt_start));
    }
    t->rtt_timing = false;
}

static void tcp_syn_sent_input(net_stack *s, struct net_tcb *t, const struct net_ipv4 *ip,
                               const struct net_tcp_seg *seg)
{
    bool ack = (seg->flags & NET_TCP_ACK) != 0;
    if (ack && (net_seq_le(seg->ack, t->iss) || net_seq_lt(t->snd_max, seg->ack))) {
        tcp_reset_reply(s, ip, seg);
        return;
    }
    if (seg->flags & NET_TCP_RST) {
        if (ack) {
            tcp_drop(s, t, ZERR_IO); /* connection refused */
        }
        return;
    }
    if (!(seg->flags & NET_TCP_SYN)) {
        return;
    }
    tcp_syn_options(t, seg);
    t->irs = seg->seq;
    t->rcv_nxt = seg->seq + 1;
    t->snd_wnd = seg->wnd;
    if (ack) {
        tcp_established(s, t, seg);
        t->ack_now = true;
        tcp_output(s, t);
        return;
    }
    /* Simultaneous open: both sent SYN; answer with SYN-ACK. */
    t->state = NET_TCP_SYN_RCVD;
    t->snd_wl1 = seg->seq;
    tcp_send_syn(s, t);
}

/* RFC 9293 3.10.7.4 first check, with the SYN of an old SYN-ACK trimmed off. */
static bool tcp_acceptable(struct net_tcb *t, struct net_tcp_seg *seg)
{
    if ((seg->flags & NET_TCP_SYN) && seg->seq == t->irs) {
        seg->flags &= (uint8_t)~NET_TCP_SYN; /* a retransmitted SYN: the rest may be new */
        seg->seq++;
        t->ack_now = true;
    }
    uint32_t wnd = tcp_rcv_wnd(t);
    uint32_t len = (uint32_t)seg->len + ((seg->flags & (NET_TCP_SYN | NET_TCP_FIN)) ? 1 : 0);
    uint32_t nxt = t->rcv_nxt;
    if (len == 0) {
        return wnd == 0 ? seg->seq == nxt
                        : !net_seq_lt(seg->seq, nxt) && net_seq_lt(seg->seq, nxt + wnd);
    }
    if (wnd == 0) {
        /* Only the ACK and control of a segment at RCV.NXT count (its data is trimmed). */
        return seg->seq == nxt;
    }
    uint32_t last = seg->seq + len - 1;
    return (!net_seq_lt(seg->seq, nxt) && net_seq_lt(seg->seq, nxt + wnd)) ||
           (!net_seq_lt(last, nxt) && net_seq_lt(last, nxt + wnd));
}

/* Cuts the segment's data to the receive window; returns false when its end (and FIN) fell
 * outside. */
static bool tcp_trim(const struct net_tcb *t, struct net_tcp_seg *seg)
{
    if (net_seq_lt(seg->seq, t->rcv_nxt)) {
        uint32_t d = t->rcv_nxt - seg->seq;
        if (d > seg->len) {
            d = (uint32_t)seg->len;
        }
        seg->payload += d;
        seg->len -= d;
        seg->seq += d;
    }
    uint32_t right = t->rcv_nxt + tcp_rcv_wnd(t);
    if (net_seq_lt(right, seg->seq + (uint32_t)seg->len)) {
        seg->len = net_seq_lt(seg->seq, right) ? right - seg->seq : 0;
        return false;
    }
    return true;
}

/* RFC 5681 3.2: three duplicate ACKs: retransmit, halve, enter fast recovery. */
static void tcp_fast_retransmit(net_stack *s, struct net_tcb *t)
{
    uint32_t flight = t->snd_max - t->snd_una;
    uint32_t two = 2 * (uint32_t)t->smss;
    t->ssthresh = flight / 2 > two ? flight / 2 : two;
    t->cwnd = t->ssthresh + 3 * (uint32_t)t->smss;
    t->in_recovery = true;
    t->recover = t->snd_max;
    t->rtt_timing = false;
    s->counters.tcp_fast_retransmits++;
    tcp_send_at(s, t, t->snd_una, t->smss);
    t->rto_deadline = s->now + t->rto;
}

/* An ACK that acknowledges nothing new. */
static void tcp_dup_ack(net_stack *s, struct net_tcb *t, const struct net_tcp_seg *seg,
                        uint32_t wnd)
{
    bool dup = seg->len == 0 && !(seg->flags & (NET_TCP_SYN | NET_TCP_FIN)) && wnd == t->snd_wnd &&
               t->snd_max != t->snd_una;
    if (!dup) {
        return;
    }
    t->dupacks++;
    if (t->dupacks == 3 && !t->in_recovery) {
        tcp_fast_retransmit(s, t);
    } else if (t->dupacks > 3 && t->in_recovery) {
        t->cwnd += t->smss; /* each further duplicate: a segment left the network */
    }
}

/* Growth of cwnd and the end of recovery on an ACK of acked new bytes. */
static void tcp_congestion_ack(net_stack *s, struct net_tcb *t, uint32_t ack, uint32_t acked)
{
    if (t->in_recovery) {
        if (!net_seq_lt(ack, t->recover)) {
            t->cwnd = t->ssthresh; /* full ACK: deflate */
            t->in_recovery = false;
            t->dupacks = 0;
        } else {
            /* Partial ACK (RFC 6582): resend the next hole, deflate by what left. */
            tcp_send_at(s, t, ack, t->smss);
            t->cwnd = t->cwnd > acked ? t->cwnd - acked : 0;
            t->cwnd += t->smss;
        }
        return;
    }
    t->dupacks = 0;
    if (t->cwnd < t->ssthresh) {
        t->cwnd += acked < t->smss ? acked : t->smss; /* slow start */
    } else {
        uint32_t inc = (uint32_t)t->smss * t->smss / t->cwnd;
        t->cwnd += inc > 0 ? inc : 1; /* congestion avoidance */
    }
}

/* An ACK that acknowledges new data (SND.UNA < ack <= SND.MAX). */
static void tcp_new_ack(net_stack *s, struct net_tcb *t, uint32_t ack)
{
    uint32_t acked = ack - t->snd_una;
    if (t->rtt_timing && net_seq_lt(t->rtt_seq, ack)) {
        t->rtt_timing = false;
        tcp_rtt_sample(s, t, (uint32_t)(s->now - t->rtt_start));
    }
    tcp_congestion_ack(s, t, ack, acked);
    if (net_seq_lt(t->sb_seq, ack)) {
        uint32_t d = ack - t->sb_seq;
        if (d > t->sb_len) {
            d = t->sb_len; /* the rest acknowledges our FIN */
        }
        t->sb_seq += d;
        t->sb_head = (t->sb_head + d) % NET_TCP_BUF;
        t->sb_len -= d;
    }
    t->snd_una = ack;
    if (net_seq_lt(t->snd_max, ack)) {
        t->snd_max = ack; /* a zero-window probe byte was taken */
    }
    if (net_seq_lt(t->snd_nxt, ack)) {
        t->snd_nxt = ack;
    }
    t->retries = 0;
    /* The peer acknowledges new data: the path works again, so the back-off goes (Linux
     * does this on the timestamp sample every such ACK carries; without timestamps Karn's
     * rule would keep a doubled RTO until a segment happens to arrive unretransmitted). */
    tcp_rto_reset(s, t);
    /* Nothing outstanding, or probing a shut window: no retransmission timer. */
    bool idle = t->snd_una == t->snd_nxt || t->persist_deadline != 0;
    t->rto_deadline = idle ? 0 : s->now + t->rto;
}

/* RFC 9293 3.10.7.4 fifth check.  Returns false when the segment is to be dropped. */
static bool tcp_ack_input(net_stack *s, struct net_tcb *t, const struct net_tcp_seg *seg)
{
    uint32_t limit = t->snd_max + (t->persist_deadline != 0 ? 1 : 0);
    if (net_seq_lt(limit, seg->ack)) {
        t->ack_now = true; /* acknowledges something not yet sent */
        return false;
    }
    uint32_t wnd = (uint32_t)seg->wnd << t->snd_wscale;
    if (seg->ack == t->snd_una) {
        if (wnd == 0) {
            t->retries = 0; /* the peer answers but has no room: not a failure */
        }
        tcp_dup_ack(s, t, seg, wnd);
    } else if (net_seq_lt(t->snd_una, seg->ack)) {
        tcp_new_ack(s, t, seg->ack);
    }
    if (net_seq_lt(t->snd_wl1, seg->seq) ||
        (t->snd_wl1 == seg->seq && net_seq_le(t->snd_wl2, seg->ack))) {
        t->snd_wnd = wnd;
        t->snd_wl1 = seg->seq;
        t->snd_wl2 = seg->ack;
        if (wnd != 0) {
            t->persist_deadline = 0;
        }
    }
    return true;
}

/* Our FIN is acknowledged once SND.UNA passed it. */
static bool tcp_fin_acked(const struct net_tcb *t)
{
    return t->fin_queued && t->snd_una == t->sb_seq + t->sb_len + 1;
}

/* Moves the state on when our FIN has been acknowledged.  Returns false when t is gone. */
static bool tcp_closing_ack(net_stack *s, struct net_tcb *t)
{
    if (!tcp_fin_acked(t)) {
        return true;
    }
    switch (t->state) {
    case NET_TCP_FIN_WAIT_1:
        t->state = NET_TCP_FIN_WAIT_2;
        if (t->orphan) {
            t->tw_deadline = s->now + 2 * (uint64_t)s->cfg.msl_ms; /* no FIN_WAIT_2 forever */
        }
        return true;
    case NET_TCP_CLOSING:
        tcp_time_wait(s, t);
        return true;
    case NET_TCP_LAST_ACK:
        tcp_drop(s, t, 0);
        return false;
    default:
        return true;
    }
}

/* Records an out-of-order range [start, end), merging with those it touches. */
static void tcp_ooo_add(struct net_tcb *t, uint32_t start, uint32_t end)
{
    for (unsigned i = 0; i < NET_TCP_OOO; i++) {
        struct net_seq_range *r = &t->ooo[i];
        if (r->start == r->end) {
            continue;
        }
        if (net_seq_le(r->start, end) && net_seq_le(start, r->end)) {
            start = net_seq_lt(r->start, start) ? r->start : start;
            end = net_seq_lt(end, r->end) ? r->end : end;
            r->start = r->end = 0;
        }
    }
    for (unsigned i = 0; i < NET_TCP_OOO; i++) {
        if (t->ooo[i].start == t->ooo[i].end) {
            t->ooo[i].start = start;
            t->ooo[i].end = end;
            return;
        }
    }
    /* No room: the data stays unrecorded and will be sent again. */
}

/* Advances RCV.NXT over out-of-order ranges that now touch it. */
static void tcp_ooo_merge(struct net_tcb *t)
{
    bool again = true;
    while (again) {
        again = false;
        for (unsigned i = 0; i < NET_TCP_OOO; i++) {
            struct net_seq_range *r = &t->ooo[i];
            if (r->start == r->end || net_seq_lt(t->rcv_nxt, r->start)) {
                continue;
            }
            if (net_seq_lt(t->rcv_nxt, r->end)) {
                uint32_t adv = r->end - t->rcv_nxt;
                t->rcv_nxt += adv;
                t->rb_len += adv;
                again = true;
            }
            r->start = r->end = 0;
        }
    }
}

/* Stores trimmed segment data in the receive ring, in order or not. */
static void tcp_data_input(net_stack *s, struct net_tcb *t, const struct net_tcp_seg *seg)
{
    (void)s;
    uint32_t len = (uint32_t)seg->len;
    t->ack_now = true;
    if (t->orphan) {
        if (seg->seq == t->rcv_nxt) {
            t->rcv_nxt += len; /* nobody will read it: acknowledge and forget */
        }
        return;
    }
    uint32_t off = seg->seq - t->rcv_nxt;
    uint32_t pos = (t->rb_head + t->rb_len + off) % NET_TCP_BUF;
    uint32_t first = len < NET_TCP_BUF - pos ? len : NET_TCP_BUF - pos;
    memcpy(t->rcvbuf + pos, seg->payload, first);
    memcpy(t->rcvbuf, seg->payload + first, len - first);
    if (off != 0) {
        tcp_ooo_add(t, seg->seq, seg->seq + len);
        return;
    }
    t->rcv_nxt += len;
    t->rb_len += len;
    tcp_ooo_merge(t);
}

/* The peer's FIN, in order: RFC 9293 3.10.7.4 eighth check. */
static void tcp_fin_input(net_stack *s, struct net_tcb *t)
{
    t->rcv_nxt++;
    t->ack_now = true;
    switch (t->state) {
    case NET_TCP_SYN_RCVD:
    case NET_TCP_ESTABLISHED:
        t->state = NET_TCP_CLOSE_WAIT;
        break;
    case NET_TCP_FIN_WAIT_1:
        if (tcp_fin_acked(t)) {
            tcp_time_wait(s, t);
        } else {
            t->state = NET_TCP_CLOSING; /* simultaneous close */
        }
        break;
    case NET_TCP_FIN_WAIT_2:
    case NET_TCP_TIME_WAIT:
        tcp_time_wait(s, t);
        break;
    default:
        t->rcv_nxt--; /* a repeated FIN: already counted */
        break;
    }
}

/* RST in a synchronized state: exact ones reset, others in window get a challenge ACK. */
static void tcp_rst_input(net_stack *s, struct net_tcb *t, const struct net_tcp_seg *seg)
{
    if (seg->seq != t->rcv_nxt) {
        tcp_send_ctl(s, t, NET_TCP_ACK);
        return;
    }
    /* Once both FINs are out a reset only ends it early; before, it is an error.  A
     * passive SYN-RECEIVED connection has no handle yet and just goes (tcp_drop). */
    bool finished = t->state == NET_TCP_CLOSING || t->state == NET_TCP_LAST_ACK ||
                    t->state == NET_TCP_TIME_WAIT;
    tcp_drop(s, t, finished ? 0 : ZERR_IO);
}

/* The completing ACK of a handshake: SYN-RECEIVED to ESTABLISHED.  False to drop. */
static bool tcp_syn_rcvd_ack(net_stack *s, struct net_tcb *t, const struct net_ipv4 *ip,
                             const struct net_tcp_seg *seg)
{
    if (!net_seq_lt(t->snd_una, seg->ack) || net_seq_lt(t->snd_max, seg->ack)) {
        tcp_reset_reply(s, ip, seg);
        return false;
    }
    tcp_established(s, t, seg);
    t->snd_wnd = (uint32_t)seg->wnd << t->snd_wscale;
    if (t->listener >= 0) {
        t->accept_ready = true;
        t->accept_order = s->accept_counter++;
        if (s->ops.record_accept != NULL) {
            s->ops.record_accept(s->ctx, t->listener, net_handle(t->gen, tcp_slot_of(s, t), false),
                                 t->rip, t->rport);
        }
    }
    return true;
}

/* Every state after SYN-SENT.  Returns false when t is gone. */
static bool tcp_sync_input(net_stack *s, struct net_tcb *t, const struct net_ipv4 *ip,
                           struct net_tcp_seg *seg)
{
    if (t->state == NET_TCP_SYN_RCVD && (seg->flags & NET_TCP_SYN) && !(seg->flags & NET_TCP_ACK) &&
        seg->seq == t->irs) {
        tcp_send_syn(s, t); /* the peer did not get our SYN-ACK */
        return true;
    }
    if (!tcp_acceptable(t, seg)) {
        if (t->state == NET_TCP_TIME_WAIT && (seg->flags & NET_TCP_FIN)) {
            tcp_time_wait(s, t); /* the peer did not get our last ACK */
        }
        if (tcp_rcv_wnd(t) == 0 && t->state != NET_TCP_SYN_RCVD &&
            (seg->flags & (NET_TCP_ACK | NET_TCP_RST | NET_TCP_SYN)) == NET_TCP_ACK &&
            !net_seq_lt(seg->seq, t->rcv_nxt)) {
            /* Our window is shut: still take the ACK (RFC 9293 3.10.7.4, "special
             * allowance"), else both sides can wait on each other forever. */
            seg->len = 0;
            seg->flags &= (uint8_t)~NET_TCP_FIN;
            if (!tcp_ack_input(s, t, seg) || !tcp_closing_ack(s, t)) {
                return t->used;
            }
        }
        if (!(seg->flags & NET_TCP_RST)) {
            tcp_send_ctl(s, t, NET_TCP_ACK);
        }
        return true;
    }
    if (seg->flags & NET_TCP_RST) {
        tcp_rst_input(s, t, seg);
        return t->used;
    }
    if (seg->flags & NET_TCP_SYN) {
        tcp_send_ctl(s, t, NET_TCP_ACK); /* challenge ACK (RFC 5961 4) */
        return true;
    }
    if (!(seg->flags & NET_TCP_ACK)) {
        return true;
    }
    if (t->state == NET_TCP_SYN_RCVD && !tcp_syn_rcvd_ack(s, t, ip, seg)) {
        return true;
    }
    if (!tcp_ack_input(s, t, seg) || !tcp_closing_ack(s, t)) {
        return t->used;
    }
    bool fin = (seg->flags & NET_TCP_FIN) != 0;
    uint32_t fin_seq = seg->seq + (uint32_t)seg->len;
    bool fin_in_window = tcp_trim(t, seg);
    if (!fin_in_window) {
        t->ack_now = true; /* some of it fell outside the window: say where it is */
    }
    bool takes_data = t->state == NET_TCP_ESTABLISHED || t->state == NET_TCP_FIN_WAIT_1 ||
                      t->state == NET_TCP_FIN_WAIT_2;
    if (takes_data && seg->len > 0) {
        tcp_data_input(s, t, seg);
    }
    if (fin && fin_in_window && fin_seq == t->rcv_nxt) {
        tcp_fin_input(s, t);
    } else if (fin) {
        t->ack_now = true;
    }
    return true;
}

void net_tcp_input(net_stack *s, const struct net_ipv4 *ip)
{
    struct net_tcp_seg seg;
    if (net_tcp_parse(ip->payload, ip->len, ip->src, ip->dst, &seg) != 0) {
        s->counters.tcp_bad++;
        return;
    }
    struct net_tcb *t = tcp_lookup(s, ip, &seg);
    if (t == NULL) {
        tcp_reset_reply(s, ip, &seg);
        return;
    }
    if (t->state == NET_TCP_LISTEN) {
        tcp_listen_input(s, t, ip, &seg);
        return;
    }
    if (t->state == NET_TCP_SYN_SENT) {
        tcp_syn_sent_input(s, t, ip, &seg);
        return;
    }
    if (tcp_sync_input(s, t, ip, &seg) && t->used && t->state != NET_TCP_CLOSED) {
        tcp_output(s, t);
        tcp_check(t);
    }
}
