/*
 * The identity service: turns "create / rotate / revoke principal" requests
 * into Axiom proposals, with public keys from the key service.  Messages
 * go through the service runtime; replies are struct axiom_result.
 */
#ifndef ZERO_SERVICES_IDENTITY_SERVICE_H
#define ZERO_SERVICES_IDENTITY_SERVICE_H

#include "services/axiom/service.h"
#include "services/identity/identity.h"
#include "svcrt/runtime.h"

enum idsvc_op {
    IDSVC_OP_CREATE = 1, /* in: struct idsvc_req (kind used) */
    IDSVC_OP_ROTATE = 2,
    IDSVC_OP_REVOKE = 3,
};

struct idsvc_req {
    char proposer[ID_NAME_MAX + 1];
    char name[ID_NAME_MAX + 1];
    uint8_t kind;
    /* create, rotate: a key held outside the node (pub used) instead of
     * one the key service derives */
    bool external;
    uint8_t pub[ID_PUB_LEN];
};

struct idsvc {
    struct rt *rt;
    uint32_t self;    /* service id */
    uint32_t h_keys;  /* capability to the key service (public keys) */
    uint32_t h_axiom; /* capability to the Axiom (submit, read) */
};

int idsvc_handle(void *self, uint64_t badge, struct rt_msg *m);

#endif
