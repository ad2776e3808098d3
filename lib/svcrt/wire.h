/*
 * Service messages as bytes: the one encoding every service request and
 * reply uses (docs/services.md, "Messages are bytes").
 *
 * A message is a fixed sequence of fields in little-endian order, with no
 * padding and no pointers:
 *
 *   u8, u32, u64   an integer of 1, 4 or 8 bytes, little-endian
 *   bool           a u8 that is 0 or 1
 *   bytes[N]       N bytes as they are
 *   str[N]         a text field of exactly N bytes: the text, a NUL, then
 *                  NUL bytes up to N (so at most N-1 bytes of text)
 *   var            a u32 length L, then L bytes (only ever the last field)
 *
 * A decoder accepts exactly one byte string per value: a message shorter
 * than its fields is ZERR_TRUNCATED, one with bytes after its last field,
 * a bool that is not 0 or 1, or a str without its NUL or with non-NUL
 * bytes after it is ZERR_INVAL.  The first error sticks; reading past it
 * yields zeros.
 */
#ifndef ZERO_SVCRT_WIRE_H
#define ZERO_SVCRT_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A writer into a caller's buffer. */
struct wire_out {
    uint8_t *buf;
    size_t cap;
    size_t len;
    int err; /* ZERR_RANGE once a field did not fit */
};

/* A reader over a received message. */
struct wire_in {
    const uint8_t *buf;
    size_t len;
    size_t pos;
    int err;
};

void wire_out_init(struct wire_out *w, void *buf, size_t cap);
void wire_u8(struct wire_out *w, uint8_t v);
void wire_u32(struct wire_out *w, uint32_t v);
void wire_u64(struct wire_out *w, uint64_t v);
void wire_bytes(struct wire_out *w, const void *p, size_t n);
/* str[field]: s must be shorter than field (else ZERR_RANGE). */
void wire_str(struct wire_out *w, const char *s, size_t field);
/* var: a u32 length, then n bytes. */
void wire_var(struct wire_out *w, const void *p, size_t n);
/* 0 with *len the bytes written, or the first error. */
int wire_out_end(const struct wire_out *w, size_t *len);

void wire_in_init(struct wire_in *r, const void *buf, size_t len);
uint8_t wire_get_u8(struct wire_in *r);
bool wire_get_bool(struct wire_in *r);
uint32_t wire_get_u32(struct wire_in *r);
uint64_t wire_get_u64(struct wire_in *r);
void wire_get_bytes(struct wire_in *r, void *dst, size_t n);
/* str[field] into dst (field bytes, NUL-terminated when it decodes). */
void wire_get_str(struct wire_in *r, char *dst, size_t field);
/* var of at most max bytes: a view into the message (*n bytes), or NULL. */
const uint8_t *wire_get_var(struct wire_in *r, size_t max, size_t *n);
/* 0 if every byte was read exactly once, else the first error or ZERR_INVAL. */
int wire_in_end(const struct wire_in *r);

#endif
