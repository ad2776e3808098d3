/* zero verify's services (verify_svc.h). */
#include "tools/zero/verify_svc.h"

#include <stdio.h>

void verify_services_print(const struct ax_state *st)
{
    static const char *const states[] = {"?", "running", "down", "held"};

    for (uint32_t i = 0; i < st->svcs.n; i++) {
        const struct ax_svc_row *r = &st->svcs.r[i];
        const char *state = r->state <= AX_SVC_HELD ? states[r->state] : "?";
        printf("service %s: %s", r->name, state);
        if (r->state == AX_SVC_RUNNING) {
            printf(" as pid %llu", (unsigned long long)r->pid);
        }
        printf(", %llu restart%s\n", (unsigned long long)r->restarts, r->restarts == 1 ? "" : "s");
    }
}
