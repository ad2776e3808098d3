/*
 * WASI preview1 on lib/wasm, deterministic (docs/jobs.md).  Every pointer
 * the program passes is checked against its memory before use; a bad one
 * is EFAULT, never a host fault.
 */
#include "wasi/wasi.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"

#define I WASM_I32
#define L WASM_I64

/* ---- memory access ---------------------------------------------------------- */

static uint8_t *mem_at(const struct wasi *w, uint32_t ptr, uint64_t len)
{
    const struct wasm_memory *m = w->memory;
    if (m == NULL || (uint64_t)ptr + len > (uint64_t)m->pages * 65536u) {
        return NULL;
    }
    return m->data + ptr;
}

static bool put32(const struct wasi *w, uint32_t ptr, uint32_t v)
{
    uint8_t *p = mem_at(w, ptr, 4);
    if (p != NULL) {
        for (int i = 0; i < 4; i++) {
            p[i] = (uint8_t)(v >> (8 * i));
        }
    }
    return p != NULL;
}

static bool put64(const struct wasi *w, uint32_t ptr, uint64_t v)
{
    return put32(w, ptr, (uint32_t)v) && put32(w, ptr + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Sets results[0] to errno e; host functions never trap except proc_exit. */
static int ret(uint64_t *results, int e)
{
    results[0] = (uint32_t)e;
    return 0;
}

static struct wasi_fd *fd_of(struct wasi *w, uint64_t fd)
{
    uint32_t i = (uint32_t)fd;
    return i < WASI_MAX_FDS && w->fds[i].used ? &w->fds[i] : NULL;
}

/* ---- args and environment ------------------------------------------------------ */

/* Writes count and total size of strings strs[0..n). */
static int sizes(struct wasi *w, const char *const *strs, uint32_t n, const uint64_t *args,
                 uint64_t *results)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        total += (uint32_t)strlen(strs[i]) + 1;
    }
    if (!put32(w, (uint32_t)args[0], n) || !put32(w, (uint32_t)args[1], total)) {
        return ret(results, WASI_EFAULT);
    }
    return ret(results, WASI_ESUCCESS);
}

/* Writes the pointer array at args[0] and the strings at args[1]. */
static int strings(struct wasi *w, const char *const *strs, uint32_t n, const uint64_t *args,
                   uint64_t *results)
{
    uint32_t ptrs = (uint32_t)args[0];
    uint32_t buf = (uint32_t)args[1];
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(strs[i]) + 1;
        uint8_t *dst = mem_at(w, buf, len);
        if (dst == NULL || !put32(w, ptrs + 4 * i, buf)) {
            return ret(results, WASI_EFAULT);
        }
        memcpy(dst, strs[i], len);
        buf += (uint32_t)len;
    }
    return ret(results, WASI_ESUCCESS);
}

static int h_args_sizes_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    return sizes(w, w->cfg.argv, w->cfg.argc, args, results);
}

static int h_args_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    return strings(w, w->cfg.argv, w->cfg.argc, args, results);
}

static int h_environ_sizes_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    return sizes(w, w->cfg.env, w->cfg.envc, args, results);
}

static int h_environ_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    return strings(w, w->cfg.env, w->cfg.envc, args, results);
}

/* ---- clocks, randomness, exit ------------------------------------------------------ */

static int h_clock_time_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    if ((uint32_t)args[0] > 3) {
        return ret(results, WASI_EINVAL);
    }
    return ret(results, put64(w, (uint32_t)args[2], w->cfg.time_ns) ? 0 : WASI_EFAULT);
}

static int h_clock_res_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    if ((uint32_t)args[0] > 3) {
        return ret(results, WASI_EINVAL);
    }
    return ret(results, put64(w, (uint32_t)args[1], 1) ? 0 : WASI_EFAULT);
}

/*
 * random_get: the BLAKE3 output stream of the key derived from context
 * "Zero OS WASI random_get v1" and the seed (8 bytes, little-endian),
 * read on from where the previous call stopped.
 */
static int h_random_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    uint32_t len = (uint32_t)args[1];
    uint8_t *dst = mem_at(w, (uint32_t)args[0], len);
    if (dst == NULL) {
        return ret(results, WASI_EFAULT);
    }
    uint8_t seed[8];
    for (int i = 0; i < 8; i++) {
        seed[i] = (uint8_t)(w->cfg.seed >> (8 * i));
    }
    blake3_hasher h;
    blake3_init_derive_key(&h, "Zero OS WASI random_get v1");
    blake3_update(&h, seed, sizeof seed);
    blake3_finalize_seek(&h, w->random_pos, dst, len);
    w->random_pos += len;
    return ret(results, WASI_ESUCCESS);
}

static int h_proc_exit(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    (void)results;
    w->exited = true;
    w->exit_code = (uint32_t)args[0];
    return WASM_TRAP_HOST; /* unwinds the program; wasi_run tells it from a failure */
}

static int h_sched_yield(void *ctx, const uint64_t *args, uint64_t *results)
{
    (void)ctx;
    (void)args;
    return ret(results, WASI_ESUCCESS);
}

/* ---- files ------------------------------------------------------------------------ */

static int h_fd_write(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    struct wasi_fd *f = fd_of(w, args[0]);
    uint32_t n = (uint32_t)args[2];
    const uint8_t *iov = mem_at(w, (uint32_t)args[1], (uint64_t)n * 8);
    if (f == NULL || f->is_dir) {
        return ret(results, WASI_EBADF);
    }
    if (iov == NULL) {
        return ret(results, WASI_EFAULT);
    }
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = get32(iov + 8 * i + 4);
        const uint8_t *src = mem_at(w, get32(iov + 8 * i), len);
        if (src == NULL) {
            return ret(results, WASI_EFAULT);
        }
        int e = w->cfg.files->write(w->cfg.files->ctx, f->handle, src, len);
        if (e != 0) {
            return ret(results, e);
        }
        total += len;
    }
    return ret(results, put32(w, (uint32_t)args[3], total) ? 0 : WASI_EFAULT);
}

static int h_fd_read(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    struct wasi_fd *f = fd_of(w, args[0]);
    uint32_t n = (uint32_t)args[2];
    const uint8_t *iov = mem_at(w, (uint32_t)args[1], (uint64_t)n * 8);
    if (f == NULL || f->is_dir) {
        return ret(results, WASI_EBADF);
    }
    if (iov == NULL) {
        return ret(results, WASI_EFAULT);
    }
    uint32_t total = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len = get32(iov + 8 * i + 4);
        uint8_t *dst = mem_at(w, get32(iov + 8 * i), len);
        size_t got = 0;
        if (dst == NULL) {
            return ret(results, WASI_EFAULT);
        }
        int e = w->cfg.files->read(w->cfg.files->ctx, f->handle, dst, len, &got);
        if (e != 0) {
            return ret(results, e);
        }
        total += (uint32_t)got;
        if (got < len) {
            break;
        }
    }
    return ret(results, put32(w, (uint32_t)args[3], total) ? 0 : WASI_EFAULT);
}

static int h_fd_seek(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    struct wasi_fd *f = fd_of(w, args[0]);
    uint64_t pos = 0;
    if (f == NULL || f->is_dir) {
        return ret(results, WASI_EBADF);
    }
    if ((uint32_t)args[2] > 2) {
        return ret(results, WASI_EINVAL);
    }
    if (f->handle <= 2) {
        return ret(results, WASI_ESPIPE);
    }
    int e =
        w->cfg.files->seek(w->cfg.files->ctx, f->handle, (int64_t)args[1], (uint8_t)args[2], &pos);
    if (e != 0) {
        return ret(results, e);
    }
    return ret(results, put64(w, (uint32_t)args[3], pos) ? 0 : WASI_EFAULT);
}

static int h_fd_close(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    struct wasi_fd *f = fd_of(w, args[0]);
    if (f == NULL) {
        return ret(results, WASI_EBADF);
    }
    int e = 0;
    if (!f->is_dir && f->handle > 2) {
        e = w->cfg.files->close(w->cfg.files->ctx, f->handle);
    }
    f->used = false;
    return ret(results, e);
}

/* fdstat: filetype u8 @0, flags u16 @2, rights base u64 @8, inheriting u64 @16 */
static int h_fd_fdstat_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    struct wasi_fd *f = fd_of(w, args[0]);
    uint8_t *p = mem_at(w, (uint32_t)args[1], 24);
    if (f == NULL) {
        return ret(results, WASI_EBADF);
    }
    if (p == NULL) {
        return ret(results, WASI_EFAULT);
    }
    memset(p, 0, 24);
    p[0] = f->is_dir ? 3 : f->handle <= 2 ? 2 : 4; /* directory, character device, file */
    memset(p + 8, 0xff, 16);                       /* every right: the sandbox is the limit */
    return ret(results, WASI_ESUCCESS);
}

static int h_fd_fdstat_set_flags(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    if (fd_of(w, args[0]) == NULL) {
        return ret(results, WASI_EBADF);
    }
    return ret(results, (uint32_t)args[1] == 0 ? WASI_ESUCCESS : WASI_ENOTSUP);
}

/* The preopened root is fd 3, named "/". prestat: tag u8 @0 (0: dir), name length u32 @4 */
static int h_fd_prestat_get(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    if ((uint32_t)args[0] != 3 || !w->fds[3].used) {
        return ret(results, WASI_EBADF);
    }
    uint8_t *p = mem_at(w, (uint32_t)args[1], 8);
    if (p == NULL) {
        return ret(results, WASI_EFAULT);
    }
    memset(p, 0, 8);
    return ret(results, put32(w, (uint32_t)args[1] + 4, 1) ? 0 : WASI_EFAULT);
}

static int h_fd_prestat_dir_name(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    if ((uint32_t)args[0] != 3 || !w->fds[3].used) {
        return ret(results, WASI_EBADF);
    }
    uint8_t *p = mem_at(w, (uint32_t)args[1], 1);
    if ((uint32_t)args[2] < 1) {
        return ret(results, WASI_EINVAL);
    }
    if (p == NULL) {
        return ret(results, WASI_EFAULT);
    }
    p[0] = '/';
    return ret(results, WASI_ESUCCESS);
}

/*
 * Joins directory path dir and the program's path[0..n) into out,
 * normalized: no empty or "." components, ".." removes the one before and
 * may not climb above the root (ENOTCAPABLE), "." for the root itself.
 */
static int join_path(const char *dir, const uint8_t *path, uint32_t n, char *out)
{
    size_t len = 0;
    size_t dl = strlen(dir);
    if (!(dl == 1 && dir[0] == '.')) {
        if (dl >= WASI_MAX_PATH) {
            return WASI_ENAMETOOLONG;
        }
        memcpy(out, dir, dl);
        len = dl;
    }
    if (n > 0 && path[0] == '/') {
        return WASI_ENOTCAPABLE; /* absolute paths are relative to no directory here */
    }
    uint32_t i = 0;
    while (i < n) {
        uint32_t j = i;
        while (j < n && path[j] != '/') {
            if (path[j] == 0) {
                return WASI_EINVAL;
            }
            j++;
        }
        uint32_t c = j - i;
        if (c == 2 && path[i] == '.' && path[i + 1] == '.') {
            if (len == 0) {
                return WASI_ENOTCAPABLE;
            }
            while (len > 0 && out[len - 1] != '/') {
                len--;
            }
            if (len > 0) {
                len--; /* the separator */
            }
        } else if (c != 0 && !(c == 1 && path[i] == '.')) {
            if (len + c + 2 > WASI_MAX_PATH) {
                return WASI_ENAMETOOLONG;
            }
            if (len > 0) {
                out[len++] = '/';
            }
            memcpy(out + len, path + i, c);
            len += c;
        }
        i = j + 1;
    }
    if (len == 0) {
        out[len++] = '.';
    }
    out[len] = 0;
    return 0;
}

static int h_path_open(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    struct wasi_fd *dir = fd_of(w, args[0]);
    uint32_t n = (uint32_t)args[3];
    const uint8_t *path = mem_at(w, (uint32_t)args[2], n);
    uint32_t oflags = (uint32_t)args[4];
    uint64_t rights = args[5];
    uint32_t fdflags = (uint32_t)args[7];
    if (dir == NULL) {
        return ret(results, WASI_EBADF);
    }
    if (!dir->is_dir) {
        return ret(results, WASI_ENOTDIR);
    }
    if (path == NULL) {
        return ret(results, WASI_EFAULT);
    }
    uint32_t fd = 4;
    while (fd < WASI_MAX_FDS && w->fds[fd].used) {
        fd++;
    }
    if (fd == WASI_MAX_FDS) {
        return ret(results, 33); /* EMFILE */
    }
    struct wasi_fd *f = &w->fds[fd];
    int e = join_path(dir->path, path, n, f->path);
    if (e != 0) {
        return ret(results, e);
    }
    /* fd_write right (bit 6) or truncation asks for writing; append is fdflags bit 0 */
    bool write = (rights & (1u << 6)) != 0 || (oflags & WASI_O_TRUNC) != 0;
    bool is_dir = false;
    e = w->cfg.files->open(w->cfg.files->ctx, f->path, oflags, write, (fdflags & 1) != 0, &is_dir,
                           &f->handle);
    if (e != 0) {
        return ret(results, e);
    }
    if (!put32(w, (uint32_t)args[8], fd)) {
        if (!is_dir) {
            (void)w->cfg.files->close(w->cfg.files->ctx, f->handle);
        }
        return ret(results, WASI_EFAULT);
    }
    f->used = true;
    f->is_dir = is_dir;
    return ret(results, WASI_ESUCCESS);
}

/* Any other call of the module: a clean error. */
static int h_nosys(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct wasi *w = ctx;
    (void)args;
    w->unsupported++;
    results[0] = WASI_ENOSYS; /* every preview1 call returns an errno (proc_exit aside) */
    return 0;
}

/* ---- binding --------------------------------------------------------------------------- */

struct call {
    const char *name;
    const char *params; /* I: i32, L: i64 */
    bool has_result;    /* an i32 errno */
    wasm_host_fn fn;
};

static const struct call k_calls[] = {
    {"args_get", "ii", true, h_args_get},
    {"args_sizes_get", "ii", true, h_args_sizes_get},
    {"environ_get", "ii", true, h_environ_get},
    {"environ_sizes_get", "ii", true, h_environ_sizes_get},
    {"clock_res_get", "ii", true, h_clock_res_get},
    {"clock_time_get", "iLi", true, h_clock_time_get},
    {"random_get", "ii", true, h_random_get},
    {"proc_exit", "i", false, h_proc_exit},
    {"sched_yield", "", true, h_sched_yield},
    {"fd_write", "iiii", true, h_fd_write},
    {"fd_read", "iiii", true, h_fd_read},
    {"fd_seek", "iLii", true, h_fd_seek},
    {"fd_close", "i", true, h_fd_close},
    {"fd_fdstat_get", "ii", true, h_fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", true, h_fd_fdstat_set_flags},
    {"fd_prestat_get", "ii", true, h_fd_prestat_get},
    {"fd_prestat_dir_name", "iii", true, h_fd_prestat_dir_name},
    {"path_open", "iiiiiLLii", true, h_path_open},
};

static bool type_is(const struct wasm_functype *t, const struct call *c)
{
    size_t np = strlen(c->params);
    if (t->nparams != np || t->nresults != (c->has_result ? 1u : 0u)) {
        return false;
    }
    for (size_t i = 0; i < np; i++) {
        if (t->types[i] != (c->params[i] == 'L' ? L : I)) {
            return false;
        }
    }
    return !c->has_result || t->types[np] == I;
}

int wasi_call(struct wasi *w, const char *name, const uint64_t *args, uint64_t *results)
{
    for (size_t k = 0; k < sizeof k_calls / sizeof k_calls[0]; k++) {
        if (strcmp(k_calls[k].name, name) == 0) {
            return k_calls[k].fn(w, args, results);
        }
    }
    return h_nosys(w, args, results);
}

const char *wasi_call_name(uint32_t i)
{
    return i < sizeof k_calls / sizeof k_calls[0] ? k_calls[i].name : NULL;
}

void wasi_init(struct wasi *w, const struct wasi_config *cfg)
{
    memset(w, 0, sizeof *w);
    w->cfg = *cfg;
    for (int i = 0; i < 3; i++) {
        w->fds[i].used = true;
        w->fds[i].handle = i;
    }
    w->fds[3].used = true;
    w->fds[3].is_dir = true;
    w->fds[3].path[0] = '.';
}

int wasi_bind(struct wasi *w, const struct wasm_module *m, struct wasm_func *funcs,
              struct wasm_extern *imports, uint32_t *bad)
{
    static const char k_module[] = "wasi_snapshot_preview1";
    uint32_t n = wasm_module_import_count(m);
    for (uint32_t i = 0; i < n; i++) {
        const char *mod;
        const char *name;
        uint32_t ml;
        uint32_t nl;
        uint8_t kind;
        *bad = i;
        wasm_module_import(m, i, &mod, &ml, &name, &nl, &kind);
        const struct wasm_functype *t = wasm_module_import_functype(m, i);
        if (kind != WASM_EXTERN_FUNC || ml != sizeof k_module - 1 ||
            memcmp(mod, k_module, ml) != 0) {
            return ZERR_NOENT;
        }
        wasm_host_fn fn = h_nosys;
        for (size_t k = 0; k < sizeof k_calls / sizeof k_calls[0]; k++) {
            if (strlen(k_calls[k].name) == nl && memcmp(k_calls[k].name, name, nl) == 0) {
                if (!type_is(t, &k_calls[k])) {
                    return ZERR_INVAL;
                }
                fn = k_calls[k].fn;
            }
        }
        if (fn == h_nosys && (t->nresults != 1 || t->types[t->nparams] != I)) {
            return ZERR_INVAL; /* an unknown call must at least return an errno */
        }
        wasm_host_func_init(&funcs[i], t, fn, w);
        imports[i].kind = WASM_EXTERN_FUNC;
        imports[i].u.func = &funcs[i];
    }
    return 0;
}

int wasi_run(struct wasi *w, struct wasm_instance *inst, struct wasm_exec *ex, uint32_t *status)
{
    struct wasm_extern mem;
    struct wasm_extern start;
    *status = 0;
    if (wasm_instance_export(inst, "memory", 6, &mem) < 0 || mem.kind != WASM_EXTERN_MEMORY ||
        wasm_instance_export(inst, "_start", 6, &start) < 0 || start.kind != WASM_EXTERN_FUNC ||
        start.u.func->type->nparams != 0 || start.u.func->type->nresults != 0) {
        return ZERR_NOENT;
    }
    w->memory = mem.u.memory;
    int rc = wasm_invoke(ex, start.u.func, NULL, NULL);
    if (rc == ZERR_TRAP && ex->trap == WASM_TRAP_HOST && w->exited) {
        *status = w->exit_code;
        return 0;
    }
    return rc;
}
