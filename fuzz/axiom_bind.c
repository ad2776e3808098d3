/*
 * libFuzzer target: AXIOM_OP_BIND requests (docs/services.md "Proposers
 * bound to principals") with any badge.  Nothing may crash; a bind is
 * taken only from init's capability, only for slots 2..15 and a valid
 * principal name, and then the slot holds exactly that name.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct axiom_svc s;
    if (size < 1) {
        return 0;
    }
    uint64_t badge = (data[0] & 1u) != 0 ? AXIOM_BADGE_INIT : AXIOM_BADGE_PROPOSE;
    memset(s.bound, 0, sizeof(s.bound));
    struct rt_msg m = {AXIOM_OP_BIND, data + 1, size - 1, NULL, 0, 0};
    int err = axiom_handle(&s, badge, &m);
    uint32_t bound = 0, at = 0;
    for (uint32_t k = 0; k < AXIOM_BIND_SLOTS; k++) {
        if (s.bound[k][0] != '\0') {
            bound++;
            at = k;
        }
    }
    ZASSERT(err != 0 || badge == AXIOM_BADGE_INIT, "only init's capability binds");
    ZASSERT(err == 0 ? bound == 1 && at > AXIOM_BIND_NODE : bound == 0,
            "a bind sets exactly one slot past the node's, a refusal none");
    ZASSERT(err != 0 || id_name_valid(s.bound[at], strlen(s.bound[at])),
            "a bound slot holds a valid principal name");
    return 0;
}
