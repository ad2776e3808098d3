/* The Axiom's message handler: submit (propose + durable commit) and reads. */
#include "services/axiom/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/net.h"
#include "services/axiom/proc.h"
#include "services/axiom/svc.h"
#include "services/axiom/internal/bind.h"
#include "services/axiom/internal/fs.h"
#include "svcrt/wire.h"

/* Encodes res as the reply; the handler's result stays err. */
static int axsvc_reply_result(struct rt_msg *m, const struct axiom_result *res, int err)
{
    int e = axiom_result_encode(res, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

static int axsvc_submit(struct axiom_svc *s, uint64_t badge, struct rt_msg *m)
{
    struct ax_action a;
    struct axiom_result res;

    memset(&res, 0, sizeof(res));
    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    int err = axiom_action_decode(m->in, m->in_len, &a);
    if (err != 0) {
        res.err = err;
        zfmt_snprintf(res.why, sizeof(res.why), "malformed submit message: %s", zerr_text(err));
        return axsvc_reply_result(m, &res, err);
    }
    err = axiom_bound_check(s, badge, a.proposer, res.why, sizeof(res.why));
    if (err != 0) {
        res.err = err;
        return axsvc_reply_result(m, &res, err);
    }
    err = axiom_propose(&s->ax, &a, &res.dec, &res.seq, res.hash, res.why, sizeof(res.why));
    if (err == 0) {
        err = axiom_commit(&s->ax);
        if (err != 0) {
            zfmt_snprintf(res.why, sizeof(res.why), "durable write failed: %s", zerr_text(err));
        }
    }
    res.err = err;
    return axsvc_reply_result(m, &res, err);
}

/* DECIDE: the decision a submit would get now, against the current state; commits nothing. */
static int axsvc_decide(struct axiom_svc *s, uint64_t badge, struct rt_msg *m)
{
    struct ax_action a;
    struct axiom_result res;

    memset(&res, 0, sizeof(res));
    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    int err = axiom_action_decode(m->in, m->in_len, &a);
    if (err != 0) {
        zfmt_snprintf(res.why, sizeof(res.why), "malformed action: %s", zerr_text(err));
    }
    err = err != 0 ? err : axiom_bound_check(s, badge, a.proposer, res.why, sizeof(res.why));
    if (err == 0) {
        err = ax_state_decide(s->ax.st, &a, &res.dec, res.why, sizeof(res.why));
    }
    res.err = err;
    return axsvc_reply_result(m, &res, err);
}

/* AXIOM_OP_PROPOSE: into the open batch, no flush; a full batch is
 * committed first (those entries are then durable early, which is fine). */
static int axsvc_propose(struct axiom_svc *s, uint64_t badge, struct rt_msg *m)
{
    struct ax_action a;
    struct axiom_result res;

    memset(&res, 0, sizeof(res));
    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    int err = axiom_action_decode(m->in, m->in_len, &a);
    if (err != 0) {
        res.err = err;
        zfmt_snprintf(res.why, sizeof(res.why), "malformed propose message: %s", zerr_text(err));
        return axsvc_reply_result(m, &res, err);
    }
    err = axiom_bound_check(s, badge, a.proposer, res.why, sizeof(res.why));
    if (err != 0) {
        res.err = err;
        return axsvc_reply_result(m, &res, err);
    }
    err = axiom_propose(&s->ax, &a, &res.dec, &res.seq, res.hash, res.why, sizeof(res.why));
    if (err == ZERR_AGAIN) {
        err = axiom_commit(&s->ax);
        err = err != 0 ? err
                       : axiom_propose(&s->ax, &a, &res.dec, &res.seq, res.hash, res.why,
                                       sizeof(res.why));
    }
    res.err = err;
    return axsvc_reply_result(m, &res, err);
}

static int axsvc_head(struct axiom_svc *s, struct rt_msg *m)
{
    struct axiom_head h;

    if (m->in_len != 0) {
        return ZERR_INVAL;
    }
    memset(&h, 0, sizeof(h));
    h.entries = axiom_durable(&s->ax);
    memcpy(h.head, s->ax.head, AX_HASH_LEN);
    memcpy(h.state_root, s->ax.st->root, AX_HASH_LEN);
    ax_merkle_root(&s->ax.tree, h.tree_root);
    memcpy(h.node, s->ax.st->node, sizeof(h.node));
    return axiom_head_encode(&h, m->out, m->out_cap, &m->out_len);
}

/* Reads a request that is exactly one u32 (n == 1) or two (n == 2). */
static int axsvc_words(const struct rt_msg *m, uint32_t *v, int n)
{
    struct wire_in r;

    wire_in_init(&r, m->in, m->in_len);
    for (int i = 0; i < n; i++) {
        v[i] = wire_get_u32(&r);
    }
    return wire_in_end(&r);
}

static int axsvc_principal(struct axiom_svc *s, struct rt_msg *m)
{
    char name[AXIOM_NAME_FIELD];
    struct wire_in r;
    struct wire_out w;

    wire_in_init(&r, m->in, m->in_len);
    wire_get_str(&r, name, sizeof(name));
    int err = wire_in_end(&r);
    if (err != 0) {
        return err;
    }
    const struct id_principal *p = id_find(&s->ax.st->ids, name);
    if (p == NULL) {
        return ZERR_NOENT;
    }
    wire_out_init(&w, m->out, m->out_cap);
    axiom_principal_put(&w, p);
    return wire_out_end(&w, &m->out_len);
}

/* PRINCIPALS and RULES: from number first, as many records as the reply holds. */
static int axsvc_page(struct axiom_svc *s, struct rt_msg *m, bool rules)
{
    const struct ax_state *st = s->ax.st;
    uint32_t total = rules ? st->pol.n : st->ids.n;
    size_t rec = rules ? AXIOM_RULE_LEN : AXIOM_PRINCIPAL_LEN;
    uint32_t first;
    struct wire_out w;

    int err = axsvc_words(m, &first, 1);
    if (err != 0) {
        return err;
    }
    if (m->out_cap < 8) {
        return ZERR_RANGE;
    }
    if (first > total) {
        return ZERR_RANGE;
    }
    uint32_t n = total - first;
    if (n > (m->out_cap - 8) / rec) {
        n = (uint32_t)((m->out_cap - 8) / rec);
    }
    wire_out_init(&w, m->out, m->out_cap);
    wire_u32(&w, total);
    wire_u32(&w, n);
    for (uint32_t i = 0; i < n; i++) {
        if (rules) {
            axiom_rule_put(&w, &st->pol.r[first + i]);
        } else {
            axiom_principal_put(&w, &st->ids.p[first + i]);
        }
    }
    return wire_out_end(&w, &m->out_len);
}

static int axsvc_check(struct axiom_svc *s, struct rt_msg *m)
{
    struct axiom_check c;
    struct axiom_decision d;

    int err = axiom_check_decode(m->in, m->in_len, &c);
    if (err != 0) {
        return err;
    }
    memset(&d, 0, sizeof(d));
    err = ax_state_check(s->ax.st, c.proposer, c.action, c.resource, &d.dec, d.why, sizeof(d.why));
    int e = axiom_decision_encode(&d, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

void axiom_describe(const struct ax_entry *e, char *out, size_t cap)
{
    const struct ax_action *a = &e->a;

    if (ax_fs_kind(a->kind)) {
        ax_fs_describe(a, out, cap);
        return;
    }
    switch (a->kind) {
    case AX_GENESIS:
    case AX_ID_CREATE:
        zfmt_snprintf(out, cap, "%s (%s)", a->name, id_kind_name(a->id_kind));
        break;
    case AX_ID_ROTATE:
    case AX_ID_REVOKE:
    case AX_ACT_AS:
        zfmt_snprintf(out, cap, "%s", a->name);
        break;
    case AX_POLICY_ADD:
        zfmt_snprintf(out, cap, "%s %s", policy_effect_name(a->effect), a->rule);
        break;
    case AX_POLICY_REMOVE:
        zfmt_snprintf(out, cap, "#%u", (unsigned)a->rule_id);
        break;
    case AX_BOOT:
        ax_boot_describe(a, out, cap);
        break;
    case AX_NET_CONNECT:
    case AX_NET_LISTEN:
    case AX_NET_ACCEPT:
        ax_net_describe(a, out, cap);
        break;
    case AX_SVC_START:
    case AX_SVC_EXIT:
    case AX_SVC_HOLD:
    case AX_SVC_RESTART:
    case AX_SVC_KILL:
        ax_svc_describe(a, out, cap);
        break;
    case AX_PROC_SPAWN:
    case AX_PROC_EXIT:
    case AX_CAP_GRANT:
    case AX_CAP_REVOKE:
        ax_proc_describe(a, out, cap);
        break;
    default: {
        size_t n = 0;
        while (n < a->data_len && n < 48 && a->data[n] >= 0x20 && a->data[n] < 0x7f) {
            n++;
        }
        zfmt_snprintf(out, cap, "%zu bytes \"%.*s%s\"", a->data_len, (int)n, (const char *)a->data,
                      n < a->data_len ? "..." : "");
        break;
    }
    }
}

/* Collects the entries with seq in [lo, hi) of a replay as log items. */
struct axsvc_window {
    struct wire_out *w;
    uint64_t lo, hi;
};

static void axsvc_collect(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct axsvc_window *win = arg;
    struct axiom_log_item it;

    if (e->seq < win->lo || e->seq >= win->hi) {
        return;
    }
    memset(&it, 0, sizeof(it));
    it.seq = e->seq;
    memcpy(it.hash, hash, AX_HASH_LEN);
    it.kind = e->a.kind;
    it.rule = e->dec.rule;
    memcpy(it.proposer, e->a.proposer, sizeof(it.proposer));
    axiom_describe(e, it.subject, sizeof(it.subject));
    axiom_log_item_put(win->w, &it);
}

/* Replays the durable log into a scratch state; fills res. */
static int axsvc_replay(struct axiom_svc *s, ax_entry_fn fn, void *arg, struct axiom_result *res)
{
    size_t pages = (sizeof(struct ax_state) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    struct ax_state *st = hal_page_alloc(pages);
    struct ax_replay r;
    uint64_t tail = 0;
    int err;

    if (st == NULL) {
        return ZERR_NOMEM;
    }
    ax_replay_init(&r, st, fn, arg);
    err = axiom_scan(s->dev, &s->ax.lay, &r, &tail);
    res->seq = st->applied;
    if (err != 0) {
        zfmt_snprintf(res->why, sizeof(res->why), "entry #%llu: %s", (unsigned long long)r.bad_seq,
                      r.why);
    } else if (st->applied != axiom_durable(&s->ax) ||
               memcmp(st->root, s->ax.st->root, AX_HASH_LEN) != 0) {
        zfmt_snprintf(res->why, sizeof(res->why), "%s",
                      "replayed state differs from the running state");
        err = ZERR_CORRUPT;
    } else {
        memcpy(res->hash, st->root, AX_HASH_LEN);
        res->checkpoints = r.checkpoints;
    }
    hal_page_free(st, pages);
    res->err = err;
    return err;
}

static int axsvc_log(struct axiom_svc *s, struct rt_msg *m)
{
    struct axiom_result res;
    struct wire_out w;
    uint32_t v[2];
    int err = axsvc_words(m, v, 2);

    uint64_t total = axiom_durable(&s->ax);
    if (err != 0 || v[0] == 0 || v[0] > AXIOM_LOG_MAX || v[1] > total) {
        return err != 0 ? err : ZERR_RANGE;
    }
    uint64_t hi = total > v[1] ? total - v[1] : 0;
    uint64_t lo = hi > v[0] ? hi - v[0] : 0;
    if (4u + (hi - lo) * AXIOM_LOG_ITEM_LEN > m->out_cap) {
        return ZERR_RANGE;
    }
    struct axsvc_window win = {&w, lo, hi};
    wire_out_init(&w, m->out, m->out_cap);
    wire_u32(&w, (uint32_t)(hi - lo));
    memset(&res, 0, sizeof(res));
    err = axsvc_replay(s, axsvc_collect, &win, &res);
    if (err != 0) {
        m->out_len = 0;
        return err;
    }
    return wire_out_end(&w, &m->out_len);
}

/* RECEIPT: the receipt of entry seq (in: u64), read back from the disk (a
 * replay); the reply is the receipt's bytes, a refusal only its code. */
static int axsvc_receipt(struct axiom_svc *s, struct rt_msg *m)
{
    char why[160];
    struct wire_in r;

    wire_in_init(&r, m->in, m->in_len);
    uint64_t seq = wire_get_u64(&r);
    if (wire_in_end(&r) != 0 || m->out == NULL) {
        return ZERR_INVAL;
    }
    return ax_receipt_build(s->dev, seq, m->out, m->out_cap, &m->out_len, why, sizeof(why));
}

/* True when a caller with only the net.accept badge may send m: a net.accept record, or COMMIT. */
static bool axsvc_net_accept_only(const struct rt_msg *m)
{
    struct ax_action a;
    if (m->op == AXIOM_OP_COMMIT) {
        return true;
    }
    return (m->op == AXIOM_OP_SUBMIT || m->op == AXIOM_OP_PROPOSE) &&
           axiom_action_decode(m->in, m->in_len, &a) == 0 && a.kind == AX_NET_ACCEPT;
}

/* True when a caller with only the signed badge may send m: a proposal signed outside, or COMMIT.
 */
static bool axsvc_signed_only(const struct rt_msg *m)
{
    struct ax_action a;
    if (m->op == AXIOM_OP_COMMIT) {
        return true;
    }
    return (m->op == AXIOM_OP_SUBMIT || m->op == AXIOM_OP_PROPOSE) &&
           axiom_action_decode(m->in, m->in_len, &a) == 0 && a.has_sig;
}

int axiom_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct axiom_svc *s = self;

    if ((badge & (AXIOM_BADGE_PROPOSE | AXIOM_BADGE_SIGNED)) == AXIOM_BADGE_SIGNED &&
        axsvc_signed_only(m)) {
        badge |= AXIOM_BADGE_PROPOSE;
    }
    if ((badge & (AXIOM_BADGE_PROPOSE | AXIOM_BADGE_NET_ACCEPT)) == AXIOM_BADGE_NET_ACCEPT &&
        axsvc_net_accept_only(m)) {
        badge |= AXIOM_BADGE_PROPOSE;
    }
    if (m->op == AXIOM_OP_SUBMIT) {
        return (badge & AXIOM_BADGE_PROPOSE) != 0 ? axsvc_submit(s, badge, m) : ZERR_PERM;
    }
    if (m->op == AXIOM_OP_PROPOSE || m->op == AXIOM_OP_COMMIT) {
        if ((badge & AXIOM_BADGE_PROPOSE) == 0) {
            return ZERR_PERM;
        }
        return m->op == AXIOM_OP_PROPOSE ? axsvc_propose(s, badge, m) : axiom_commit(&s->ax);
    }
    if (m->op == AXIOM_OP_BIND) {
        return axsvc_bind(s, badge, m);
    }
    if ((badge & AXIOM_BADGE_READ) == 0) {
        return ZERR_PERM;
    }
    switch (m->op) {
    case AXIOM_OP_HEAD:
        return axsvc_head(s, m);
    case AXIOM_OP_VERIFY: {
        struct axiom_result res;
        if (m->in_len != 0) {
            return ZERR_INVAL;
        }
        memset(&res, 0, sizeof(res));
        int err = axsvc_replay(s, NULL, NULL, &res);
        return axsvc_reply_result(m, &res, err);
    }
    case AXIOM_OP_LOG:
        return axsvc_log(s, m);
    case AXIOM_OP_PRINCIPAL:
        return axsvc_principal(s, m);
    case AXIOM_OP_PRINCIPALS:
        return axsvc_page(s, m, false);
    case AXIOM_OP_RULES:
        return axsvc_page(s, m, true);
    case AXIOM_OP_CHECK:
        return axsvc_check(s, m);
    case AXIOM_OP_DECIDE:
        return axsvc_decide(s, badge, m);
    case AXIOM_OP_RECEIPT:
        return axsvc_receipt(s, m);
    case AXIOM_OP_FS_STAT:
        return axiom_fs_stat_reply(s->ax.st, m);
    case AXIOM_OP_FS_LIST:
        return axiom_fs_list_reply(s->ax.st, m);
    default:
        return ZERR_UNSUPPORTED;
    }
}
