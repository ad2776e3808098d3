/*
 * The Policy Engine as a service: checks and normalises rule changes and
 * submits them to the Axiom, whose current policy must allow them.
 * Replies are struct axiom_result.
 */
#ifndef ZERO_SERVICES_POLICY_SERVICE_H
#define ZERO_SERVICES_POLICY_SERVICE_H

#include "services/axiom/service.h"
#include "services/policy/policy.h"
#include "svcrt/runtime.h"

/*
 * ADD and REMOVE: in str[33] proposer, u8 effect, u32 rule_id, str[256]
 * text (POLSVC_REQ_LEN bytes); out: an Axiom result.  CHECK: in and out
 * as AXIOM_OP_CHECK ("would P be allowed A on R now?").
 */
enum polsvc_op {
    POLSVC_OP_ADD = 1,    /* effect, text used */
    POLSVC_OP_REMOVE = 2, /* rule_id used */
    POLSVC_OP_CHECK = 3,
};

#define POLSVC_REQ_LEN 294u

struct polsvc_req {
    char proposer[ID_NAME_MAX + 1];
    uint8_t effect;
    uint32_t rule_id;
    char text[POLICY_TEXT_MAX + 1];
};

struct polsvc {
    struct rt *rt;
    uint32_t self;
    uint32_t h_axiom;
};

int polsvc_handle(void *self, uint64_t badge, struct rt_msg *m);

int polsvc_req_encode(const struct polsvc_req *rq, void *buf, size_t cap, size_t *len);
int polsvc_req_decode(const void *buf, size_t len, struct polsvc_req *rq);

/* A client's ADD or REMOVE through handle h of caller; res gets the outcome. */
int polsvc_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op,
                const struct polsvc_req *rq, struct axiom_result *res);

/* A client's CHECK; out gets the decision and a reason. */
int polsvc_check(struct rt *rt, uint32_t caller, uint32_t h, const struct axiom_check *c,
                 struct axiom_decision *out);

#endif
