/*
 * crypto_speed: Ed25519 and BLAKE3 rates of this build as bench lines
 * ("bench: native_ed25519_sign 68000 ops/s", "wasm_" in the WebAssembly
 * build).  bench/crypto_wasm.sh runs both builds and prints the wasm
 * figures against the native ones.
 */
#include <stdio.h>
#include <time.h>

#include "crypto/blake3.h"
#include "crypto/ed25519.h"

#if defined(ZERO_PLATFORM_WASM)
#define SPEED_PREFIX "wasm"
#else
#define SPEED_PREFIX "native"
#endif

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Rate of op (calls per second), best of five slices of 0.1 s: the best
 * slice is the one least disturbed by other load on the machine. */
#define BEST_RATE(rate, op)                 \
    do {                                    \
        (rate) = 0;                         \
        for (int r_ = 0; r_ < 5; r_++) {    \
            long n_ = 0;                    \
            double t0_ = now(), t_;         \
            do {                            \
                op;                         \
                n_++;                       \
                t_ = now() - t0_;           \
            } while (t_ < 0.1);             \
            if ((double)n_ / t_ > (rate)) { \
                (rate) = (double)n_ / t_;   \
            }                               \
        }                                   \
    } while (0)

int main(void)
{
    uint8_t seed[32] = {7}, pub[32], sig[64], msg[64] = {1};
    static uint8_t buf[1 << 20];
    uint8_t out[32];
    int bad = 0;
    double rate;
    ed25519_pubkey(pub, seed);
    ed25519_sign(sig, msg, sizeof(msg), seed, pub);
    BEST_RATE(rate, ed25519_sign(sig, msg, sizeof(msg), seed, pub));
    printf("bench: " SPEED_PREFIX "_ed25519_sign %.0f ops/s\n", rate);
    BEST_RATE(rate, bad |= ed25519_verify(sig, msg, sizeof(msg), pub));
    printf("bench: " SPEED_PREFIX "_ed25519_verify %.0f ops/s\n", rate);
    BEST_RATE(rate, blake3_hash(buf, sizeof(buf), out));
    printf("bench: " SPEED_PREFIX "_blake3_1MiB %.1f MiB/s\n", rate);
    return bad != 0;
}
