/*
 * zero verify's services: after a replay, one line per service the log's
 * svc.* entries name (docs/axiom.md "Services"): its state, process id and
 * restarts, from the verified state (state root key 11).
 */
#ifndef ZERO_TOOLS_ZERO_VERIFY_SVC_H
#define ZERO_TOOLS_ZERO_VERIFY_SVC_H

#include "services/axiom/state.h"

/* Prints "service NAME: running as pid P, R restarts" lines for st. */
void verify_services_print(const struct ax_state *st);

#endif
