/*
 * The Axiom's state machine: the control-plane state (principals, policy)
 * that is a pure function of the log, and decide / perform / apply
 * (docs/axiom.md).
 */
#ifndef ZERO_SERVICES_AXIOM_STATE_H
#define ZERO_SERVICES_AXIOM_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/boot.h"
#include "services/axiom/entry.h"
#include "services/identity/identity.h"
#include "services/policy/policy.h"

struct ax_state {
    uint64_t applied; /* entries applied so far (next seq) */
    char node[ID_NAME_MAX + 1];
    uint64_t notes;
    uint64_t jobs;                  /* job.result entries applied */
    uint8_t jobs_hash[AX_HASH_LEN]; /* chained over them (docs/formats.md "State root") */
    uint8_t format; /* the highest entry format applied (1 before any format-2 entry) */
    bool ids_dirty, pol_dirty;
    uint8_t ids_hash[AX_HASH_LEN];
    uint8_t pol_hash[AX_HASH_LEN];
    uint8_t root[AX_HASH_LEN];
    struct id_table ids;
    struct policy_set pol;
    struct ax_boots boots; /* root key 8 (services/axiom/boot.h) */
};

/* Empty state (before genesis). */
void ax_state_init(struct ax_state *s);

/*
 * Decides whether action a may be appended to state s as entry number
 * s->applied: structure and identity checks, the proposer's signature if
 * any, then the policy.  Returns 0 (allowed, *d names the rule), ZERR_DENIED
 * (policy said no, *d names the rule), or another ZERR_* for an action that
 * cannot apply at all; why (whycap bytes) gets a one-line reason whenever
 * the result is not 0.  Pure: reads s only.
 */
int ax_state_decide(const struct ax_state *s, const struct ax_action *a, struct policy_decision *d,
                    char *why, size_t whycap);

/* Applies an action that ax_state_decide allowed and updates the state root.  Cannot fail. */
void ax_state_perform(struct ax_state *s, const struct ax_action *a);

/*
 * apply(state, entry) for replay: checks seq, re-evaluates the decision,
 * performs, and compares the state root.  Returns 0 or ZERR_CORRUPT /
 * ZERR_DENIED / ZERR_BADSIG with a reason in why; on error s is unchanged
 * unless the state root alone mismatched.
 */
int ax_apply(struct ax_state *s, const struct ax_entry *e, char *why, size_t whycap);

/* job.result's part of the state machine (services/axiom/job.c). */
int ax_job_decide(const struct ax_action *a, char *why, size_t cap);
void ax_job_request(const struct ax_action *a, struct policy_request *rq);
void ax_job_perform(struct ax_state *s, const struct ax_action *a);
unsigned ax_job_root_keys(const struct ax_state *s);
void ax_job_root_put(const struct ax_state *s, cbor_enc *e);

#endif
