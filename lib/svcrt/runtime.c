#include "svcrt/runtime.h"

#include "base/errors.h"
#include "base/string.h"

void rt_init(struct rt *rt)
{
    memset(rt, 0, sizeof(*rt));
}

int rt_register(struct rt *rt, const char *name, void *self, rt_handler handle)
{
    struct rt_service *s;
    struct cap ep = {CAP_ENDPOINT, CAP_RIGHTS_ALL, 0, 0};

    if (rt->n == RT_MAX_SERVICES || handle == NULL) {
        return rt->n == RT_MAX_SERVICES ? ZERR_FULL : ZERR_INVAL;
    }
    s = &rt->svc[rt->n];
    s->name = name;
    s->self = self;
    s->handle = handle;
    cap_space_init(&s->cs, s->slots, RT_SLOTS, rt->n);
    ep.obj = rt->n;
    int err = cap_insert(&s->cs, 0, &ep);
    if (err < 0) {
        return err;
    }
    return (int)rt->n++;
}

int rt_grant(struct rt *rt, uint32_t server, uint32_t client, uint32_t rights, uint64_t badge)
{
    if (server >= rt->n || client >= rt->n) {
        return ZERR_INVAL;
    }
    return cap_derive(&rt->svc[server].cs, 0, &rt->svc[client].cs, CAP_SLOT_ANY, rights, badge);
}

int rt_call(struct rt *rt, uint32_t caller, uint32_t handle, struct rt_msg *m)
{
    const struct cap *c = NULL;
    int err;

    if (caller >= rt->n) {
        return ZERR_INVAL;
    }
    err = cap_lookup(&rt->svc[caller].cs, handle, CAP_ENDPOINT, CAP_RIGHT_WRITE, &c);
    if (err != 0) {
        return err;
    }
    if (c->obj >= rt->n) {
        return ZERR_BADCAP;
    }
    if (rt->depth >= RT_MAX_DEPTH) {
        return ZERR_LIMIT;
    }
    struct rt_service *target = &rt->svc[c->obj];
    uint64_t badge = c->badge;
    m->out_len = 0;
    rt->depth++;
    err = target->handle(target->self, badge, m);
    rt->depth--;
    return err;
}

int rt_revoke_all(struct rt *rt, uint32_t server)
{
    if (server >= rt->n) {
        return ZERR_INVAL;
    }
    return cap_revoke(&rt->svc[server].cs, 0, NULL, NULL);
}
