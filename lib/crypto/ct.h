/*
 * Constant-time comparison and secure wiping of secrets.
 */
#ifndef ZERO_CRYPTO_CT_H
#define ZERO_CRYPTO_CT_H

#include <stdbool.h>
#include <stddef.h>

/* Returns true if the n bytes at a and b are equal.  The running time
 * depends only on n, never on the contents. */
bool ct_equal(const void *a, const void *b, size_t n);

/* Sets n bytes at p to zero in a way the compiler cannot remove, even when
 * p is about to go out of scope. */
void secure_zero(void *p, size_t n);

#endif
