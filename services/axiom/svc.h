/*
 * The supervisor's Axiom entries (docs/axiom.md "Services", bytes in
 * docs/formats.md "Service entries"): svc.start, svc.exit and svc.hold,
 * which only the node records (unsigned), and svc.restart and svc.kill,
 * an operator's requests, which policy authorizes (resource "svc:NAME").
 * The state keeps one row per service (state root key 11).  Payload codec,
 * shape checks, state changes and descriptions live here, hooked into
 * entry.c, state.c and service.c by one call each.
 */
#ifndef ZERO_SERVICES_AXIOM_SVC_H
#define ZERO_SERVICES_AXIOM_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "services/axiom/entry.h"

#define AX_SVC_MAX 16      /* services the state keeps */
#define AX_SVC_NAME_MAX 15 /* a-z, 0-9, '.', '-' (the boot manifest's program names) */
#define AX_SVC_RESOURCE_MAX (4 + AX_SVC_NAME_MAX) /* "svc:NAME" */

/* How a service ended (svc.exit key 2). */
enum ax_svc_how { AX_SVC_EXITED = 1, AX_SVC_FAULTED, AX_SVC_KILLED };

/* A service's state in the state root. */
enum ax_svc_state { AX_SVC_RUNNING = 1, AX_SVC_DOWN, AX_SVC_HELD };

struct ax_svc_row {
    char name[AX_SVC_NAME_MAX + 1];
    uint8_t state; /* enum ax_svc_state */
    uint64_t pid;
    uint64_t restarts; /* starts after an end */
};

/* Root key 11: the services in name order. */
struct ax_svcs {
    uint32_t n;
    struct ax_svc_row r[AX_SVC_MAX];
};

struct ax_state;

/* True for the svc.* kinds. */
bool ax_svc_kind(uint8_t kind);

/* The payload map of a svc.* entry. */
void ax_svc_put_payload(cbor_enc *e, const struct ax_action *a);

/* Decodes a svc.* payload map of n keys (already read) into a. */
int ax_svc_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n);

/* 0 if a's fields have their shape (name, how, reason), else ZERR_INVAL. */
int ax_svc_check(const struct ax_action *a);

/* The state checks of a svc.* proposal against s; 0 or ZERR_* with why. */
int ax_svc_decide(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap);

/* Performs a decided svc.* action on s. */
void ax_svc_perform(struct ax_state *s, const struct ax_action *a);

/* The policy resource: "svc:NAME" (buf: AX_SVC_RESOURCE_MAX + 1 bytes). */
void ax_svc_resource(const struct ax_action *a, char *buf, size_t cap);

/* One line for the log ("terminal as pid 7, restart after 200 ms"). */
void ax_svc_describe(const struct ax_action *a, char *out, size_t cap);

/* The state root's key 11 (only once a service is known). */
unsigned ax_svc_root_keys(const struct ax_state *s);
void ax_svc_put_root(const struct ax_state *s, cbor_enc *e);

/*
 * The services in a state snapshot (docs/formats.md "State snapshot", item
 * 13, present only when a service is known): put writes nothing for an
 * empty table; get reads a non-empty one, rows strictly in name order.
 * get returns 0 or ZERR_CORRUPT.
 */
void ax_svc_snap_put(const struct ax_state *s, cbor_enc *e);
int ax_svc_snap_get(cbor_dec *d, struct ax_state *s);

/* The row of the service called name in s, or NULL. */
const struct ax_svc_row *ax_svc_find(const struct ax_state *s, const char *name);

#endif
