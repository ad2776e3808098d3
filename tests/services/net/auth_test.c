/*
 * The network's authorization by the Axiom, end to end on hosted: a node
 * on a memory disk, our stack (10.0.0.1) with the Axiom behind its policy
 * hook, and a plain peer stack (10.0.0.2) linked in memory.  Each frame
 * our stack sends is captured with the number of durable entries at that
 * moment, so the tests see the order: the net.connect entry is durable
 * before the first frame of the connection leaves, and a refused connect
 * leaves no frame and no entry.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/net.h"
#include "services/init/node.h"
#include "services/net/auth.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)
#define US 0x0a000001u   /* 10.0.0.1 */
#define PEER 0x0a000002u /* 10.0.0.2 */
#define QMAX 64

struct frame {
    size_t len;
    uint64_t durable; /* durable entries when it was sent */
    uint8_t b[NET_FRAME_MAX];
};

struct side {
    net_stack *s;
    struct frame q[QMAX];
    unsigned n;
    unsigned sent; /* frames sent in all */
};

static struct node node;
static struct netauth na;
static struct side us, peer;
static uint64_t now = 1000;
static uint32_t rnd = 7;

static void send_frame(void *ctx, const uint8_t *frame, size_t len)
{
    struct side *sd = ctx;
    sd->sent++;
    if (sd->n < QMAX) {
        struct frame *f = &sd->q[sd->n++];
        f->len = len;
        f->durable = axiom_durable(&node.axiom.ax);
        memcpy(f->b, frame, len);
    }
}

static int authorize(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    (void)ctx;
    (void)sock;
    return netauth_authorize(&na, kind, ip, port);
}

static void accepted(void *ctx, int listener, int sock, uint32_t ip, uint16_t port)
{
    (void)ctx;
    netauth_accepted(&na, us.s, listener, sock, ip, port);
}

static int allow_all(void *ctx, enum net_auth kind, uint32_t ip, uint16_t port, int sock)
{
    (void)ctx, (void)kind, (void)ip, (void)port, (void)sock;
    return 0;
}

static void random_fill(void *ctx, void *buf, size_t len)
{
    (void)ctx;
    uint8_t *b = buf;
    for (size_t i = 0; i < len; i++) {
        rnd = rnd * 1103515245u + 12345u;
        b[i] = (uint8_t)(rnd >> 16);
    }
}

/* Delivers what each side sent to the other until both are quiet. */
static void pump(void)
{
    for (int round = 0; round < 50 && (us.n > 0 || peer.n > 0); round++) {
        static struct frame q[QMAX];
        unsigned n = us.n;
        memcpy(q, us.q, sizeof(q[0]) * n);
        us.n = 0;
        for (unsigned i = 0; i < n; i++) {
            net_input(peer.s, q[i].b, q[i].len, now);
        }
        n = peer.n;
        memcpy(q, peer.q, sizeof(q[0]) * n);
        peer.n = 0;
        for (unsigned i = 0; i < n; i++) {
            net_input(us.s, q[i].b, q[i].len, now);
        }
        now += 1;
        net_poll(us.s, now);
        net_poll(peer.s, now);
    }
}

static void start_stack(struct side *sd, uint32_t ip, uint8_t mac, const struct net_ops *ops)
{
    struct net_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.mac = (net_mac){{0x02, 0, 0, 0, 0, mac}};
    cfg.ip = ip;
    cfg.netmask = 0xffffff00u;
    cfg.rto_min_ms = 200;
    sd->s = calloc(1, sizeof(net_stack));
    net_init(sd->s, &cfg, ops, sd, now);
}

/* Submits a policy rule as the node; returns the Axiom's answer. */
static int add_rule(uint8_t effect, const char *text)
{
    struct ax_action a;
    struct axiom_result res;
    memset(&a, 0, sizeof(a));
    a.kind = AX_POLICY_ADD;
    strcpy(a.proposer, "root");
    a.effect = effect;
    strcpy(a.rule, text);
    return axiom_submit(&node.rt, na.self, na.h_axiom, &a, &res);
}

/* The newest log entry's kind and description. */
static void last_entry(struct axiom_log_item *it)
{
    uint32_t got = 0;
    memset(it, 0, sizeof(*it));
    (void)axiom_get_log(&node.rt, na.self, na.h_axiom, 1, 0, it, &got);
}

static void test_codec(void)
{
    struct ax_entry e, d;
    memset(&d, 0, sizeof(d));
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;
    memset(&e, 0, sizeof(e));
    ok(ax_net_action(&e.a, AX_NET_ACCEPT, "root", 0x0a000202u, 40000, 80) == 0,
       "net_accept_action_builds");
    ok(ax_entry_encode(&e, buf, sizeof(buf), &len) == 0 && ax_entry_decode(buf, len, &d) == 0,
       "net_accept_entry_round_trips");
    ok(d.a.kind == AX_NET_ACCEPT && d.a.net.ip == 0x0a000202u && d.a.net.port == 40000 &&
           d.a.net.local_port == 80,
       "net_accept_entry_decodes_its_fields");
    ok(ax_net_action(&e.a, AX_NET_CONNECT, "root", PEER, 0, 0) == ZERR_INVAL,
       "net_connect_to_port_0_is_refused");
    ok(ax_net_action(&e.a, AX_NET_LISTEN, "root", 0, 0, 80) == 0 &&
           ax_entry_encode(&e, buf, sizeof(buf), &len) == 0,
       "net_listen_encodes");
    /* Payload {0: 80} is the last 3 bytes before key 6; make the port 0. */
    uint8_t *p = NULL;
    for (size_t i = 0; i + 4 <= len && p == NULL; i++) {
        p = memcmp(buf + i, "\xa1\x00\x18\x50", 4) == 0 ? buf + i : NULL;
    }
    ok(p != NULL, "net_listen_payload_is_the_documented_map");
    if (p != NULL) {
        p[3] = 0;
        is_int(ax_entry_decode(buf, len, &d) != 0, 1, "net_listen_with_port_0_is_refused");
    }
}

static void test_connect(void)
{
    struct axiom_log_item it;

    is_int(add_rule(POLICY_DENY, "root net.connect 10.0.0.2:81"), 0,
           "policy_takes_an_address_port_resource");
    uint64_t before = axiom_durable(&node.axiom.ax);
    unsigned sent = us.sent;
    is_int(net_tcp_connect(us.s, PEER, 81, now), ZERR_DENIED, "denied_connect_fails");
    is_int(us.sent - sent, 0, "denied_connect_sends_no_frame");
    is_int(axiom_durable(&node.axiom.ax) - before, 0, "denied_connect_commits_nothing");
    ok(strstr(na.last.why, "rule #") != NULL, "denied_connect_names_the_rule");

    int sock = net_tcp_connect(us.s, PEER, 80, now);
    ok(sock > 0, "allowed_connect_returns_a_socket");
    is_int(axiom_durable(&node.axiom.ax) - before, 1, "allowed_connect_committed_one_entry");
    last_entry(&it);
    ok(it.kind == AX_NET_CONNECT && strcmp(it.subject, "10.0.0.2:80") == 0,
       "the_entry_is_net_connect_10_0_0_2_80");
    ok(us.n > 0 && us.q[0].durable == before + 1,
       "the_first_frame_of_the_connect_left_after_the_commit");
    pump();
    struct net_sock_info info;
    net_sock_info(us.s, sock, &info);
    is_int(info.state, NET_TCP_ESTABLISHED, "the_connection_opens");
    net_tcp_abort(us.s, sock, now);
    pump();
}

static void test_listen_accept(void)
{
    struct axiom_log_item it;
    uint64_t before = axiom_durable(&node.axiom.ax);
    int l = net_tcp_listen(us.s, 8080, 4);

    ok(l > 0, "allowed_listen_opens");
    last_entry(&it);
    ok(it.kind == AX_NET_LISTEN && strcmp(it.subject, "port 8080") == 0 &&
           axiom_durable(&node.axiom.ax) == before + 1,
       "net_listen_8080_is_committed");
    int c = net_tcp_connect(peer.s, US, 8080, now);
    pump();
    is_int(na.queued, 1, "the_handshake_completed_and_the_accept_waits_for_its_record");
    int a = net_tcp_accept(us.s, l);
    ok(a > 0 && netauth_pending(&na, a), "the_app_sees_the_record_pending");
    struct net_sock_info pi;
    net_sock_info(peer.s, c, &pi);
    is_int(pi.state, NET_TCP_ESTABLISHED, "the_peer_is_established_before_the_commit");
    is_int(netauth_flush(&na, us.s, now), 1, "flush_commits_the_accept");
    last_entry(&it);
    char want[40];
    zfmt_snprintf(want, sizeof(want), "10.0.0.2:%u on port 8080", (unsigned)pi.local_port);
    ok(it.kind == AX_NET_ACCEPT && strcmp(it.subject, want) == 0, "net_accept_records_the_peer");

    is_int(add_rule(POLICY_DENY, "root net.accept 10.0.0.2:*"), 0, "deny_accepts_from_the_peer");
    int c2 = net_tcp_connect(peer.s, US, 8080, now);
    pump();
    before = axiom_durable(&node.axiom.ax);
    is_int(netauth_flush(&na, us.s, now), 0, "a_refused_accept_is_not_committed");
    is_int(axiom_durable(&node.axiom.ax), before, "and_adds_no_entry");
    pump();
    net_sock_info(peer.s, c2, &pi);
    is_int(pi.error, ZERR_IO, "the_refused_connection_is_reset");

    is_int(add_rule(POLICY_DENY, "root net.listen 9*"), 0, "deny_listening_on_9xxx");
    is_int(net_tcp_listen(us.s, 9090, 4), ZERR_DENIED, "a_denied_listen_fails");
}

static void test_verify(void)
{
    struct axiom_result res;
    is_int(axiom_verify(&node.rt, na.self, na.h_axiom, &res), 0,
           "the_log_with_net_entries_replays");
}

static int no_ops(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self, (void)badge, (void)m;
    return ZERR_UNSUPPORTED;
}

/* The network service's x86_64 badge: net.accept records and nothing else. */
static void test_accept_badge(void)
{
    struct ax_action a;
    struct axiom_result res;
    struct axiom_head head;
    int self = rt_register(&node.rt, "httpd", NULL, no_ops);
    int h =
        rt_grant(&node.rt, node.sid_axiom, (uint32_t)self, CAP_RIGHT_WRITE, AXIOM_BADGE_NET_ACCEPT);
    ok(self > 0 && h > 0, "a_capability_with_the_net_accept_badge_only");
    uint64_t before = axiom_durable(&node.axiom.ax);
    (void)ax_net_action(&a, AX_NET_ACCEPT, "root", 0x0a000009u, 40000, 80);
    is_int(axiom_submit(&node.rt, (uint32_t)self, (uint32_t)h, &a, &res), 0,
           "it_submits_a_net_accept");
    is_int(axiom_durable(&node.axiom.ax), before + 1, "which_is_committed");
    (void)ax_net_action(&a, AX_NET_ACCEPT, "root", 0x0a000009u, 40001, 80);
    int err = axiom_propose_held(&node.rt, (uint32_t)self, (uint32_t)h, &a, &res);
    (void)ax_net_action(&a, AX_NET_ACCEPT, "root", 0x0a000009u, 40002, 80);
    err = err != 0 ? err : axiom_propose_held(&node.rt, (uint32_t)self, (uint32_t)h, &a, &res);
    err = err != 0 ? err : axiom_commit_held(&node.rt, (uint32_t)self, (uint32_t)h);
    is_int(err, 0, "it_proposes_two_and_commits_them");
    is_int(axiom_durable(&node.axiom.ax), before + 3, "both_are_durable");
    (void)ax_net_action(&a, AX_NET_CONNECT, "root", 0x0a000009u, 80, 0);
    is_int(axiom_submit(&node.rt, (uint32_t)self, (uint32_t)h, &a, &res), ZERR_PERM,
           "a_net_connect_is_refused");
    (void)ax_net_action(&a, AX_NET_LISTEN, "root", 0, 0, 81);
    is_int(axiom_propose_held(&node.rt, (uint32_t)self, (uint32_t)h, &a, &res), ZERR_PERM,
           "so_is_a_proposed_net_listen");
    is_int(axiom_get_head(&node.rt, (uint32_t)self, (uint32_t)h, &head), ZERR_PERM,
           "and_a_read_without_the_read_badge");
    is_int(axiom_durable(&node.axiom.ax), before + 3, "nothing_else_was_committed");
}

int main(void)
{
    static struct blk dev;
    char why[160];
    uint8_t *mem = calloc(1, DISK);
    blk_open_mem(&dev, mem, NULL, DISK);
    if (node_start(&node, &dev, "root", why, sizeof(why)) != 0) {
        tap_diag("node: %s", why);
        return 1;
    }
    int self = rt_register(&node.rt, "net", NULL, no_ops);
    int h = rt_grant(&node.rt, node.sid_axiom, (uint32_t)self, CAP_RIGHT_WRITE,
                     AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ);
    ok(self > 0 && h > 0 && netauth_init(&na, &node.rt, (uint32_t)self, (uint32_t)h, "root") == 0,
       "the_net_service_holds_a_capability_to_the_axiom");
    static const struct net_ops ours = {send_frame, authorize, accepted, random_fill};
    static const struct net_ops theirs = {send_frame, allow_all, NULL, random_fill};
    start_stack(&us, US, 1, &ours);
    start_stack(&peer, PEER, 2, &theirs);
    (void)net_tcp_listen(peer.s, 80, 4);
    test_codec();
    test_connect();
    test_listen_accept();
    test_accept_badge();
    test_verify();
    node_stop(&node);
    return tap_done();
}
