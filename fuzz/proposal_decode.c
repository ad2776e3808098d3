/*
 * libFuzzer target: the decoder of signed proposals from outside the node
 * (docs/formats.md, "Signed proposal").  Nothing may crash; what decodes
 * must encode back to exactly the same bytes (one encoding per proposal).
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/axiom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[AX_PROPOSAL_MAX];
    struct ax_action a;
    size_t len = 0;

    if (ax_proposal_decode(data, size, &a) == 0) {
        ZASSERT(ax_proposal_encode(&a, again, sizeof(again), &len) == 0,
                "a decoded proposal encodes");
        ZASSERT(len == size && memcmp(again, data, size) == 0,
                "a decoded proposal re-encodes to the same bytes");
    }
    return 0;
}
