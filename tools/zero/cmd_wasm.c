/*
 * zero wasm: runs a function of a WebAssembly module on Zero's
 * deterministic engine (lib/wasm).  The module gets no imports: a module
 * that needs any is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "tools/zero/zero.h"
#include "wasm/wasm.h"

const char zero_help_wasm[] = "run a WebAssembly function on the deterministic engine";

static void usage(FILE *out)
{
    fprintf(out, "usage: zero wasm run MODULE.wasm --invoke NAME [ARG...] [--fuel N]\n"
                 "\n"
                 "Loads MODULE.wasm (decode, validate, compile), instantiates it with no\n"
                 "imports and calls its exported function NAME.  Integer arguments are\n"
                 "decimal; float arguments are decimal or a 0x bit pattern.  Results print\n"
                 "one per line as TYPE:VALUE, integers in signed decimal, floats as their\n"
                 "bit pattern in hex (f64:0x400921fb54442d18).  --fuel N stops the run\n"
                 "with a trap once N instruction units are used (default: unlimited)\n"
                 "and reports the fuel used on stderr.\n"
                 "\n"
                 "Exit status: 0 ok, 1 the function trapped (\"trap: REASON\"), 2 usage\n"
                 "error or a malformed, invalid or unlinkable module.\n");
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16;
    size_t n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            uint8_t *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Parses one argument of type t; returns false when it is not a number. */
static bool parse_arg(const char *s, uint8_t t, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    if (t == WASM_I32 || t == WASM_I64) {
        long long v = strtoll(s, &end, 10);
        if (errno != 0 || *end != 0 || end == s) {
            return false;
        }
        if (t == WASM_I32 && (v < INT32_MIN || v > (long long)UINT32_MAX)) {
            return false;
        }
        *out = t == WASM_I32 ? (uint32_t)v : (uint64_t)v;
        return true;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        unsigned long long v = strtoull(s + 2, &end, 16);
        *out = t == WASM_F32 ? (uint32_t)v : v;
        return errno == 0 && *end == 0 && (t == WASM_F64 || v <= UINT32_MAX);
    }
    double d = strtod(s, &end);
    if (*end != 0 || end == s) {
        return false;
    }
    if (t == WASM_F32) {
        float f = (float)d;
        uint32_t b;
        memcpy(&b, &f, 4);
        *out = b;
    } else {
        memcpy(out, &d, 8);
    }
    return true;
}

static void print_result(uint8_t t, uint64_t v)
{
    switch (t) {
    case WASM_I32:
        printf("i32:%d\n", (int32_t)(uint32_t)v);
        break;
    case WASM_I64:
        printf("i64:%lld\n", (long long)(int64_t)v);
        break;
    case WASM_F32:
        printf("f32:0x%08x\n", (uint32_t)v);
        break;
    default:
        printf("f64:0x%016llx\n", (unsigned long long)v);
        break;
    }
}

struct run_opts {
    const char *path;
    const char *name;
    char **args;
    int nargs;
    uint64_t fuel;
};

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    o->path = NULL;
    o->name = NULL;
    o->args = NULL;
    o->nargs = 0;
    o->fuel = UINT64_MAX;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--fuel") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            o->fuel = strtoull(argv[++i], &end, 10);
            if (errno != 0 || *end != 0 || argv[i][0] == '-') {
                fprintf(stderr, "zero wasm: --fuel wants a decimal count\n");
                return -1;
            }
        } else if (strcmp(argv[i], "--invoke") == 0 && i + 1 < argc && o->name == NULL) {
            o->name = argv[++i];
            o->args = &argv[i + 1];
            while (i + 1 < argc && strcmp(argv[i + 1], "--fuel") != 0) {
                i++;
                o->nargs++;
            }
        } else if (o->path == NULL && argv[i][0] != '-') {
            o->path = argv[i];
        } else {
            fprintf(stderr, "zero wasm: unexpected argument '%s'\n", argv[i]);
            return -1;
        }
    }
    if (o->path == NULL || o->name == NULL) {
        fprintf(stderr, "zero wasm run: needs MODULE.wasm and --invoke NAME\n");
        return -1;
    }
    return 0;
}

/* Loads and instantiates the module; prints why and returns -1 on failure. */
static int load_instance(const struct run_opts *o, struct wasm_exec *ex,
                         struct wasm_instance **inst, void **mem1, void **mem2)
{
    size_t len;
    uint8_t *bytes = read_all(o->path, &len);
    if (bytes == NULL) {
        fprintf(stderr, "zero wasm: cannot read %s: %s\n", o->path, strerror(errno));
        return -1;
    }
    struct wasm_arena a;
    struct wasm_error err;
    struct wasm_module *m;
    /* a modest arena first; the proven bound only when that is too small */
    size_t bound = wasm_module_arena_size(bytes, len);
    size_t size = 64 * 1024 + len * 48 < bound ? 64 * 1024 + len * 48 : bound;
    int rc;
    for (;;) {
        *mem1 = calloc(1, size); /* fresh pages: the arena need not clear them again */
        if (*mem1 == NULL) {
            free(bytes);
            fprintf(stderr, "zero wasm: out of memory for the module (%zu bytes)\n", size);
            return -1;
        }
        wasm_arena_init_zeroed(&a, *mem1, size);
        rc = wasm_module_load(bytes, len, &a, NULL, &m, &err);
        if (rc != ZERR_NOMEM || size == bound) {
            break;
        }
        free(*mem1);
        size = bound;
    }
    free(bytes);
    if (rc < 0) {
        fprintf(stderr, "zero wasm: %s module: %s (at byte %u)\n",
                rc == ZERR_CORRUPT ? "malformed"
                : rc == ZERR_INVAL ? "invalid"
                                   : "unusable",
                err.msg != NULL ? err.msg : zerr_text(rc), err.offset);
        return -1;
    }
    if (wasm_module_import_count(m) != 0) {
        const char *mod;
        const char *name;
        uint32_t ml;
        uint32_t nl;
        uint8_t kind;
        wasm_module_import(m, 0, &mod, &ml, &name, &nl, &kind);
        fprintf(stderr,
                "zero wasm: unlinkable module: it imports %.*s.%.*s and no imports are granted\n",
                (int)ml, mod, (int)nl, name);
        return -1;
    }
    size = wasm_instance_arena_size(m, NULL);
    *mem2 = calloc(1, size);
    if (*mem2 == NULL) {
        fprintf(stderr, "zero wasm: out of memory for the instance (%zu bytes)\n", size);
        return -1;
    }
    wasm_arena_init_zeroed(&a, *mem2, size);
    ex->fuel = o->fuel;
    rc = wasm_instantiate(m, NULL, 0, &a, NULL, ex, inst, &err);
    if (rc == ZERR_TRAP) {
        printf("trap: %s\n", wasm_trap_text(ex->trap));
        return -2;
    }
    if (rc < 0) {
        fprintf(stderr, "zero wasm: cannot instantiate: %s\n", err.msg ? err.msg : zerr_text(rc));
        return -1;
    }
    return 0;
}

static int invoke(const struct run_opts *o, struct wasm_exec *ex, struct wasm_instance *inst)
{
    struct wasm_extern e;
    if (wasm_instance_export(inst, o->name, strlen(o->name), &e) < 0 ||
        e.kind != WASM_EXTERN_FUNC) {
        fprintf(stderr, "zero wasm: no exported function '%s'\n", o->name);
        return ZERO_EXIT_USAGE;
    }
    const struct wasm_functype *t = e.u.func->type;
    if ((uint32_t)o->nargs != t->nparams) {
        fprintf(stderr, "zero wasm: '%s' takes %u arguments, got %d\n", o->name, t->nparams,
                o->nargs);
        return ZERO_EXIT_USAGE;
    }
    uint64_t *args = calloc(t->nparams + 1, 8);
    uint64_t *results = calloc(t->nresults + 1, 8);
    int status = ZERO_EXIT_OK;
    for (uint32_t i = 0; i < t->nparams; i++) {
        if (!parse_arg(o->args[i], t->types[i], &args[i])) {
            fprintf(stderr, "zero wasm: bad argument '%s'\n", o->args[i]);
            status = ZERO_EXIT_USAGE;
            goto out;
        }
    }
    if (wasm_invoke(ex, e.u.func, args, results) < 0) {
        printf("trap: %s\n", wasm_trap_text(ex->trap));
        status = ZERO_EXIT_NO;
        goto out;
    }
    for (uint32_t i = 0; i < t->nresults; i++) {
        print_result(t->types[t->nparams + i], results[i]);
    }
out:
    free(args);
    free(results);
    return status;
}

int zero_cmd_wasm(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    struct run_opts o;
    if (parse_opts(argc, argv, &o) < 0) {
        return ZERO_EXIT_USAGE;
    }
    struct wasm_exec ex;
    struct wasm_arena ea;
    size_t exsize = wasm_exec_arena_size(NULL);
    void *exmem = calloc(1, exsize);
    if (exmem == NULL) {
        fprintf(stderr, "zero wasm: out of memory for the value stack (%zu bytes)\n", exsize);
        return ZERO_EXIT_USAGE;
    }
    void *mem1 = NULL;
    void *mem2 = NULL;
    struct wasm_instance *inst = NULL;
    wasm_arena_init_zeroed(&ea, exmem, exsize);
    int status = ZERO_EXIT_USAGE;
    if (wasm_exec_init(&ex, &ea, NULL) == 0) {
        int rc = load_instance(&o, &ex, &inst, &mem1, &mem2);
        if (rc == 0) {
            status = invoke(&o, &ex, inst);
        } else if (rc == -2) {
            status = ZERO_EXIT_NO;
        }
        if (rc != -1 && o.fuel != UINT64_MAX) {
            fflush(stdout);
            fprintf(stderr, "fuel used: %llu of %llu\n", (unsigned long long)(o.fuel - ex.fuel),
                    (unsigned long long)o.fuel);
        }
    }
    free(mem1);
    free(mem2);
    free(exmem);
    return status;
}
