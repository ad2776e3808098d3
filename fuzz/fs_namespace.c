/*
 * libFuzzer target: the namespace decoder and the proof verifier.  Nothing
 * may crash; a namespace that decodes encodes back to exactly its input,
 * and a proof made from it verifies against its root.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/fs/fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fs_node nodes[64];
    static uint8_t leaves[64][CAS_HASH];
    static uint8_t again[8192];
    static struct fs_proof pr;
    struct fs fs;
    struct fs_node n;
    uint8_t root[CAS_HASH];
    size_t len;

    fs_init(&fs, NULL, nodes, leaves, 64, NULL, 0);
    if (size >= sizeof(pr)) {
        memcpy(&pr, data, sizeof(pr));
        (void)fs_verify(&pr, data, &n);
    }
    if (fs_decode(&fs, data, size) != 0) {
        return 0;
    }
    ZASSERT(fs_encode(&fs, again, sizeof(again), &len) == 0 && len == size &&
                memcmp(again, data, size) == 0,
            "a decoded namespace encodes to its input");
    if (fs.count > 0) {
        fs_root(&fs, root);
        ZASSERT(fs_prove(&fs, fs.nodes[fs.count - 1].path, &pr) == 0 && fs_verify(&pr, root, &n),
                "a proof from a decoded namespace verifies");
    }
    return 0;
}
