/* Consistency proofs between two signed checkpoints (axiom.h, docs/formats.md). */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ed25519.h"
#include "services/axiom/merkle.h"
#include "services/axiom/receipt.h"

#define CP_MAGIC "zero-consistency-v1"
#define CP_BYTES_MAX 300

int ax_consistency_encode(const struct ax_consistency *p, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t oldb[CP_BYTES_MAX], newb[CP_BYTES_MAX];
    size_t old_len = 0, new_len = 0;
    cbor_enc e;
    int err = ax_checkpoint_encode(&p->old_cp, oldb, sizeof(oldb), &old_len);

    err = err != 0 ? err : ax_checkpoint_encode(&p->new_cp, newb, sizeof(newb), &new_len);
    if (err != 0 || p->proof_len > 64) {
        return err != 0 ? err : ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 6);
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, CP_MAGIC);
    cbor_put_uint(&e, 1);
    cbor_put_bytes(&e, oldb, old_len);
    cbor_put_uint(&e, 2);
    cbor_put_bytes(&e, p->old_pub, ID_PUB_LEN);
    cbor_put_uint(&e, 3);
    cbor_put_bytes(&e, newb, new_len);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, p->new_pub, ID_PUB_LEN);
    cbor_put_uint(&e, 5);
    cbor_put_array(&e, p->proof_len);
    for (size_t i = 0; i < p->proof_len; i++) {
        cbor_put_bytes(&e, p->proof[i], AX_HASH_LEN);
    }
    return cbor_enc_finish(&e, len);
}

/* Reads the map key want (keys come in order 0..5). */
static int cp_key(cbor_dec *d, uint64_t want)
{
    uint64_t k = 0;
    int err = cbor_get_uint(d, &k);

    return err != 0 ? err : (k == want ? 0 : ZERR_CORRUPT);
}

/* Reads a byte string of exactly n bytes into out. */
static int cp_fixed(cbor_dec *d, uint8_t *out, size_t n)
{
    const uint8_t *b = NULL;
    size_t len = 0;
    int err = cbor_get_bytes(d, &b, &len);

    if (err == 0 && len != n) {
        err = ZERR_CORRUPT;
    }
    if (err == 0) {
        memcpy(out, b, n);
    }
    return err;
}

/* Reads key k, a checkpoint's bytes, then key k + 1 and its node key. */
static int cp_signed(cbor_dec *d, uint64_t k, struct ax_checkpoint *c, uint8_t pub[ID_PUB_LEN])
{
    const uint8_t *b = NULL;
    size_t len = 0;
    int err = cp_key(d, k);

    err = err != 0 ? err : cbor_get_bytes(d, &b, &len);
    err = err != 0 ? err : ax_checkpoint_decode(b, len, c);
    err = err != 0 ? err : cp_key(d, k + 1);
    return err != 0 ? err : cp_fixed(d, pub, ID_PUB_LEN);
}

int ax_consistency_decode(const uint8_t *buf, size_t len, struct ax_consistency *p)
{
    cbor_dec d;
    uint64_t n = 0;
    const char *magic = NULL;
    size_t mlen = 0;
    int err = cbor_validate(buf, len, 2);

    if (err != 0) {
        return err;
    }
    memset(p, 0, sizeof(*p));
    cbor_dec_init(&d, buf, len);
    err = cbor_get_map(&d, &n);
    err = err != 0 ? err : (n == 6 ? 0 : ZERR_CORRUPT);
    err = err != 0 ? err : cp_key(&d, 0);
    err = err != 0 ? err : cbor_get_text(&d, &magic, &mlen);
    if (err == 0 && (mlen != sizeof(CP_MAGIC) - 1 || memcmp(magic, CP_MAGIC, mlen) != 0)) {
        return ZERR_CORRUPT;
    }
    err = err != 0 ? err : cp_signed(&d, 1, &p->old_cp, p->old_pub);
    err = err != 0 ? err : cp_signed(&d, 3, &p->new_cp, p->new_pub);
    err = err != 0 ? err : cp_key(&d, 5);
    err = err != 0 ? err : cbor_get_array(&d, &n);
    if (err == 0 && n > 64) {
        return ZERR_CORRUPT;
    }
    p->proof_len = (size_t)n;
    for (size_t i = 0; err == 0 && i < p->proof_len; i++) {
        err = cp_fixed(&d, p->proof[i], AX_HASH_LEN);
    }
    return err != 0 ? err : cbor_dec_finish(&d);
}

/* True if c carries a valid signature by pub. */
static bool cp_signed_by(const struct ax_checkpoint *c, const uint8_t pub[ID_PUB_LEN])
{
    uint8_t msg[CP_BYTES_MAX + 32];
    size_t mlen = 0;

    return ax_checkpoint_message(c, msg, sizeof(msg), &mlen) == 0 &&
           ed25519_verify(c->sig, msg, mlen, pub) == 0;
}

int ax_consistency_verify(const struct ax_consistency *p, char *why, size_t whycap)
{
    const struct ax_checkpoint *o = &p->old_cp;
    const struct ax_checkpoint *n = &p->new_cp;

    if (o->size == 0 || o->size > n->size || o->batch > n->batch ||
        (o->size == n->size) != (o->batch == n->batch)) {
        zfmt_snprintf(why, whycap, "%s", "the checkpoints are not in log order");
        return ZERR_CORRUPT;
    }
    if (!cp_signed_by(o, p->old_pub)) {
        zfmt_snprintf(why, whycap, "%s", "the old checkpoint is not signed by its node key");
        return ZERR_BADSIG;
    }
    if (!cp_signed_by(n, p->new_pub)) {
        zfmt_snprintf(why, whycap, "%s", "the new checkpoint is not signed by its node key");
        return ZERR_BADSIG;
    }
    if (!ax_merkle_verify_consistency(o->size, n->size, o->tree_root, n->tree_root,
                                      (const uint8_t(*)[AX_HASH_LEN])p->proof, p->proof_len)) {
        zfmt_snprintf(why, whycap, "%s",
                      "the proof does not lead from the old tree to the new one");
        return ZERR_CORRUPT;
    }
    return 0;
}
