/*
 * libFuzzer target: the strict CBOR decoder on any bytes.
 *
 * Properties: the validator, cbor_skip() and the getters never read out of
 * bounds; whatever validates is decoded by the getters without error and
 * re-encodes to exactly the same bytes (the encoding is canonical); and
 * cbor_skip() accepts every valid item whole.
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "cbor/cbor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_OUT = 8192 };

/* Decodes one item with the getters and re-encodes it into e.  Returns the
 * first decoder error.  Depth is bounded because the input validated. */
static int copy_item(cbor_dec *d, cbor_enc *e)
{
    enum cbor_type t;
    int err = cbor_peek(d, &t);
    uint64_t n = 0;
    const uint8_t *p;
    const char *s;
    size_t len;
    int64_t i;
    bool b;
    if (err != 0) {
        return err;
    }
    switch (t) {
    case CBOR_UINT:
        err = cbor_get_uint(d, &n);
        cbor_put_uint(e, n);
        return err;
    case CBOR_NEGINT:
        if (d->end - d->p >= 9 && d->p[0] == 0x3b && (d->p[1] & 0x80)) {
            /* Below INT64_MIN: cbor_get_int must refuse; copy the bytes. */
            cbor_dec probe = *d;
            ZASSERT(cbor_get_int(&probe, &i) < 0, "get_int refuses values below INT64_MIN");
            cbor_put_raw(e, d->p, 9);
            return cbor_skip(d);
        }
        err = cbor_get_int(d, &i);
        cbor_put_int(e, i);
        return err;
    case CBOR_BYTES:
        err = cbor_get_bytes(d, &p, &len);
        if (err == 0) {
            cbor_put_bytes(e, p, len);
        }
        return err;
    case CBOR_TEXT:
        err = cbor_get_text(d, &s, &len);
        if (err == 0) {
            cbor_put_text(e, s, len);
        }
        return err;
    case CBOR_ARRAY:
    case CBOR_MAP:
        err = t == CBOR_ARRAY ? cbor_get_array(d, &n) : cbor_get_map(d, &n);
        if (err != 0) {
            return err;
        }
        if (t == CBOR_ARRAY) {
            cbor_put_array(e, n);
        } else {
            cbor_put_map(e, n);
            n *= 2;
        }
        for (uint64_t k = 0; k < n && err == 0; k++) {
            err = copy_item(d, e);
        }
        return err;
    case CBOR_TAG:
        err = cbor_get_tag(d, &n);
        cbor_put_tag(e, n);
        return err == 0 ? copy_item(d, e) : err;
    case CBOR_SIMPLE:
        if (d->p[0] == 0xf6) {
            cbor_put_null(e);
            return cbor_get_null(d);
        }
        err = cbor_get_bool(d, &b);
        cbor_put_bool(e, b);
        return err;
    }
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[MAX_OUT];
    int verr = cbor_validate(data, size, 16);

    cbor_dec d;
    cbor_dec_init(&d, data, size);
    int serr = cbor_skip(&d);
    if (serr == 0) {
        serr = cbor_dec_finish(&d);
    }
    if (verr == 0) {
        ZASSERT(serr == 0, "skip accepts every valid item whole");
    }
    if (verr != 0 || size > MAX_OUT) {
        return 0;
    }
    cbor_enc e;
    cbor_enc_init(&e, out, sizeof(out));
    cbor_dec_init(&d, data, size);
    int err = copy_item(&d, &e);
    ZASSERT(err == 0 && cbor_dec_finish(&d) == 0, "getters decode whatever validates");
    size_t len = 0;
    ZASSERT(cbor_enc_finish(&e, &len) == 0, "re-encoding fits");
    ZASSERT(len == size && memcmp(out, data, size) == 0, "valid input re-encodes byte for byte");
    return 0;
}
