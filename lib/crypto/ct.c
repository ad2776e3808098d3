/*
 * Constant-time comparison and secure wiping.
 */
#include "crypto/ct.h"

#include <stdint.h>

#include "base/string.h"

bool ct_equal(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *x = (const volatile uint8_t *)a;
    const volatile uint8_t *y = (const volatile uint8_t *)b;
    uint8_t diff = 0;
    for (size_t i = 0; i < n; i++) {
        diff |= (uint8_t)(x[i] ^ y[i]);
    }
    /* Map 0 to 1 and 1..255 to 0 without a branch on diff. */
    return (bool)(1 & (((uint32_t)diff - 1) >> 8));
}

void secure_zero(void *p, size_t n)
{
    memset(p, 0, n);
    /* The barrier claims to read all memory through p, so the compiler
     * must keep the stores even when p is about to go out of scope. */
    __asm__ __volatile__("" : : "r"(p) : "memory");
}
