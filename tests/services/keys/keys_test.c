/*
 * The key derivation service: keys follow the documented derivation (the
 * public key and signatures checked by libsodium), generations and names
 * give distinct keys, the one-key cache never serves a stale key, hostile
 * names are refused, a wiped service refuses everything, and the message
 * handler enforces its badges and buffer sizes.
 */
#include <sodium.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/keys/keys.h"
#include "svcrt/runtime.h"
#include "tap.h"

static const uint8_t root[KEYS_SECRET_LEN] = {7, 1, 2, 3, 4, 5, 6, 7, 8, 9};

/* The public key of (name, gen) computed from docs/identity.md with libsodium. */
static void reference_pub(const char *name, uint32_t gen, uint8_t pub[32])
{
    uint8_t material[KEYS_SECRET_LEN + 32 + 5], seed[32], sk[64];
    size_t n = strlen(name);

    memcpy(material, root, KEYS_SECRET_LEN);
    memcpy(material + KEYS_SECRET_LEN, name, n);
    material[KEYS_SECRET_LEN + n] = 0;
    for (int i = 0; i < 4; i++) {
        material[KEYS_SECRET_LEN + n + 1 + i] = (uint8_t)(gen >> (8 * i));
    }
    blake3_derive_key("Zero OS 2026 principal signing key v1", material, KEYS_SECRET_LEN + n + 5,
                      seed, sizeof(seed));
    crypto_sign_seed_keypair(pub, sk, seed);
}

static void test_derivation(struct keys *k)
{
    uint8_t pub[32], want[32], sig[64];

    is_int(keys_public(k, "alice", 0, pub), 0, "keys_gives_a_public_key");
    reference_pub("alice", 0, want);
    is_mem(pub, want, 32, "keys_public_key_follows_the_documented_derivation");
    is_int(keys_sign(k, "alice", 0, "msg", 3, sig), 0, "keys_signs");
    is_int(crypto_sign_verify_detached(sig, (const uint8_t *)"msg", 3, want), 0,
           "keys_signature_verifies_with_libsodium");
    is_int(crypto_sign_verify_detached(sig, (const uint8_t *)"msh", 3, want), -1,
           "keys_signature_does_not_verify_for_another_message");

    reference_pub("alice", 1, want);
    ok(keys_public(k, "alice", 1, pub) == 0 && memcmp(pub, want, 32) == 0,
       "keys_next_generation_is_a_different_documented_key");
    reference_pub("bob", 0, want);
    ok(keys_public(k, "bob", 0, pub) == 0 && memcmp(pub, want, 32) == 0,
       "keys_another_name_is_a_different_documented_key");
    /* after bob, alice again: the cache must not answer with bob's key */
    reference_pub("alice", 0, want);
    ok(keys_sign(k, "alice", 0, "m", 1, sig) == 0 &&
           crypto_sign_verify_detached(sig, (const uint8_t *)"m", 1, want) == 0,
       "keys_cache_switches_back_to_the_asked_key");
    reference_pub("alice", 0x01000000u, want);
    ok(keys_public(k, "alice", 0x01000000u, pub) == 0 && memcmp(pub, want, 32) == 0,
       "keys_generation_is_little_endian_in_the_derivation");
}

static void test_hostile_names(struct keys *k)
{
    uint8_t pub[32], sig[64];
    char long_name[40];

    is_int(keys_public(k, "", 0, pub), ZERR_INVAL, "keys_refuses_the_empty_name");
    memset(long_name, 'a', 33);
    long_name[33] = '\0';
    is_int(keys_public(k, long_name, 0, pub), ZERR_INVAL, "keys_refuses_a_33_byte_name");
    long_name[32] = '\0';
    is_int(keys_public(k, long_name, 0, pub), 0, "keys_accepts_a_32_byte_name");
    memset(long_name, 'b', sizeof(long_name)); /* no terminator within 33 bytes */
    is_int(keys_sign(k, long_name, 0, "m", 1, sig), ZERR_INVAL,
           "keys_refuses_a_name_without_terminator");
}

static void test_wipe(void)
{
    struct keys k;
    uint8_t pub[32];
    static const uint8_t zero[sizeof(struct keys)];

    keys_init(&k, root);
    (void)keys_public(&k, "alice", 0, pub);
    keys_wipe(&k);
    is_mem(&k, zero, sizeof(k), "keys_wipe_clears_the_root_and_the_cached_seed");
    is_int(keys_public(&k, "alice", 0, pub), ZERR_INVAL, "keys_wiped_service_refuses_requests");
}

static int call(struct keys *k, uint64_t badge, uint32_t op, const void *rq, size_t in_len,
                void *out, size_t cap)
{
    struct rt_msg m = {op, rq, in_len, out, cap, 0};

    return keys_handle(k, badge, &m);
}

static void test_handler(struct keys *k)
{
    uint8_t pubrq[64], sigrq[64], bad[64], out[64], want[32];
    size_t plen, slen;

    keys_req_encode(KEYS_OP_PUBLIC, "alice", 0, NULL, 0, pubrq, sizeof(pubrq), &plen);
    keys_req_encode(KEYS_OP_SIGN, "alice", 0, "msg", 3, sigrq, sizeof(sigrq), &slen);
    is_int((int64_t)plen, 4 + KEYS_NAME_FIELD, "keys_public_request_is_gen_and_name_field");
    is_int((int64_t)slen, 4 + KEYS_NAME_FIELD + 4 + 3, "keys_sign_request_adds_length_and_bytes");
    reference_pub("alice", 0, want);
    ok(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, pubrq, plen, out, 32) == 0 &&
           memcmp(out, want, 32) == 0,
       "keys_handler_serves_public_keys_to_the_public_badge");
    is_int(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_SIGN, sigrq, slen, out, 64), ZERR_PERM,
           "keys_handler_refuses_signatures_to_the_public_badge");
    is_int(call(k, KEYS_BADGE_SIGN, KEYS_OP_PUBLIC, pubrq, plen, out, 32), ZERR_PERM,
           "keys_handler_refuses_public_keys_to_the_sign_badge");
    is_int(call(k, 0, KEYS_OP_PUBLIC, pubrq, plen, out, 32), ZERR_PERM,
           "keys_handler_refuses_a_caller_without_badge");
    ok(call(k, KEYS_BADGE_SIGN, KEYS_OP_SIGN, sigrq, slen, out, 64) == 0 &&
           crypto_sign_verify_detached(out, (const uint8_t *)"msg", 3, want) == 0,
       "keys_handler_signs_for_the_sign_badge");
    is_int(call(k, KEYS_BADGE_SIGN, KEYS_OP_SIGN, sigrq, slen, out, 63), ZERR_RANGE,
           "keys_handler_refuses_a_short_signature_buffer");
    is_int(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, pubrq, plen, out, 31), ZERR_RANGE,
           "keys_handler_refuses_a_short_key_buffer");
    is_int(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, pubrq, plen - 1, out, 32), ZERR_TRUNCATED,
           "keys_handler_refuses_a_truncated_request");
    is_int(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, pubrq, plen + 1, out, 32), ZERR_INVAL,
           "keys_handler_refuses_bytes_after_the_request");
    is_int(call(k, KEYS_BADGE_SIGN, KEYS_OP_SIGN, sigrq, slen - 1, out, 64), ZERR_TRUNCATED,
           "keys_handler_refuses_a_message_shorter_than_its_length");
    memcpy(bad, pubrq, plen);
    bad[4 + 10] = 'x'; /* text after the name's NUL */
    is_int(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, bad, plen, out, 32), ZERR_INVAL,
           "keys_handler_refuses_a_name_field_with_bytes_after_its_nul");
    is_int(call(k, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, NULL, plen, out, 32), ZERR_INVAL,
           "keys_handler_refuses_a_missing_request");
    is_int(call(k, KEYS_BADGE_PUBLIC | KEYS_BADGE_SIGN, 99, pubrq, plen, out, 64), ZERR_UNSUPPORTED,
           "keys_handler_refuses_an_unknown_operation");
    is_int(
        keys_req_encode(KEYS_OP_SIGN, "alice", 0, out, KEYS_MSG_MAX + 1, bad, sizeof(bad), &slen),
        ZERR_INVAL, "keys_request_encoder_refuses_an_overlong_message");
}

int main(void)
{
    static struct keys k;

    if (sodium_init() < 0) {
        tap_plan(0);
        return 1;
    }
    tap_no_plan();
    keys_init(&k, root);
    test_derivation(&k);
    test_hostile_names(&k);
    test_handler(&k);
    test_wipe();
    return tap_done();
}
