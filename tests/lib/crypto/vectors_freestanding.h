/*
 * The crypto and CBOR vector tests in freestanding form: no libc, no file
 * system, vectors compiled in.  Any TAP environment can run them (hosted,
 * wasm, or a kernel or user-space test build that provides tap_emit).
 */
#ifndef ZERO_TESTS_CRYPTO_VECTORS_FREESTANDING_H
#define ZERO_TESTS_CRYPTO_VECTORS_FREESTANDING_H

/* Runs every vector test, reporting through tests/tap.h. */
void crypto_vector_tests(void);

#endif
