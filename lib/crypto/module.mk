# lib/crypto: BLAKE3, SHA-512, Ed25519, BLAKE2b, Argon2, (X)ChaCha20-Poly1305,
# constant-time helpers (freestanding).
LIBS += crypto
crypto_SRCS := lib/crypto/blake3.c lib/crypto/blake3_portable.c lib/crypto/blake3_dispatch.c \
               lib/crypto/sha512.c lib/crypto/ct.c \
               lib/crypto/ed25519.c lib/crypto/ed25519_sc.c \
               lib/crypto/blake2b.c lib/crypto/argon2.c lib/crypto/chacha20.c \
               lib/crypto/poly1305.c lib/crypto/aead.c
crypto_LIBS := base
zero_CMD_LIBS += crypto

# Hosted x86_64 builds and x86_64 user programs add the SIMD BLAKE3 back
# ends, chosen at run time by CPUID (hal_cpu_vector_features; on x86_64 the
# user HAL reports SSE4.1 at most, since the kernel saves only the FXSAVE
# state).  The kernel does not link this library; wasm uses the portable code.
ifneq ($(filter hosted-x86_64 x86_64-%,$(PLATFORM)-$(shell uname -m)),)
crypto_SRCS += lib/crypto/blake3_sse41.c lib/crypto/blake3_avx2.c lib/crypto/blake3_avx512.c
lib/crypto/blake3.c_CFLAGS := -DZERO_BLAKE3_SIMD
lib/crypto/blake3_dispatch.c_CFLAGS := -DZERO_BLAKE3_SIMD
lib/crypto/blake3_sse41.c_CFLAGS := -DZERO_BLAKE3_SIMD -msse4.1
lib/crypto/blake3_avx2.c_CFLAGS := -DZERO_BLAKE3_SIMD -mavx2
lib/crypto/blake3_avx512.c_CFLAGS := -DZERO_BLAKE3_SIMD -mavx512f -mavx512vl
endif
ifeq ($(PLATFORM)-$(shell uname -m),hosted-x86_64)
# clang allocates the 32 vector registers of the 16-way code better than
# gcc (about 13% faster); sanitizer builds keep one compiler's runtime.
ifneq ($(SAN)$(FUZZ),1)
$(O)/obj/lib/crypto/blake3_avx512.o $(O)/obj/lib/crypto/blake3_avx2.o: CC := clang
endif
endif

# zero hash / zero sig (tools/zero/cmd_hash.c, cmd_sig.c) against b3sum and RFC 8032.
SCRIPT_TESTS += tests/tools/zero_hash.t tests/tools/zero_sig.t tests/lib/crypto/ct_msan.t

FUZZERS += ed25519_verify
ed25519_verify_SRCS := fuzz/ed25519_verify.c
ed25519_verify_LIBS := crypto base hal
ed25519_verify_LDLIBS := -lsodium
ed25519_verify_CORPUS := fuzz/corpus/ed25519_verify

BENCHES += bench_crypto
bench_crypto_SRCS := bench/crypto_bench.c
bench_crypto_LIBS := crypto base hal
bench_crypto_LDLIBS := -lsodium

# The same small speed program natively and in WebAssembly (bench/crypto_wasm.sh).
BENCHES += crypto_speed
crypto_speed_SRCS := bench/crypto_speed.c
crypto_speed_LIBS := crypto base hal
ifeq ($(PLATFORM),wasm)
PROGS += crypto_speed
crypto_speed_PLATFORMS := wasm
endif
BENCH_SCRIPTS += bench/crypto_wasm.sh
