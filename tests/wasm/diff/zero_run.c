/*
 * The Zero side of the differential test against V8 (tests/wasm/diff/):
 * loads each module given, grants every function import as a logger that
 * prints its arguments, and calls every exported function with fixed
 * arguments, printing what happened in the format v8_run.js prints for V8:
 *
 *     module PATH
 *     call NAME
 *     log TYPE:VALUE            (an import called)
 *     result TYPE:VALUE ...     (or "trap CLASS")
 *
 * Floats print as bit patterns, any NaN as "nan" (payloads may differ,
 * docs/wasm.md).  Before each call it calls "hangLimitInitializer" when the
 * module exports one (Binaryen's fuzz modules bound their loops with it).
 * After a trap whose point depends on the engine (call stack exhausted, out
 * of fuel) it prints "stop" and leaves the module: the two engines' states
 * may differ from there on.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "wasm/wasm.h"

#define FUEL 200000000u

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long size = -1;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
        size = ftell(f);
        rewind(f);
    }
    if (size >= 0) {
        buf = malloc((size_t)size + 1);
        if (buf != NULL && fread(buf, 1, (size_t)size, f) != (size_t)size) {
            free(buf);
            buf = NULL;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    *len = (size_t)size;
    return buf;
}

static void print_value(uint8_t t, uint64_t v)
{
    float f;
    double d;
    uint32_t b = (uint32_t)v;
    switch (t) {
    case WASM_I32:
        printf(" i32:%d", (int32_t)b);
        break;
    case WASM_I64:
        printf(" i64:%lld", (long long)(int64_t)v);
        break;
    case WASM_F32:
        memcpy(&f, &b, 4);
        if (isnan(f)) {
            printf(" f32:nan");
        } else {
            printf(" f32:0x%08x", b);
        }
        break;
    default:
        memcpy(&d, &v, 8);
        if (isnan(d)) {
            printf(" f64:nan");
        } else {
            printf(" f64:0x%016llx", (unsigned long long)v);
        }
        break;
    }
}

/* The fixed argument for parameter i of type t (v8_run.js uses the same). */
static uint64_t fixed_arg(uint8_t t, uint32_t i)
{
    static const int64_t ints[] = {1, 0, -1, 0x7fffffff, 42, -100000, 0x12345678, 3};
    static const double floats[] = {1.5, 0.0, -2.25, 1024.0, 0.125, -1.0, 100.0, 3.0};
    int64_t n = ints[i % 8];
    double d = floats[i % 8];
    switch (t) {
    case WASM_I32:
        return (uint32_t)(int32_t)n;
    case WASM_I64:
        return (uint64_t)(n * 0x100000001ll);
    case WASM_F32: {
        float f = (float)d;
        uint32_t b;
        memcpy(&b, &f, 4);
        return b;
    }
    default: {
        uint64_t b;
        memcpy(&b, &d, 8);
        return b;
    }
    }
}

static int host_log(void *ctx, const uint64_t *args, uint64_t *results)
{
    const struct wasm_functype *t = ctx;
    printf("log");
    for (uint32_t i = 0; i < t->nparams; i++) {
        print_value(t->types[i], args[i]);
    }
    printf("\n");
    for (uint32_t i = 0; i < t->nresults; i++) {
        results[i] = 0;
    }
    return 0;
}

static const char *trap_class(int trap)
{
    switch (trap) {
    case WASM_TRAP_UNREACHABLE:
        return "unreachable";
    case WASM_TRAP_DIV_ZERO:
        return "divide-by-zero";
    case WASM_TRAP_INT_OVERFLOW: /* V8 reports both float-to-int traps alike */
    case WASM_TRAP_INVALID_CONVERSION:
        return "integer-overflow";
    case WASM_TRAP_MEMORY_OOB:
        return "memory-out-of-bounds";
    case WASM_TRAP_UNDEFINED_ELEMENT:
    case WASM_TRAP_TABLE_OOB:
        return "table-out-of-bounds";
    case WASM_TRAP_UNINITIALIZED_ELEMENT:
    case WASM_TRAP_INDIRECT_TYPE:
        return "indirect-call";
    case WASM_TRAP_CALL_DEPTH:
    case WASM_TRAP_STACK:
        return "stack-exhausted";
    case WASM_TRAP_FUEL:
        return "out-of-fuel";
    default:
        return "other";
    }
}

struct run {
    void *mem[3];
    struct wasm_module *m;
    struct wasm_instance *inst;
    struct wasm_exec ex;
    struct wasm_func *hosts;
    struct wasm_extern *imports;
};

/* Calls f with the fixed arguments; returns false after an engine-dependent trap. */
static bool call(struct run *r, struct wasm_func *f, bool quiet)
{
    const struct wasm_functype *t = f->type;
    uint64_t args[1001];
    uint64_t results[1001];
    for (uint32_t i = 0; i < t->nparams; i++) {
        args[i] = fixed_arg(t->types[i], i);
    }
    r->ex.fuel = FUEL;
    if (wasm_invoke(&r->ex, f, args, results) < 0) {
        const char *c = trap_class(r->ex.trap);
        printf("trap %s\n", c);
        if (strcmp(c, "stack-exhausted") == 0 || strcmp(c, "out-of-fuel") == 0) {
            printf("stop\n");
            return false;
        }
        return true;
    }
    if (!quiet) {
        printf("result");
        for (uint32_t i = 0; i < t->nresults; i++) {
            print_value(t->types[t->nparams + i], results[i]);
        }
        printf("\n");
    }
    return true;
}

static void *zalloc(size_t n)
{
    return calloc(1, n);
}

static void run_module(const char *path)
{
    struct run r;
    struct wasm_arena a;
    struct wasm_error err;
    size_t len;
    memset(&r, 0, sizeof r);
    printf("module %s\n", path);
    uint8_t *bytes = read_all(path, &len);
    if (bytes == NULL) {
        printf("unreadable\n");
        return;
    }
    size_t size = wasm_module_arena_size(bytes, len);
    r.mem[0] = zalloc(size);
    wasm_arena_init_zeroed(&a, r.mem[0], size);
    int rc = wasm_module_load(bytes, len, &a, NULL, &r.m, &err);
    free(bytes);
    if (rc < 0) {
        printf("invalid %s\n", err.msg != NULL ? err.msg : zerr_text(rc));
        goto out;
    }
    uint32_t ni = wasm_module_import_count(r.m);
    r.hosts = calloc(ni + 1, sizeof *r.hosts);
    r.imports = calloc(ni + 1, sizeof *r.imports);
    for (uint32_t i = 0; i < ni; i++) {
        const struct wasm_functype *t = wasm_module_import_functype(r.m, i);
        if (t == NULL) {
            printf("unlinkable\n");
            goto out;
        }
        wasm_host_func_init(&r.hosts[i], t, host_log, (void *)t);
        r.imports[i].kind = WASM_EXTERN_FUNC;
        r.imports[i].u.func = &r.hosts[i];
    }
    size = wasm_exec_arena_size(NULL);
    r.mem[1] = zalloc(size);
    wasm_arena_init_zeroed(&a, r.mem[1], size);
    if (wasm_exec_init(&r.ex, &a, NULL) < 0) {
        printf("nomem\n");
        goto out;
    }
    size = wasm_instance_arena_size(r.m, NULL);
    r.mem[2] = zalloc(size);
    wasm_arena_init_zeroed(&a, r.mem[2], size);
    r.ex.fuel = FUEL;
    rc = wasm_instantiate(r.m, r.imports, ni, &a, NULL, &r.ex, &r.inst, &err);
    if (rc == ZERR_TRAP) {
        printf("start trap %s\n", trap_class(r.ex.trap));
        goto out;
    }
    if (rc < 0) {
        printf("uninstantiable %s\n", err.msg != NULL ? err.msg : zerr_text(rc));
        goto out;
    }
    struct wasm_extern hang;
    bool has_hang = wasm_instance_export(r.inst, "hangLimitInitializer", 20, &hang) == 0 &&
                    hang.kind == WASM_EXTERN_FUNC;
    uint32_t ne = wasm_module_export_count(r.m);
    for (uint32_t i = 0; i < ne; i++) {
        const char *name;
        uint32_t nl;
        uint8_t kind;
        struct wasm_extern e;
        wasm_module_export(r.m, i, &name, &nl, &kind);
        if (kind != WASM_EXTERN_FUNC ||
            (has_hang && nl == 20 && memcmp(name, "hangLimitInitializer", 20) == 0)) {
            continue;
        }
        wasm_instance_export(r.inst, name, nl, &e);
        printf("call %.*s\n", (int)nl, name);
        if ((has_hang && !call(&r, hang.u.func, true)) || !call(&r, e.u.func, false)) {
            break;
        }
    }
out:
    free(r.hosts);
    free(r.imports);
    for (int i = 0; i < 3; i++) {
        free(r.mem[i]);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: wasm-diff-zero MODULE.wasm...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        run_module(argv[i]);
        fflush(stdout);
    }
    return 0;
}
