/* Consistency proofs between two signed checkpoints (receipt.h, docs/formats.md). */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ed25519.h"
#include "services/axiom/internal/codec.h"
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

    if (err != 0) {
        return err;
    }
    err = ax_checkpoint_encode(&p->new_cp, newb, sizeof(newb), &new_len);
    if (err != 0) {
        return err;
    }
    if (p->proof_len > AX_PROOF_MAX) {
        return ZERR_INVAL;
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
    ax_put_proof(&e, (const uint8_t(*)[AX_HASH_LEN])p->proof, p->proof_len);
    return cbor_enc_finish(&e, len);
}

int ax_consistency_decode(const uint8_t *buf, size_t len, struct ax_consistency *p)
{
    cbor_dec d;
    int err = cbor_validate(buf, len, 2);

    if (err != 0) {
        return err;
    }
    memset(p, 0, sizeof(*p));
    cbor_dec_init(&d, buf, len);
    err = ax_get_magic_map(&d, 6, CP_MAGIC);
    if (err != 0) {
        return err;
    }
    err = ax_get_checkpoint_field(&d, 1, &p->old_cp);
    if (err != 0) {
        return err;
    }
    err = ax_get_fixed_field(&d, 2, p->old_pub, ID_PUB_LEN);
    if (err != 0) {
        return err;
    }
    err = ax_get_checkpoint_field(&d, 3, &p->new_cp);
    if (err != 0) {
        return err;
    }
    err = ax_get_fixed_field(&d, 4, p->new_pub, ID_PUB_LEN);
    if (err != 0) {
        return err;
    }
    err = ax_get_proof_field(&d, 5, p->proof, &p->proof_len);
    if (err != 0) {
        return err;
    }
    return cbor_dec_finish(&d);
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
