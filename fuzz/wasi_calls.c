/*
 * libFuzzer target: the deterministic WASI's calls (lib/wasi) on a memory
 * of fuzz bytes, with pointers, lengths and paths from the input, over an
 * in-memory sandbox.  No call may read or write outside the memory or
 * crash; every one answers an errno.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wasi/wasi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int f_open(void *ctx, const char *path, uint32_t oflags, bool write, bool append,
                  bool *is_dir, int64_t *handle)
{
    (void)ctx;
    (void)write;
    (void)append;
    /* the library must never pass a path that could leave the root */
    if (path[0] == '/' || path[0] == 0) {
        abort();
    }
    for (const char *c = path; c != NULL; c = strchr(c, '/') != NULL ? strchr(c, '/') + 1 : NULL) {
        if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || c[2] == 0)) {
            abort();
        }
    }
    *is_dir = (oflags & WASI_O_DIRECTORY) != 0 || strcmp(path, ".") == 0;
    *handle = 7;
    return path[0] == 'x' ? WASI_ENOENT : 0;
}

static int f_read(void *ctx, int64_t handle, uint8_t *buf, size_t n, size_t *got)
{
    (void)ctx;
    (void)handle;
    memset(buf, 'r', n > 3 ? 3 : n);
    *got = n > 3 ? 3 : n;
    return 0;
}

static int f_write(void *ctx, int64_t handle, const uint8_t *buf, size_t n)
{
    (void)ctx;
    (void)handle;
    uint8_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum ^= buf[i]; /* touches every byte: ASan sees any overrun */
    }
    return sum == 0xff && n == 0 ? WASI_EIO : 0;
}

static int f_seek(void *ctx, int64_t handle, int64_t offset, uint8_t whence, uint64_t *pos)
{
    (void)ctx;
    (void)handle;
    (void)whence;
    *pos = (uint64_t)offset;
    return 0;
}

static int f_close(void *ctx, int64_t handle)
{
    (void)ctx;
    (void)handle;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t page[65536];
    static const char *const argv[] = {"prog", "a1"};
    static const char *const env[] = {"A=1"};
    static const struct wasi_files files = {NULL, f_open, f_read, f_write, f_seek, f_close};
    const struct wasi_config cfg = {2, argv, 1, env, 5, 9, &files};
    struct wasm_memory mem = {page, 1, 1, 1, true};
    struct wasi w;
    uint32_t ncalls = 0;
    while (wasi_call_name(ncalls) != NULL) {
        ncalls++;
    }
    memset(page, 0, sizeof page);
    memcpy(page, data, size < sizeof page ? size : sizeof page);
    wasi_init(&w, &cfg);
    w.memory = &mem;
    /* each call: a name byte and 9 arguments of 3 bytes (pointers near the end of memory) */
    for (size_t at = 0; at + 28 <= size; at += 28) {
        uint64_t args[9];
        uint64_t results[1] = {0};
        for (int i = 0; i < 9; i++) {
            const uint8_t *b = data + at + 1 + 3 * i;
            args[i] = (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16;
        }
        (void)wasi_call(&w, wasi_call_name(data[at] % ncalls), args, results);
    }
    return 0;
}
