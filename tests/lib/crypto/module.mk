# Tests of lib/crypto.
TESTS += crypto_blake3
crypto_blake3_SRCS := tests/lib/crypto/blake3_test.c
crypto_blake3_LIBS := crypto base hal
