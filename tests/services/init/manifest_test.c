/*
 * The boot manifest codec: a manifest round-trips to the same bytes, its
 * start order puts dependencies first, and the decoder refuses cycles,
 * unknown dependencies, bad names, non-canonical bytes, a wrong key and a
 * changed signature or body.
 */
#include <string.h>

#include "base/errors.h"
#include "crypto/ed25519.h"
#include "services/init/manifest/manifest.h"
#include "tap.h"

static void add(struct mf_manifest *m, const char *name, uint64_t arg, const char *dep1,
                const char *dep2)
{
    struct mf_program *p = &m->p[m->nprograms++];

    memset(p, 0, sizeof(*p));
    strcpy(p->name, name);
    strcpy(p->image, name);
    memset(p->hash, (int)arg + 1, MF_HASH_LEN);
    p->arg = arg;
    if (dep1 != NULL) {
        strcpy(p->deps[p->ndeps++], dep1);
    }
    if (dep2 != NULL) {
        strcpy(p->deps[p->ndeps++], dep2);
    }
    strcpy(p->caps[p->ncaps++], "console");
    p->mem_pages = 4096;
    p->threads = 4;
    p->restartable = arg == 3;
}

static void sample(struct mf_manifest *m)
{
    memset(m, 0, sizeof(*m));
    strcpy(m->kernel, "zero-kernel.bin");
    memset(m->kernel_hash, 0x4b, MF_HASH_LEN);
    add(m, "node", 2, "keys", "driver");
    add(m, "keys", 1, NULL, NULL);
    add(m, "driver", 3, NULL, NULL);
}

static void test_round_trip(void)
{
    struct mf_manifest m, back;
    uint8_t buf[MF_BODY_MAX], again[MF_BODY_MAX];
    size_t len = 0, len2 = 0;

    sample(&m);
    is_int(mf_encode(&m, buf, sizeof(buf), &len), 0, "manifest_encodes");
    is_int(mf_decode(buf, len, &back), 0, "manifest_decodes");
    is_int(mf_encode(&back, again, sizeof(again), &len2), 0, "decoded_manifest_encodes");
    ok(len == len2 && memcmp(buf, again, len) == 0, "manifest_round_trips_to_the_same_bytes");
    ok(back.order[0] == 1 && back.order[1] == 2 && back.order[2] == 0,
       "start_order_is_keys_driver_node (dependencies first)");
    ok(back.p[2].restartable && !back.p[1].restartable && back.p[0].ndeps == 2,
       "flags_and_dependencies_survive");
    is_int(mf_decode(buf, len - 1, &back), ZERR_TRUNCATED, "truncated_body_is_refused");
}

static void test_refusals(void)
{
    struct mf_manifest m;
    uint8_t buf[MF_BODY_MAX];
    size_t len = 0;
    int bad = 0;

    sample(&m);
    strcpy(m.p[1].deps[m.p[1].ndeps++], "node");
    is_int(mf_encode(&m, buf, sizeof(buf), &len), ZERR_INVAL, "a_dependency_cycle_is_refused");
    is_int(mf_order(&m, &bad), ZERR_INVAL, "order_finds_the_cycle");
    sample(&m);
    strcpy(m.p[0].deps[1], "disk");
    is_int(mf_order(&m, &bad), ZERR_NOENT, "an_unknown_dependency_is_refused");
    is_int(bad, 0, "the_dependent_of_the_unknown_dependency_is_named");
    sample(&m);
    strcpy(m.p[2].name, "keys");
    is_int(mf_encode(&m, buf, sizeof(buf), &len), ZERR_INVAL, "a_duplicate_name_is_refused");
    sample(&m);
    strcpy(m.p[2].name, "Driver");
    is_int(mf_encode(&m, buf, sizeof(buf), &len), ZERR_INVAL, "an_upper_case_name_is_refused");
}

static void test_signed(void)
{
    struct mf_manifest m, back;
    struct mf_signed s, got;
    uint8_t seed[32], pub[32], other[32];
    uint8_t body[MF_BODY_MAX], msg[MF_BODY_MAX + 32], file[MF_FILE_SIZE_MAX];
    size_t blen = 0, mlen = 0, flen = 0, measured = 0;

    memset(seed, 7, sizeof(seed));
    ed25519_pubkey(pub, seed);
    memset(seed, 8, sizeof(seed));
    ed25519_pubkey(other, seed);
    memset(seed, 7, sizeof(seed));
    sample(&m);
    (void)mf_encode(&m, body, sizeof(body), &blen);
    (void)mf_message(body, blen, msg, sizeof(msg), &mlen);
    memset(&s, 0, sizeof(s));
    s.body = body;
    s.body_len = blen;
    memcpy(s.pub, pub, 32);
    ed25519_sign(s.sig, msg, mlen, seed, pub);
    is_int(mf_signed_encode(&s, file, sizeof(file), &flen), 0, "signed_manifest_encodes");
    is_int(mf_signed_decode(file, flen, &got), 0, "signed_manifest_decodes");
    is_int(mf_signed_verify(&got, pub, &back), 0, "signature_verifies_under_the_release_key");
    is_int(mf_signed_verify(&got, other, &back), ZERR_PERM, "another_release_key_is_refused");
    is_int(mf_signed_measure(file, sizeof(file), &measured), 0, "signed_manifest_measures");
    is_int(measured, flen, "measured_length_is_the_file_length");
    file[flen - 1] ^= 1;
    (void)mf_signed_decode(file, flen, &got);
    is_int(mf_signed_verify(&got, pub, &back), ZERR_BADSIG, "changed_signature_is_refused");
    file[flen - 1] ^= 1;
    file[flen - 64 - 40] ^= 1; /* inside the body: a hash of the last program */
    is_int(mf_signed_decode(file, flen, &got), 0, "changed_body_still_decodes");
    is_int(mf_signed_verify(&got, pub, &back), ZERR_BADSIG, "changed_body_is_refused");
}

int main(void)
{
    tap_plan(22);
    test_round_trip();
    test_refusals();
    test_signed();
    return tap_done();
}
