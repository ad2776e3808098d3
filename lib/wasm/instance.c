/*
 * Instantiation: matching granted imports against the module's import
 * types, allocating memory, tables and globals from the caller's arena,
 * applying segments and running the start function.  Also the exports
 * lookup and the embedder's object constructors.
 */
#include "wasm/internal/wasm_int.h"

void wasm_host_func_init(struct wasm_func *f, const struct wasm_functype *t, wasm_host_fn fn,
                         void *ctx)
{
    f->type = t;
    f->inst = NULL;
    f->code = NULL;
    f->host = fn;
    f->host_ctx = ctx;
}

void wasm_memory_init(struct wasm_memory *m, void *data, uint32_t pages, uint32_t max_pages,
                      bool has_max)
{
    m->data = data;
    m->pages = pages;
    m->max_pages = max_pages;
    m->decl_max = max_pages;
    m->has_max = has_max;
}

void wasm_table_init(struct wasm_table *t, struct wasm_func **elems, uint32_t size,
                     uint32_t max_size, bool has_max)
{
    t->elems = elems;
    t->size = size;
    t->max_size = max_size;
    t->decl_max = max_size;
    t->has_max = has_max;
}

static bool functype_eq(const struct wasm_functype *a, const struct wasm_functype *b)
{
    uint32_t n = a->nparams + a->nresults;
    if (a == b) {
        return true;
    }
    if (a->nparams != b->nparams || a->nresults != b->nresults) {
        return false;
    }
    return n == 0 || memcmp(a->types, b->types, n) == 0;
}

static uint32_t reserve_of(const struct wasm_limits_decl *l, uint32_t limit)
{
    return l->has_max && l->max < limit ? l->max : limit;
}

size_t wasm_instance_arena_size(const struct wasm_module *m, const struct wasm_limits *limits)
{
    struct wasm_limits def;
    if (limits == NULL) {
        wasm_limits_default(&def);
        limits = &def;
    }
    size_t n = 1024 + sizeof(struct wasm_instance);
    n += (size_t)m->nfuncs * (sizeof(struct wasm_func) + sizeof(void *) + 16);
    n += (size_t)m->nglobals * (sizeof(struct wasm_global) + sizeof(void *) + 16);
    n += (size_t)m->ndatas + 8;
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        n += sizeof(struct wasm_table) + 16 +
             (size_t)reserve_of(&m->tables[i], limits->max_table_size) * sizeof(void *);
    }
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
        n += sizeof(struct wasm_memory) + 16 +
             (size_t)reserve_of(&m->mems[i], limits->max_memory_pages) * WASM_PAGE;
    }
    n += (size_t)m->ntables * sizeof(void *) + 16;
    return n;
}

static int link_fail(struct wasm_error *err, int code, const char *msg)
{
    err->code = code;
    err->msg = msg;
    err->offset = 0;
    return code;
}

/* Checks that granted limits (have) satisfy the imported limits (want). */
static bool limits_match(uint32_t have_min, bool have_has_max, uint32_t have_max,
                         const struct wasm_limits_decl *want)
{
    if (have_min < want->min) {
        return false;
    }
    if (want->has_max && (!have_has_max || have_max > want->max)) {
        return false;
    }
    return true;
}

static int check_import(const struct wasm_module *m, const struct wasm_import *im,
                        const struct wasm_extern *ex, struct wasm_error *err)
{
    if (ex->kind != im->kind) {
        return link_fail(err, ZERR_INVAL, "incompatible import type");
    }
    bool ok = true;
    switch (im->kind) {
    case WASM_EXTERN_FUNC:
        ok = ex->u.func != NULL && functype_eq(ex->u.func->type, &m->types[im->type]);
        break;
    case WASM_EXTERN_TABLE:
        ok = ex->u.table != NULL && limits_match(ex->u.table->size, ex->u.table->has_max,
                                                 ex->u.table->decl_max, &im->limits);
        break;
    case WASM_EXTERN_MEMORY:
        ok = ex->u.memory != NULL && limits_match(ex->u.memory->pages, ex->u.memory->has_max,
                                                  ex->u.memory->decl_max, &im->limits);
        break;
    default:
        ok = ex->u.global != NULL && ex->u.global->type == im->gtype &&
             ex->u.global->mut == im->gmut;
        break;
    }
    return ok ? 0 : link_fail(err, ZERR_INVAL, "incompatible import type");
}

static uint64_t const_value(const struct wasm_instance *inst, const struct wasm_constexpr *e)
{
    if (e->op == 0x23) {
        return inst->globals[e->global]->val;
    }
    return e->val;
}

static int alloc_fail(struct wasm_error *err)
{
    return link_fail(err, ZERR_NOMEM, "instance arena too small");
}

/* Binds imports and allocates every object of the instance. */
static int build(struct wasm_instance *inst, const struct wasm_extern *imports,
                 struct wasm_arena *a, const struct wasm_limits *limits, struct wasm_error *err)
{
    const struct wasm_module *m = inst->module;
    inst->funcs = wasm_alloc(a, sizeof(void *) * m->nfuncs);
    inst->tables = wasm_alloc(a, sizeof(void *) * m->ntables);
    inst->globals = wasm_alloc(a, sizeof(void *) * m->nglobals);
    inst->data_dropped = wasm_alloc(a, m->ndatas + 1);
    struct wasm_func *defs = wasm_alloc(a, sizeof *defs * (m->nfuncs - m->nfunc_imports));
    struct wasm_global *gdefs = wasm_alloc(a, sizeof *gdefs * (m->nglobals - m->nglobal_imports));
    if ((m->nfuncs && !inst->funcs) || (m->ntables && !inst->tables) ||
        (m->nglobals && !inst->globals) || !inst->data_dropped ||
        (m->nfuncs > m->nfunc_imports && !defs) || (m->nglobals > m->nglobal_imports && !gdefs)) {
        return alloc_fail(err);
    }
    uint32_t nf = 0;
    uint32_t nt = 0;
    uint32_t ng = 0;
    for (uint32_t i = 0; i < m->nimports; i++) {
        switch (imports[i].kind) {
        case WASM_EXTERN_FUNC:
            inst->funcs[nf++] = imports[i].u.func;
            break;
        case WASM_EXTERN_TABLE:
            inst->tables[nt++] = imports[i].u.table;
            break;
        case WASM_EXTERN_MEMORY:
            inst->memory = imports[i].u.memory;
            break;
        default:
            inst->globals[ng++] = imports[i].u.global;
            break;
        }
    }
    for (uint32_t i = m->nfunc_imports; i < m->nfuncs; i++) {
        struct wasm_func *f = &defs[i - m->nfunc_imports];
        f->type = &m->types[m->func_types[i]];
        f->inst = inst;
        f->code = &m->codes[i - m->nfunc_imports];
        inst->funcs[i] = f;
    }
    for (uint32_t i = m->ntable_imports; i < m->ntables; i++) {
        const struct wasm_limits_decl *l = &m->tables[i];
        uint32_t max = reserve_of(l, limits->max_table_size);
        struct wasm_table *t = wasm_alloc(a, sizeof *t);
        struct wasm_func **elems = wasm_alloc(a, sizeof(void *) * (size_t)max);
        if (l->min > max) {
            return link_fail(err, ZERR_LIMIT, "table exceeds the size limit");
        }
        if (t == NULL || (max && elems == NULL)) {
            return alloc_fail(err);
        }
        wasm_table_init(t, elems, l->min, max, l->has_max);
        t->decl_max = l->max;
        inst->tables[i] = t;
    }
    for (uint32_t i = m->nmem_imports; i < m->nmems; i++) {
        const struct wasm_limits_decl *l = &m->mems[i];
        uint32_t max = reserve_of(l, limits->max_memory_pages);
        if (l->min > max) {
            return link_fail(err, ZERR_LIMIT, "memory exceeds the page limit");
        }
        struct wasm_memory *mem = wasm_alloc(a, sizeof *mem);
        /* the reservation is zeroed page by page as it comes into use */
        struct wasm_arena before = *a; /* what was known to be zero */
        uint8_t *data = wasm_alloc_scratch(a, (size_t)max * WASM_PAGE);
        if (mem == NULL || (max && data == NULL)) {
            return alloc_fail(err);
        }
        a->size -= a->high; /* make the scratch reservation permanent */
        a->high = 0;
        size_t at = max ? (size_t)(data - a->base) : 0, len = (size_t)l->min * WASM_PAGE;
        if (len != 0 && !wasm_arena_known_zero(&before, at, len)) {
            memset(data, 0, len); /* not known to be zero already */
        }
        wasm_memory_init(mem, data, l->min, max, l->has_max);
        mem->decl_max = l->max;
        inst->memory = mem;
    }
    for (uint32_t i = m->nglobal_imports; i < m->nglobals; i++) {
        struct wasm_global *g = &gdefs[i - m->nglobal_imports];
        g->type = m->globals[i].type;
        g->mut = m->globals[i].mut;
        g->val = const_value(inst, &m->globals[i].init);
        inst->globals[i] = g;
    }
    return 0;
}

/* Checks every active segment fits before any is written (1.0 semantics). */
static int check_segments(const struct wasm_instance *inst, struct wasm_error *err)
{
    const struct wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const struct wasm_elem_decl *e = &m->elems[i];
        uint64_t off = (uint32_t)const_value(inst, &e->offset);
        if (off + e->count > inst->tables[e->table]->size) {
            return link_fail(err, ZERR_INVAL, "elements segment does not fit");
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const struct wasm_data_decl *d = &m->datas[i];
        if (d->passive) {
            continue;
        }
        uint64_t off = (uint32_t)const_value(inst, &d->offset);
        if (off + d->len > (uint64_t)inst->memory->pages * WASM_PAGE) {
            return link_fail(err, ZERR_INVAL, "data segment does not fit");
        }
    }
    return 0;
}

static void apply_segments(struct wasm_instance *inst)
{
    const struct wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nelems; i++) {
        const struct wasm_elem_decl *e = &m->elems[i];
        uint32_t off = (uint32_t)const_value(inst, &e->offset);
        struct wasm_table *t = inst->tables[e->table];
        for (uint32_t k = 0; k < e->count; k++) {
            t->elems[off + k] = inst->funcs[e->funcs[k]];
        }
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        const struct wasm_data_decl *d = &m->datas[i];
        if (d->passive) {
            continue;
        }
        uint32_t off = (uint32_t)const_value(inst, &d->offset);
        if (d->len != 0) {
            memcpy(inst->memory->data + off, d->bytes, d->len);
        }
        inst->data_dropped[i] = true; /* active segments are dropped once applied */
    }
}

int wasm_instantiate(const struct wasm_module *m, const struct wasm_extern *imports,
                     uint32_t nimports, struct wasm_arena *arena, const struct wasm_limits *limits,
                     struct wasm_exec *ex, struct wasm_instance **out, struct wasm_error *err)
{
    struct wasm_limits def;
    struct wasm_error dummy;
    if (err == NULL) {
        err = &dummy;
    }
    err->code = 0;
    err->msg = NULL;
    if (limits == NULL) {
        wasm_limits_default(&def);
        limits = &def;
    }
    if (nimports != m->nimports) {
        return link_fail(err, ZERR_INVAL, "wrong number of imports");
    }
    for (uint32_t i = 0; i < nimports; i++) {
        int rc = check_import(m, &m->imports[i], &imports[i], err);
        if (rc < 0) {
            return rc;
        }
    }
    struct wasm_instance *inst = wasm_alloc(arena, sizeof *inst);
    if (inst == NULL) {
        return alloc_fail(err);
    }
    inst->module = m;
    int rc = build(inst, imports, arena, limits, err);
    if (rc == 0) {
        rc = check_segments(inst, err);
    }
    if (rc < 0) {
        return rc;
    }
    apply_segments(inst);
    *out = inst;
    if (m->has_start) {
        rc = wasm_invoke(ex, inst->funcs[m->start], NULL, NULL);
        if (rc < 0) {
            return link_fail(err, rc, wasm_trap_text(ex->trap));
        }
    }
    return 0;
}

int wasm_instance_export(const struct wasm_instance *inst, const char *name, size_t len,
                         struct wasm_extern *out)
{
    const struct wasm_module *m = inst->module;
    for (uint32_t i = 0; i < m->nexports; i++) {
        const struct wasm_export_decl *e = &m->exports[i];
        if (e->name_len != len || memcmp(e->name, name, len) != 0) {
            continue;
        }
        out->kind = e->kind;
        switch (e->kind) {
        case WASM_EXTERN_FUNC:
            out->u.func = inst->funcs[e->index];
            break;
        case WASM_EXTERN_TABLE:
            out->u.table = inst->tables[e->index];
            break;
        case WASM_EXTERN_MEMORY:
            out->u.memory = inst->memory;
            break;
        default:
            out->u.global = inst->globals[e->index];
            break;
        }
        return 0;
    }
    return ZERR_NOENT;
}

const char *wasm_trap_text(int trap)
{
    static const char *const text[] = {
        "no trap",
        "unreachable",
        "integer divide by zero",
        "integer overflow",
        "invalid conversion to integer",
        "out of bounds memory access",
        "out of bounds table access",
        "undefined element",
        "uninitialized element",
        "indirect call type mismatch",
        "call stack exhausted",
        "call stack exhausted (value stack)",
        "out of fuel",
        "host function failed",
    };
    if (trap < 0 || trap > WASM_TRAP_HOST) {
        return "unknown trap";
    }
    return text[trap];
}
