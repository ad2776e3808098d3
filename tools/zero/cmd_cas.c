/*
 * zero cas put DISK FILE...: stores host files in a disk's content store
 * (its CAS region), so that jobs can name them by hash; prints each name.
 * The node must not be running on DISK.  zero cas get DISK HASH writes
 * stored content to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/log.h"
#include "services/jobs/jobs.h"
#include "tools/zero/zero.h"

const char zero_help_cas[] = "put host files into a disk's content store, or read one back";

static void usage(FILE *out)
{
    fprintf(out, "usage: zero cas put DISK FILE...\n"
                 "       zero cas get DISK HASH\n"
                 "\n"
                 "put stores each FILE in the content store of DISK (a Zero OS disk whose\n"
                 "node is not running) and prints its name, the BLAKE3 of its bytes (as\n"
                 "b3sum does), then the file name.  get writes the content named HASH to\n"
                 "stdout, verified against its hash.\n");
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n = -1;

    if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
        n = ftell(f);
        rewind(f);
    }
    if (n >= 0) {
        buf = malloc((size_t)n + 1);
    }
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (f != NULL) {
        fclose(f);
    }
    *len = n > 0 ? (size_t)n : 0;
    return buf;
}

static int cas_put_files(struct jobs_store *s, int n, char **files)
{
    char hex[2 * CAS_HASH + 1];
    uint8_t h[CAS_HASH];

    for (int i = 0; i < n; i++) {
        size_t len = 0;
        uint8_t *buf = slurp(files[i], &len);
        int err = buf != NULL ? cas_put(&s->st.cas, buf, len, h, NULL) : ZERR_IO;
        free(buf);
        if (err != 0) {
            fprintf(stderr, "zero cas: %s: %s\n", files[i],
                    buf == NULL ? strerror(errno) : zerr_text(err));
            return ZERO_EXIT_NO;
        }
        zfmt_hex(hex, h, CAS_HASH);
        printf("%s  %s\n", hex, files[i]);
    }
    int err = jobs_store_commit(s);
    if (err != 0) {
        fprintf(stderr, "zero cas: cannot commit the store: %s\n", zerr_text(err));
        return ZERO_EXIT_NO;
    }
    return ZERO_EXIT_OK;
}

static int cas_get(struct jobs_store *s, const char *hexname)
{
    static uint8_t buf[65536];
    uint8_t h[CAS_HASH];
    struct cas_fault f;
    uint64_t off = 0;
    size_t got = 0;

    if (strlen(hexname) != 2 * CAS_HASH || zfmt_unhex(h, CAS_HASH, hexname, 2 * CAS_HASH) != 0) {
        fprintf(stderr, "zero cas: HASH is 64 hex digits\n");
        return ZERO_EXIT_USAGE;
    }
    for (;;) {
        int err = cas_read(&s->st.cas, h, off, buf, sizeof(buf), &got, &f);
        if (err == ZERR_RANGE || (err == 0 && got == 0)) {
            return ZERO_EXIT_OK;
        }
        if (err != 0) {
            fprintf(stderr, "zero cas: %s: %s\n", hexname, zerr_text(err));
            return ZERO_EXIT_NO;
        }
        fwrite(buf, 1, got, stdout);
        off += got;
    }
}

int zero_cmd_cas(int argc, char **argv)
{
    static struct jobs_store s;
    struct ax_layout lay;
    struct blk dev;
    char why[160];

    if (zero_wants_help(argc, argv)) {
        usage(stdout);
        return ZERO_EXIT_OK;
    }
    bool put = argc >= 4 && strcmp(argv[1], "put") == 0;
    if (!put && !(argc == 4 && strcmp(argv[1], "get") == 0)) {
        usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    int err = blk_open(&dev, argv[2], put ? 0 : HAL_BLK_READ_ONLY);
    if (err == 0) {
        err = ax_read_super(&dev, &lay, NULL, why, sizeof(why));
        if (err == 0) {
            err = jobs_store_open(&s, &dev, lay.cas_off, lay.cas_len);
        }
        if (err != 0) {
            blk_close(&dev);
        }
    }
    if (err != 0) {
        fprintf(stderr, "zero cas: %s: %s\n", argv[2], zerr_text(err));
        return ZERO_EXIT_NO;
    }
    int rc = put ? cas_put_files(&s, argc - 3, argv + 3) : cas_get(&s, argv[3]);
    jobs_store_close(&s);
    blk_close(&dev);
    return rc;
}
