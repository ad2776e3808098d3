/* "Would P be allowed A on R now?": a policy question against a state (see state.h). */
#include "services/axiom/state.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"

/* The subject for name: a principal of s, or a resource of kind none. */
static void ax_check_subject(const struct ax_state *s, const char *name, struct policy_subject *r)
{
    const struct id_principal *p = id_find(&s->ids, name);

    memset(r, 0, sizeof(*r));
    r->name = name;
    r->kind = p != NULL ? p->kind : ID_KIND_NONE;
    r->parent = p != NULL ? p->parent : "";
    const char *up = r->parent;
    while (up[0] != '\0' && r->nissuers < POLICY_CHAIN_MAX) {
        const struct id_principal *q = id_find(&s->ids, up);
        r->issuers[r->nissuers++] = up;
        up = q != NULL ? q->parent : "";
    }
}

int ax_state_check(const struct ax_state *s, const char *proposer, const char *action,
                   const char *resource, struct policy_decision *d, char *why, size_t whycap)
{
    const struct id_principal *p = id_find(&s->ids, proposer);
    struct policy_request rq;

    memset(d, 0, sizeof(*d));
    if (p == NULL) {
        zfmt_snprintf(why, whycap, "%s is no principal", proposer);
        return ZERR_NOPRINCIPAL;
    }
    if (p->revoked) {
        zfmt_snprintf(why, whycap, "principal %s is revoked", proposer);
        return ZERR_PERM;
    }
    if (action[0] == '\0' || resource[0] == '\0') {
        zfmt_snprintf(why, whycap, "%s", "an action and a resource are needed");
        return ZERR_INVAL;
    }
    memset(&rq, 0, sizeof(rq));
    rq.proposer.name = p->name;
    rq.proposer.kind = p->kind;
    rq.proposer.parent = p->parent;
    rq.action = action;
    ax_check_subject(s, resource, &rq.resource);
    policy_eval(&s->pol, &rq, d);
    if (d->rule == POLICY_DEFAULT_RULE) {
        zfmt_snprintf(why, whycap, "no rule allows %s %s %s (default deny)", proposer, action,
                      resource);
    } else {
        zfmt_snprintf(why, whycap, "rule #%u %s it", (unsigned)d->rule,
                      d->allow ? "allows" : "denies");
    }
    return 0;
}
