/* Receipts: an entry, its inclusion proof and a signed checkpoint (receipt.h). */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/axiom/internal/codec.h"
#include "services/axiom/merkle.h"
#include "services/axiom/receipt.h"

#define RC_MAGIC "zero-receipt-v1"

int ax_receipt_encode(const struct ax_receipt *rc, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t cp[300];
    size_t cp_len = 0;
    cbor_enc e;
    int err = ax_checkpoint_encode(&rc->cp, cp, sizeof(cp), &cp_len);

    if (err != 0) {
        return err;
    }
    if (rc->proof_len > AX_PROOF_MAX) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 5);
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, RC_MAGIC);
    cbor_put_uint(&e, 1);
    cbor_put_bytes(&e, rc->entry, rc->entry_len);
    cbor_put_uint(&e, 2);
    ax_put_proof(&e, (const uint8_t(*)[AX_HASH_LEN])rc->proof, rc->proof_len);
    cbor_put_uint(&e, 3);
    cbor_put_bytes(&e, cp, cp_len);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, rc->node_pub, ID_PUB_LEN);
    return cbor_enc_finish(&e, len);
}

int ax_receipt_decode(const uint8_t *buf, size_t len, struct ax_receipt *rc)
{
    cbor_dec d;
    int err = cbor_validate(buf, len, 2);

    if (err != 0) {
        return err;
    }
    memset(rc, 0, sizeof(*rc));
    cbor_dec_init(&d, buf, len);
    err = ax_get_magic_map(&d, 5, RC_MAGIC);
    if (err != 0) {
        return err;
    }
    err = ax_get_key(&d, 1);
    if (err != 0) {
        return err;
    }
    err = cbor_get_bytes(&d, &rc->entry, &rc->entry_len);
    if (err != 0) {
        return err;
    }
    err = ax_get_proof_field(&d, 2, rc->proof, &rc->proof_len);
    if (err != 0) {
        return err;
    }
    err = ax_get_checkpoint_field(&d, 3, &rc->cp);
    if (err != 0) {
        return err;
    }
    err = ax_get_fixed_field(&d, 4, rc->node_pub, ID_PUB_LEN);
    if (err != 0) {
        return err;
    }
    return cbor_dec_finish(&d);
}

int ax_receipt_verify(const struct ax_receipt *rc, struct ax_entry *e, char *why, size_t whycap)
{
    uint8_t hash[AX_HASH_LEN];
    uint8_t msg[320];
    size_t mlen = 0;

    if (ax_entry_decode(rc->entry, rc->entry_len, e) != 0) {
        zfmt_snprintf(why, whycap, "%s", "the entry does not decode");
        return ZERR_CORRUPT;
    }
    blake3_hash(rc->entry, rc->entry_len, hash);
    if (!ax_merkle_verify_inclusion(hash, e->seq, rc->cp.size,
                                    (const uint8_t(*)[AX_HASH_LEN])rc->proof, rc->proof_len,
                                    rc->cp.tree_root)) {
        zfmt_snprintf(why, whycap, "%s", "the inclusion proof does not lead to the checkpoint");
        return ZERR_CORRUPT;
    }
    if (ax_checkpoint_message(&rc->cp, msg, sizeof(msg), &mlen) != 0 ||
        ed25519_verify(rc->cp.sig, msg, mlen, rc->node_pub) != 0) {
        zfmt_snprintf(why, whycap, "%s", "the checkpoint is not signed by the node key");
        return ZERR_BADSIG;
    }
    return 0;
}
