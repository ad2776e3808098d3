/*
 * Benchmark of the filesystem on a hosted disk file: small files created
 * and committed one by one (each a durable store commit: content, the
 * namespace and the index, then the uberblock), against ext4's
 * open + write + fsync + rename of a temporary file on the same disk.
 * Wall-clock time, best of three, the same number of 100-byte files.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "services/fs/fs.h"
#include "services/store/store.h"

#define FILES 300
#define DISK_BYTES (64ull << 20)
#define CAP 1024

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct store_mem mem;
static struct fs_node nodes[CAP];
static uint8_t leaves[CAP][CAS_HASH];
static uint8_t enc[CAP * FS_NODE_MAX + 4096];

/* Writes one file and commits the namespace that holds it. */
static int write_commit(struct fs *fs, struct store *st, const char *path, const char *data,
                        size_t len)
{
    size_t n;
    int err = fs_write(fs, path, "node", 0644, data, len, false);
    if (err != 0) {
        return err;
    }
    err = fs_encode(fs, enc, sizeof(enc), &n);
    if (err != 0) {
        return err;
    }
    return store_commit(st, enc, n);
}

static double zero_files(const char *disk)
{
    struct store st;
    struct fs fs;
    struct blk dev;
    const uint8_t *app;
    size_t app_len;
    char path[64], data[100];
    int err = 0;

    unlink(disk);
    if (blk_open(&dev, disk, DISK_BYTES) != 0 ||
        store_open(&st, &dev, 0, DISK_BYTES, &mem, &app, &app_len) != 0) {
        return -1;
    }
    fs_init(&fs, &st.cas, nodes, leaves, CAP, NULL, 0);
    double t0 = now();
    for (int i = 0; i < FILES && err == 0; i++) {
        snprintf(path, sizeof(path), "/f%04d", i);
        memset(data, 'a' + i % 26, sizeof(data));
        snprintf(data, sizeof(data), "file %d", i);
        err = write_commit(&fs, &st, path, data, sizeof(data));
    }
    double t = now() - t0;
    blk_close(&dev);
    unlink(disk);
    return err != 0 ? -1 : t;
}

static double ext4_files(const char *dir)
{
    char tmp[256], path[256], data[100];
    int err = 0;

    mkdir(dir, 0700);
    double t0 = now();
    for (int i = 0; i < FILES && err == 0; i++) {
        snprintf(tmp, sizeof(tmp), "%s/.tmp%04d", dir, i);
        snprintf(path, sizeof(path), "%s/f%04d", dir, i);
        memset(data, 'a' + i % 26, sizeof(data));
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        err = fd < 0 || write(fd, data, sizeof(data)) != (ssize_t)sizeof(data) || fsync(fd) != 0;
        err |= fd >= 0 && close(fd) != 0;
        err |= rename(tmp, path) != 0;
    }
    double t = now() - t0;
    for (int i = 0; i < FILES; i++) {
        snprintf(path, sizeof(path), "%s/f%04d", dir, i);
        unlink(path);
    }
    rmdir(dir);
    return err != 0 ? -1 : t;
}

int main(void)
{
    double z = 1e9, e = 1e9;

    mem.tab = calloc(4096, sizeof(*mem.tab));
    mem.tab_cap = 4096;
    mem.chunk_buf = malloc(CAS_CHUNK_MAX);
    mem.list_cap = 64 * 1024;
    mem.list_buf = malloc(mem.list_cap);
    mem.used = malloc(SPACE_MAP_BYTES(DISK_BYTES / SPACE_BLOCK));
    mem.freed = malloc(SPACE_MAP_BYTES(DISK_BYTES / SPACE_BLOCK));
    mem.root_cap = sizeof(enc) + 4096 * CAS_INDEX_RECORD;
    mem.root = malloc(mem.root_cap);
    for (int r = 0; r < 3; r++) {
        double a = zero_files("build/hosted/fs_bench.disk");
        double b = ext4_files("build/hosted/fs_bench.dir");
        z = a > 0 && a < z ? a : z;
        e = b > 0 && b < e ? b : e;
    }
    if (z < 1e9 && e < 1e9) {
        const char *line =
            "bench: fs_small_file_commits %.0f files/s vs ext4_fsync_rename %.0f ratio %.2f\n";
        printf(line, FILES / z, FILES / e, e / z);
    } else {
        printf("bench: fs_small_file_commits failed\n");
    }
    return 0;
}
