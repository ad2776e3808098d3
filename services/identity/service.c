#include "services/identity/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/keys/keys.h"

static int idsvc_public(struct idsvc *s, const char *name, uint32_t gen, uint8_t pub[ID_PUB_LEN])
{
    struct keys_req kr = {name, gen, NULL, 0};
    struct rt_msg m = {KEYS_OP_PUBLIC, {0}, &kr, sizeof(kr), pub, ID_PUB_LEN, 0};

    return rt_call(s->rt, s->self, s->h_keys, &m);
}

static const struct ax_state *idsvc_state(struct idsvc *s)
{
    const struct ax_state *st = NULL;
    struct rt_msg m = {AXIOM_OP_STATE, {0}, NULL, 0, &st, sizeof(const struct ax_state *), 0};

    return rt_call(s->rt, s->self, s->h_axiom, &m) == 0 ? st : NULL;
}

static int idsvc_fail(struct axiom_result *res, int err, const char *what)
{
    res->err = err;
    zfmt_snprintf(res->why, sizeof(res->why), "%s", what);
    return err;
}

/* Builds the proposal for rq into a; res gets the reason if that fails. */
static int idsvc_build(struct idsvc *s, uint32_t op, const struct idsvc_req *rq,
                       struct ax_action *a, struct axiom_result *res)
{
    const struct ax_state *st = idsvc_state(s);
    uint32_t gen = 0;

    memset(a, 0, sizeof(*a));
    if (st == NULL || !id_name_valid(rq->name, strnlen(rq->name, sizeof(rq->name)))) {
        return idsvc_fail(res, ZERR_INVAL, "invalid name (use [a-z0-9][a-z0-9._-], at most 32)");
    }
    memcpy(a->proposer, rq->proposer, sizeof(a->proposer));
    memcpy(a->name, rq->name, sizeof(a->name));
    if (op == IDSVC_OP_REVOKE) {
        a->kind = AX_ID_REVOKE;
        return 0;
    }
    if (op == IDSVC_OP_ROTATE) {
        const struct id_principal *p = id_find(&st->ids, rq->name);
        if (p == NULL) {
            return idsvc_fail(res, ZERR_NOENT, "no such principal");
        }
        gen = p->key_gen + 1;
        a->kind = AX_ID_ROTATE;
    } else {
        a->kind = AX_ID_CREATE;
        a->id_kind = rq->kind;
    }
    if (rq->external) {
        a->external = true;
        memcpy(a->pub, rq->pub, ID_PUB_LEN);
        return 0;
    }
    int err = idsvc_public(s, rq->name, gen, a->pub);
    return err != 0 ? idsvc_fail(res, err, "the key service refused") : 0;
}

int idsvc_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct idsvc *s = self;
    const struct idsvc_req *rq = m->in;
    struct axiom_result *res = m->out;
    struct ax_action a;
    int err;

    (void)badge; /* any holder may ask; the Axiom's policy decides */
    if (rq == NULL || m->in_len != sizeof(*rq) || res == NULL || m->out_cap < sizeof(*res) ||
        m->op < IDSVC_OP_CREATE || m->op > IDSVC_OP_REVOKE) {
        return ZERR_INVAL;
    }
    memset(res, 0, sizeof(*res));
    m->out_len = sizeof(*res);
    err = idsvc_build(s, m->op, rq, &a, res);
    if (err != 0) {
        return err;
    }
    struct rt_msg sub = {AXIOM_OP_SUBMIT, {0}, &a, sizeof(a), res, sizeof(*res), 0};
    err = rt_call(s->rt, s->self, s->h_axiom, &sub);
    if (err != 0 && res->err == 0) {
        idsvc_fail(res, err, zerr_text(err));
    }
    return err;
}
