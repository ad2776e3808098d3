/* init's way to the Axiom (see record.h). */
#include "services/init/x86_64/record.h"

#include "base/errors.h"
#include "base/string.h"
#include "services/axiom/service.h"
#include "zero/zero.h"

static struct axiom_head rec_head; /* the node's name, once the Axiom answered */

void init_rec_init(struct init_rec *r, uint64_t ep)
{
    memset(r, 0, sizeof(*r));
    r->ep = ep;
    r->self = -1;
    r->h = -1;
}

static int rec_none(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self;
    (void)badge;
    (void)m;
    return ZERR_UNSUPPORTED; /* nobody calls init through its runtime */
}

void init_rec_set_ep(struct init_rec *r, uint64_t ep)
{
    if (r->ep != ZERO_CAP_NONE) {
        zsys3(SYS_CAP_DELETE, r->ep, 0, 0);
    }
    for (uint32_t i = 0; r->open && i < RTX_PAGES; i++) {
        zsys3(SYS_CAP_DELETE, r->chan.frame[i], 0, 0); /* which unmaps it */
    }
    r->ep = ep;
    r->open = false; /* opened again, with new frames, at the next use */
}

/* Opens the channel and reads the node's name; 0 or ZERR_*. */
static int rec_open(struct init_rec *r)
{
    if (r->open) {
        return 0;
    }
    if (r->ep == ZERO_CAP_NONE) {
        return ZERR_BADCAP;
    }
    rt_init(&r->rt);
    int err = rtx_open(&r->chan, r->ep, REC_VA);
    r->px = (struct rtx_proxy){&r->chan, r->ep};
    int ax = err != 0 ? err : rt_register(&r->rt, "axiom", &r->px, rtx_forward);
    r->self = ax < 0 ? ax : rt_register(&r->rt, "init", NULL, rec_none);
    r->h = r->self < 0 ? r->self
                       : rt_grant(&r->rt, (uint32_t)ax, (uint32_t)r->self, CAP_RIGHT_WRITE,
                                  AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ);
    err = r->h < 0 ? r->h : axiom_get_head(&r->rt, (uint32_t)r->self, (uint32_t)r->h, &rec_head);
    r->open = err == 0;
    if (err != 0) {
        zprintf("init: no channel to the Axiom: %s\n", zerr_name(err));
    }
    return err;
}

void init_rec_put(struct init_rec *r, const struct ax_action *a)
{
    if (r->n == REC_PENDING) {
        zprintf("init: %s %s not recorded: %u entries wait already\n", ax_kind_name(a->kind),
                a->name, (unsigned)REC_PENDING);
        return;
    }
    r->q[r->n++] = *a;
}

/* Submits a as the node; the result. */
static int rec_submit(struct init_rec *r, struct ax_action *a, struct axiom_result *res)
{
    memcpy(a->proposer, rec_head.node, sizeof(a->proposer));
    memset(res, 0, sizeof(*res));
    return axiom_submit(&r->rt, (uint32_t)r->self, (uint32_t)r->h, a, res);
}

/* Commits a; a service held in an earlier run is released first (this run started it). */
static int rec_commit(struct init_rec *r, struct ax_action *a)
{
    struct axiom_result res;
    int err = rec_submit(r, a, &res);
    bool gone = err == ZERR_NOENT || err == ZERR_BADCAP || err == ZERR_AGAIN;
    if (err != 0 && !gone && a->kind == AX_SVC_START) { /* held in the log: release it */
        struct ax_action rel;
        memset(&rel, 0, sizeof(rel));
        rel.kind = AX_SVC_RESTART;
        memcpy(rel.name, a->name, sizeof(rel.name));
        err = rec_submit(r, &rel, &res);
        err = err != 0 ? err : rec_submit(r, a, &res);
    }
    if (err == ZERR_BADCAP || err == ZERR_AGAIN || (gone && err == ZERR_NOENT)) {
        return err; /* the Axiom went away meanwhile: kept for its return */
    }
    if (err != 0) {
        zprintf("init: %s %s not recorded: %s\n", ax_kind_name(a->kind), a->name,
                res.why[0] != '\0' ? res.why : zerr_name(err));
    } else {
        zprintf("init: %s %s recorded #%llu\n", ax_kind_name(a->kind), a->name,
                (unsigned long long)res.seq);
    }
    return 0;
}

void init_rec_flush(struct init_rec *r, bool up)
{
    uint32_t done = 0;
    if (!up || r->n == 0 || rec_open(r) != 0) {
        return;
    }
    while (done < r->n && rec_commit(r, &r->q[done]) == 0) {
        done++;
    }
    memmove(r->q, r->q + done, sizeof(r->q[0]) * (r->n - done));
    r->n -= done;
}

int init_rec_keys_back(struct init_rec *r)
{
    struct rt_msg m = {REC_OP_KEYS_BACK, NULL, 0, NULL, 0, 0};
    int err = rec_open(r);
    return err != 0 ? err : rt_call(&r->rt, (uint32_t)r->self, (uint32_t)r->h, &m);
}

void init_rec_probe(struct init_rec *r)
{
    struct ax_action a;
    struct axiom_result res;
    struct axiom_head before, after;
    static const char other[] = "probe";

    if (rec_open(r) != 0) {
        return;
    }
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    memcpy(a.proposer, other, sizeof(other));
    a.data = (const uint8_t *)"as another";
    a.data_len = 10;
    memset(&res, 0, sizeof(res));
    int e0 = axiom_get_head(&r->rt, (uint32_t)r->self, (uint32_t)r->h, &before);
    int err = axiom_submit(&r->rt, (uint32_t)r->self, (uint32_t)r->h, &a, &res);
    int e1 = axiom_get_head(&r->rt, (uint32_t)r->self, (uint32_t)r->h, &after);
    zprintf("init: test: a note as %s through the node's capability: %s (%s); entries %llu "
            "before, %llu after%s\n",
            other, err == 0 ? "committed" : zerr_name(err), res.why,
            (unsigned long long)before.entries, (unsigned long long)after.entries,
            e0 != 0 || e1 != 0 ? " (no head)" : "");
}
