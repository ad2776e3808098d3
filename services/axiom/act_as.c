/*
 * act_as decisions (services/axiom/internal/act_as.h).  The entry changes
 * no state beyond the count of entries applied: it is the record that a
 * principal acted as another, and the policy's gate for doing so.
 */
#include "services/axiom/internal/act_as.h"

#include "base/errors.h"
#include "base/fmt.h"

int ax_act_as_check(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap)
{
    const struct id_principal *t = id_find(&s->ids, a->name);

    if (t == NULL) {
        zfmt_snprintf(why, cap, "act_as %s: no principal %s", a->name, a->name);
        return ZERR_NOENT;
    }
    if (t->revoked) {
        zfmt_snprintf(why, cap, "act_as %s: %s is revoked", a->name, a->name);
        return ZERR_PERM;
    }
    if (t->external) {
        zfmt_snprintf(why, cap, "act_as %s: %s holds its own key: the node cannot act for it",
                      a->name, a->name);
        return ZERR_PERM;
    }
    return 0;
}
