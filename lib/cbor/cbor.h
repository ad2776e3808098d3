/*
 * Deterministic CBOR (RFC 8949 section 4.2.1, core deterministic encoding).
 *
 * Supported items: unsigned and negative integers, byte and text strings,
 * arrays, maps, tags, and the simple values false, true and null.  Floats,
 * undefined and other simple values are not part of Zero's encoding.
 *
 * The encoder always writes the shortest head and definite lengths; the
 * caller emits map keys in canonical order (sorted bytewise by their
 * encoding; ascending small unsigned integers already are).  The decoder is
 * strict: every head must be shortest-form and definite-length, text must be
 * UTF-8.  cbor_validate() additionally checks map key order and uniqueness
 * over a whole buffer; decode a buffer with the getters only after it
 * validated.  Freestanding, no allocation, no global state.
 */
#ifndef ZERO_CBOR_CBOR_H
#define ZERO_CBOR_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The deepest nesting cbor_validate() will follow, whatever max_depth says. */
#define CBOR_MAX_DEPTH 64

/* ---- encoder ---- */

/* Encoder state.  len counts every byte emitted, also past cap, so a run
 * with buf NULL and cap 0 measures the encoding. */
typedef struct cbor_enc {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err;
} cbor_enc;

/* Starts encoding into buf (cap bytes).  buf may be NULL with cap 0 to only
 * measure. */
void cbor_enc_init(cbor_enc *e, uint8_t *buf, size_t cap);
void cbor_put_uint(cbor_enc *e, uint64_t v);
void cbor_put_int(cbor_enc *e, int64_t v);
void cbor_put_bytes(cbor_enc *e, const void *p, size_t n);
void cbor_put_text(cbor_enc *e, const char *s, size_t n);
/* Writes a NUL-terminated string as text. */
void cbor_put_cstr(cbor_enc *e, const char *s);
/* Header only; n items follow. */
void cbor_put_array(cbor_enc *e, uint64_t n);
/* Header only; n key/value pairs follow, keys in canonical order. */
void cbor_put_map(cbor_enc *e, uint64_t n);
/* Header only; one item follows. */
void cbor_put_tag(cbor_enc *e, uint64_t tag);
void cbor_put_bool(cbor_enc *e, bool v);
void cbor_put_null(cbor_enc *e);
/* Appends n bytes that already are one or more encoded items. */
void cbor_put_raw(cbor_enc *e, const void *p, size_t n);

/* Returns 0 and sets *len to the encoded size, or ZERR_FULL if cap was
 * exceeded (*len is then the size needed). */
int cbor_enc_finish(const cbor_enc *e, size_t *len);

/* Orders two encoded map keys as deterministic CBOR requires (bytewise
 * lexicographic on their encodings): negative, zero or positive. */
int cbor_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/* Orders two text-string keys by their CBOR encoding: shorter strings
 * first, equal lengths bytewise.  Sort text keys with this before emitting
 * a map. */
int cbor_text_key_cmp(const char *a, size_t a_len, const char *b, size_t b_len);

/* ---- decoder ---- */

enum cbor_type {
    CBOR_UINT,
    CBOR_NEGINT,
    CBOR_BYTES,
    CBOR_TEXT,
    CBOR_ARRAY,
    CBOR_MAP,
    CBOR_TAG,
    CBOR_SIMPLE
};

/* Decoder state: reads from p up to end.  err is sticky: after the first
 * error every call returns it and consumes nothing. */
typedef struct cbor_dec {
    const uint8_t *p, *end;
    int err;
    const uint8_t *start;
} cbor_dec;

/* Checks that buf holds exactly one well-formed, canonical item and nothing
 * after it, with map keys sorted bytewise and unique, text valid UTF-8, and
 * arrays, maps and tags nested at most max_depth deep (a scalar has depth
 * 0; max_depth above CBOR_MAX_DEPTH counts as CBOR_MAX_DEPTH).
 * Returns 0, ZERR_NONCANONICAL (non-shortest head, indefinite length,
 * unsorted or duplicate keys), ZERR_TRUNCATED (input ends inside an item),
 * ZERR_CORRUPT (malformed or unsupported item, trailing bytes) or
 * ZERR_LIMIT (too deep). */
int cbor_validate(const uint8_t *buf, size_t len, unsigned max_depth);

void cbor_dec_init(cbor_dec *d, const uint8_t *buf, size_t len);

/* Sets *t to the type of the next item without consuming it. */
int cbor_peek(const cbor_dec *d, enum cbor_type *t);

/* The getters below consume one item (or, for arrays, maps and tags, the
 * head only) and return 0, or: ZERR_CORRUPT if the next item has another
 * type or is malformed, ZERR_NONCANONICAL for a non-shortest or indefinite
 * head, ZERR_TRUNCATED at the end of input, ZERR_RANGE if the value does
 * not fit the result. */
int cbor_get_uint(cbor_dec *d, uint64_t *v);
int cbor_get_int(cbor_dec *d, int64_t *v);
/* *p points into the input buffer. */
int cbor_get_bytes(cbor_dec *d, const uint8_t **p, size_t *n);
/* *s points into the input buffer and is not NUL-terminated. */
int cbor_get_text(cbor_dec *d, const char **s, size_t *n);
int cbor_get_array(cbor_dec *d, uint64_t *n);
int cbor_get_map(cbor_dec *d, uint64_t *n);
int cbor_get_tag(cbor_dec *d, uint64_t *tag);
int cbor_get_bool(cbor_dec *d, bool *v);
int cbor_get_null(cbor_dec *d);
/* Consumes one whole item, nested items included (no recursion). */
int cbor_skip(cbor_dec *d);
/* Returns 0 if all input was consumed and no error occurred, the sticky
 * error if one did, ZERR_CORRUPT if bytes remain. */
int cbor_dec_finish(const cbor_dec *d);

#endif
