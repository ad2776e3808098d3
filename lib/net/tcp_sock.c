/*
 * The TCP socket calls: connect, listen, accept, send, receive, close and
 * abort, and completing a pending authorization.  Each call first decodes
 * its handle (slot and generation) and refuses a stale one.
 */
#include "net/internal/tcp.h"

#include "base/errors.h"
#include "base/string.h"

/* The connection handle h names, also one not yet accepted when child. */
static struct net_tcb *tcp_sock_any(net_stack *s, int h, bool child)
{
    if (h <= 0 || (h & NET_H_UDP)) {
        return NULL;
    }
    unsigned slot = (unsigned)h & NET_H_SLOT;
    if (slot >= NET_MAX_TCP) {
        return NULL;
    }
    struct net_tcb *t = &s->tcp[slot];
    if (!t->used || t->orphan || (t->listener >= 0 && !child) ||
        net_handle(t->gen, slot, false) != h) {
        return NULL;
    }
    return t;
}

static struct net_tcb *tcp_sock(net_stack *s, int h)
{
    return tcp_sock_any(s, h, false);
}

static int tcp_handle(const net_stack *s, const struct net_tcb *t)
{
    return net_handle(t->gen, tcp_slot_of(s, t), false);
}

struct net_tcb *net_tcp_alloc(net_stack *s)
{
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        struct net_tcb *t = &s->tcp[i];
        if (t->used) {
            continue;
        }
        uint32_t gen = net_next_gen(t->gen);
        memset(t, 0, offsetof(struct net_tcb, sndbuf));
        t->gen = gen;
        t->used = true;
        t->listener = -1;
        t->rto = TCP_RTO_INIT_MS;
        t->smss = TCP_DEFAULT_MSS;
        t->cwnd = tcp_initial_cwnd(TCP_DEFAULT_MSS);
        t->ssthresh = 1u << 30;
        return t;
    }
    return NULL;
}

uint16_t net_ephemeral_port(net_stack *s, uint8_t proto)
{
    if (s->next_port < NET_EPHEMERAL_LO) {
        s->next_port = (uint16_t)(NET_EPHEMERAL_LO + net_random32(s) % (65536 - NET_EPHEMERAL_LO));
    }
    for (unsigned tries = 0; tries < 65536 - NET_EPHEMERAL_LO; tries++) {
        uint16_t p = s->next_port;
        s->next_port = p == 65535 ? NET_EPHEMERAL_LO : (uint16_t)(p + 1);
        bool used = proto == NET_IP_UDP && net_udp_port_taken(s, p);
        for (unsigned i = 0; i < NET_MAX_TCP && !used; i++) {
            used = proto == NET_IP_TCP && s->tcp[i].used && s->tcp[i].lport == p;
        }
        if (!used) {
            return p;
        }
    }
    return 0;
}

/* Sends the first SYN: only ever called once authorization was granted. */
static void tcp_open_active(net_stack *s, struct net_tcb *t)
{
    t->iss = net_random32(s);
    t->snd_una = t->iss;
    t->snd_nxt = t->iss + 1;
    t->snd_max = t->iss + 1;
    t->sb_seq = t->iss + 1;
    t->rtt_timing = true;
    t->rtt_seq = t->iss;
    t->rtt_start = s->now;
    tcp_send_syn(s, t);
}

int net_tcp_connect(net_stack *s, uint32_t ip, uint16_t port, uint64_t now)
{
    s->now = now;
    if (ip == 0 || port == 0) {
        return ZERR_INVAL;
    }
    if (s->cfg.ip == 0) {
        return ZERR_AGAIN; /* no address yet */
    }
    uint16_t lport = net_ephemeral_port(s, NET_IP_TCP);
    struct net_tcb *t = lport != 0 ? net_tcp_alloc(s) : NULL;
    if (t == NULL) {
        return ZERR_FULL;
    }
    t->state = NET_TCP_SYN_SENT;
    t->lip = s->cfg.ip;
    t->rip = ip;
    t->lport = lport;
    t->rport = port;
    int h = tcp_handle(s, t);
    int err = s->ops.authorize(s->ctx, NET_AUTH_CONNECT, ip, port, h);
    if (err == ZERR_AGAIN) {
        t->auth_pending = true;
        return h;
    }
    if (err != 0) {
        tcp_free(t); /* refused: nothing was sent */
        return err < 0 ? err : ZERR_DENIED;
    }
    tcp_open_active(s, t);
    return h;
}

int net_tcp_listen(net_stack *s, uint16_t port, unsigned backlog)
{
    if (port == 0 || backlog == 0) {
        return ZERR_INVAL;
    }
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        if (s->tcp[i].used && s->tcp[i].state == NET_TCP_LISTEN && s->tcp[i].lport == port) {
            return ZERR_EXIST;
        }
    }
    struct net_tcb *t = net_tcp_alloc(s);
    if (t == NULL) {
        return ZERR_FULL;
    }
    t->state = NET_TCP_LISTEN;
    t->lport = port;
    t->backlog = (uint16_t)(backlog < NET_MAX_TCP ? backlog : NET_MAX_TCP);
    int h = tcp_handle(s, t);
    int err = s->ops.authorize(s->ctx, NET_AUTH_LISTEN, 0, port, h);
    if (err == ZERR_AGAIN) {
        t->auth_pending = true;
        return h;
    }
    if (err != 0) {
        tcp_free(t);
        return err < 0 ? err : ZERR_DENIED;
    }
    return h;
}

int net_auth_done(net_stack *s, int sock, bool granted, uint64_t now)
{
    s->now = now;
    if (sock > 0 && (sock & NET_H_UDP)) {
        return net_udp_auth_done(s, sock, granted);
    }
    struct net_tcb *t = tcp_sock(s, sock);
    if (t == NULL || !t->auth_pending) {
        return ZERR_BADCAP;
    }
    t->auth_pending = false;
    if (!granted) {
        tcp_drop(s, t, ZERR_DENIED);
        return 0;
    }
    if (t->state == NET_TCP_SYN_SENT) {
        tcp_open_active(s, t);
    }
    return 0;
}

int net_tcp_accept(net_stack *s, int listener)
{
    struct net_tcb *l = tcp_sock(s, listener);
    if (l == NULL || l->state != NET_TCP_LISTEN) {
        return ZERR_BADCAP;
    }
    if (l->auth_pending) {
        return ZERR_AGAIN;
    }
    int li = (int)tcp_slot_of(s, l);
    struct net_tcb *best = NULL;
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        struct net_tcb *t = &s->tcp[i];
        if (t->used && t->listener == li && t->accept_ready &&
            (best == NULL || (int32_t)(t->accept_order - best->accept_order) < 0)) {
            best = t;
        }
    }
    if (best == NULL) {
        return ZERR_AGAIN;
    }
    best->listener = -1;
    return tcp_handle(s, best);
}

/* The error a call on t reports once the connection cannot carry data. */
static int tcp_state_error(const struct net_tcb *t)
{
    return t->error != 0 ? t->error : ZERR_IO;
}

long net_tcp_send(net_stack *s, int sock, const void *buf, size_t len, uint64_t now)
{
    s->now = now;
    struct net_tcb *t = tcp_sock(s, sock);
    if (t == NULL) {
        return ZERR_BADCAP;
    }
    if (t->fin_queued) {
        return ZERR_PERM;
    }
    switch (t->state) {
    case NET_TCP_SYN_SENT:
    case NET_TCP_SYN_RCVD:
    case NET_TCP_ESTABLISHED:
    case NET_TCP_CLOSE_WAIT:
        break;
    default:
        return tcp_state_error(t);
    }
    uint32_t room = NET_TCP_BUF - t->sb_len;
    uint32_t n = len < room ? (uint32_t)len : room;
    if (n == 0) {
        return ZERR_AGAIN;
    }
    uint32_t pos = (t->sb_head + t->sb_len) % NET_TCP_BUF;
    uint32_t first = n < NET_TCP_BUF - pos ? n : NET_TCP_BUF - pos;
    memcpy(t->sndbuf + pos, buf, first);
    memcpy(t->sndbuf, (const uint8_t *)buf + first, n - first);
    t->sb_len += n;
    tcp_output(s, t);
    return n;
}

/* True once the peer's FIN has been received. */
static bool tcp_peer_closed(const struct net_tcb *t)
{
    return t->state == NET_TCP_CLOSE_WAIT || t->state == NET_TCP_LAST_ACK ||
           t->state == NET_TCP_CLOSING || t->state == NET_TCP_TIME_WAIT;
}

long net_tcp_recv(net_stack *s, int sock, void *buf, size_t len, uint64_t now)
{
    s->now = now;
    struct net_tcb *t = tcp_sock(s, sock);
    if (t == NULL) {
        return ZERR_BADCAP;
    }
    if (t->rb_len == 0) {
        if (tcp_peer_closed(t)) {
            return 0;
        }
        if (t->state == NET_TCP_CLOSED && t->error == 0) {
            return 0; /* closed in order */
        }
        if (t->state == NET_TCP_CLOSED || t->state == NET_TCP_LISTEN) {
            return tcp_state_error(t);
        }
        return ZERR_AGAIN;
    }
    uint32_t n = len < t->rb_len ? (uint32_t)len : t->rb_len;
    uint32_t first = n < NET_TCP_BUF - t->rb_head ? n : NET_TCP_BUF - t->rb_head;
    memcpy(buf, t->rcvbuf + t->rb_head, first);
    memcpy((uint8_t *)buf + first, t->rcvbuf, n - first);
    t->rb_head = (t->rb_head + n) % NET_TCP_BUF;
    t->rb_len -= n;
    /* Window update once it opened by two segments or half the buffer (RFC 9293 3.8.6.2.2). */
    uint32_t right = t->rcv_nxt + tcp_rcv_wnd(t);
    uint32_t step =
        2 * (uint32_t)t->smss < NET_TCP_BUF / 2 ? 2 * (uint32_t)t->smss : NET_TCP_BUF / 2;
    if (t->state != NET_TCP_CLOSED && right - t->rcv_adv >= step) {
        t->ack_now = true;
        tcp_output(s, t);
    }
    return n;
}

/* Resets every connection of listener l that was not accepted. */
static void tcp_close_children(net_stack *s, int l)
{
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        struct net_tcb *c = &s->tcp[i];
        if (c->used && c->listener == l) {
            tcp_send_ctl(s, c, NET_TCP_RST | NET_TCP_ACK);
            tcp_free(c);
        }
    }
}

int net_tcp_abort(net_stack *s, int sock, uint64_t now)
{
    s->now = now;
    struct net_tcb *t = tcp_sock_any(s, sock, true);
    if (t == NULL) {
        return ZERR_BADCAP;
    }
    if (t->state == NET_TCP_LISTEN) {
        tcp_close_children(s, (int)tcp_slot_of(s, t));
    } else if (t->state != NET_TCP_CLOSED && t->state != NET_TCP_SYN_SENT &&
               t->state != NET_TCP_TIME_WAIT) {
        tcp_send_ctl(s, t, NET_TCP_RST | NET_TCP_ACK);
    }
    tcp_free(t);
    return 0;
}

int net_tcp_shutdown(net_stack *s, int sock, uint64_t now)
{
    s->now = now;
    struct net_tcb *t = tcp_sock(s, sock);
    if (t == NULL) {
        return ZERR_BADCAP;
    }
    if (t->fin_queued) {
        return 0;
    }
    switch (t->state) {
    case NET_TCP_SYN_RCVD:
    case NET_TCP_ESTABLISHED:
        t->state = NET_TCP_FIN_WAIT_1;
        break;
    case NET_TCP_CLOSE_WAIT:
        t->state = NET_TCP_LAST_ACK;
        break;
    default:
        return ZERR_AGAIN; /* not connected yet, or already closed */
    }
    t->fin_queued = true;
    tcp_output(s, t);
    return 0;
}

int net_tcp_close(net_stack *s, int sock, uint64_t now)
{
    s->now = now;
    struct net_tcb *t = tcp_sock(s, sock);
    if (t == NULL) {
        return ZERR_BADCAP;
    }
    switch (t->state) {
    case NET_TCP_SYN_RCVD:
    case NET_TCP_ESTABLISHED:
    case NET_TCP_CLOSE_WAIT:
        if (t->rb_len > 0) {
            return net_tcp_abort(s, sock, now); /* unread data: RFC 9293 3.10.4 */
        }
        net_tcp_shutdown(s, sock, now);
        t->orphan = true;
        return 0;
    case NET_TCP_FIN_WAIT_1:
    case NET_TCP_FIN_WAIT_2:
    case NET_TCP_CLOSING:
    case NET_TCP_LAST_ACK:
    case NET_TCP_TIME_WAIT:
        t->orphan = true;
        return 0;
    default: /* CLOSED, LISTEN, SYN-SENT */
        return net_tcp_abort(s, sock, now);
    }
}

int net_sock_info(const net_stack *s, int sock, struct net_sock_info *out)
{
    struct net_tcb *t = tcp_sock_any((net_stack *)s, sock, true);
    if (t == NULL) {
        return ZERR_BADCAP;
    }
    memset(out, 0, sizeof(*out));
    out->state = (enum net_tcp_state)t->state;
    out->error = t->error;
    out->auth_pending = t->auth_pending;
    out->local_ip = t->lip;
    out->remote_ip = t->rip;
    out->local_port = t->lport;
    out->remote_port = t->rport;
    out->readable = t->rb_len;
    out->writable = t->fin_queued ? 0 : NET_TCP_BUF - t->sb_len;
    out->cwnd = t->cwnd;
    out->ssthresh = t->ssthresh;
    out->rto_ms = t->rto;
    out->snd_wnd = t->snd_wnd;
    out->mss = t->smss;
    out->snd_wscale = t->snd_wscale;
    out->rcv_wscale = t->rcv_wscale;
    return 0;
}
