/*
 * act_as: the console acts as another principal (docs/identity.md, "Acting
 * as another principal").  The entry's proposer is who acts, its payload
 * {0: name} the principal acted as; the policy sees action "act_as" on that
 * principal as the resource.
 */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_ACT_AS_H
#define ZERO_SERVICES_AXIOM_INTERNAL_ACT_AS_H

#include <stddef.h>

#include "services/axiom/state.h"

/*
 * The structural checks of an act_as action before the policy: the target
 * exists, is not revoked, and its key is derived by the node (the node
 * cannot sign for a principal that holds its own key).  Returns 0 or
 * ZERR_NOENT / ZERR_PERM with a reason in why (cap bytes).  Pure.
 */
int ax_act_as_check(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap);

#endif
