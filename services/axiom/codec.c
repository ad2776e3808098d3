/* Decoding helpers shared by the Axiom's CBOR formats (internal/codec.h). */
#include "services/axiom/internal/codec.h"

#include "base/errors.h"
#include "base/string.h"

int ax_get_key(cbor_dec *d, uint64_t want)
{
    uint64_t k = 0;
    int err = cbor_get_uint(d, &k);

    if (err != 0) {
        return err;
    }
    return k == want ? 0 : ZERR_CORRUPT;
}

int ax_get_fixed(cbor_dec *d, uint8_t *out, size_t n)
{
    const uint8_t *p = NULL;
    size_t len = 0;
    int err = cbor_get_bytes(d, &p, &len);

    if (err != 0) {
        return err;
    }
    if (len != n) {
        return ZERR_CORRUPT;
    }
    memcpy(out, p, n);
    return 0;
}

int ax_get_fixed_field(cbor_dec *d, uint64_t key, uint8_t *out, size_t n)
{
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    return ax_get_fixed(d, out, n);
}

int ax_get_magic_map(cbor_dec *d, uint64_t n, const char *magic)
{
    uint64_t got = 0;
    const char *s = NULL;
    size_t len = 0;
    int err = cbor_get_map(d, &got);

    if (err != 0) {
        return err;
    }
    if (got != n) {
        return ZERR_CORRUPT;
    }
    err = ax_get_key(d, 0);
    if (err != 0) {
        return err;
    }
    err = cbor_get_text(d, &s, &len);
    if (err != 0) {
        return err;
    }
    return len == strlen(magic) && memcmp(s, magic, len) == 0 ? 0 : ZERR_CORRUPT;
}

int ax_get_checkpoint_field(cbor_dec *d, uint64_t key, struct ax_checkpoint *c)
{
    const uint8_t *b = NULL;
    size_t len = 0;
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    err = cbor_get_bytes(d, &b, &len);
    if (err != 0) {
        return err;
    }
    return ax_checkpoint_decode(b, len, c);
}

int ax_get_proof_field(cbor_dec *d, uint64_t key, uint8_t (*proof)[AX_HASH_LEN], size_t *n)
{
    uint64_t count = 0;
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    err = cbor_get_array(d, &count);
    if (err != 0) {
        return err;
    }
    if (count > AX_PROOF_MAX) {
        return ZERR_CORRUPT;
    }
    *n = (size_t)count;
    for (size_t i = 0; i < *n; i++) {
        err = ax_get_fixed(d, proof[i], AX_HASH_LEN);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

void ax_put_proof(cbor_enc *e, const uint8_t (*proof)[AX_HASH_LEN], size_t n)
{
    cbor_put_array(e, n);
    for (size_t i = 0; i < n; i++) {
        cbor_put_bytes(e, proof[i], AX_HASH_LEN);
    }
}
