/*
 * libFuzzer target: the chunk list decoder.  Nothing may crash; a list that
 * decodes re-encodes to exactly its input (one encoding per list), and its
 * chunk lengths sum to its size.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/cas/cas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[CAS_LIST_HEADER + 200 * CAS_LIST_ENTRY];
    struct cas_list l;
    uint64_t sum = 0;

    if (cas_list_decode(data, size, &l) != 0) {
        return 0;
    }
    if (size > sizeof(again)) {
        return 0;
    }
    cas_list_put_header(again, l.size, l.file_hash, l.count);
    for (uint32_t i = 0; i < l.count; i++) {
        uint32_t len;
        const uint8_t *h = cas_list_chunk(&l, i, &len);
        cas_list_put_entry(again, i, h, len);
        sum += len;
    }
    ZASSERT(sum == l.size, "chunk lengths sum to the size");
    ZASSERT(memcmp(again, data, size) == 0, "a decoded list re-encodes to its input");
    return 0;
}
