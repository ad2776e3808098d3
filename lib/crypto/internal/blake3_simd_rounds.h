/*
 * The BLAKE3 rounds over vectors of N independent states, shared by the
 * SIMD back ends.  The including file defines the vector type b3v and the
 * operations B3V_ADD, B3V_XOR, B3V_ROT16, B3V_ROT12, B3V_ROT8, B3V_ROT7,
 * then includes this header once.  The message schedule is repeated here
 * so that the compiler sees constant indices and keeps words in registers.
 */
#ifndef ZERO_CRYPTO_INTERNAL_BLAKE3_SIMD_ROUNDS_H
#define ZERO_CRYPTO_INTERNAL_BLAKE3_SIMD_ROUNDS_H

static const unsigned char b3v_schedule[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

/* The quarter-round G on four state words of every lane. */
static inline __attribute__((always_inline)) void b3v_g(b3v *a, b3v *b, b3v *c, b3v *d, b3v x,
                                                        b3v y)
{
    *a = B3V_ADD(B3V_ADD(*a, *b), x);
    *d = B3V_ROT16(B3V_XOR(*d, *a));
    *c = B3V_ADD(*c, *d);
    *b = B3V_ROT12(B3V_XOR(*b, *c));
    *a = B3V_ADD(B3V_ADD(*a, *b), y);
    *d = B3V_ROT8(B3V_XOR(*d, *a));
    *c = B3V_ADD(*c, *d);
    *b = B3V_ROT7(B3V_XOR(*b, *c));
}

static inline __attribute__((always_inline)) void b3v_round(b3v v[16], const b3v m[16], int r)
{
    const unsigned char *s = b3v_schedule[r];
    b3v_g(&v[0], &v[4], &v[8], &v[12], m[s[0]], m[s[1]]);
    b3v_g(&v[1], &v[5], &v[9], &v[13], m[s[2]], m[s[3]]);
    b3v_g(&v[2], &v[6], &v[10], &v[14], m[s[4]], m[s[5]]);
    b3v_g(&v[3], &v[7], &v[11], &v[15], m[s[6]], m[s[7]]);
    b3v_g(&v[0], &v[5], &v[10], &v[15], m[s[8]], m[s[9]]);
    b3v_g(&v[1], &v[6], &v[11], &v[12], m[s[10]], m[s[11]]);
    b3v_g(&v[2], &v[7], &v[8], &v[13], m[s[12]], m[s[13]]);
    b3v_g(&v[3], &v[4], &v[9], &v[14], m[s[14]], m[s[15]]);
}

/* Runs the seven rounds of one block for every lane: h holds the lanes'
 * chaining values on entry and on return. */
static inline __attribute__((always_inline)) void
b3v_compress(b3v h[8], const b3v m[16], b3v counter_lo, b3v counter_hi, b3v block_len, b3v flags)
{
    b3v v[16] = {
        h[0],
        h[1],
        h[2],
        h[3],
        h[4],
        h[5],
        h[6],
        h[7],
        B3V_SET1(0x6A09E667UL),
        B3V_SET1(0xBB67AE85UL),
        B3V_SET1(0x3C6EF372UL),
        B3V_SET1(0xA54FF53AUL),
        counter_lo,
        counter_hi,
        block_len,
        flags,
    };
    b3v_round(v, m, 0);
    b3v_round(v, m, 1);
    b3v_round(v, m, 2);
    b3v_round(v, m, 3);
    b3v_round(v, m, 4);
    b3v_round(v, m, 5);
    b3v_round(v, m, 6);
    for (int i = 0; i < 8; i++) {
        h[i] = B3V_XOR(v[i], v[i + 8]);
    }
}

/* Fills counter vectors for n lanes starting at counter. */
static inline void b3v_counters(uint32_t lo[], uint32_t hi[], int n, uint64_t counter, bool inc)
{
    for (int i = 0; i < n; i++) {
        uint64_t c = counter + (inc ? (uint64_t)i : 0);
        lo[i] = (uint32_t)c;
        hi[i] = (uint32_t)(c >> 32);
    }
}

#endif
