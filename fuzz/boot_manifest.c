/*
 * libFuzzer target: the boot manifest decoders (docs/formats.md, "Boot
 * manifest"): the signed file and the body it carries.  Nothing may crash;
 * what decodes must encode back to exactly the same bytes, and a decoded
 * body always has a start order with dependencies first.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/init/manifest/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_body(const uint8_t *data, size_t size)
{
    static struct mf_manifest m;
    static uint8_t again[MF_BODY_MAX];
    size_t len = 0;

    if (mf_decode(data, size, &m) != 0) {
        return;
    }
    ZASSERT(mf_encode(&m, again, sizeof(again), &len) == 0, "a decoded manifest encodes");
    ZASSERT(len == size && memcmp(again, data, size) == 0,
            "a decoded manifest re-encodes to the same bytes");
    for (uint32_t k = 0; k < m.nprograms; k++) {
        const struct mf_program *p = &m.p[m.order[k]];
        for (uint32_t d = 0; d < p->ndeps; d++) {
            int j = mf_find(&m, p->deps[d]);
            bool before = false;
            for (uint32_t q = 0; q < k; q++) {
                before = before || m.order[q] == j;
            }
            ZASSERT(before, "a dependency starts before its dependent");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t again[MF_FILE_SIZE_MAX];
    struct mf_signed s;
    size_t len = 0;

    check_body(data, size);
    if (mf_signed_decode(data, size, &s) == 0) {
        ZASSERT(mf_signed_encode(&s, again, sizeof(again), &len) == 0, "a signed file encodes");
        ZASSERT(len == size && memcmp(again, data, size) == 0,
                "a signed file re-encodes to the same bytes");
        check_body(s.body, s.body_len);
        ZASSERT(mf_signed_measure(data, size, &len) == 0 && len == size,
                "a signed file measures its own length");
    }
    return 0;
}
