/* libFuzzer target: the policy rule parser must never crash, and a parsed
 * rule's normal form must parse again to the same normal form. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/assert.h"
#include "services/policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct policy_rule r, again;
    char err[96];

    if (policy_parse((const char *)data, size, POLICY_ALLOW, &r, err, sizeof(err)) != 0) {
        return 0;
    }
    ZASSERT(policy_parse(r.text, strlen(r.text), POLICY_ALLOW, &again, err, sizeof(err)) == 0,
            "a normal form parses");
    ZASSERT(strcmp(r.text, again.text) == 0, "normal form is a fixed point");
    return 0;
}
