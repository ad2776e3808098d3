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

/* Requests: str[33] proposer, str[33] name, u8 kind, bool external,
 * bytes[32] pub (IDSVC_REQ_LEN bytes); replies: an Axiom result. */
enum idsvc_op {
    IDSVC_OP_CREATE = 1, /* kind used */
    IDSVC_OP_ROTATE = 2,
    IDSVC_OP_REVOKE = 3,
};

#define IDSVC_REQ_LEN 100u

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

int idsvc_req_encode(const struct idsvc_req *rq, void *buf, size_t cap, size_t *len);
int idsvc_req_decode(const void *buf, size_t len, struct idsvc_req *rq);

/* A client's call: op with rq through handle h of caller; res gets the outcome. */
int idsvc_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, const struct idsvc_req *rq,
               struct axiom_result *res);

#endif
