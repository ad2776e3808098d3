/* The signed-proposal server on COM2 (see com2.h). */
#include "services/listen/x86_64/com2.h"

#include <stdarg.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"
#include "services/axiom/axiom.h"
#include "services/axiom/service.h"
#include "services/listen/frame.h"
#include "svcrt/runtime.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define COM2_BASE 0x2f8u
#define COM2_RBR (COM2_BASE + 0)
#define COM2_IER (COM2_BASE + 1)
#define COM2_FCR (COM2_BASE + 2)
#define COM2_LCR (COM2_BASE + 3)
#define COM2_MCR (COM2_BASE + 4)
#define COM2_LSR (COM2_BASE + 5)
#define COM2_SCR (COM2_BASE + 7)
#define COM2_BIT_IRQ 1u
#define COM2_BIT_TIMER 2u
#define COM2_BIT_BATCH 4u
#define COM2_IDLE_MS 250u     /* a quiet line ends a half request or a discard */
#define COM2_TX_SPINS 200000u /* yields waiting for room to send before an answer is dropped */
#define COM2_ANSWER_MAX (2u * AX_RECEIPT_MAX + 64u)
#define COM2_HELD_MAX (COM2_ANSWER_MAX + 4u + 8192u) /* answers waiting for the batch's flush */
#define COM2_BATCH_MAX 64u                           /* proposals in one batch at most */
#define COM2_BATCH_NS 2000000ull /* a batch stays open this long after the line went empty */

struct com2 {
    uint64_t port, irq;
    int64_t ntfn, timer, batch_timer;
    bool armed, batch_armed;
    uint32_t quiet_bytes; /* bytes since the idle timer was armed */
    struct lsn_rx rx;
    struct rt rt;
    uint32_t self, h_axiom;
    uint64_t term_ep, term_va; /* the terminal, for log-in answers (ZERO_CAP_NONE: none) */
    bool term_open;
    uint32_t h_term;
    uint64_t committed, refused, malformed;
    /* group commit: answers held until the open batch is durable, in request order */
    uint8_t held[COM2_HELD_MAX];
    size_t held_len;
    uint32_t pending; /* proposals in the open batch */
    uint64_t batches;
};

static struct com2 c2;

static void com2_say(const char *s)
{
    hal_console_write(s, strlen(s));
}

static int64_t com2_in(uint64_t reg)
{
    struct zsys r = {SYS_IOPORT_IN, c2.port, reg, 0, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? (int64_t)r.rdi : (int64_t)r.rax;
}

static void com2_out(uint64_t reg, uint8_t v)
{
    zsys3(SYS_IOPORT_OUT, c2.port, reg, v);
}

/* Sets the UART up (115200 8N1, FIFO, receive interrupts); false if no UART answers. */
static bool com2_setup(void)
{
    com2_out(COM2_SCR, 0x5a);
    if (com2_in(COM2_SCR) != 0x5a || com2_in(COM2_LSR) == 0xff) {
        return false;
    }
    com2_out(COM2_IER, 0x00);
    com2_out(COM2_LCR, 0x80);
    com2_out(COM2_RBR, 0x01);
    com2_out(COM2_IER, 0x00);
    com2_out(COM2_LCR, 0x03);
    com2_out(COM2_FCR, 0xc7);
    com2_out(COM2_MCR, 0x0b); /* DTR, RTS, OUT2: OUT2 routes the interrupt */
    com2_out(COM2_IER, 0x01);
    return true;
}

/* Sends bytes; if the far side takes nothing for a long while, the rest is dropped. */
static void com2_send(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t spins = 0;
        while ((com2_in(COM2_LSR) & 0x20) == 0) {
            if (++spins > COM2_TX_SPINS) {
                return;
            }
            zero_yield();
        }
        com2_out(COM2_RBR, p[i]);
    }
}

/*
 * Ends the open batch: one flush makes every proposal in it durable, then
 * the held answers go out in order.  If the flush fails, no "committed"
 * answer is sent: each held answer becomes an error (the node needs a restart).
 */
static void com2_flush(void)
{
    int err = c2.pending > 0 ? axiom_commit_held(&c2.rt, c2.self, c2.h_axiom) : 0;
    if (c2.pending > 0) {
        c2.batches++;
    }
    c2.pending = 0;
    if (err != 0) {
        uint8_t frame[96];
        char text[80];
        size_t n =
            zfmt_snprintf(text, sizeof(text), "error: durable write failed: %s\n", zerr_text(err));
        size_t len =
            lsn_answer_frame(text, n < sizeof(text) ? n : sizeof(text) - 1, frame, sizeof(frame));
        for (size_t at = 0; at + 4 <= c2.held_len;) {
            size_t k = (size_t)c2.held[at] | (size_t)c2.held[at + 1] << 8 |
                       (size_t)c2.held[at + 2] << 16 | (size_t)c2.held[at + 3] << 24;
            com2_send(frame, len);
            at += 4 + k;
        }
    } else {
        com2_send(c2.held, c2.held_len);
    }
    c2.held_len = 0;
}

/* Queues one answer frame with the text of fmt behind the held ones. */
static void com2_answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void com2_answer(const char *fmt, ...)
{
    static char text[COM2_ANSWER_MAX];
    va_list ap;
    va_start(ap, fmt);
    size_t n = zfmt_vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    size_t len = n < sizeof(text) ? n : sizeof(text) - 1;
    if (c2.held_len + len + 4 > sizeof(c2.held)) {
        com2_flush();
    }
    c2.held_len +=
        lsn_answer_frame(text, len, c2.held + c2.held_len, sizeof(c2.held) - c2.held_len);
}

/* ---- requests ---- */

static bool com2_refusal(int err)
{
    return err == ZERR_DENIED || err == ZERR_PERM || err == ZERR_BADSIG || err == ZERR_EXIST ||
           err == ZERR_NOENT || err == ZERR_NOPRINCIPAL;
}

static void com2_proposal(const uint8_t *p, size_t len)
{
    static struct ax_action a;
    static struct axiom_result res;
    char hex[2 * AX_HASH_LEN + 1];
    int err = ax_proposal_decode(p, len, &a);
    if (err != 0) {
        c2.malformed++;
        com2_answer("error: not a signed proposal (%s)\n", zerr_text(err));
        return;
    }
    memset(&res, 0, sizeof(res));
    err = axiom_propose_held(&c2.rt, c2.self, c2.h_axiom, &a, &res);
    if (err == 0) {
        c2.committed++;
        c2.pending++;
        zfmt_hex(hex, res.hash, AX_HASH_LEN);
        com2_answer("committed #%llu %s\n", (unsigned long long)res.seq, hex);
        return;
    }
    c2.refused++;
    com2_answer("%s: %s\n", com2_refusal(err) ? "denied" : "error",
                res.why[0] != '\0' ? res.why : zerr_text(err));
}

static void com2_head(void)
{
    struct axiom_head h;
    char a[65], b[65], t[65];
    int err = axiom_get_head(&c2.rt, c2.self, c2.h_axiom, &h);
    if (err != 0) {
        com2_answer("error: %s\n", zerr_text(err));
        return;
    }
    zfmt_hex(a, h.head, AX_HASH_LEN);
    zfmt_hex(b, h.state_root, AX_HASH_LEN);
    zfmt_hex(t, h.tree_root, AX_HASH_LEN);
    com2_answer("head #%llu %s state %s tree %s\n", (unsigned long long)(h.entries - 1), a, b, t);
}

/* The entry (entry true) or the receipt of sequence seq, from the Axiom's receipt. */
static void com2_entry(uint64_t seq, bool entry)
{
    static uint8_t receipt[AX_RECEIPT_MAX];
    static char hex[2 * AX_RECEIPT_MAX + 1];
    static struct ax_receipt rc;
    uint8_t in[8], hash[AX_HASH_LEN];
    char hh[2 * AX_HASH_LEN + 1];
    for (int i = 0; i < 8; i++) {
        in[i] = (uint8_t)(seq >> (8 * i));
    }
    struct rt_msg m = {AXIOM_OP_RECEIPT, in, sizeof(in), receipt, sizeof(receipt), 0};
    int err = rt_call(&c2.rt, c2.self, c2.h_axiom, &m);
    if (err == 0 && entry) {
        err = ax_receipt_decode(receipt, m.out_len, &rc);
    }
    if (err != 0) {
        com2_answer("error: %s\n",
                    err == ZERR_NOENT ? "no entry with that sequence number" : zerr_text(err));
        return;
    }
    if (!entry) {
        zfmt_hex(hex, receipt, m.out_len);
        com2_answer("receipt #%llu %s\n", (unsigned long long)seq, hex);
        return;
    }
    blake3_hash(rc.entry, rc.entry_len, hash);
    zfmt_hex(hh, hash, AX_HASH_LEN);
    zfmt_hex(hex, rc.entry, rc.entry_len);
    com2_answer("entry #%llu %s %s\n", (unsigned long long)seq, hh, hex);
}

/* Opens the channel to the terminal at the first log-in answer (the
 * terminal serves its endpoint only once the node runs). */
static int com2_open_term(void)
{
    static struct rtx_chan ch;
    static struct rtx_proxy px;
    if (c2.term_open) {
        return 0;
    }
    int err = c2.term_ep == ZERO_CAP_NONE ? ZERR_BADCAP : rtx_open(&ch, c2.term_ep, c2.term_va);
    px = (struct rtx_proxy){&ch, c2.term_ep};
    int sid = err != 0 ? err : rt_register(&c2.rt, "terminal", &px, rtx_forward);
    int h = sid < 0 ? sid : rt_grant(&c2.rt, (uint32_t)sid, c2.self, CAP_RIGHT_WRITE, 0);
    if (h < 0) {
        return h;
    }
    c2.h_term = (uint32_t)h;
    c2.term_open = true;
    return 0;
}

/* A log-in answer (type 5): the terminal checks it and says how it went. */
static void com2_login(const uint8_t *body, size_t len)
{
    static char text[200];
    int err = com2_open_term();
    struct rt_msg m = {LSN_TERM_OP_LOGIN, body, len, (uint8_t *)text, sizeof(text) - 1, 0};
    int res = err != 0 ? err : rt_call(&c2.rt, c2.self, c2.h_term, &m);
    if (err != 0 || (m.out_len == 0 && res != 0)) {
        com2_answer("error: the terminal is not reachable: %s\n", zerr_text(err != 0 ? err : res));
        return;
    }
    text[m.out_len] = '\0';
    com2_answer("%s", text);
}

static void com2_request(const uint8_t *body, size_t len)
{
    struct lsn_req req;
    if (lsn_req_decode(body, len, &req) != 0) {
        c2.malformed++;
        com2_answer("error: unknown request (type %u, %llu bytes)\n", body[0],
                    (unsigned long long)len);
        return;
    }
    if (req.type != LSN_PROPOSAL) {
        com2_flush(); /* a query sees, and a log-in follows, what was answered before it */
    }
    switch (req.type) {
    case LSN_PROPOSAL:
        com2_proposal(req.proposal, req.proposal_len);
        if (c2.pending >= COM2_BATCH_MAX) {
            com2_flush();
        }
        break;
    case LSN_HEAD:
        com2_head();
        break;
    case LSN_ENTRY:
    case LSN_RECEIPT:
        com2_entry(req.seq, req.type == LSN_ENTRY);
        break;
    case LSN_LOGIN:
        com2_login(body, len);
        break;
    }
}

/* ---- the line ---- */

static bool com2_ready_byte(void)
{
    int64_t lsr = com2_in(COM2_LSR);
    return lsr >= 0 && (lsr & 1) != 0;
}

/*
 * Once the line is empty: with no proposal in the open batch, the held
 * answers (refusals, queries) go out now; with some, the batch stays open
 * for COM2_BATCH_NS, so that the proposals a client sent together, which
 * reach the UART 16 bytes at a time, are flushed together (group commit).
 */
static void com2_batch_wait(void)
{
    if (c2.pending == 0) {
        com2_flush();
    } else if (!c2.batch_armed) {
        c2.batch_armed = zsys3(SYS_TIMER, (uint64_t)c2.batch_timer, COM2_BATCH_NS, 0) == 0;
        if (!c2.batch_armed) {
            com2_flush();
        }
    }
}

/* Takes every byte the UART holds; handles each whole request. */
static void com2_drain(void)
{
    while (com2_ready_byte()) {
        int64_t c = com2_in(COM2_RBR);
        if (c < 0) {
            return;
        }
        c2.quiet_bytes++;
        enum lsn_event ev = lsn_feed(&c2.rx, (uint8_t)c);
        if (ev == LSN_MSG) {
            com2_request(c2.rx.body, c2.rx.len);
        } else if (ev == LSN_BAD_LEN) {
            c2.malformed++;
            com2_answer("error: a message is 1 to %u bytes; discarding input until the line "
                        "is quiet for %u ms\n",
                        LSN_MSG_MAX, COM2_IDLE_MS);
        }
    }
}

/* Arms the idle timer while a request is half read or input is discarded. */
static void com2_arm(void)
{
    if (!c2.armed && lsn_busy(&c2.rx) &&
        zsys3(SYS_TIMER, (uint64_t)c2.timer, COM2_IDLE_MS * 1000000ull, 0) == 0) {
        c2.armed = true;
        c2.quiet_bytes = 0;
    }
}

static int com2_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self;
    (void)badge;
    (void)m;
    return ZERR_UNSUPPORTED; /* nobody calls the COM2 server */
}

static int com2_open_axiom(uint64_t axiom, uint64_t chan_va)
{
    static struct rtx_chan ch;
    static struct rtx_proxy px;
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    rt_init(&c2.rt);
    int err = axiom == ZERO_CAP_NONE ? ZERR_BADCAP : rtx_open(&ch, axiom, chan_va);
    px = (struct rtx_proxy){&ch, axiom};
    int sid = err != 0 ? err : rt_register(&c2.rt, "axiom", &px, rtx_forward);
    int me = sid < 0 ? sid : rt_register(&c2.rt, "com2", &c2, com2_handle);
    int h = me < 0 ? me : rt_grant(&c2.rt, (uint32_t)sid, (uint32_t)me, CAP_RIGHT_WRITE, rw);
    if (h < 0) {
        return h;
    }
    c2.self = (uint32_t)me;
    c2.h_axiom = (uint32_t)h;
    return 0;
}

void lsn_com2_terminal(uint64_t ep, uint64_t chan_va)
{
    c2.term_ep = ep;
    c2.term_va = chan_va;
}

int lsn_com2_main(uint64_t port, uint64_t irq, uint64_t axiom, uint64_t chan_va,
                  void (*ready)(void))
{
    char line[120];
    c2.port = port;
    c2.irq = irq;
    lsn_rx_init(&c2.rx);
    int64_t err = com2_open_axiom(axiom, chan_va);
    if (err == 0 && ready != NULL) {
        ready();
    }
    if (err == 0 && !com2_setup()) {
        com2_say("zero-com2: no second serial port: not listening\n");
        struct zmsg m = {0};
        for (;;) {
            zero_recv(ZERO_SLOT_EP, &m); /* nobody calls: idle until the machine stops */
        }
    }
    c2.ntfn = err != 0 ? err : zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t bound = c2.ntfn < 0 ? c2.ntfn
                                : zsys4(SYS_CAP_DERIVE, (uint64_t)c2.ntfn, ZERO_SLOT_ANY,
                                        CAP_RIGHTS_ALL, COM2_BIT_IRQ);
    c2.timer = bound < 0 ? bound
                         : zsys4(SYS_CAP_DERIVE, (uint64_t)c2.ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL,
                                 COM2_BIT_TIMER);
    c2.batch_timer = c2.timer < 0 ? c2.timer
                                  : zsys4(SYS_CAP_DERIVE, (uint64_t)c2.ntfn, ZERO_SLOT_ANY,
                                          CAP_RIGHTS_ALL, COM2_BIT_BATCH);
    err = c2.batch_timer < 0 ? c2.batch_timer : zsys3(SYS_IRQ_BIND, irq, (uint64_t)bound, 0);
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line), "zero-com2: cannot start: %s\n", zerr_name((int)err));
        com2_say(line);
        return 2;
    }
    com2_say("zero-com2: signed proposals on COM2\n");
    for (;;) {
        com2_drain();
        com2_batch_wait();
        com2_arm();
        uint64_t bits = 0;
        zero_wait((uint64_t)c2.ntfn, &bits, 1);
        if (bits & COM2_BIT_IRQ) {
            zsys3(SYS_IRQ_ACK, irq, 0, 0);
        }
        if (bits & COM2_BIT_BATCH) {
            c2.batch_armed = false;
            com2_flush(); /* the line stayed empty: the batch is complete */
        }
        if (bits & COM2_BIT_TIMER) {
            c2.armed = false;
            if (c2.quiet_bytes == 0 && lsn_busy(&c2.rx)) {
                lsn_idle(&c2.rx); /* the client is gone or sent half a request */
            }
        }
    }
}
