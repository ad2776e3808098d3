/*
 * libFuzzer target: ed25519_verify on hostile keys and signatures, checked
 * against libsodium, whose acceptance rules Zero's match (canonical S,
 * canonical non-small-order A and R; see docs/crypto.md).
 *
 * Input: a mode byte, then either pub || sig || msg (mode even), or
 * seed || position || xor || msg (mode odd): a genuine signature made with
 * seed, then one byte of pub || sig altered at position by xor (xor 0
 * leaves it intact).
 */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/assert.h"
#include "base/errors.h"
#include "crypto/ed25519.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_against_libsodium(const uint8_t pub[32], const uint8_t sig[64],
                                    const uint8_t *msg, size_t len)
{
    int ours = ed25519_verify(sig, msg, len, pub);
    int theirs = crypto_sign_verify_detached(sig, msg, len, pub);
    ZASSERT(ours == 0 || ours == ZERR_BADSIG, "verify returns 0 or ZERR_BADSIG");
    ZASSERT((ours == 0) == (theirs == 0), "verify agrees with libsodium");
}

/* Signs with a fuzzed seed, alters one byte, and verifies. */
static void signed_case(const uint8_t *data, size_t size)
{
    uint8_t seed[32], pk[32], sk[64], buf[96];
    memcpy(seed, data, 32);
    size_t pos = data[32] % 96;
    uint8_t flip = data[33];
    const uint8_t *msg = data + 34;
    size_t len = size - 34;
    ed25519_pubkey(buf, seed);
    ed25519_sign(buf + 32, msg, len, seed, buf);
    crypto_sign_seed_keypair(pk, sk, seed);
    uint8_t ssig[64];
    crypto_sign_detached(ssig, NULL, msg, len, sk);
    ZASSERT(memcmp(pk, buf, 32) == 0, "public key matches libsodium");
    ZASSERT(memcmp(ssig, buf + 32, 64) == 0, "signature matches libsodium");
    buf[pos] ^= flip;
    check_against_libsodium(buf, buf + 32, msg, len);
    if (flip == 0) {
        ZASSERT(ed25519_verify(buf + 32, msg, len, buf) == 0, "genuine signature verifies");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        ZASSERT(sodium_init() >= 0, "libsodium initialises");
        ready = 1;
    }
    if (size < 1) {
        return 0;
    }
    if ((data[0] & 1) != 0 && size >= 35) {
        signed_case(data + 1, size - 1);
    } else if ((data[0] & 1) == 0 && size >= 97) {
        check_against_libsodium(data + 1, data + 33, data + 97, size - 97);
    }
    return 0;
}
