/* Whole-file reads and writes (manifest_io.h). */
#include "tools/zero/manifest_io.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *mio_read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "zero: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap > max) {
            break;
        }
        uint8_t *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = buf == NULL || ferror(f) || n > max;
    fclose(f);
    if (bad) {
        fprintf(stderr, "zero: %s: unreadable or larger than %zu bytes\n", path, max);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

int mio_write_file(const char *path, const uint8_t *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    int bad = f == NULL;
    if (!bad) {
        bad = fwrite(buf, 1, len, f) != len;
        bad = fclose(f) != 0 || bad;
    }
    if (bad) {
        fprintf(stderr, "zero: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}
