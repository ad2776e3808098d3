/*
 * Scalars modulo L = 2^252 + 27742317777372353535851937790883648493, the
 * order of the Ed25519 base point.  Constant time.
 */
#ifndef ZERO_CRYPTO_INTERNAL_ED25519_SC_H
#define ZERO_CRYPTO_INTERNAL_ED25519_SC_H

#include <stdbool.h>
#include <stdint.h>

/* out = in mod L, for a 64-byte little-endian in. */
void ed_sc_reduce(uint8_t out[32], const uint8_t in[64]);

/* s = (a * b + c) mod L, all little-endian. */
void ed_sc_muladd(uint8_t s[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32]);

/* Returns true if s < L (variable time: s is public). */
bool ed_sc_is_canonical(const uint8_t s[32]);

#endif
