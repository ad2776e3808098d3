/*
 * Little-endian loads and stores and rotations shared by BLAKE2b, Argon2,
 * ChaCha20 and Poly1305.  Byte by byte, so any alignment works on every
 * platform.
 */
#ifndef ZERO_CRYPTO_INTERNAL_LOAD_STORE_H
#define ZERO_CRYPTO_INTERNAL_LOAD_STORE_H

#include <stdint.h>

static inline uint32_t cr_load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void cr_store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint64_t cr_load64_le(const uint8_t *p)
{
    return (uint64_t)cr_load32_le(p) | (uint64_t)cr_load32_le(p + 4) << 32;
}

static inline void cr_store64_le(uint8_t *p, uint64_t v)
{
    cr_store32_le(p, (uint32_t)v);
    cr_store32_le(p + 4, (uint32_t)(v >> 32));
}

static inline uint64_t cr_rotr64(uint64_t x, unsigned c)
{
    return (x >> c) | (x << (64 - c));
}

static inline uint32_t cr_rotl32(uint32_t x, unsigned c)
{
    return (x << c) | (x >> (32 - c));
}

#endif
