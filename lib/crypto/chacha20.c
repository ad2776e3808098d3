/*
 * ChaCha20 and HChaCha20.
 */
#include "crypto/chacha20.h"
#include "crypto/ct.h"
#include "crypto/internal/load_store.h"

#define QR(a, b, c, d)                  \
    do {                                \
        (a) += (b);                     \
        (d) = cr_rotl32((d) ^ (a), 16); \
        (c) += (d);                     \
        (b) = cr_rotl32((b) ^ (c), 12); \
        (a) += (b);                     \
        (d) = cr_rotl32((d) ^ (a), 8);  \
        (c) += (d);                     \
        (b) = cr_rotl32((b) ^ (c), 7);  \
    } while (0)

/* The 20 rounds (ten double rounds) in place, without the final addition. */
static void rounds(uint32_t x[16])
{
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
}

/* Constants and key in words 0..11. */
static void setup(uint32_t s[16], const uint8_t key[CHACHA20_KEY_LEN])
{
    s[0] = 0x61707865;
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    for (int i = 0; i < 8; i++) {
        s[4 + i] = cr_load32_le(key + 4 * i);
    }
}

void chacha20_xor(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[CHACHA20_KEY_LEN],
                  const uint8_t nonce[CHACHA20_NONCE_LEN], uint32_t counter)
{
    uint32_t s[16], x[16];
    uint8_t ks[CHACHA20_BLOCK_LEN];
    setup(s, key);
    s[12] = counter;
    for (int i = 0; i < 3; i++) {
        s[13 + i] = cr_load32_le(nonce + 4 * i);
    }
    while (len > 0) {
        for (int i = 0; i < 16; i++) {
            x[i] = s[i];
        }
        rounds(x);
        for (int i = 0; i < 16; i++) {
            cr_store32_le(ks + 4 * i, x[i] + s[i]);
        }
        size_t n = len < CHACHA20_BLOCK_LEN ? len : CHACHA20_BLOCK_LEN;
        for (size_t i = 0; i < n; i++) {
            out[i] = in[i] ^ ks[i];
        }
        out += n;
        in += n;
        len -= n;
        s[12]++;
    }
    secure_zero(s, sizeof(s));
    secure_zero(x, sizeof(x));
    secure_zero(ks, sizeof(ks));
}

void hchacha20(uint8_t out[CHACHA20_KEY_LEN], const uint8_t key[CHACHA20_KEY_LEN],
               const uint8_t nonce[HCHACHA20_NONCE_LEN])
{
    uint32_t x[16];
    setup(x, key);
    for (int i = 0; i < 4; i++) {
        x[12 + i] = cr_load32_le(nonce + 4 * i);
    }
    rounds(x);
    for (int i = 0; i < 4; i++) {
        cr_store32_le(out + 4 * i, x[i]);
        cr_store32_le(out + 16 + 4 * i, x[12 + i]);
    }
    secure_zero(x, sizeof(x));
}
