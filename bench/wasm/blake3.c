/* BLAKE3 compression over a 64 KiB buffer, chained, many rounds. */
#include "common.h"

static const uint32_t iv[8] = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                               0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19};
static const uint8_t perm[16] = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};

static uint32_t rotr(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void g(uint32_t *s, int a, int b, int c, int d, uint32_t x, uint32_t y)
{
    s[a] = s[a] + s[b] + x;
    s[d] = rotr(s[d] ^ s[a], 16);
    s[c] = s[c] + s[d];
    s[b] = rotr(s[b] ^ s[c], 12);
    s[a] = s[a] + s[b] + y;
    s[d] = rotr(s[d] ^ s[a], 8);
    s[c] = s[c] + s[d];
    s[b] = rotr(s[b] ^ s[c], 7);
}

static void compress(uint32_t cv[8], const uint32_t block[16], uint64_t counter, uint32_t flags)
{
    uint32_t s[16];
    uint32_t m[16];
    uint32_t t[16];
    for (int i = 0; i < 8; i++) {
        s[i] = cv[i];
        s[i + 8] = i < 4 ? iv[i] : 0;
    }
    s[12] = (uint32_t)counter;
    s[13] = (uint32_t)(counter >> 32);
    s[14] = 64;
    s[15] = flags;
    for (int i = 0; i < 16; i++) {
        m[i] = block[i];
    }
    for (int r = 0; r < 7; r++) {
        g(s, 0, 4, 8, 12, m[0], m[1]);
        g(s, 1, 5, 9, 13, m[2], m[3]);
        g(s, 2, 6, 10, 14, m[4], m[5]);
        g(s, 3, 7, 11, 15, m[6], m[7]);
        g(s, 0, 5, 10, 15, m[8], m[9]);
        g(s, 1, 6, 11, 12, m[10], m[11]);
        g(s, 2, 7, 8, 13, m[12], m[13]);
        g(s, 3, 4, 9, 14, m[14], m[15]);
        for (int i = 0; i < 16; i++) {
            t[i] = m[perm[i]];
        }
        for (int i = 0; i < 16; i++) {
            m[i] = t[i];
        }
    }
    for (int i = 0; i < 8; i++) {
        cv[i] = s[i] ^ s[i + 8];
    }
}

static uint32_t buf[16384]; /* 64 KiB */

EXPORT uint32_t run(void)
{
    uint32_t x = 1;
    for (int i = 0; i < 16384; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = x;
    }
    uint32_t cv[8];
    for (int i = 0; i < 8; i++) {
        cv[i] = iv[i];
    }
    for (int pass = 0; pass < 48; pass++) {
        for (int b = 0; b < 16384 / 16; b++) {
            compress(cv, &buf[b * 16], (uint64_t)pass * 1024 + b, 0);
        }
    }
    return cv[0] ^ cv[7];
}
