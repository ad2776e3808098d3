/*
 * libFuzzer target: the Axiom entry, checkpoint, receipt and consistency-proof
 * decoders on any bytes.  Entries, checkpoints and consistency proofs that
 * decode must encode back to exactly the same bytes (one canonical encoding
 * each), and receipt and proof verification must not crash.
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
    static struct ax_consistency cp;
    static uint8_t big[8192];
    if (ax_consistency_decode(data, size, &cp) == 0) {
        ZASSERT(ax_consistency_encode(&cp, big, sizeof(big), &len) == 0, "proof re-encodes");
        ZASSERT(len == size && memcmp(big, data, size) == 0, "proof encoding is canonical");
        (void)ax_consistency_verify(&cp, why, sizeof(why));
    }
    return 0;
}
