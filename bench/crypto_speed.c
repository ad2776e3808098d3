/*
 * crypto_speed: Ed25519 and BLAKE3 rates of this build, one "name value"
 * line each.  bench/crypto_wasm.sh runs the hosted and the WebAssembly
 * builds and prints the wasm figures against the native ones.
 */
#include <stdio.h>
#include <time.h>

#include "crypto/blake3.h"
#include "crypto/ed25519.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(void)
{
    uint8_t seed[32] = {7}, pub[32], sig[64], msg[64] = {1};
    static uint8_t buf[1 << 20];
    uint8_t out[32];
    ed25519_pubkey(pub, seed);
    ed25519_sign(sig, msg, sizeof(msg), seed, pub);

    long n = 0;
    double t0 = now(), t;
    do {
        ed25519_sign(sig, msg, sizeof(msg), seed, pub);
        n++;
        t = now() - t0;
    } while (t < 0.5);
    printf("ed25519_sign %.0f\n", (double)n / t);

    int bad = 0;
    n = 0;
    t0 = now();
    do {
        bad |= ed25519_verify(sig, msg, sizeof(msg), pub);
        n++;
        t = now() - t0;
    } while (t < 0.5);
    printf("ed25519_verify %.0f\n", (double)n / t);

    n = 0;
    t0 = now();
    do {
        blake3_hash(buf, sizeof(buf), out);
        n++;
        t = now() - t0;
    } while (t < 0.5);
    printf("blake3_1MiB %.1f\n", (double)n / t);
    return bad != 0;
}
