/*
 * Calls to the Axiom service as a client makes them: encode the request,
 * rt_call through the client's capability, decode the reply.  The same
 * bytes whether the Axiom runs in this process (hosted, wasm) or in its
 * own (x86_64).
 */
#include "services/axiom/service.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "svcrt/wire.h"

#define AXIOM_QUERY_BUF 8192u /* a reply to a query: about 60 principals or 30 rules */

/* Calls op with in and decodes a struct axiom_result reply into res. */
static int axiom_call_result(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op,
                             const void *in, size_t in_len, struct axiom_result *res)
{
    uint8_t out[AXIOM_RESULT_LEN];
    struct rt_msg m = {op, in, in_len, out, sizeof(out), 0};
    int err = rt_call(rt, caller, h, &m);

    memset(res, 0, sizeof(*res));
    if (m.out_len != 0 && axiom_result_decode(out, m.out_len, res) != 0) {
        memset(res, 0, sizeof(*res));
        zfmt_snprintf(res->why, sizeof(res->why), "%s", "malformed reply from the Axiom");
        return err != 0 ? err : ZERR_CORRUPT;
    }
    res->err = err;
    return err;
}

static int axiom_send_action(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op,
                             const struct ax_action *a, struct axiom_result *res)
{
    static uint8_t in[AXIOM_ACTION_MAX]; /* calls go downward: never two at once */
    size_t len;
    int err = axiom_action_encode(a, in, sizeof(in), &len);

    if (err != 0) {
        memset(res, 0, sizeof(*res));
        res->err = err;
        zfmt_snprintf(res->why, sizeof(res->why), "%s", "the proposal does not fit a message");
        return err;
    }
    return axiom_call_result(rt, caller, h, op, in, len, res);
}

int axiom_submit(struct rt *rt, uint32_t caller, uint32_t h, const struct ax_action *a,
                 struct axiom_result *res)
{
    return axiom_send_action(rt, caller, h, AXIOM_OP_SUBMIT, a, res);
}

int axiom_decide(struct rt *rt, uint32_t caller, uint32_t h, const struct ax_action *a,
                 struct axiom_result *res)
{
    return axiom_send_action(rt, caller, h, AXIOM_OP_DECIDE, a, res);
}

int axiom_verify(struct rt *rt, uint32_t caller, uint32_t h, struct axiom_result *res)
{
    return axiom_call_result(rt, caller, h, AXIOM_OP_VERIFY, NULL, 0, res);
}

int axiom_get_head(struct rt *rt, uint32_t caller, uint32_t h, struct axiom_head *out)
{
    uint8_t buf[AXIOM_HEAD_LEN];
    struct rt_msg m = {AXIOM_OP_HEAD, NULL, 0, buf, sizeof(buf), 0};
    int err = rt_call(rt, caller, h, &m);

    return err != 0 ? err : axiom_head_decode(buf, m.out_len, out);
}

int axiom_get_principal(struct rt *rt, uint32_t caller, uint32_t h, const char *name,
                        struct id_principal *out)
{
    uint8_t in[AXIOM_NAME_FIELD], buf[AXIOM_PRINCIPAL_LEN];
    struct wire_out w;
    struct wire_in r;
    size_t len;

    wire_out_init(&w, in, sizeof(in));
    wire_str(&w, name, AXIOM_NAME_FIELD);
    int err = wire_out_end(&w, &len);
    struct rt_msg m = {AXIOM_OP_PRINCIPAL, in, len, buf, sizeof(buf), 0};
    err = err != 0 ? ZERR_INVAL : rt_call(rt, caller, h, &m);
    if (err != 0) {
        return err;
    }
    wire_in_init(&r, buf, m.out_len);
    axiom_principal_get(&r, out);
    return wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}

/* A paged query: in u32 first; out u32 total, u32 count, then count records. */
static int axiom_page(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, uint32_t first,
                      uint8_t *buf, size_t cap, struct wire_in *r, uint32_t *n, uint32_t *total)
{
    uint8_t in[4];
    struct wire_out w;
    size_t len;

    wire_out_init(&w, in, sizeof(in));
    wire_u32(&w, first);
    wire_out_end(&w, &len);
    struct rt_msg m = {op, in, len, buf, cap, 0};
    int err = rt_call(rt, caller, h, &m);
    if (err != 0) {
        return err;
    }
    wire_in_init(r, buf, m.out_len);
    *total = wire_get_u32(r);
    *n = wire_get_u32(r);
    return r->err != 0 ? ZERR_CORRUPT : 0;
}

int axiom_get_principals(struct rt *rt, uint32_t caller, uint32_t h, uint32_t first,
                         struct id_principal *out, uint32_t cap, uint32_t *n, uint32_t *total)
{
    static uint8_t buf[AXIOM_QUERY_BUF];
    struct wire_in r;
    size_t room = 8u + (size_t)cap * AXIOM_PRINCIPAL_LEN;
    int err = axiom_page(rt, caller, h, AXIOM_OP_PRINCIPALS, first, buf,
                         room < sizeof(buf) ? room : sizeof(buf), &r, n, total);

    for (uint32_t i = 0; err == 0 && i < *n && i < cap; i++) {
        axiom_principal_get(&r, &out[i]);
    }
    return err != 0 ? err : *n > cap || wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}

int axiom_get_rules(struct rt *rt, uint32_t caller, uint32_t h, uint32_t first,
                    struct axiom_rule *out, uint32_t cap, uint32_t *n, uint32_t *total)
{
    static uint8_t buf[AXIOM_QUERY_BUF];
    struct wire_in r;
    size_t room = 8u + (size_t)cap * AXIOM_RULE_LEN;
    int err = axiom_page(rt, caller, h, AXIOM_OP_RULES, first, buf,
                         room < sizeof(buf) ? room : sizeof(buf), &r, n, total);

    for (uint32_t i = 0; err == 0 && i < *n && i < cap; i++) {
        axiom_rule_get(&r, &out[i]);
    }
    return err != 0 ? err : *n > cap || wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}

int axiom_get_log(struct rt *rt, uint32_t caller, uint32_t h, uint32_t n, uint32_t skip,
                  struct axiom_log_item *out, uint32_t *got)
{
    static uint8_t buf[AXIOM_QUERY_BUF];
    uint8_t in[8];
    struct wire_out w;
    struct wire_in r;
    size_t len;

    *got = 0;
    if ((size_t)n * AXIOM_LOG_ITEM_LEN + 4u > sizeof(buf)) {
        return ZERR_RANGE;
    }
    wire_out_init(&w, in, sizeof(in));
    wire_u32(&w, n);
    wire_u32(&w, skip);
    wire_out_end(&w, &len);
    struct rt_msg m = {AXIOM_OP_LOG, in, len, buf, sizeof(buf), 0};
    int err = rt_call(rt, caller, h, &m);
    if (err != 0) {
        return err;
    }
    wire_in_init(&r, buf, m.out_len);
    uint32_t count = wire_get_u32(&r);
    if (count > n) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < count; i++) {
        axiom_log_item_get(&r, &out[i]);
    }
    *got = count;
    return wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}

int axiom_check(struct rt *rt, uint32_t caller, uint32_t h, const struct axiom_check *c,
                struct axiom_decision *out)
{
    uint8_t in[AXIOM_CHECK_LEN], buf[AXIOM_DECISION_LEN];
    size_t len;
    int err = axiom_check_encode(c, in, sizeof(in), &len);
    struct rt_msg m = {AXIOM_OP_CHECK, in, len, buf, sizeof(buf), 0};

    err = err != 0 ? ZERR_INVAL : rt_call(rt, caller, h, &m);
    memset(out, 0, sizeof(*out));
    if (m.out_len != 0 && axiom_decision_decode(buf, m.out_len, out) != 0) {
        return err != 0 ? err : ZERR_CORRUPT;
    }
    return err;
}

int axiom_propose_held(struct rt *rt, uint32_t caller, uint32_t h, const struct ax_action *a,
                       struct axiom_result *res)
{
    return axiom_send_action(rt, caller, h, AXIOM_OP_PROPOSE, a, res);
}

int axiom_commit_held(struct rt *rt, uint32_t caller, uint32_t h)
{
    struct rt_msg m = {AXIOM_OP_COMMIT, NULL, 0, NULL, 0, 0};
    return rt_call(rt, caller, h, &m);
}
