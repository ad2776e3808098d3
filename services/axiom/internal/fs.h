/*
 * The filesystem's entry kinds inside the Axiom (services/axiom/fs.c):
 * their payloads, their decision and their effect on the namespace kept in
 * the state.  entry.c and state.c call these for the kinds ax_fs_kind says
 * are the filesystem's.
 */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_FS_H
#define ZERO_SERVICES_AXIOM_INTERNAL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cbor/cbor.h"
#include "services/axiom/state.h"

/* True for AX_FS_PUT .. AX_FS_QUOTA. */
bool ax_fs_kind(uint8_t kind);

/* Writes the payload map of a filesystem action. */
void ax_fs_put_payload(cbor_enc *e, const struct ax_action *a);

/* Decodes the payload map (its n keys already read) of a filesystem action. */
int ax_fs_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n);

/* Checks a filesystem action against the state (before policy): 0 or a
 * ZERR_* with a one-line reason in why. */
int ax_fs_check(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap);

/* The policy decision of a filesystem action (docs/policy.md): fs.write on
 * the path (both paths for fs.mv), fs.quota on the owner. */
int ax_fs_decide_policy(const struct ax_state *s, const struct ax_action *a,
                        const struct id_principal *p, struct policy_decision *d, char *why,
                        size_t cap);

/* Performs a decided filesystem action.  Cannot fail. */
void ax_fs_perform(struct ax_state *s, const struct ax_action *a);

/* Empties the namespace of a state being initialised. */
void ax_fs_init(struct ax_state *s);

/* Recomputes the namespace root if it changed. */
void ax_fs_rehash(struct ax_state *s);

/* Key 6 of the state root map (docs/formats.md "State root"): writes it
 * when s->fs.on and returns the number of keys written (0 or 1). */
unsigned ax_fs_root_keys(const struct ax_state *s);
void ax_fs_put_root(const struct ax_state *s, cbor_enc *e);

/* One line describing a filesystem action ("/home/a 12 bytes af13..."). */
void ax_fs_describe(const struct ax_action *a, char *out, size_t cap);

#endif
