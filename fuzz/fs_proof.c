/*
 * libFuzzer target: the file proof decoder (zero fs check) on any bytes.
 * A proof that decodes must encode back to exactly the same bytes, and
 * verifying it must not crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/axiom/fsproof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ax_fs_proof p;
    static uint8_t out[AX_FS_PROOF_MAX];
    struct fs_node n;
    char why[160];
    size_t len = 0;

    if (ax_fs_proof_decode(data, size, &p) == 0) {
        ZASSERT(ax_fs_proof_encode(&p, out, sizeof(out), &len) == 0, "a decoded proof re-encodes");
        ZASSERT(len == size && memcmp(out, data, size) == 0, "proof encoding is canonical");
        (void)ax_fs_proof_verify(&p, &n, why, sizeof(why));
    }
    return 0;
}
