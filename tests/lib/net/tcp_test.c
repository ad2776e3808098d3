/*
 * TCP unit tests on a manual clock, with sequence numbers next to 2^32 so
 * every comparison crosses the wrap: handshakes (active, passive,
 * simultaneous), data both ways, retransmission timeout doubling, fast
 * retransmit and recovery, slow start and congestion avoidance, zero
 * window and probes, RST rules, TIME-WAIT, simultaneous close,
 * out-of-order segments, and the authorization hook.
 */
#include <string.h>

#include "base/errors.h"
#include "harness.h"
#include "tap.h"

enum { PORT = 80, LPORT = 5000, PEER_ISS = 0xfffffff0u, OUR_ISS = 0xfffffffeu };

static const uint8_t syn_opts[8] = {2, 4, 0x05, 0xb4, 1, 3, 3, 7}; /* MSS 1460, WS 7 */

/* Connects to the peer and completes the handshake; returns the socket. */
static int open_active(struct harness *h, uint16_t *lport, uint16_t peer_wnd)
{
    struct h_seg g;
    *lport = 0;
    h->random_value = OUR_ISS;
    int sock = net_tcp_connect(h->s, H_PEER, PORT, h->now);
    if (!h_next(h, &g)) {
        return ZERR_IO;
    }
    *lport = g.tcp.sport;
    h_inject_tcp(h, PORT, *lport, PEER_ISS, OUR_ISS + 1, NET_TCP_SYN | NET_TCP_ACK, 65535, syn_opts,
                 sizeof(syn_opts), NULL, 0);
    h_drain(h);
    if (peer_wnd != 65535) {
        h_inject_tcp(h, PORT, *lport, PEER_ISS + 1, OUR_ISS + 1, NET_TCP_ACK, peer_wnd, NULL, 0,
                     NULL, 0);
    }
    return sock;
}

static void test_active_handshake(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    h.random_value = OUR_ISS;
    int sock = net_tcp_connect(h.s, H_PEER, PORT, h.now);
    ok(sock > 0, "connect returns a handle");
    is_int(h.last_kind, NET_AUTH_CONNECT, "connect asked for net.connect");
    is_int(h.last_port, PORT, "authorization names the remote port");
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_SYN, "a SYN leaves");
    is_int(g.tcp.seq, OUR_ISS, "SYN carries the ISN next to 2^32");
    ok(g.opts.has_mss && g.opts.mss == 1460, "SYN offers MSS 1460");
    ok(g.opts.has_ws && g.opts.wscale == 1, "SYN offers window scale 1 for a 64 KiB buffer");
    h_inject_tcp(&h, PORT, g.tcp.sport, PEER_ISS, OUR_ISS + 1, NET_TCP_SYN | NET_TCP_ACK, 1000,
                 syn_opts, sizeof(syn_opts), NULL, 0);
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_ACK, "the SYN-ACK is acknowledged");
    is_int(g.tcp.seq, OUR_ISS + 1, "ACK sequence wraps past 2^32");
    is_int(g.tcp.ack, PEER_ISS + 1, "ACK acknowledges the peer's SYN");
    is_int(g.tcp.wnd, NET_TCP_BUF >> 1, "window is scaled by our shift");
    struct net_sock_info info;
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_ESTABLISHED, "connection established");
    is_int(info.snd_wscale, 7, "peer's window scale taken");
    is_int(info.snd_wnd, 1000, "window of the SYN-ACK is not scaled");
    is_int(info.mss, 1460, "peer's MSS taken");
    h_free(&h);
}

static void test_data_across_wrap(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    static uint8_t data[3000];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 7);
    }
    is_int(net_tcp_send(h.s, sock, data, sizeof(data), h.now), 3000, "3000 bytes queued");
    ok(h_next(&h, &g) && g.tcp.len == 1460 && g.tcp.seq == OUR_ISS + 1, "first segment full");
    ok(h_next(&h, &g) && g.tcp.len == 1460 && g.tcp.seq == (uint32_t)(OUR_ISS + 1461),
       "second segment after the wrap");
    ok(h_next(&h, &g) && g.tcp.len == 80 && (g.tcp.flags & NET_TCP_PSH), "last segment pushed");
    is_mem(g.tcp.payload, data + 2920, 80, "payload is the buffer's tail");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 3001, NET_TCP_ACK, 65535, NULL, 0, NULL,
                 0);
    ok(!h_next(&h, &g), "a pure ACK is not answered");
    /* The peer sends across its own wrap. */
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 3001, NET_TCP_ACK | NET_TCP_PSH, 65535,
                 NULL, 0, data, 100);
    ok(h_next(&h, &g) && g.tcp.ack == PEER_ISS + 101, "data acknowledged");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 101, OUR_ISS + 3001, NET_TCP_ACK, 65535, NULL, 0,
                 data + 100, 200);
    ok(h_next(&h, &g) && g.tcp.ack == (uint32_t)(PEER_ISS + 301), "ack wraps past 2^32");
    uint8_t got[400];
    is_int(net_tcp_recv(h.s, sock, got, sizeof(got), h.now), 300, "300 bytes readable");
    is_mem(got, data, 300, "bytes arrive in order");
    is_int(net_tcp_recv(h.s, sock, got, sizeof(got), h.now), ZERR_AGAIN, "then nothing");
    h_free(&h);
}

static void test_rto_doubling(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    struct net_sock_info info;
    net_tcp_send(h.s, sock, "hello", 5, h.now);
    ok(h_next(&h, &g) && g.tcp.len == 5, "data sent");
    net_sock_info(h.s, sock, &info);
    uint32_t rto = info.rto_ms;
    is_int(rto, 200, "the handshake's sample gives the minimum RTO");
    h_advance(&h, rto - 1);
    ok(!h_next(&h, &g), "nothing before the RTO");
    h_advance(&h, 1);
    ok(h_next(&h, &g) && g.tcp.seq == OUR_ISS + 1 && g.tcp.len == 5, "retransmitted at RTO");
    net_sock_info(h.s, sock, &info);
    is_int(info.rto_ms, 2 * rto, "RTO doubled");
    is_int(info.cwnd, 1460, "cwnd is one segment after a timeout");
    h_advance(&h, 2 * rto - 1);
    ok(!h_next(&h, &g), "nothing before the doubled RTO");
    h_advance(&h, 1);
    ok(h_next(&h, &g) && g.tcp.len == 5, "second retransmission");
    net_sock_info(h.s, sock, &info);
    is_int(info.rto_ms, 4 * rto, "RTO doubled again");
    for (int i = 0; i < 20; i++) {
        h_advance(&h, 60000);
    }
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_CLOSED, "the connection gives up");
    is_int(info.error, ZERR_TIMEOUT, "and reports a timeout");
    uint8_t b[4];
    is_int(net_tcp_recv(h.s, sock, b, 4, h.now), ZERR_TIMEOUT, "recv reports it");
    h_free(&h);
}

/* Sends n full segments and returns how many the stack put on the wire. */
static unsigned send_segments(struct harness *h, int sock, unsigned n)
{
    static uint8_t buf[1460 * 40];
    net_tcp_send(h->s, sock, buf, 1460u * n, h->now);
    unsigned c = 0;
    struct h_seg g;
    while (h_next(h, &g)) {
        c += g.tcp.len > 0;
    }
    return c;
}

static void test_slow_start_and_fast_retransmit(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    struct net_sock_info info;
    net_sock_info(h.s, sock, &info);
    is_int(info.cwnd, 3 * 1460, "initial window 3 segments (RFC 5681)");
    is_int(send_segments(&h, sock, 20), 3, "three segments go out");
    uint32_t una = OUR_ISS + 1;
    /* Acknowledge each: slow start grows cwnd by one MSS per ACK. */
    for (int i = 1; i <= 3; i++) {
        h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, una + 1460u * (uint32_t)i, NET_TCP_ACK, 65535,
                     NULL, 0, NULL, 0);
    }
    net_sock_info(h.s, sock, &info);
    is_int(info.cwnd, 6 * 1460, "slow start: one MSS per ACK");
    unsigned out = 0;
    while (h_next(&h, &g)) {
        out++;
    }
    is_int(out, 6, "six more segments in flight");
    una += 3 * 1460;
    /* The first of them is lost: three duplicate ACKs. */
    for (int i = 0; i < 2; i++) {
        h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, una, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    }
    ok(!h_next(&h, &g), "two duplicate ACKs: nothing yet");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, una, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.seq == una && g.tcp.len == 1460,
       "third duplicate ACK: the lost segment is resent at once");
    net_sock_info(h.s, sock, &info);
    is_int(info.ssthresh, 3 * 1460, "ssthresh is half the flight");
    is_int(info.cwnd, 6 * 1460, "cwnd = ssthresh + 3 MSS");
    is_int(net_counters(h.s)->tcp_fast_retransmits, 1, "one fast retransmit counted");
    h_drain(&h);
    /* The retransmission fills the hole: a full ACK ends recovery. */
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, una + 6 * 1460, NET_TCP_ACK, 65535, NULL, 0, NULL,
                 0);
    net_sock_info(h.s, sock, &info);
    is_int(info.cwnd, 3 * 1460, "full ACK deflates cwnd to ssthresh");
    h_drain(&h);
    /* Congestion avoidance: about one MSS per window of ACKs. */
    una += 6 * 1460;
    send_segments(&h, sock, 0);
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, una + 1460, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    net_sock_info(h.s, sock, &info);
    is_int(info.cwnd, 3 * 1460 + 1460 / 3, "congestion avoidance adds MSS*MSS/cwnd");
    h_free(&h);
}

static void test_zero_window_probe(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 0);
    struct net_sock_info info;
    net_sock_info(h.s, sock, &info);
    is_int(info.snd_wnd, 0, "the peer closed its window");
    net_tcp_send(h.s, sock, "abcdef", 6, h.now);
    ok(!h_next(&h, &g), "no data into a zero window");
    h_advance(&h, 1000);
    ok(h_next(&h, &g) && g.tcp.len == 1 && g.tcp.seq == OUR_ISS + 1 && g.tcp.payload[0] == 'a',
       "after an RTO a one-byte probe goes out");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 1, NET_TCP_ACK, 0, NULL, 0, NULL, 0);
    net_sock_info(h.s, sock, &info);
    h_advance(&h, 2 * info.rto_ms - 1);
    ok(!h_next(&h, &g), "the next probe backs off");
    h_advance(&h, 1);
    ok(h_next(&h, &g) && g.tcp.len == 1, "second probe after twice the interval");
    h_advance(&h, 4 * info.rto_ms);
    ok(h_next(&h, &g) && g.tcp.len == 1, "third probe after four times the interval");
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_ESTABLISHED, "probing never gives up the connection");
    /* The window opens (and the probe byte was taken). */
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 2, NET_TCP_ACK, 1000, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.seq == OUR_ISS + 2 && g.tcp.len == 5,
       "the rest follows once the window opens");
    h_free(&h);
}

static void test_rst_closed_port(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    h_inject_tcp(&h, 4444, 9, 0xfffffffau, 0, NET_TCP_SYN, 65535, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.flags == (NET_TCP_RST | NET_TCP_ACK), "SYN to a closed port: RST");
    is_int(g.tcp.seq, 0, "RST without ACK in the segment has sequence 0");
    is_int(g.tcp.ack, 0xfffffffbu, "and acknowledges the SYN");
    h_inject_tcp(&h, 4444, 9, 5, 0x12345678u, NET_TCP_ACK, 65535, NULL, 0, "x", 1);
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_RST && g.tcp.seq == 0x12345678u,
       "ACK to a closed port: RST with SEQ = SEG.ACK");
    h_inject_tcp(&h, 4444, 9, 5, 0, NET_TCP_RST, 65535, NULL, 0, NULL, 0);
    ok(!h_next(&h, &g), "a RST is never answered");
    h_free(&h);
}

static void test_rst_rules(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 100, 0, NET_TCP_RST, 0, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_ACK && g.tcp.ack == PEER_ISS + 1,
       "an in-window RST that is not exact gets a challenge ACK");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 1, NET_TCP_SYN, 0, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_ACK, "a SYN in the window gets a challenge ACK");
    struct net_sock_info info;
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_ESTABLISHED, "neither reset the connection");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, 0, NET_TCP_RST, 0, NULL, 0, NULL, 0);
    ok(!h_next(&h, &g), "the exact RST is not answered");
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_CLOSED, "the exact RST resets");
    uint8_t b[1];
    is_int(net_tcp_recv(h.s, sock, b, 1, h.now), ZERR_IO, "recv reports the reset");
    is_int(net_tcp_close(h.s, sock, h.now), 0, "close releases it");
    is_int(net_tcp_close(h.s, sock, h.now), ZERR_BADCAP, "the handle is stale afterwards");
    /* A refused connect: RST|ACK to our SYN. */
    h.random_value = 100;
    sock = net_tcp_connect(h.s, H_PEER, 81, h.now);
    h_next(&h, &g);
    h_inject_tcp(&h, 81, g.tcp.sport, 0, 101, NET_TCP_RST | NET_TCP_ACK, 0, NULL, 0, NULL, 0);
    net_sock_info(h.s, sock, &info);
    ok(info.state == NET_TCP_CLOSED && info.error == ZERR_IO, "connection refused");
    h_free(&h);
}

/* Reads the TCB state of a closed (orphaned) connection. */
static int orphan_state(const struct harness *h, uint16_t lport)
{
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        if (h->s->tcp[i].used && h->s->tcp[i].lport == lport) {
            return h->s->tcp[i].state;
        }
    }
    return -1;
}

static void test_time_wait(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    is_int(net_tcp_close(h.s, sock, h.now), 0, "close");
    ok(h_next(&h, &g) && g.tcp.flags == (NET_TCP_FIN | NET_TCP_ACK) && g.tcp.seq == OUR_ISS + 1,
       "a FIN leaves");
    is_int(orphan_state(&h, lport), NET_TCP_FIN_WAIT_1, "FIN-WAIT-1");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 2, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    is_int(orphan_state(&h, lport), NET_TCP_FIN_WAIT_2, "FIN acknowledged: FIN-WAIT-2");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 2, NET_TCP_ACK | NET_TCP_FIN, 65535, NULL,
                 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.ack == PEER_ISS + 2, "the peer's FIN is acknowledged");
    is_int(orphan_state(&h, lport), NET_TCP_TIME_WAIT, "TIME-WAIT");
    h_advance(&h, 1500);
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 2, NET_TCP_ACK | NET_TCP_FIN, 65535, NULL,
                 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_ACK, "a repeated FIN is acknowledged again");
    h_advance(&h, 1999);
    is_int(orphan_state(&h, lport), NET_TCP_TIME_WAIT, "TIME-WAIT restarted by the FIN");
    h_advance(&h, 1);
    is_int(orphan_state(&h, lport), -1, "gone after 2 MSL");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 2, OUR_ISS + 2, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && (g.tcp.flags & NET_TCP_RST), "then the port is closed");
    h_free(&h);
}

static void test_simultaneous_close(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    net_tcp_close(h.s, sock, h.now);
    h_drain(&h);
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 1, NET_TCP_ACK | NET_TCP_FIN, 65535, NULL,
                 0, NULL, 0);
    ok(h_next(&h, &g) && g.tcp.ack == PEER_ISS + 2, "FINs crossed: the peer's is acknowledged");
    is_int(orphan_state(&h, lport), NET_TCP_CLOSING, "CLOSING");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 2, OUR_ISS + 2, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    is_int(orphan_state(&h, lport), NET_TCP_TIME_WAIT, "our FIN acknowledged: TIME-WAIT");
    h_free(&h);
}

static void test_passive_close(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 1, OUR_ISS + 1, NET_TCP_ACK | NET_TCP_FIN, 65535, NULL,
                 0, NULL, 0);
    h_drain(&h);
    uint8_t b[1];
    is_int(net_tcp_recv(h.s, sock, b, 1, h.now), 0, "end of stream after the peer's FIN");
    is_int(net_tcp_send(h.s, sock, "z", 1, h.now), 1, "CLOSE-WAIT still sends");
    h_drain(&h);
    net_tcp_close(h.s, sock, h.now);
    ok(h_next(&h, &g) && (g.tcp.flags & NET_TCP_FIN), "our FIN");
    is_int(orphan_state(&h, lport), NET_TCP_LAST_ACK, "LAST-ACK");
    h_inject_tcp(&h, PORT, lport, PEER_ISS + 2, OUR_ISS + 3, NET_TCP_ACK, 65535, NULL, 0, NULL, 0);
    is_int(orphan_state(&h, lport), -1, "closed once our FIN is acknowledged");
    h_free(&h);
}

static void test_out_of_order(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    const char *text = "0123456789abcdefghij";
    uint32_t s0 = PEER_ISS + 1;
    h_inject_tcp(&h, PORT, lport, s0 + 10, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, text + 10, 5);
    ok(h_next(&h, &g) && g.tcp.ack == s0, "a segment past a hole: duplicate ACK");
    h_inject_tcp(&h, PORT, lport, s0 + 15, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, text + 15, 5);
    ok(h_next(&h, &g) && g.tcp.ack == s0, "another: duplicate ACK");
    uint8_t b[32];
    is_int(net_tcp_recv(h.s, sock, b, sizeof(b), h.now), ZERR_AGAIN, "nothing readable yet");
    h_inject_tcp(&h, PORT, lport, s0, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, text, 10);
    ok(h_next(&h, &g) && g.tcp.ack == s0 + 20, "the hole filled: everything acknowledged");
    is_int(net_tcp_recv(h.s, sock, b, sizeof(b), h.now), 20, "20 bytes readable");
    is_mem(b, text, 20, "in order");
    /* An old duplicate overlapping new data: only the new part counts. */
    h_inject_tcp(&h, PORT, lport, s0 + 15, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, "fghijKLM", 8);
    ok(h_next(&h, &g) && g.tcp.ack == s0 + 23, "overlap trimmed");
    is_int(net_tcp_recv(h.s, sock, b, sizeof(b), h.now), 3, "three new bytes");
    is_mem(b, "KLM", 3, "the new part");
    h_free(&h);
}

static void test_passive_open_and_accept(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    h.random_value = OUR_ISS;
    int l = net_tcp_listen(h.s, LPORT, 4);
    ok(l > 0, "listen");
    is_int(h.last_kind, NET_AUTH_LISTEN, "listen asked for net.listen");
    is_int(net_tcp_accept(h.s, l), ZERR_AGAIN, "nothing to accept yet");
    h_inject_tcp(&h, 40000, LPORT, PEER_ISS, 0, NET_TCP_SYN, 65535, syn_opts, sizeof(syn_opts),
                 NULL, 0);
    ok(h_next(&h, &g) && g.tcp.flags == (NET_TCP_SYN | NET_TCP_ACK), "SYN-ACK");
    ok(g.tcp.seq == OUR_ISS && g.tcp.ack == PEER_ISS + 1, "SYN-ACK numbers");
    ok(g.opts.has_ws && g.opts.wscale == 1, "window scale answered");
    is_int(net_tcp_accept(h.s, l), ZERR_AGAIN, "half-open is not accepted");
    h_advance(&h, 1000);
    ok(h_next(&h, &g) && g.tcp.flags == (NET_TCP_SYN | NET_TCP_ACK), "SYN-ACK retransmitted");
    h_inject_tcp(&h, 40000, LPORT, PEER_ISS + 1, OUR_ISS + 1, NET_TCP_ACK, 512, NULL, 0, "hi", 2);
    ok(h_next(&h, &g) && g.tcp.ack == PEER_ISS + 3, "data in the completing ACK acknowledged");
    is_int(h.accepts, 1, "the accepted connection is recorded");
    int c = net_tcp_accept(h.s, l);
    ok(c > 0 && c != l, "accept returns the connection");
    struct net_sock_info info;
    net_sock_info(h.s, c, &info);
    is_int(info.snd_wnd, 512 << 7, "window scaled by the peer's shift");
    is_int(info.remote_port, 40000, "peer port");
    uint8_t b[4];
    is_int(net_tcp_recv(h.s, c, b, 4, h.now), 2, "the data is there");
    is_int(net_tcp_accept(h.s, l), ZERR_AGAIN, "only one connection");
    /* A second SYN, then the listener closes: the half-open one is reset. */
    h_inject_tcp(&h, 40001, LPORT, 7, 0, NET_TCP_SYN, 65535, NULL, 0, NULL, 0);
    h_drain(&h);
    net_tcp_close(h.s, l, h.now);
    ok(h_next(&h, &g) && (g.tcp.flags & NET_TCP_RST) && g.tcp.dport == 40001,
       "closing the listener resets what it had not accepted");
    net_sock_info(h.s, c, &info);
    is_int(info.state, NET_TCP_ESTABLISHED, "the accepted connection lives on");
    h_free(&h);
}

static void test_simultaneous_open(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    h.random_value = OUR_ISS;
    int sock = net_tcp_connect(h.s, H_PEER, PORT, h.now);
    h_next(&h, &g);
    uint16_t lport = g.tcp.sport;
    h_inject_tcp(&h, PORT, lport, PEER_ISS, 0, NET_TCP_SYN, 65535, syn_opts, sizeof(syn_opts), NULL,
                 0);
    ok(h_next(&h, &g) && g.tcp.flags == (NET_TCP_SYN | NET_TCP_ACK) && g.tcp.seq == OUR_ISS &&
           g.tcp.ack == PEER_ISS + 1,
       "SYNs crossed: SYN-ACK with the same ISN");
    struct net_sock_info info;
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_SYN_RCVD, "SYN-RECEIVED");
    h_inject_tcp(&h, PORT, lport, PEER_ISS, OUR_ISS + 1, NET_TCP_SYN | NET_TCP_ACK, 65535, syn_opts,
                 sizeof(syn_opts), NULL, 0);
    net_sock_info(h.s, sock, &info);
    is_int(info.state, NET_TCP_ESTABLISHED, "the peer's SYN-ACK establishes");
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_ACK && g.tcp.ack == PEER_ISS + 1, "and is acked");
    h_free(&h);
}

static void test_authorization(void)
{
    struct harness h;
    struct h_seg g;
    h_init(&h, NULL);
    h_learn_peer(&h);
    h.auth_answer = ZERR_DENIED;
    is_int(net_tcp_connect(h.s, H_PEER, PORT, h.now), ZERR_DENIED, "a denied connect fails");
    is_int(h_pending(&h), 0, "and sends no packet at all");
    is_int(net_tcp_listen(h.s, LPORT, 1), ZERR_DENIED, "a denied listen fails");
    h_inject_tcp(&h, 40000, LPORT, 1, 0, NET_TCP_SYN, 65535, NULL, 0, NULL, 0);
    ok(h_next(&h, &g) && (g.tcp.flags & NET_TCP_RST), "and the port stays closed");
    is_int(net_udp_open(h.s, 53), ZERR_DENIED, "a denied UDP bind fails");
    /* Pending: nothing leaves until the commit. */
    h.auth_answer = ZERR_AGAIN;
    int sock = net_tcp_connect(h.s, H_PEER, PORT, h.now);
    ok(sock > 0, "a pending connect returns a handle");
    is_int(h_pending(&h), 0, "no SYN while the authorization is pending");
    struct net_sock_info info;
    net_sock_info(h.s, sock, &info);
    ok(info.auth_pending, "the socket shows the pending authorization");
    is_int(net_tcp_send(h.s, sock, "early", 5, h.now), 5, "data may be queued meanwhile");
    is_int(h_pending(&h), 0, "still nothing on the wire");
    is_int(net_auth_done(h.s, sock, true, h.now), 0, "granted and committed");
    ok(h_next(&h, &g) && g.tcp.flags == NET_TCP_SYN, "now the SYN leaves");
    int s2 = net_tcp_connect(h.s, H_PEER, PORT + 1, h.now);
    is_int(net_auth_done(h.s, s2, false, h.now), 0, "refused after all");
    is_int(h_pending(&h), 0, "a refused pending connect sent nothing");
    net_sock_info(h.s, s2, &info);
    is_int(info.error, ZERR_DENIED, "and reports the refusal");
    is_int(net_auth_done(h.s, s2, true, h.now), ZERR_BADCAP, "a decision counts once");
    h_free(&h);
}

static void test_reassembly_window_full(void)
{
    struct harness h;
    struct h_seg g;
    uint16_t lport;
    h_init(&h, NULL);
    h_learn_peer(&h);
    int sock = open_active(&h, &lport, 65535);
    static uint8_t big[1400];
    uint32_t seq = PEER_ISS + 1;
    unsigned sent = 0;
    while (sent + sizeof(big) <= NET_TCP_BUF) {
        h_inject_tcp(&h, PORT, lport, seq, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, big,
                     sizeof(big));
        seq += sizeof(big);
        sent += sizeof(big);
    }
    uint32_t last_wnd = 0;
    while (h_next(&h, &g)) {
        last_wnd = g.tcp.wnd;
    }
    is_int(last_wnd, (NET_TCP_BUF - sent) >> 1, "the window shrinks as data waits");
    h_inject_tcp(&h, PORT, lport, seq, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, big, sizeof(big));
    uint32_t room = NET_TCP_BUF - sent;
    ok(h_next(&h, &g) && g.tcp.ack == seq + room && g.tcp.wnd == 0,
       "only the part inside the window is taken; the window is shut");
    h_inject_tcp(&h, PORT, lport, seq + room, OUR_ISS + 1, NET_TCP_ACK, 65535, NULL, 0, big, 10);
    ok(h_next(&h, &g) && g.tcp.ack == seq + room, "data into a shut window is not taken");
    static uint8_t sink[NET_TCP_BUF];
    is_int(net_tcp_recv(h.s, sock, sink, sizeof(sink), h.now), NET_TCP_BUF, "everything readable");
    ok(h_next(&h, &g) && g.tcp.wnd == NET_TCP_BUF >> 1, "reading sends a window update");
    h_free(&h);
}

int main(void)
{
    tap_no_plan();
    test_active_handshake();
    test_data_across_wrap();
    test_rto_doubling();
    test_slow_start_and_fast_retransmit();
    test_zero_window_probe();
    test_rst_closed_port();
    test_rst_rules();
    test_time_wait();
    test_simultaneous_close();
    test_passive_close();
    test_out_of_order();
    test_passive_open_and_accept();
    test_simultaneous_open();
    test_authorization();
    test_reassembly_window_full();
    return tap_done();
}
