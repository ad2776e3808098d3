/*
 * libFuzzer target: the key slot decoder over any 512 bytes (the node key
 * taken from the slot itself, so the structural checks are reached), and
 * opening the sealed ones whose Argon2id parameters are small: a checked
 * slot either opens or is refused as a wrong passphrase, and a plain one
 * gives exactly its secret field.  Nothing may crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/string.h"
#include "services/keys/slot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t slot[KEYSLOT_LEN] = {0}, root[KEYS_SECRET_LEN];
    memcpy(slot, data, size < sizeof(slot) ? size : sizeof(slot));
    int prot = keyslot_check(slot, slot + 48);
    ZASSERT(prot == ZERR_CORRUPT || prot == KEYSLOT_PLAIN || prot == KEYSLOT_PASSPHRASE,
            "keyslot_check returns a protection or ZERR_CORRUPT");
    uint32_t t = slot[136] | (uint32_t)slot[137] << 8, m = slot[140] | (uint32_t)slot[141] << 8;
    if (prot == KEYSLOT_PASSPHRASE && t <= 2 && m <= 256 && slot[138] == 0 && slot[142] == 0) {
        int err = keyslot_open(slot, "fuzz", 4, root);
        ZASSERT(err == 0 || err == ZERR_BADSIG, "a checked slot opens or is refused");
    } else if (prot == KEYSLOT_PLAIN) {
        ZASSERT(keyslot_open(slot, NULL, 0, root) == 0 && memcmp(root, slot + 16, 32) == 0,
                "a plain slot gives its secret field");
    }
    return 0;
}
