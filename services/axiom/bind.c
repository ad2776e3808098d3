/*
 * Proposers bound to principals (service.h, docs/services.md "Proposers
 * bound to principals"): the binding slot in a capability's badge says
 * which principal proposals through it may name.  The kernel delivers the
 * badge, so a process cannot choose it; only init's capability
 * (AXIOM_BADGE_INIT) binds slots.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/internal/bind.h"
#include "services/axiom/service.h"
#include "svcrt/wire.h"

int axiom_bound_check(const struct axiom_svc *s, uint64_t badge, const char *proposer, char *why,
                      size_t cap)
{
    uint32_t slot = AXIOM_BADGE_SLOT(badge);
    const char *as = slot == AXIOM_BIND_NODE   ? s->ax.st->node
                     : slot < AXIOM_BIND_SLOTS ? s->bound[slot]
                                               : "";

    if (slot == 0) {
        return 0;
    }
    if (as[0] == '\0') {
        zfmt_snprintf(why, cap, "this capability's binding slot %u is bound to no principal",
                      (unsigned)slot);
        return ZERR_PERM;
    }
    if (strcmp(as, proposer) != 0) {
        zfmt_snprintf(why, cap, "this capability may propose only as %s, not as %s", as, proposer);
        return ZERR_PERM;
    }
    return 0;
}

int axsvc_bind(struct axiom_svc *s, uint64_t badge, struct rt_msg *m)
{
    char name[AXIOM_NAME_FIELD];
    struct wire_in r;

    if ((badge & AXIOM_BADGE_INIT) == 0) {
        return ZERR_PERM;
    }
    wire_in_init(&r, m->in, m->in_len);
    uint32_t slot = wire_get_u32(&r);
    wire_get_str(&r, name, sizeof(name));
    int err = wire_in_end(&r);
    if (err != 0) {
        return err;
    }
    if (slot <= AXIOM_BIND_NODE || slot >= AXIOM_BIND_SLOTS || !id_name_valid(name, strlen(name))) {
        return ZERR_INVAL;
    }
    memcpy(s->bound[slot], name, sizeof(name));
    return 0;
}

int axiom_bind(struct rt *rt, uint32_t caller, uint32_t h, uint32_t slot, const char *name)
{
    uint8_t in[4 + AXIOM_NAME_FIELD];
    struct wire_out w;
    size_t len = 0;

    if (strlen(name) >= AXIOM_NAME_FIELD) {
        return ZERR_INVAL;
    }
    wire_out_init(&w, in, sizeof(in));
    wire_u32(&w, slot);
    wire_str(&w, name, AXIOM_NAME_FIELD);
    int err = wire_out_end(&w, &len);
    struct rt_msg m = {AXIOM_OP_BIND, in, len, NULL, 0, 0};
    return err != 0 ? err : rt_call(rt, caller, h, &m);
}
