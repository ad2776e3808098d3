/* The Axiom's message handler: submit (propose + durable commit) and reads. */
#include "services/axiom/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/net.h"

static int axsvc_submit(struct axiom_svc *s, struct rt_msg *m)
{
    const struct ax_action *a = m->in;
    struct axiom_result *res = m->out;
    int err;

    if (a == NULL || m->in_len != sizeof(*a) || res == NULL || m->out_cap < sizeof(*res)) {
        return ZERR_INVAL;
    }
    memset(res, 0, sizeof(*res));
    m->out_len = sizeof(*res);
    err = axiom_propose(&s->ax, a, &res->dec, &res->seq, res->hash, res->why, sizeof(res->why));
    if (err == 0) {
        err = axiom_commit(&s->ax);
        if (err != 0) {
            zfmt_snprintf(res->why, sizeof(res->why), "durable write failed: %s", zerr_text(err));
        }
    }
    res->err = err;
    return err;
}

static int axsvc_head(struct axiom_svc *s, struct rt_msg *m)
{
    struct axiom_head *h = m->out;

    if (h == NULL || m->out_cap < sizeof(*h)) {
        return ZERR_INVAL;
    }
    h->entries = axiom_durable(&s->ax);
    memcpy(h->head, s->ax.head, AX_HASH_LEN);
    memcpy(h->state_root, s->ax.st->root, AX_HASH_LEN);
    ax_merkle_root(&s->ax.tree, h->tree_root);
    m->out_len = sizeof(*h);
    return 0;
}

void axiom_describe(const struct ax_entry *e, char *out, size_t cap)
{
    const struct ax_action *a = &e->a;

    switch (a->kind) {
    case AX_GENESIS:
    case AX_ID_CREATE:
        zfmt_snprintf(out, cap, "%s (%s)", a->name, id_kind_name(a->id_kind));
        break;
    case AX_ID_ROTATE:
    case AX_ID_REVOKE:
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

/* Keeps the latest n entries of a replay in a ring. */
struct axsvc_ring {
    struct axiom_log_item *items;
    uint64_t n, seen;
};

static void axsvc_collect(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct axsvc_ring *ring = arg;
    struct axiom_log_item *it = &ring->items[ring->seen % ring->n];

    memset(it, 0, sizeof(*it));
    it->seq = e->seq;
    memcpy(it->hash, hash, AX_HASH_LEN);
    it->kind = e->a.kind;
    it->rule = e->dec.rule;
    memcpy(it->proposer, e->a.proposer, sizeof(it->proposer));
    axiom_describe(e, it->subject, sizeof(it->subject));
    ring->seen++;
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
    struct axsvc_ring ring = {m->out, m->w[0], 0};
    struct axiom_result res;
    uint64_t cap = m->out_cap / sizeof(struct axiom_log_item);

    if (m->out == NULL || ring.n == 0 || ring.n > cap) {
        return ZERR_INVAL;
    }
    memset(&res, 0, sizeof(res));
    int err = axsvc_replay(s, axsvc_collect, &ring, &res);
    if (err != 0) {
        return err;
    }
    /* Rotate the ring so items come out oldest first. */
    uint64_t count = ring.seen < ring.n ? ring.seen : ring.n;
    uint64_t start = ring.seen < ring.n ? 0 : ring.seen % ring.n;
    for (uint64_t r = 0; r < start; r++) {
        struct axiom_log_item first = ring.items[0];
        memmove(&ring.items[0], &ring.items[1], (size_t)(ring.n - 1) * sizeof(first));
        ring.items[ring.n - 1] = first;
    }
    m->out_len = (size_t)count * sizeof(struct axiom_log_item);
    return 0;
}

int axiom_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct axiom_svc *s = self;

    if (m->op == AXIOM_OP_SUBMIT) {
        return (badge & AXIOM_BADGE_PROPOSE) != 0 ? axsvc_submit(s, m) : ZERR_PERM;
    }
    if ((badge & AXIOM_BADGE_READ) == 0) {
        return ZERR_PERM;
    }
    switch (m->op) {
    case AXIOM_OP_STATE:
        if (m->out == NULL || m->out_cap < sizeof(const struct ax_state *)) {
            return ZERR_INVAL;
        }
        *(const struct ax_state **)m->out = s->ax.st;
        m->out_len = sizeof(const struct ax_state *);
        return 0;
    case AXIOM_OP_HEAD:
        return axsvc_head(s, m);
    case AXIOM_OP_VERIFY:
        if (m->out == NULL || m->out_cap < sizeof(struct axiom_result)) {
            return ZERR_INVAL;
        }
        memset(m->out, 0, sizeof(struct axiom_result));
        m->out_len = sizeof(struct axiom_result);
        return axsvc_replay(s, NULL, NULL, m->out);
    case AXIOM_OP_LOG:
        return axsvc_log(s, m);
    default:
        return ZERR_UNSUPPORTED;
    }
}
