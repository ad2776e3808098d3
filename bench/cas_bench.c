/*
 * Benchmarks of the content-addressed store on a hosted disk file:
 *
 * - put: a 256 MiB host file read into memory, stored (chunked, hashed,
 *   written to space extents) and committed (flushed), against
 *   `b3sum --num-threads 1 F && cp F G && sync G` on the same disk;
 * - get: the file read back through verified reads into a host file that
 *   is then synced, against the same b3sum + cp + sync (a verified copy);
 * - chunking: cas_chunk_cut alone over 256 MiB in memory, in GB/s;
 * - dedup: ten versions of a 16 MiB file, each a few edits (insertions,
 *   deletions, overwrites) away from the one before, stored together:
 *   logical bytes over stored bytes, against fixed 64 KiB blocks.
 *
 * Times are wall-clock, best of three, in the same run on the same data.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/store/store.h"

#define FILE_BYTES (256u << 20)
#define DISK_BYTES (640ull << 20)
#define TAB (1u << 16)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static void fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        p[i] = (uint8_t)(rng >> 29);
    }
}

static struct store_mem mem;

static void mem_setup(void)
{
    mem.tab = calloc(TAB, sizeof(*mem.tab));
    mem.tab_cap = TAB;
    mem.chunk_buf = malloc(CAS_CHUNK_MAX);
    mem.list_cap = 2u << 20;
    mem.list_buf = malloc(mem.list_cap);
    mem.used = malloc(SPACE_MAP_BYTES(DISK_BYTES / SPACE_BLOCK));
    mem.freed = malloc(SPACE_MAP_BYTES(DISK_BYTES / SPACE_BLOCK));
    mem.root_cap = 8u << 20;
    mem.root = malloc(mem.root_cap);
}

/* A fresh store on the disk file path. */
static int store_fresh(struct store *st, struct blk *dev, const char *path)
{
    const uint8_t *app;
    size_t app_len;

    unlink(path);
    int err = blk_open(dev, path, DISK_BYTES);
    if (err != 0) {
        return err;
    }
    return store_open(st, dev, 0, DISK_BYTES, &mem, &app, &app_len);
}

static int read_file(const char *path, uint8_t *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    size_t got = 0;

    while (fd >= 0 && got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0) {
            break;
        }
        got += (size_t)r;
    }
    if (fd >= 0) {
        close(fd);
    }
    return got == n ? 0 : -1;
}

/* Reads the host file src into buf, stores it and commits its hash. */
static int put_file(struct store *st, const char *src, uint8_t *buf, uint8_t hash[32])
{
    int err = read_file(src, buf, FILE_BYTES);
    if (err != 0) {
        return err;
    }
    err = cas_put(&st->cas, buf, FILE_BYTES, hash, NULL);
    if (err != 0) {
        return err;
    }
    return store_commit(st, hash, 32);
}

/* Put: read the host file, store, commit.  Returns seconds or -1. */
static double zero_put(const char *src, const char *disk, uint8_t *buf, uint8_t hash[32])
{
    struct store st;
    struct blk dev;

    if (store_fresh(&st, &dev, disk) != 0) {
        return -1;
    }
    double t0 = now();
    int err = put_file(&st, src, buf, hash);
    double t = now() - t0;
    blk_close(&dev);
    return err != 0 ? -1 : t;
}

/* Get: verified reads of the stored file into a synced host file. */
static double zero_get(const char *disk, const char *out, const uint8_t hash[32], uint8_t *buf)
{
    struct store st;
    struct blk dev;
    const uint8_t *app;
    size_t app_len, got = 0;

    if (blk_open(&dev, disk, 0) != 0 ||
        store_open(&st, &dev, 0, DISK_BYTES, &mem, &app, &app_len) != 0) {
        return -1;
    }
    double t0 = now();
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = fd < 0 ? -1 : 0;
    for (uint64_t off = 0; off < FILE_BYTES && err == 0; off += got) {
        err = cas_read(&st.cas, hash, off, buf, 4u << 20, &got, NULL);
        err = err != 0 || write(fd, buf, got) != (ssize_t)got ? -1 : 0;
    }
    err = err != 0 || fsync(fd) != 0 ? -1 : 0;
    double t = now() - t0;
    if (fd >= 0) {
        close(fd);
    }
    blk_close(&dev);
    return err != 0 ? -1 : t;
}

static double peer_copy(const char *src, const char *dst)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "b3sum --num-threads 1 %s >/dev/null && cp %s %s && sync %s", src,
             src, dst, dst);
    double t0 = now();
    return system(cmd) == 0 ? now() - t0 : -1;
}

static double best3(double a, double b, double c)
{
    double m = a < b ? a : b;
    return m < c ? m : c;
}

static void bench_put_get(uint8_t *buf)
{
    const char *src = "build/hosted/cas_bench.src", *disk = "build/hosted/cas_bench.disk";
    const char *out = "build/hosted/cas_bench.out";
    uint8_t hash[32];
    double put[3], get[3], peer[3];

    fill(buf, FILE_BYTES);
    int fd = open(src, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, buf, FILE_BYTES) != (ssize_t)FILE_BYTES || fsync(fd) != 0) {
        printf("bench: cas_put skipped (cannot write %s)\n", src);
        return;
    }
    close(fd);
    for (int r = 0; r < 3; r++) {
        put[r] = zero_put(src, disk, buf, hash);
        get[r] = zero_get(disk, out, hash, buf);
        peer[r] = peer_copy(src, out);
    }
    double p = best3(put[0], put[1], put[2]), g = best3(get[0], get[1], get[2]);
    double q = best3(peer[0], peer[1], peer[2]);
    double mib = FILE_BYTES / 1048576.0;
    if (p > 0 && g > 0 && q > 0) {
        printf("bench: cas_put_256MiB %.1f MiB/s vs b3sum_cp_sync %.1f ratio %.2f\n", mib / p,
               mib / q, q / p);
        printf("bench: cas_get_256MiB %.1f MiB/s vs b3sum_cp_sync %.1f ratio %.2f\n", mib / g,
               mib / q, q / g);
    } else {
        printf("bench: cas_put failed\n");
    }
    unlink(src);
    unlink(disk);
    unlink(out);
}

static void bench_chunking(const uint8_t *buf)
{
    double best = 1e9;
    size_t chunks = 0;

    for (int r = 0; r < 3; r++) {
        double t0 = now();
        chunks = 0;
        for (size_t off = 0; off < FILE_BYTES; chunks++) {
            off += cas_chunk_cut(buf + off, FILE_BYTES - off);
        }
        double t = now() - t0;
        best = t < best ? t : best;
    }
    printf("bench: cas_chunking %.2f GB/s (%zu chunks, mean %zu bytes)\n", FILE_BYTES / best / 1e9,
           chunks, FILE_BYTES / chunks);
}

/* Stored bytes when the versions are cut into fixed 64 KiB blocks, each
 * distinct block stored once. */
static uint64_t fixed_stored(uint8_t (*hashes)[32], size_t *n, const uint8_t *p, size_t len)
{
    uint64_t added = 0;

    for (size_t off = 0; off < len; off += 65536) {
        size_t k = len - off < 65536 ? len - off : 65536;
        uint8_t h[32];
        size_t i = 0;
        blake3_hash(p + off, k, h);
        while (i < *n && memcmp(hashes[i], h, 32) != 0) {
            i++;
        }
        if (i == *n) {
            memcpy(hashes[(*n)++], h, 32);
            added += k;
        }
    }
    return added;
}

static void bench_dedup(uint8_t *buf)
{
    const size_t base = 16u << 20, cap = base + (1u << 20);
    static uint8_t hashes[4096][32];
    uint64_t logical = 0, stored = 0, fixed = 0;
    size_t len = base, nh = 0;
    struct store st;
    struct blk dev;
    uint8_t h[32];

    if (store_fresh(&st, &dev, "build/hosted/cas_bench.disk") != 0) {
        return;
    }
    fill(buf, base);
    for (int v = 0; v < 10; v++) {
        for (int e = 0; e < 4 && v > 0; e++) { /* an insertion, a deletion, overwrites */
            size_t at = (size_t)(rng % (len - 4096));
            size_t k = 1 + (size_t)(rng >> 40) % 2000;
            if (e == 0 && len + k < cap) {
                memmove(buf + at + k, buf + at, len - at);
                fill(buf + at, k);
                len += k;
            } else if (e == 1) {
                memmove(buf + at, buf + at + k, len - at - k);
                len -= k;
            } else {
                fill(buf + at, k);
            }
        }
        struct cas_put_stats ps;
        if (cas_put(&st.cas, buf, len, h, &ps) != 0) {
            break;
        }
        logical += len;
        stored += ps.new_bytes;
        fixed += fixed_stored(hashes, &nh, buf, len);
    }
    printf("bench: cas_dedup_ratio_10_versions %.2f vs fixed_64KiB %.2f ratio %.2f\n",
           (double)logical / (double)stored, (double)logical / (double)fixed,
           (double)fixed / (double)stored);
    blk_close(&dev);
    unlink("build/hosted/cas_bench.disk");
}

int main(void)
{
    uint8_t *buf = malloc(FILE_BYTES + (1u << 20));

    mem_setup();
    fill(buf, FILE_BYTES);
    bench_chunking(buf);
    bench_dedup(buf);
    bench_put_get(buf);
    free(buf);
    return 0;
}
