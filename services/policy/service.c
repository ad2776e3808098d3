#include "services/policy/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"

int polsvc_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct polsvc *s = self;
    const struct polsvc_req *rq = m->in;
    struct axiom_result *res = m->out;
    struct ax_action a;
    struct policy_rule rule;
    char err_text[96];

    (void)badge; /* the Axiom's current policy decides who may change policy */
    if (rq == NULL || m->in_len != sizeof(*rq) || res == NULL || m->out_cap < sizeof(*res)) {
        return ZERR_INVAL;
    }
    memset(res, 0, sizeof(*res));
    m->out_len = sizeof(*res);
    memset(&a, 0, sizeof(a));
    memcpy(a.proposer, rq->proposer, sizeof(a.proposer));
    if (m->op == POLSVC_OP_ADD) {
        size_t n = strnlen(rq->text, sizeof(rq->text));
        int err = policy_parse(rq->text, n, rq->effect, &rule, err_text, sizeof(err_text));
        if (err != 0) {
            res->err = err;
            zfmt_snprintf(res->why, sizeof(res->why), "bad rule: %s", err_text);
            return err;
        }
        a.kind = AX_POLICY_ADD;
        a.effect = rule.effect;
        memcpy(a.rule, rule.text, sizeof(a.rule));
    } else if (m->op == POLSVC_OP_REMOVE) {
        a.kind = AX_POLICY_REMOVE;
        a.rule_id = rq->rule_id;
    } else {
        return ZERR_UNSUPPORTED;
    }
    struct rt_msg sub = {AXIOM_OP_SUBMIT, {0}, &a, sizeof(a), res, sizeof(*res), 0};
    return rt_call(s->rt, s->self, s->h_axiom, &sub);
}
