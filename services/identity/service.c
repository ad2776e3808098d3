#include "services/identity/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/keys/keys.h"
#include "svcrt/wire.h"

int idsvc_req_encode(const struct idsvc_req *rq, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_str(&w, rq->proposer, AXIOM_NAME_FIELD);
    wire_str(&w, rq->name, AXIOM_NAME_FIELD);
    wire_u8(&w, rq->kind);
    wire_u8(&w, rq->external ? 1 : 0);
    wire_bytes(&w, rq->pub, ID_PUB_LEN);
    return wire_out_end(&w, len);
}

int idsvc_req_decode(const void *buf, size_t len, struct idsvc_req *rq)
{
    struct wire_in r;

    memset(rq, 0, sizeof(*rq));
    wire_in_init(&r, buf, len);
    wire_get_str(&r, rq->proposer, AXIOM_NAME_FIELD);
    wire_get_str(&r, rq->name, AXIOM_NAME_FIELD);
    rq->kind = wire_get_u8(&r);
    rq->external = wire_get_bool(&r);
    wire_get_bytes(&r, rq->pub, ID_PUB_LEN);
    return wire_in_end(&r);
}

int idsvc_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, const struct idsvc_req *rq,
               struct axiom_result *res)
{
    uint8_t in[IDSVC_REQ_LEN], out[AXIOM_RESULT_LEN];
    size_t len;
    int err = idsvc_req_encode(rq, in, sizeof(in), &len);
    struct rt_msg m = {op, in, len, out, sizeof(out), 0};

    memset(res, 0, sizeof(*res));
    err = err != 0 ? ZERR_INVAL : rt_call(rt, caller, h, &m);
    if (m.out_len != 0 && axiom_result_decode(out, m.out_len, res) != 0) {
        memset(res, 0, sizeof(*res));
        return err != 0 ? err : ZERR_CORRUPT;
    }
    res->err = err;
    return err;
}

static int idsvc_public(struct idsvc *s, const char *name, uint32_t gen, uint8_t pub[ID_PUB_LEN])
{
    uint8_t in[4 + KEYS_NAME_FIELD];
    size_t len;
    int err = keys_req_encode(KEYS_OP_PUBLIC, name, gen, NULL, 0, in, sizeof(in), &len);
    struct rt_msg m = {KEYS_OP_PUBLIC, in, len, pub, ID_PUB_LEN, 0};

    err = err != 0 ? err : rt_call(s->rt, s->self, s->h_keys, &m);
    return err == 0 && m.out_len != ID_PUB_LEN ? ZERR_CORRUPT : err;
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
    uint32_t gen = 0;

    memset(a, 0, sizeof(*a));
    if (!id_name_valid(rq->name, strnlen(rq->name, sizeof(rq->name)))) {
        return idsvc_fail(res, ZERR_INVAL, "invalid name (use [a-z0-9][a-z0-9._-], at most 32)");
    }
    memcpy(a->proposer, rq->proposer, sizeof(a->proposer));
    memcpy(a->name, rq->name, sizeof(a->name));
    if (op == IDSVC_OP_REVOKE) {
        a->kind = AX_ID_REVOKE;
        return 0;
    }
    if (op == IDSVC_OP_ROTATE) {
        struct id_principal p;
        int err = axiom_get_principal(s->rt, s->self, s->h_axiom, rq->name, &p);
        if (err != 0) {
            return idsvc_fail(res, err == ZERR_NOENT ? ZERR_NOENT : err,
                              err == ZERR_NOENT ? "no such principal"
                                                : "the Axiom is not reachable");
        }
        gen = p.key_gen + 1;
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

/* Encodes res as the reply; the result stays err. */
static int idsvc_reply(struct rt_msg *m, const struct axiom_result *res, int err)
{
    int e = axiom_result_encode(res, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

int idsvc_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct idsvc *s = self;
    struct idsvc_req rq;
    struct axiom_result res;
    struct ax_action a;

    (void)badge; /* any holder may ask; the Axiom's policy decides */
    if (m->op < IDSVC_OP_CREATE || m->op > IDSVC_OP_REVOKE) {
        return ZERR_UNSUPPORTED;
    }
    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    memset(&res, 0, sizeof(res));
    int err = idsvc_req_decode(m->in, m->in_len, &rq);
    if (err != 0) {
        return idsvc_reply(m, &res, idsvc_fail(&res, err, "malformed identity request"));
    }
    err = idsvc_build(s, m->op, &rq, &a, &res);
    if (err == 0) {
        err = axiom_submit(s->rt, s->self, s->h_axiom, &a, &res);
        if (err != 0 && res.why[0] == '\0') {
            idsvc_fail(&res, err, zerr_text(err));
        }
    }
    return idsvc_reply(m, &res, err);
}
