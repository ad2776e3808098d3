/*
 * The service runtime: how a Zero OS service is written once and runs on
 * every platform.
 *
 * A service is a context struct, an optional init and a message handler.  It
 * reaches other services only by calling an endpoint capability held in its
 * own capability space; the handle is a slot index.  On x86_64 a call is a
 * syscall and the target runs in its own process; on hosted and wasm,
 * rt_call makes the same capability check the kernel makes (lib/cap:
 * lookup, type endpoint, right WRITE) and then calls the target's handler
 * directly with the capability's badge, which tells the target who is
 * calling.  Calls go downward through the layers only, so direct dispatch
 * cannot cycle; a depth limit turns a violation into an error.
 *
 * A message is an operation number and bytes each way: the request in
 * in/in_len, the reply in out (out_cap bytes of room, out_len written),
 * both in the flat encoding of svcrt/wire.h, never a pointer.  On hosted
 * and wasm in/out point at the caller's buffers; on x86_64 the bytes
 * travel through frames shared with the server (svcrt/x86_64/rtx.h).  See
 * docs/services.md.
 */
#ifndef ZERO_SVCRT_RUNTIME_H
#define ZERO_SVCRT_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include "cap/cap.h"

#define RT_MAX_SERVICES 16
#define RT_SLOTS 32
#define RT_MAX_DEPTH 8

struct rt_msg {
    uint32_t op;
    const void *in; /* request bytes */
    size_t in_len;
    void *out; /* reply bytes */
    size_t out_cap;
    size_t out_len; /* set by the handler */
};

/* A message handler: badge comes from the caller's capability. */
typedef int (*rt_handler)(void *self, uint64_t badge, struct rt_msg *m);

struct rt_service {
    const char *name;
    void *self;
    rt_handler handle;
    struct cap_space cs;
    struct cap_slot slots[RT_SLOTS];
};

struct rt {
    uint32_t n;
    uint32_t depth;
    struct rt_service svc[RT_MAX_SERVICES];
};

/* Empties the runtime. */
void rt_init(struct rt *rt);

/*
 * Registers a service; slot 0 of its cspace receives the original endpoint
 * capability to itself.  Returns the service id (>= 0) or ZERR_FULL.
 */
int rt_register(struct rt *rt, const char *name, void *self, rt_handler handle);

/*
 * Gives service client a capability to call service server, derived from
 * the server's original with rights and badge.  Returns the client's handle
 * (>= 0) or a ZERR_* code from cap_derive.
 */
int rt_grant(struct rt *rt, uint32_t server, uint32_t client, uint32_t rights, uint64_t badge);

/*
 * Calls through handle in caller's cspace: the capability check, then the
 * target's handler.  Returns the handler's result, ZERR_BADCAP / ZERR_PERM
 * from the check, or ZERR_LIMIT if calls nest deeper than RT_MAX_DEPTH.
 */
int rt_call(struct rt *rt, uint32_t caller, uint32_t handle, struct rt_msg *m);

/*
 * Revokes every capability derived from server's endpoint (in every cspace).
 * Returns how many were removed, or ZERR_INVAL for an unknown server.
 */
int rt_revoke_all(struct rt *rt, uint32_t server);

#endif
