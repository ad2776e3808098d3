/*
 * Scalar arithmetic modulo L in radix 2^8 with signed 64-bit accumulators.
 * Short and constant time; Ed25519 spends well under 5% of its time here.
 */
#include "crypto/internal/ed25519_sc.h"
#include "crypto/ct.h"

static const int64_t sc_l[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
                                 0xa2, 0xde, 0xf9, 0xde, 0x14, 0,    0,    0,    0,    0,    0,
                                 0,    0,    0,    0,    0,    0,    0,    0,    0,    0x10};

/* Reduces x (64 signed digits of radix 2^8, each below 2^40 in
 * magnitude) modulo L into 32 bytes.  Right shifts of negative values are
 * arithmetic on every compiler Zero supports. */
static void sc_mod_l(uint8_t r[32], int64_t x[64])
{
    int64_t carry;
    for (int i = 63; i >= 32; i--) {
        carry = 0;
        int j;
        for (j = i - 32; j < i - 12; j++) {
            x[j] += carry - 16 * x[i] * sc_l[j - (i - 32)];
            carry = (x[j] + 128) >> 8;
            x[j] -= carry * 256;
        }
        x[j] += carry;
        x[i] = 0;
    }
    carry = 0;
    for (int j = 0; j < 32; j++) {
        x[j] += carry - (x[31] >> 4) * sc_l[j];
        carry = x[j] >> 8;
        x[j] &= 255;
    }
    for (int j = 0; j < 32; j++) {
        x[j] -= carry * sc_l[j];
    }
    for (int i = 0; i < 32; i++) {
        x[i + 1] += x[i] >> 8;
        r[i] = (uint8_t)(x[i] & 255);
    }
}

void ed_sc_reduce(uint8_t out[32], const uint8_t in[64])
{
    int64_t x[65];
    for (int i = 0; i < 64; i++) {
        x[i] = in[i];
    }
    x[64] = 0;
    sc_mod_l(out, x);
    secure_zero(x, sizeof(x));
}

void ed_sc_muladd(uint8_t s[32], const uint8_t a[32], const uint8_t b[32], const uint8_t c[32])
{
    int64_t x[65] = {0};
    for (int i = 0; i < 32; i++) {
        x[i] = c[i];
    }
    for (int i = 0; i < 32; i++) {
        for (int j = 0; j < 32; j++) {
            x[i + j] += (int64_t)a[i] * b[j];
        }
    }
    sc_mod_l(s, x);
    secure_zero(x, sizeof(x));
}

bool ed_sc_is_canonical(const uint8_t s[32])
{
    for (int i = 31; i >= 0; i--) {
        if (s[i] != (uint8_t)sc_l[i]) {
            return s[i] < (uint8_t)sc_l[i];
        }
    }
    return false; /* s == L */
}
