# Tests of lib/crypto.
TESTS += crypto_blake3
crypto_blake3_SRCS := tests/lib/crypto/blake3_test.c
crypto_blake3_LIBS := crypto base hal

TESTS += crypto_ed25519
crypto_ed25519_SRCS := tests/lib/crypto/ed25519_test.c
crypto_ed25519_LIBS := crypto base hal
crypto_ed25519_LDLIBS := -lsodium

TESTS += crypto_kdf_aead
crypto_kdf_aead_SRCS := tests/lib/crypto/kdf_aead_test.c
crypto_kdf_aead_LIBS := crypto base hal
crypto_kdf_aead_LDLIBS := -lsodium

# The vector tests in freestanding form, also run on wasm (and callable from
# a kernel test build: tests/lib/crypto/vectors_freestanding.h).
TESTS += crypto_vectors
WASM_TESTS += crypto_vectors
crypto_vectors_SRCS := tests/lib/crypto/vectors_main.c tests/lib/crypto/vectors_freestanding.c
crypto_vectors_LIBS := cbor crypto base hal

# Verification under an expanded key against plain verification, in both
# field representations.
TESTS += crypto_ed25519_expanded crypto_ed25519_expanded_fe32
crypto_ed25519_expanded_SRCS := tests/lib/crypto/ed25519_expanded_test.c
crypto_ed25519_expanded_LIBS := crypto base hal
crypto_ed25519_expanded_fe32_SRCS := tests/lib/crypto/ed25519_expanded_test.c \
                                     tests/lib/crypto/ed25519_fe32.c
crypto_ed25519_expanded_fe32_LIBS := crypto base hal

# Batch verification against single verification and libsodium, in both
# field representations.
TESTS += crypto_ed25519_batch crypto_ed25519_batch_fe32
crypto_ed25519_batch_SRCS := tests/lib/crypto/ed25519_batch_test.c
crypto_ed25519_batch_LIBS := crypto base hal
crypto_ed25519_batch_LDLIBS := -lsodium
crypto_ed25519_batch_fe32_SRCS := tests/lib/crypto/ed25519_batch_test.c \
                                  tests/lib/crypto/ed25519_fe32.c
crypto_ed25519_batch_fe32_LIBS := crypto base hal
crypto_ed25519_batch_fe32_LDLIBS := -lsodium

# The same Ed25519 tests with the 32-bit field representation.
TESTS += crypto_ed25519_fe32
crypto_ed25519_fe32_SRCS := tests/lib/crypto/ed25519_test.c tests/lib/crypto/ed25519_fe32.c
crypto_ed25519_fe32_LIBS := crypto base hal
crypto_ed25519_fe32_LDLIBS := -lsodium

# The same vectors inside the x86_64 kernel: a user program run as init by
# tests/lib/crypto/kernel_vectors.t.  (USER_LDLIBS comes from lib/zero/module.mk.)
ifeq ($(PLATFORM),x86_64)
PROGS += cryptotests
cryptotests_SRCS := tests/lib/crypto/vectors_user.c tests/lib/crypto/vectors_freestanding.c \
                    tests/tap_core.c
cryptotests_LIBS := zuser cbor crypto base hal
cryptotests_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/cryptotests: lib/zero/user.ld
endif
SCRIPT_TESTS += tests/lib/crypto/kernel_vectors.t
