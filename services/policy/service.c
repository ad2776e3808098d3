/*
 * The Policy service: parses and normalises rule changes and submits them
 * to the Axiom, and answers "would P be allowed A on R now?".  It decides
 * nothing itself: every decision is the pure policy_eval the Axiom's
 * decide step calls against the state the entry applies to
 * (docs/services.md, "Where policy is evaluated").
 */
#include "services/policy/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "svcrt/wire.h"

int polsvc_req_encode(const struct polsvc_req *rq, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_str(&w, rq->proposer, AXIOM_NAME_FIELD);
    wire_u8(&w, rq->effect);
    wire_u32(&w, rq->rule_id);
    wire_str(&w, rq->text, AXIOM_RULE_FIELD);
    return wire_out_end(&w, len);
}

int polsvc_req_decode(const void *buf, size_t len, struct polsvc_req *rq)
{
    struct wire_in r;

    memset(rq, 0, sizeof(*rq));
    wire_in_init(&r, buf, len);
    wire_get_str(&r, rq->proposer, AXIOM_NAME_FIELD);
    rq->effect = wire_get_u8(&r);
    rq->rule_id = wire_get_u32(&r);
    wire_get_str(&r, rq->text, AXIOM_RULE_FIELD);
    return wire_in_end(&r);
}

int polsvc_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op,
                const struct polsvc_req *rq, struct axiom_result *res)
{
    uint8_t in[POLSVC_REQ_LEN], out[AXIOM_RESULT_LEN];
    size_t len;
    int err = polsvc_req_encode(rq, in, sizeof(in), &len);
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

int polsvc_check(struct rt *rt, uint32_t caller, uint32_t h, const struct axiom_check *c,
                 struct axiom_decision *out)
{
    uint8_t in[AXIOM_CHECK_LEN], buf[AXIOM_DECISION_LEN];
    size_t len;
    int err = axiom_check_encode(c, in, sizeof(in), &len);
    struct rt_msg m = {POLSVC_OP_CHECK, in, len, buf, sizeof(buf), 0};

    err = err != 0 ? ZERR_INVAL : rt_call(rt, caller, h, &m);
    memset(out, 0, sizeof(*out));
    if (m.out_len != 0 && axiom_decision_decode(buf, m.out_len, out) != 0) {
        return err != 0 ? err : ZERR_CORRUPT;
    }
    return err;
}

/* Encodes res as the reply; the result stays err. */
static int polsvc_reply(struct rt_msg *m, const struct axiom_result *res, int err)
{
    int e = axiom_result_encode(res, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

/* True if s is one policy word: printable, no blank, not empty. */
static bool polsvc_word(const char *s)
{
    if (s[0] == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (*s <= ' ' || *s >= 0x7f) {
            return false;
        }
    }
    return true;
}

/* CHECK: normalises the question, then asks the Axiom, which holds the state. */
static int polsvc_do_check(struct polsvc *s, struct rt_msg *m)
{
    struct axiom_check c;
    struct axiom_decision d;

    int err = axiom_check_decode(m->in, m->in_len, &c);
    if (err != 0) {
        return err;
    }
    memset(&d, 0, sizeof(d));
    if (!id_name_valid(c.proposer, strlen(c.proposer)) || !polsvc_word(c.action) ||
        !polsvc_word(c.resource)) {
        zfmt_snprintf(d.why, sizeof(d.why), "%s",
                      "a check is PRINCIPAL ACTION RESOURCE, one word each");
        err = ZERR_INVAL;
    } else {
        err = axiom_check(s->rt, s->self, s->h_axiom, &c, &d);
    }
    int e = axiom_decision_encode(&d, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e;
}

int polsvc_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct polsvc *s = self;
    struct polsvc_req rq;
    struct axiom_result res;
    struct ax_action a;
    struct policy_rule rule;
    char err_text[96];

    (void)badge; /* the Axiom's current policy decides who may change policy */
    if (m->op == POLSVC_OP_CHECK) {
        return polsvc_do_check(s, m);
    }
    if (m->op != POLSVC_OP_ADD && m->op != POLSVC_OP_REMOVE) {
        return ZERR_UNSUPPORTED;
    }
    if (m->out_cap < AXIOM_RESULT_LEN) {
        return ZERR_RANGE;
    }
    memset(&res, 0, sizeof(res));
    int err = polsvc_req_decode(m->in, m->in_len, &rq);
    if (err != 0) {
        res.err = err;
        zfmt_snprintf(res.why, sizeof(res.why), "%s", "malformed policy request");
        return polsvc_reply(m, &res, err);
    }
    memset(&a, 0, sizeof(a));
    memcpy(a.proposer, rq.proposer, sizeof(a.proposer));
    if (m->op == POLSVC_OP_ADD) {
        err = policy_parse(rq.text, strlen(rq.text), rq.effect, &rule, err_text, sizeof(err_text));
        if (err != 0) {
            res.err = err;
            zfmt_snprintf(res.why, sizeof(res.why), "bad rule: %s", err_text);
            return polsvc_reply(m, &res, err);
        }
        a.kind = AX_POLICY_ADD;
        a.effect = rule.effect;
        memcpy(a.rule, rule.text, sizeof(a.rule));
    } else {
        a.kind = AX_POLICY_REMOVE;
        a.rule_id = rq.rule_id;
    }
    err = axiom_submit(s->rt, s->self, s->h_axiom, &a, &res);
    return polsvc_reply(m, &res, err);
}
