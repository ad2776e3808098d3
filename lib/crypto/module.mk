# lib/crypto: BLAKE3, SHA-512, Ed25519, constant-time helpers (freestanding).
LIBS += crypto
crypto_SRCS := lib/crypto/blake3.c lib/crypto/blake3_portable.c lib/crypto/blake3_dispatch.c \
               lib/crypto/sha512.c lib/crypto/ct.c \
               lib/crypto/ed25519.c lib/crypto/ed25519_sc.c
zero_CMD_LIBS += crypto

# zero hash / zero sig (tools/zero/cmd_hash.c, cmd_sig.c) against b3sum and RFC 8032.
SCRIPT_TESTS += tests/tools/zero_hash.t tests/tools/zero_sig.t

FUZZERS += ed25519_verify
ed25519_verify_SRCS := fuzz/ed25519_verify.c
ed25519_verify_LIBS := crypto base hal
ed25519_verify_LDLIBS := -lsodium
ed25519_verify_CORPUS := fuzz/corpus/ed25519_verify
