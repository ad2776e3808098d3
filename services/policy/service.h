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

enum polsvc_op {
    POLSVC_OP_ADD = 1,    /* in: struct polsvc_req (effect, text) */
    POLSVC_OP_REMOVE = 2, /* in: struct polsvc_req (rule_id) */
};

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

#endif
