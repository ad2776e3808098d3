/*
 * libFuzzer target: the Axiom entry, checkpoint and receipt decoders on any
 * bytes.  Whatever decodes must encode back to exactly the same bytes (one
 * canonical encoding per entry), and receipt verification must not crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/axiom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[AX_ENTRY_MAX + 64];
    struct ax_entry e;
    struct ax_checkpoint c;
    size_t len = 0;

    if (ax_entry_decode(data, size, &e) == 0) {
        ZASSERT(ax_entry_encode(&e, out, sizeof(out), &len) == 0, "a decoded entry re-encodes");
        ZASSERT(len == size && memcmp(out, data, size) == 0, "entry encoding is canonical");
    }
    if (ax_checkpoint_decode(data, size, &c) == 0) {
        ZASSERT(ax_checkpoint_encode(&c, out, sizeof(out), &len) == 0, "checkpoint re-encodes");
        ZASSERT(len == size && memcmp(out, data, size) == 0, "checkpoint encoding is canonical");
    }
    static struct ax_receipt rc;
    char why[128];
    if (ax_receipt_decode(data, size, &rc) == 0) {
        (void)ax_receipt_verify(&rc, &e, why, sizeof(why));
    }
    return 0;
}
