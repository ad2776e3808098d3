/*
 * The state-machine side of the process and capability entries
 * (services/axiom/proc_state.c): decide, the policy request, perform, and
 * root keys 12 and 13.
 */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_PROC_H
#define ZERO_SERVICES_AXIOM_INTERNAL_PROC_H

#include "services/axiom/proc.h"
#include "services/axiom/state.h"

/* The checks before policy: live process, known principal.  0 or ZERR_* with why. */
int ax_proc_decide(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap);

/* Fills the process fields of rq and its resource name (in res, AX_PROC_RESOURCE_MAX + 1). */
void ax_proc_request(const struct ax_state *s, const struct ax_action *a, struct policy_request *rq,
                     char *res);

void ax_proc_perform(struct ax_state *s, const struct ax_action *a);
unsigned ax_proc_root_keys(const struct ax_state *s);
void ax_proc_root_put(const struct ax_state *s, cbor_enc *e);

/* The principal process id runs as, or NULL if it is not live in s. */
const char *ax_proc_principal(const struct ax_state *s, uint64_t id);

#endif
