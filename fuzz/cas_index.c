/*
 * libFuzzer target: the CAS index decoder (the part of a store's committed
 * root that names every extent).  Nothing may crash; an index that decodes
 * re-encodes to the same length and decodes again to the same entries.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/cas/cas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cas_obj tab[256], tab2[256];
    static uint8_t again[CAS_INDEX_HEADER + 256 * CAS_INDEX_RECORD];
    struct cas c, c2;
    size_t n = 0;

    cas_init(&c, NULL, NULL, tab, 256, NULL, NULL, 0);
    if (cas_index_decode(&c, data, size) != 0) {
        ZASSERT(c.count == 0, "a refused index leaves the table empty");
        return 0;
    }
    ZASSERT(cas_index_encode(&c, again, sizeof(again), &n) == 0 && n == size,
            "a decoded index re-encodes to its length");
    cas_init(&c2, NULL, NULL, tab2, 256, NULL, NULL, 0);
    ZASSERT(cas_index_decode(&c2, again, n) == 0 && c2.count == c.count,
            "a re-encoded index decodes again");
    for (uint32_t i = 0; i < 256; i++) {
        ZASSERT(tab[i].kind == CAS_EMPTY || cas_has(&c2, tab[i].hash), "the same entries");
    }
    return 0;
}
