/*
 * jobs_execute: one job from spec to result (docs/jobs.md).  Everything
 * the result depends on is in the spec and the CAS: the program, the
 * inputs, the arguments, the pinned time and seed, the fuel and memory
 * limits.  Memory comes from hal_page_alloc and is returned before it ends.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"
#include "services/jobs/internal/sandbox.h"
#include "services/jobs/jobs.h"
#include "wasm/wasm.h"

/* One run's working memory. */
struct jobs_ctx {
    struct sandbox sb;
    struct wasi wasi;
    struct wasm_exec ex;
    struct wasm_func funcs[256];
    struct wasm_extern imports[256];
    const char *argv[JOB_MAX_ARGS];
    const char *env[JOB_MAX_ENV];
    struct {
        void *p;
        size_t pages;
    } mem[4]; /* the module's bytes, then the module, exec and instance arenas */
};

static void *jobs_alloc(struct jobs_ctx *c, int k, size_t bytes)
{
    c->mem[k].pages = (bytes + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    c->mem[k].p = c->mem[k].pages ? hal_page_alloc(c->mem[k].pages) : NULL;
    return c->mem[k].p;
}

static void jobs_ctx_free(struct jobs_ctx *c)
{
    sb_free(&c->sb);
    for (int k = 0; k < 4; k++) {
        if (c->mem[k].p != NULL) {
            hal_page_free(c->mem[k].p, c->mem[k].pages);
        }
    }
    hal_page_free(c, (sizeof(*c) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
}

/* Reads the whole content hash from cas into fresh pages (memory slot k, or
 * a sandbox file when k < 0 names no slot); ZERR_NOENT if it is not there. */
static int jobs_load(struct cas *cas, const uint8_t hash[JOB_HASH], struct jobs_ctx *c,
                     const char *path, uint64_t *len)
{
    uint64_t size = 0;
    size_t got = 0;
    struct cas_fault f;
    int err = cas_size(cas, hash, &size, &f);

    if (err != 0) {
        return err;
    }
    if (size > JOBS_FILE_MAX) {
        return ZERR_LIMIT;
    }
    if (path == NULL) {
        if (jobs_alloc(c, 0, size ? size : 1) == NULL) {
            return ZERR_NOMEM;
        }
        *len = size;
        return size ? cas_read(cas, hash, 0, c->mem[0].p, size, &got, &f) : 0;
    }
    struct sb_buf tmp = {0};
    tmp.cap = (size + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE * HAL_PAGE_SIZE;
    tmp.p = tmp.cap ? hal_page_alloc(tmp.cap / HAL_PAGE_SIZE) : NULL;
    if (tmp.cap && tmp.p == NULL) {
        return ZERR_NOMEM;
    }
    err = size ? cas_read(cas, hash, 0, tmp.p, size, &got, &f) : 0;
    if (err == 0) {
        err = sb_add(&c->sb, path, tmp.p, size);
    }
    sb_buf_free(&tmp);
    return err;
}

static void jobs_refused(struct job_result *r, uint32_t code)
{
    r->end = JOB_END_REFUSED;
    r->code = code;
}

/* Loads, binds and instantiates the module; on a refusal fills r and returns 1. */
static int jobs_prepare(struct jobs_ctx *c, const struct job_spec *spec, uint64_t len,
                        struct wasm_instance **inst, struct job_result *r)
{
    struct wasm_limits lim;
    struct wasm_arena a;
    struct wasm_error werr;
    struct wasm_module *m = NULL;
    uint32_t bad = 0;

    wasm_limits_default(&lim);
    lim.max_memory_pages = spec->mem_pages;
    size_t msize = wasm_module_arena_size(c->mem[0].p, (size_t)len);
    if (jobs_alloc(c, 1, msize) == NULL) {
        return ZERR_NOMEM;
    }
    wasm_arena_init_zeroed(&a, c->mem[1].p, c->mem[1].pages * HAL_PAGE_SIZE);
    if (wasm_module_load(c->mem[0].p, (size_t)len, &a, &lim, &m, &werr) < 0) {
        jobs_refused(r, JOB_REFUSED_MODULE);
        return 1;
    }
    uint32_t n = wasm_module_import_count(m);
    if (n > 256 || wasi_bind(&c->wasi, m, c->funcs, c->imports, &bad) < 0) {
        jobs_refused(r, JOB_REFUSED_IMPORT);
        return 1;
    }
    if (jobs_alloc(c, 2, wasm_exec_arena_size(&lim)) == NULL) {
        return ZERR_NOMEM;
    }
    wasm_arena_init_zeroed(&a, c->mem[2].p, c->mem[2].pages * HAL_PAGE_SIZE);
    if (wasm_exec_init(&c->ex, &a, &lim) < 0 ||
        jobs_alloc(c, 3, wasm_instance_arena_size(m, &lim)) == NULL) {
        return ZERR_NOMEM;
    }
    wasm_arena_init_zeroed(&a, c->mem[3].p, c->mem[3].pages * HAL_PAGE_SIZE);
    c->ex.fuel = spec->fuel;
    int rc = wasm_instantiate(m, c->imports, n, &a, &lim, &c->ex, inst, &werr);
    if (rc < 0) {
        jobs_refused(r, rc == ZERR_LIMIT ? JOB_REFUSED_MEMORY : JOB_REFUSED_START);
        return 1;
    }
    return 0;
}

/* Runs _start and records how it ended. */
static void jobs_start(struct jobs_ctx *c, const struct job_spec *spec, struct wasm_instance *inst,
                       struct job_result *r)
{
    uint32_t code = 0;
    int rc = wasi_run(&c->wasi, inst, &c->ex, &code);

    if (rc == 0) {
        r->end = JOB_END_EXIT;
        r->code = code;
    } else if (rc == ZERR_TRAP) {
        r->end = JOB_END_TRAP;
        r->code = (uint32_t)c->ex.trap;
    } else {
        jobs_refused(r, JOB_REFUSED_ENTRY);
        return;
    }
    r->fuel_used = spec->fuel - c->ex.fuel;
}

/* Puts one buffer into the CAS (when store) and returns its hash. */
static int jobs_put(struct cas *cas, bool store, const struct sb_buf *b, uint8_t hash[JOB_HASH])
{
    if (!store) {
        blake3_hash(sb_bytes(b), b->len, hash);
        return 0;
    }
    return cas_put(cas, sb_bytes(b), b->len, hash, NULL);
}

/* Fills the outputs (files written whose content is not their input's),
 * sorted by path, and the stdout and stderr hashes. */
static int jobs_collect(struct jobs_ctx *c, struct cas *cas, bool store, struct jobs_run *out)
{
    struct job_result *r = &out->r;
    int err = jobs_put(cas, store, &c->sb.out, r->stdout_hash);

    if (err == 0) {
        err = jobs_put(cas, store, &c->sb.err, r->stderr_hash);
    }
    out->stdout_len = c->sb.out.len;
    out->stderr_len = c->sb.err.len;
    for (uint32_t i = 0; err == 0 && i < c->sb.nfiles; i++) {
        struct sb_file *f = &c->sb.files[i];
        uint8_t h[JOB_HASH];
        blake3_hash(sb_bytes(&f->data), f->data.len, h);
        if (!f->written || (f->is_input && memcmp(h, f->input_hash, JOB_HASH) == 0)) {
            continue;
        }
        err = jobs_put(cas, store, &f->data, h);
        uint32_t k = r->noutputs++;
        while (k > 0 && strcmp(r->outputs[k - 1].path, f->path) > 0) {
            r->outputs[k] = r->outputs[k - 1];
            k--;
        }
        memcpy(r->outputs[k].path, f->path, sizeof(f->path));
        memcpy(r->outputs[k].hash, h, JOB_HASH);
    }
    return err;
}

static int jobs_setup(struct jobs_ctx *c, struct cas *cas, const struct job_spec *spec,
                      uint64_t *len, char *why, size_t whycap)
{
    int err = jobs_load(cas, spec->program, c, NULL, len);

    if (err != 0) {
        zfmt_snprintf(why, whycap, "the program is not in the store: %s", zerr_text(err));
        return err;
    }
    for (uint32_t i = 0; i < spec->ninputs; i++) {
        err = jobs_load(cas, spec->inputs[i].hash, c, spec->inputs[i].path, len + 1);
        if (err != 0) {
            zfmt_snprintf(why, whycap, "input %s is not in the store: %s", spec->inputs[i].path,
                          zerr_text(err));
            return err;
        }
    }
    for (uint32_t i = 0; i < spec->argc; i++) {
        c->argv[i] = spec->argv[i];
    }
    for (uint32_t i = 0; i < spec->envc; i++) {
        c->env[i] = spec->env[i];
    }
    struct wasi_config cfg = {spec->argc,    c->argv,    spec->envc, c->env,
                              spec->time_ns, spec->seed, &c->sb.ops};
    wasi_init(&c->wasi, &cfg);
    return 0;
}

int jobs_execute(struct cas *cas, const struct job_spec *spec, bool store, struct jobs_run *out,
                 char *why, size_t whycap)
{
    struct jobs_ctx *c;
    struct wasm_instance *inst = NULL;
    uint64_t len[2] = {0, 0};
    int err;

    memset(out, 0, sizeof(*out));
    if (spec->mem_pages > JOBS_MEM_PAGES_MAX) {
        zfmt_snprintf(why, whycap, "a memory limit above %u pages is not run here",
                      JOBS_MEM_PAGES_MAX);
        return ZERR_LIMIT;
    }
    c = hal_page_alloc((sizeof(*c) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
    if (c == NULL) {
        zfmt_snprintf(why, whycap, "out of memory");
        return ZERR_NOMEM;
    }
    sb_init(&c->sb);
    err = jobs_setup(c, cas, spec, len, why, whycap);
    if (err == 0) {
        err = jobs_prepare(c, spec, len[0], &inst, &out->r);
        if (err == 0) {
            jobs_start(c, spec, inst, &out->r);
        }
        if (err == 1) {
            err = 0; /* refused: a result, with no fuel, output or files */
            sb_free(&c->sb);
        }
        if (err == ZERR_NOMEM) {
            zfmt_snprintf(why, whycap, "out of memory");
        }
    }
    if (err == 0) {
        err = jobs_collect(c, cas, store, out);
        if (err != 0) {
            zfmt_snprintf(why, whycap, "cannot store the outputs: %s", zerr_text(err));
        }
    }
    jobs_ctx_free(c);
    return err;
}
