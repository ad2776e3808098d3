/* Receipts: an entry, its inclusion proof and a signed checkpoint (axiom.h). */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/axiom/merkle.h"
#include "services/axiom/receipt.h"

#define RC_MAGIC "zero-receipt-v1"

int ax_receipt_encode(const struct ax_receipt *rc, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t cp[300];
    size_t cp_len = 0;
    cbor_enc e;
    int err = ax_checkpoint_encode(&rc->cp, cp, sizeof(cp), &cp_len);

    if (err != 0 || rc->proof_len > 64) {
        return err != 0 ? err : ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 5);
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, RC_MAGIC);
    cbor_put_uint(&e, 1);
    cbor_put_bytes(&e, rc->entry, rc->entry_len);
    cbor_put_uint(&e, 2);
    cbor_put_array(&e, rc->proof_len);
    for (size_t i = 0; i < rc->proof_len; i++) {
        cbor_put_bytes(&e, rc->proof[i], AX_HASH_LEN);
    }
    cbor_put_uint(&e, 3);
    cbor_put_bytes(&e, cp, cp_len);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, rc->node_pub, ID_PUB_LEN);
    return cbor_enc_finish(&e, len);
}

static int rc_key(cbor_dec *d, uint64_t want)
{
    uint64_t k = 0;
    int err = cbor_get_uint(d, &k);

    return err != 0 ? err : (k == want ? 0 : ZERR_CORRUPT);
}

static int rc_fixed(cbor_dec *d, uint8_t *out, size_t n)
{
    const uint8_t *p = NULL;
    size_t len = 0;
    int err = cbor_get_bytes(d, &p, &len);

    if (err == 0 && len != n) {
        err = ZERR_CORRUPT;
    }
    if (err == 0) {
        memcpy(out, p, n);
    }
    return err;
}

static int rc_proof(cbor_dec *d, struct ax_receipt *rc)
{
    uint64_t n = 0;
    int err = rc_key(d, 2);

    err = err != 0 ? err : cbor_get_array(d, &n);
    if (err == 0 && n > 64) {
        return ZERR_CORRUPT;
    }
    rc->proof_len = (size_t)n;
    for (size_t i = 0; err == 0 && i < rc->proof_len; i++) {
        err = rc_fixed(d, rc->proof[i], AX_HASH_LEN);
    }
    return err;
}

int ax_receipt_decode(const uint8_t *buf, size_t len, struct ax_receipt *rc)
{
    cbor_dec d;
    uint64_t n = 0;
    const char *magic = NULL;
    size_t mlen = 0;
    const uint8_t *cp = NULL;
    size_t cp_len = 0;
    int err = cbor_validate(buf, len, 2);

    if (err != 0) {
        return err;
    }
    memset(rc, 0, sizeof(*rc));
    cbor_dec_init(&d, buf, len);
    err = cbor_get_map(&d, &n);
    err = err != 0 ? err : (n == 5 ? 0 : ZERR_CORRUPT);
    err = err != 0 ? err : rc_key(&d, 0);
    err = err != 0 ? err : cbor_get_text(&d, &magic, &mlen);
    if (err == 0 && (mlen != sizeof(RC_MAGIC) - 1 || memcmp(magic, RC_MAGIC, mlen) != 0)) {
        return ZERR_CORRUPT;
    }
    err = err != 0 ? err : rc_key(&d, 1);
    err = err != 0 ? err : cbor_get_bytes(&d, &rc->entry, &rc->entry_len);
    err = err != 0 ? err : rc_proof(&d, rc);
    err = err != 0 ? err : rc_key(&d, 3);
    err = err != 0 ? err : cbor_get_bytes(&d, &cp, &cp_len);
    err = err != 0 ? err : ax_checkpoint_decode(cp, cp_len, &rc->cp);
    err = err != 0 ? err : rc_key(&d, 4);
    err = err != 0 ? err : rc_fixed(&d, rc->node_pub, ID_PUB_LEN);
    return err != 0 ? err : cbor_dec_finish(&d);
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
