# Tests of lib/crypto.
TESTS += crypto_blake3
crypto_blake3_SRCS := tests/lib/crypto/blake3_test.c
crypto_blake3_LIBS := crypto base hal

TESTS += crypto_ed25519
crypto_ed25519_SRCS := tests/lib/crypto/ed25519_test.c
crypto_ed25519_LIBS := crypto base hal
crypto_ed25519_LDLIBS := -lsodium
