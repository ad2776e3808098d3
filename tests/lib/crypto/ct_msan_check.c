/*
 * Constant-time check: marks secrets as uninitialised with MemorySanitizer,
 * which then reports every branch and every memory address computed from
 * them.  Signing, key derivation, keyed BLAKE3 and ct_equal must run
 * without a report.  Built and run by tests/lib/crypto/ct_msan.t with
 * clang -fsanitize=memory; with -DCT_NEGATIVE_CONTROL it branches on the
 * secret on purpose, to show that the check can fail.
 */
#include <sanitizer/msan_interface.h>
#include <stdio.h>
#include <string.h>

#include "crypto/blake3.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"

int main(void)
{
    uint8_t seed[32], pub[32], sig[64], msg[40] = {1};
    memset(seed, 7, sizeof(seed));
    __msan_poison(seed, sizeof(seed));
    ed25519_pubkey(pub, seed);
    __msan_unpoison(pub, sizeof(pub));
    ed25519_sign(sig, msg, sizeof(msg), seed, pub);
    __msan_unpoison(sig, sizeof(sig));

    uint8_t key[32], out[32];
    memset(key, 3, sizeof(key));
    __msan_poison(key, sizeof(key));
    blake3_keyed_hash(key, msg, sizeof(msg), out);
    bool same = ct_equal(key, seed, sizeof(key));
    __msan_unpoison(&same, sizeof(same));
#ifdef CT_NEGATIVE_CONTROL
    if (seed[3] == 7) {
        msg[0] = 2;
    }
#endif
    printf("secret-independent control flow and memory access (%d)\n", same + msg[0]);
    return 0;
}
