/*
 * Load-time benchmark of lib/wasm: decodes, validates and compiles each
 * module given, again and again for at least a third of a second of CPU
 * time, and prints "PATH BYTES SECONDS" with the CPU time of one load
 * (bench/wasm/load.sh compares it with V8's compile in Node).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/errors.h"
#include "wasm/wasm.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(const char *path)
{
    FILE *f = fopen(path, "rb");
    long size = -1;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
        size = ftell(f);
        rewind(f);
    }
    uint8_t *bytes = size > 0 ? malloc((size_t)size) : NULL;
    if (bytes == NULL || fread(bytes, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "wasm_load_bench: cannot read %s\n", path);
        free(bytes);
        if (f != NULL) {
            fclose(f);
        }
        return -1;
    }
    fclose(f);
    size_t len = (size_t)size;
    size_t arena_size = wasm_module_arena_size(bytes, len);
    void *mem = malloc(arena_size);
    long loads = 0;
    double start = cpu_seconds();
    double elapsed = 0;
    int rc = 0;
    while (rc == 0 && (elapsed < 0.33 || loads < 3)) {
        struct wasm_arena a;
        struct wasm_module *m;
        struct wasm_error err;
        wasm_arena_init(&a, mem, arena_size);
        rc = wasm_module_load(bytes, len, &a, NULL, &m, &err);
        if (rc < 0) {
            fprintf(stderr, "wasm_load_bench: %s: %s\n", path, err.msg != NULL ? err.msg : "?");
        }
        loads++;
        elapsed = cpu_seconds() - start;
    }
    printf("%s %zu %.9f\n", path, len, elapsed / (double)loads);
    free(mem);
    free(bytes);
    return rc;
}

int main(int argc, char **argv)
{
    int status = 0;
    for (int i = 1; i < argc; i++) {
        status |= bench(argv[i]) < 0;
    }
    return status;
}
