/*
 * Benchmarks of lib/crypto: BLAKE3 throughput against b3sum, Ed25519 sign
 * and verify rates against libsodium.  Each peer is measured in the same
 * run, the same way, on the same data.
 *
 * BLAKE3 is timed twice: the library on a buffer in memory, and the tools,
 * "zero hash" against "b3sum --num-threads 1", each hashing the same file
 * k times in one process; the time of a one-file run is subtracted so
 * process start-up cancels out.  Times are CPU seconds (user + system of
 * the process, or of the child for the tools), which other load on the
 * machine disturbs far less than wall-clock time.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "crypto/aead.h"
#include "crypto/argon2.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/keys/slot.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU seconds used so far by waited-for children. */
static double children_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

/* Library throughput in MiB/s, best of several rounds of at least 0.1 s. */
static double blake3_mem_rate(const uint8_t *buf, size_t len)
{
    uint8_t out[32];
    double best = 0;
    for (int round = 0; round < 5; round++) {
        size_t n = 0;
        double t0 = now(), t;
        do {
            blake3_hash(buf, len, out);
            n++;
            t = now() - t0;
        } while (t < 0.1);
        double rate = (double)n * (double)len / t / 1048576.0;
        best = rate > best ? rate : best;
    }
    return best;
}

/* Seconds for `cmd` over `path` named k times (best of three). */
static double run_tool(const char *cmd, const char *path, int k)
{
    size_t cap = strlen(cmd) + (size_t)k * (strlen(path) + 1) + 32;
    char *line = malloc(cap);
    size_t off = (size_t)snprintf(line, cap, "%s", cmd);
    for (int i = 0; i < k; i++) {
        off += (size_t)snprintf(line + off, cap - off, " %s", path);
    }
    snprintf(line + off, cap - off, " >/dev/null");
    double best = 1e9;
    for (int r = 0; r < 3; r++) {
        double t0 = children_cpu();
        if (system(line) != 0) {
            free(line);
            return -1;
        }
        double t = children_cpu() - t0;
        best = t < best ? t : best;
    }
    free(line);
    return best;
}

static double tool_rate(const char *cmd, const char *path, size_t len, int k)
{
    double one = run_tool(cmd, path, 1);
    double many = run_tool(cmd, path, k + 1);
    if (one < 0 || many <= one) {
        return -1;
    }
    return (double)k * (double)len / (many - one) / 1048576.0;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One tool over a big file: CPU seconds of the child (threads == 1) or
 * wall-clock seconds (threaded, where the gain is in elapsed time). */
static double big_run(const char *cmd, const char *path, int use_wall)
{
    char line[512];
    snprintf(line, sizeof(line), "%s %s >/dev/null", cmd, path);
    double c0 = children_cpu(), w0 = wall();
    if (system(line) != 0) {
        return -1;
    }
    return use_wall ? wall() - w0 : children_cpu() - c0;
}

/* "zero hash" against b3sum on a 512 MiB file in the page cache, the two
 * run alternately seven times; the ratio is the median of the per-round
 * ratios, so a load change during one round moves one sample only. */
static void bench_blake3_big(const uint8_t *buf, size_t buflen)
{
    static const struct {
        const char *name, *zero, *peer, *peer_name;
        int wall;
    } cases[] = {
        {"blake3_512MiB", "build/bin/zero hash --num-threads 1", "b3sum --num-threads 1",
         "b3sum_1_thread", 0},
        {"blake3_512MiB_threads", "build/bin/zero hash", "b3sum", "b3sum", 1},
    };
    size_t len = 512u << 20;
    char path[] = "/tmp/zero_bench_big_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return;
    }
    for (size_t off = 0; off < len; off += buflen) {
        if (pwrite(fd, buf, buflen, (off_t)off) != (ssize_t)buflen) {
            close(fd);
            unlink(path);
            return;
        }
    }
    close(fd);
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        enum { ROUNDS = 7 };
        double zr[ROUNDS], pr[ROUNDS], ratio[ROUNDS];
        big_run(cases[c].zero, path, cases[c].wall); /* warm the page cache */
        int ok = 1;
        for (int r = 0; r < ROUNDS && ok; r++) {
            double z = big_run(cases[c].zero, path, cases[c].wall);
            double p = big_run(cases[c].peer, path, cases[c].wall);
            ok = z > 0 && p > 0;
            zr[r] = (double)len / 1048576.0 / z;
            pr[r] = (double)len / 1048576.0 / p;
            ratio[r] = zr[r] / pr[r];
        }
        if (!ok) {
            continue;
        }
        qsort(zr, ROUNDS, sizeof(double), cmp_double);
        qsort(pr, ROUNDS, sizeof(double), cmp_double);
        qsort(ratio, ROUNDS, sizeof(double), cmp_double);
        printf("bench: %s %.1f MiB/s vs %s %.1f ratio %.2f (ratios %.2f-%.2f)\n", cases[c].name,
               zr[ROUNDS / 2], cases[c].peer_name, pr[ROUNDS / 2], ratio[ROUNDS / 2], ratio[0],
               ratio[ROUNDS - 1]);
    }
    unlink(path);
}

static void bench_blake3(void)
{
    static const struct {
        const char *name;
        size_t len;
        int k;
    } sizes[] = {{"1KiB", 1024, 2000}, {"64KiB", 65536, 1000}, {"16MiB", 16u << 20, 24}};
    size_t max = 16u << 20;
    uint8_t *buf = malloc(max);
    for (size_t i = 0; i < max; i++) {
        buf[i] = (uint8_t)(i * 2654435761u >> 13);
    }
    char path[] = "/tmp/zero_bench_XXXXXX";
    int fd = mkstemp(path);
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t len = sizes[s].len;
        printf("bench: blake3_lib_%s_%s %.1f MiB/s\n", blake3_backend(), sizes[s].name,
               blake3_mem_rate(buf, len));
        if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, buf, len, 0) != (ssize_t)len) {
            continue;
        }
        double zero = tool_rate("build/bin/zero hash --num-threads 1", path, len, sizes[s].k);
        double b3 = tool_rate("b3sum --num-threads 1", path, len, sizes[s].k);
        if (zero > 0 && b3 > 0) {
            printf("bench: blake3_%s %.1f MiB/s vs b3sum %.1f ratio %.2f\n", sizes[s].name, zero,
                   b3, zero / b3);
        }
    }
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    bench_blake3_big(buf, max);
    free(buf);
}

/* Runs a and b alternately in slices of about 50 ms of CPU time, ten
 * slices each, and stores the best rate of each in ops/s: alternating
 * cancels slow drifts in the machine's load. */
#define OPS_PAIR(rate_a, stmt_a, rate_b, stmt_b)          \
    do {                                                  \
        (rate_a) = 0;                                     \
        (rate_b) = 0;                                     \
        for (int r_ = 0; r_ < 10; r_++) {                 \
            for (int w_ = 0; w_ < 2; w_++) {              \
                long n_ = 0;                              \
                double t0_ = now(), t_;                   \
                do {                                      \
                    for (int i_ = 0; i_ < 16; i_++) {     \
                        if (w_ == 0) {                    \
                            stmt_a;                       \
                        } else {                          \
                            stmt_b;                       \
                        }                                 \
                    }                                     \
                    n_ += 16;                             \
                    t_ = now() - t0_;                     \
                } while (t_ < 0.05);                      \
                double rate_ = (double)n_ / t_;           \
                if (w_ == 0 && rate_ > (rate_a)) {        \
                    (rate_a) = rate_;                     \
                } else if (w_ == 1 && rate_ > (rate_b)) { \
                    (rate_b) = rate_;                     \
                }                                         \
            }                                             \
        }                                                 \
    } while (0)

/* Signatures per second under one expanded key (a log's node key at its
 * checkpoints): one at a time, then ED25519_BATCH_CHUNK per batch. */
static void bench_ed25519_batch(const uint8_t seed[32], const uint8_t pub[32])
{
    static ed25519_vkey vk;
    static uint8_t sigs[ED25519_BATCH_CHUNK][64], msgs[ED25519_BATCH_CHUNK][200];
    ed25519_batch_item items[ED25519_BATCH_CHUNK];
    double best_one = 0, best_batch = 0;
    size_t bad = 0;

    ed25519_pubkey_expand(&vk, pub);
    for (int i = 0; i < ED25519_BATCH_CHUNK; i++) {
        randombytes_buf(msgs[i], sizeof(msgs[i]));
        ed25519_sign(sigs[i], msgs[i], sizeof(msgs[i]), seed, pub);
        items[i] = (ed25519_batch_item){sigs[i], msgs[i], sizeof(msgs[i]), &vk};
    }
    for (int run = 0; run < 3; run++) {
        size_t n = 0;
        double t0 = now(), t;
        do {
            for (int i = 0; i < ED25519_BATCH_CHUNK; i++) {
                bad += ed25519_verify_expanded(sigs[i], msgs[i], sizeof(msgs[i]), &vk) != 0;
            }
            n += ED25519_BATCH_CHUNK;
        } while ((t = now() - t0) < 0.1);
        best_one = (double)n / t > best_one ? (double)n / t : best_one;
        n = 0;
        t0 = now();
        do {
            bad += ed25519_verify_batch(items, ED25519_BATCH_CHUNK) != ED25519_BATCH_CHUNK;
            n += ED25519_BATCH_CHUNK;
        } while ((t = now() - t0) < 0.1);
        best_batch = (double)n / t > best_batch ? (double)n / t : best_batch;
    }
    printf("bench: ed25519_verify_batch %.0f sigs/s vs ed25519_verify_expanded %.0f ratio %.2f "
           "(one key, %d per batch, 200-byte messages)\n",
           best_batch, best_one, best_batch / best_one, ED25519_BATCH_CHUNK);
    if (bad != 0) {
        printf("bench: ed25519 batch verification failed during the benchmark\n");
    }
}

static void bench_ed25519(void)
{
    uint8_t seed[32], pub[32], pk[32], sk[64], sig[64], ssig[64], msg[64];
    randombytes_buf(seed, sizeof(seed));
    randombytes_buf(msg, sizeof(msg));
    ed25519_pubkey(pub, seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    ed25519_sign(sig, msg, sizeof(msg), seed, pub);
    crypto_sign_detached(ssig, NULL, msg, sizeof(msg), sk);
    volatile int sink = 0;
    double zs, ss, zv, sv;
    OPS_PAIR(zs, ed25519_sign(sig, msg, sizeof(msg), seed, pub), ss,
             crypto_sign_detached(ssig, NULL, msg, sizeof(msg), sk));
    OPS_PAIR(zv, sink += ed25519_verify(sig, msg, sizeof(msg), pub), sv,
             sink += crypto_sign_verify_detached(ssig, msg, sizeof(msg), pk));
    printf("bench: ed25519_sign %.0f ops/s vs libsodium %.0f ratio %.2f\n", zs, ss, zs / ss);
    printf("bench: ed25519_verify %.0f ops/s vs libsodium %.0f ratio %.2f\n", zv, sv, zv / sv);
    if (sink != 0) {
        printf("bench: ed25519 verification failed during the benchmark\n");
    }
    bench_ed25519_batch(seed, pub);
}

/* Argon2id at the key slot's parameters (the time to unlock a sealed disk)
 * against libsodium's crypto_pwhash with the same ones, best of three. */
static void bench_argon2id(void)
{
    const uint32_t t = KEYSLOT_T_COST, m = KEYSLOT_M_KIB;
    uint8_t salt[16] = {1}, tag[32], want[32];
    argon2_params p = {ARGON2_ID, t, m, KEYSLOT_LANES};
    argon2_input in = {"passphrase", 10, salt, sizeof(salt), NULL, 0, NULL, 0};
    size_t len = argon2_work_size(m, KEYSLOT_LANES);
    void *work = malloc(len);
    double zb = 1e9, sb = 1e9;
    for (int r = 0; r < 3 && work != NULL; r++) {
        double t0 = wall();
        argon2(&p, &in, tag, sizeof(tag), work, len);
        double t1 = wall();
        if (crypto_pwhash(want, sizeof(want), "passphrase", 10, salt, t, (size_t)m * 1024,
                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
            break;
        }
        double t2 = wall();
        zb = t1 - t0 < zb ? t1 - t0 : zb;
        sb = t2 - t1 < sb ? t2 - t1 : sb;
    }
    free(work);
    printf("bench: argon2id_t%u_m%uKiB_p%u %.3f s vs libsodium %.3f ratio %.2f%s\n", t, m,
           KEYSLOT_LANES, zb, sb, sb / zb, memcmp(tag, want, 32) == 0 ? "" : " (TAGS DIFFER)");
}

/* XChaCha20-Poly1305 on 64 KiB messages against libsodium. */
static void bench_aead(void)
{
    enum { LEN = 65536 };
    static uint8_t pt[LEN], ct[LEN + 16];
    uint8_t key[32], nonce[24], tag[16];
    randombytes_buf(key, sizeof(key));
    randombytes_buf(nonce, sizeof(nonce));
    unsigned long long clen;
    double z, s;
    OPS_PAIR(
        z, xchacha20poly1305_encrypt(ct, tag, pt, LEN, NULL, 0, nonce, key), s,
        crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &clen, pt, LEN, NULL, 0, NULL, nonce, key));
    printf("bench: xchacha20poly1305_64KiB %.1f MiB/s vs libsodium %.1f ratio %.2f\n",
           z * LEN / 1048576.0, s * LEN / 1048576.0, z / s);
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        return 1;
    }
    /* "blake3", "ed25519" or "kdf" runs one part only. */
    const char *only = argc > 1 ? argv[1] : "";
    if (only[0] == '\0' || strcmp(only, "blake3") == 0) {
        bench_blake3();
    }
    if (only[0] == '\0' || strcmp(only, "ed25519") == 0) {
        bench_ed25519();
    }
    if (only[0] == '\0' || strcmp(only, "kdf") == 0) {
        bench_aead();
        bench_argon2id();
    }
    return 0;
}
