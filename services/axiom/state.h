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
#include "services/axiom/proc.h"
#include "services/axiom/svc.h"
#include "services/identity/identity.h"
#include "services/policy/policy.h"

/* The filesystem namespace inside the state (services/axiom/fs.c): a
 * struct fs whose tables are here, rebound before each use so that a copy
 * of the state is a state of its own. */
#define AX_FS_NODES 1024
struct ax_fs_state {
    bool on;    /* an fs.* entry was applied: the root has key 6 */
    bool dirty; /* root needs recomputing */
    uint8_t root[AX_HASH_LEN];
    struct fs ns;
    struct fs_node nodes[AX_FS_NODES];
    uint8_t leaves[AX_FS_NODES][CAS_HASH];
};

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
    struct ax_fs_state fs;
    struct ax_boots boots; /* root key 8 (services/axiom/boot.h) */
    struct ax_svcs svcs;   /* root key 11 (services/axiom/svc.h) */
    struct ax_procs procs; /* root keys 12 and 13 (services/axiom/proc.h) */
};

/* A read-only view of the namespace in s, in view (which it returns):
 * for fs_stat, fs_list and the other readers of services/fs. */
const struct fs *ax_state_fs(const struct ax_state *s, struct fs *view);

/* The CBOR map whose BLAKE3 is the state root (docs/formats.md "State
 * root"), as of the last update of s->root; at most AX_STATE_MAP_MAX bytes.
 * 0 or ZERR_FULL. */
#define AX_STATE_MAP_MAX 512
int ax_state_root_map(const struct ax_state *s, uint8_t *buf, size_t cap, size_t *len);

/* Recomputes every part's hash and the state root (after a snapshot's
 * tables were filled in, services/axiom/snapshot.c). */
void ax_state_rehash(struct ax_state *s);

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

/*
 * The policy question "would proposer be allowed action on resource in
 * state s?" (services/axiom/check.c): the same pure policy_eval the decide
 * step calls.  The proposer must be a principal (else ZERR_NOPRINCIPAL); a
 * resource that names a principal is that principal (kind, parent,
 * issuers), any other name is a resource of kind none.  0 with *d, or a
 * ZERR_* with a reason in why.
 */
int ax_state_check(const struct ax_state *s, const char *proposer, const char *action,
                   const char *resource, struct policy_decision *d, char *why, size_t whycap);

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
