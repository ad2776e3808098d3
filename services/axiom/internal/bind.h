/*
 * The Axiom's binding slots (service.h, services/axiom/bind.c): the
 * handler of AXIOM_OP_BIND, hooked into axiom_handle.
 */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_BIND_H
#define ZERO_SERVICES_AXIOM_INTERNAL_BIND_H

#include <stdint.h>

#include "services/axiom/service.h"

/* AXIOM_OP_BIND from a caller with badge: 0, ZERR_PERM (not init's), ZERR_INVAL. */
int axsvc_bind(struct axiom_svc *s, uint64_t badge, struct rt_msg *m);

#endif
