/*
 * Binary decoder: reads a module section by section, checks every rule of
 * the binary format (malformed → ZERR_CORRUPT) and the module-level
 * validation rules (invalid → ZERR_INVAL), and hands each function body to
 * the compiler, which validates it while it emits the internal form.
 */
#include "wasm/internal/wasm_int.h"

/* ---- arena ---------------------------------------------------------------- */

void wasm_arena_init(struct wasm_arena *a, void *mem, size_t size)
{
    a->base = mem;
    a->size = size;
    a->low = (8 - ((uintptr_t)mem & 7)) & 7;
    if (a->low > size) {
        a->low = size;
    }
    a->high = 0;
    a->zero_from = 0;
    a->zero_to = 0;
}

void wasm_arena_init_zeroed(struct wasm_arena *a, void *mem, size_t size)
{
    wasm_arena_init(a, mem, size);
    a->zero_from = a->low;
    a->zero_to = size;
}

/* Returns n zeroed bytes from the low end, or NULL when the arena is full. */
void *wasm_alloc(struct wasm_arena *a, size_t n)
{
    size_t need = (n + 7) & ~(size_t)7;
    if (need < n || need > a->size - a->low - a->high) {
        return NULL;
    }
    void *p = a->base + a->low;
    bool clean = wasm_arena_known_zero(a, a->low, n);
    a->low += need;
    if (a->zero_from < a->low) {
        a->zero_from = a->low; /* handed out: its owner may write it */
    }
    if (!clean) {
        memset(p, 0, n);
    }
    return p;
}

/* Returns n uncleared bytes from the high end (released as a whole by setting high to 0). */
void *wasm_alloc_scratch(struct wasm_arena *a, size_t n)
{
    size_t need = (n + 7) & ~(size_t)7;
    if (need < n || need > a->size - a->low - a->high) {
        return NULL;
    }
    a->high += need;
    /* keep the top end 8-aligned */
    size_t top = (size_t)(((uintptr_t)(a->base + a->size - a->high)) & 7);
    if (top != 0) {
        if (a->high + top > a->size - a->low) {
            return NULL;
        }
        a->high += top;
    }
    if (a->zero_to > a->size - a->high) {
        a->zero_to = a->size - a->high; /* scratch is written, and reused later */
    }
    return a->base + a->size - a->high;
}

void wasm_limits_default(struct wasm_limits *l)
{
    l->max_memory_pages = 256; /* 16 MiB */
    l->max_table_size = 65536;
    l->max_call_depth = 16384;
    l->max_stack_slots = 1024 * 1024; /* 8 MiB */
}

/*
 * Scans the sections for what the arena depends on: the bytes outside
 * custom sections (*used: custom sections are skipped, never stored), the
 * largest function body (*body) and the largest arity of a type (*arity).
 * On anything it cannot read it keeps the worst case, len, len and
 * WASM_MAX_ARITY, so the size still covers whatever loading reaches.
 */
static void scan_bounds(const uint8_t *bytes, size_t len, size_t *used, size_t *body,
                        uint32_t *arity)
{
    struct wasm_reader r = {bytes + 8, bytes + len, bytes, NULL};
    size_t custom = 0;
    size_t max_body = 0;
    uint32_t max_arity = 1;
    *used = len;
    *body = len;
    *arity = WASM_MAX_ARITY;
    if (len < 8) {
        return;
    }
    while (r.p < r.end) {
        uint8_t id;
        uint32_t size;
        uint32_t n;
        if (wasm_read_u8(&r, &id) < 0 || wasm_read_u32(&r, &size) < 0 ||
            size > (size_t)(r.end - r.p)) {
            return;
        }
        struct wasm_reader sec = {r.p, r.p + size, bytes, NULL};
        r.p += size;
        if (id == 0) {
            custom += size;
        }
        if ((id != 1 && id != 10) || wasm_read_u32(&sec, &n) < 0) {
            continue;
        }
        for (uint32_t i = 0; i < n; i++) {
            uint32_t k;
            uint8_t form;
            if (id == 10) {
                if (wasm_read_u32(&sec, &k) < 0 || k > (size_t)(sec.end - sec.p)) {
                    return;
                }
                max_body = k > max_body ? k : max_body;
                sec.p += k;
                continue;
            }
            for (int part = 0; part < 2; part++) {
                if ((part == 0 && wasm_read_u8(&sec, &form) < 0) || wasm_read_u32(&sec, &k) < 0 ||
                    k > (size_t)(sec.end - sec.p)) {
                    return;
                }
                max_arity = k > max_arity ? k : max_arity;
                sec.p += k;
            }
        }
    }
    *used = len - custom;
    *body = max_body;
    *arity = max_arity > WASM_MAX_ARITY ? WASM_MAX_ARITY : max_arity;
}

/*
 * Decoded sections take at most 64 bytes per byte of theirs and compiled code
 * at most 8 words (32 bytes) per body byte, plus 8 per function for its
 * alignment; compiling one function needs scratch for its local types and
 * local lists, and for its operand and control stacks, which double as
 * they grow (under 4x their peak in all).  Every instruction pushes at most
 * max(1, the largest arity) values and a block takes at least two bytes.
 * docs/wasm.md gives the per-instruction accounting.
 */
size_t wasm_module_arena_size(const uint8_t *bytes, size_t len)
{
    size_t used;
    size_t body;
    uint32_t arity;
    scan_bounds(bytes, len, &used, &body, &arity);
    uint64_t height = (uint64_t)body * arity + 1;
    if (height > WASM_MAX_OPERANDS) {
        height = WASM_MAX_OPERANDS;
    }
    size_t scratch = 5 * ((size_t)WASM_MAX_LOCALS + 8) + 4 * WASM_COMPILE_OPND_SIZE * height +
                     4 * WASM_COMPILE_CTRL_SIZE * (body / 2 + 16) + 64 * 16;
    return 64 * 1024 + used * (64 + 32 + 8) + scratch;
}

/* ---- reader --------------------------------------------------------------- */

int wasm_fail(struct wasm_reader *r, int code, const char *msg)
{
    if (r->err != NULL && r->err->msg == NULL) {
        r->err->code = code;
        r->err->msg = msg;
        r->err->offset = (uint32_t)(r->p - r->start);
    }
    return code;
}

int wasm_read_u8(struct wasm_reader *r, uint8_t *out)
{
    *out = 0;
    if (r->p >= r->end) {
        return wasm_fail(r, ZERR_CORRUPT, "unexpected end");
    }
    *out = *r->p++;
    return 0;
}

/* Reads an unsigned LEB128 of at most bits bits. */
static int read_uleb(struct wasm_reader *r, unsigned bits, uint64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0;
    for (;;) {
        uint8_t b;
        if (r->p >= r->end) {
            return wasm_fail(r, ZERR_CORRUPT, "unexpected end");
        }
        b = *r->p++;
        if (shift + 7 >= bits) {
            /* last byte: no continuation, unused bits zero */
            if (b & 0x80) {
                return wasm_fail(r, ZERR_CORRUPT, "integer representation too long");
            }
            if ((b >> (bits - shift)) != 0) {
                return wasm_fail(r, ZERR_CORRUPT, "integer too large");
            }
            v |= (uint64_t)b << shift;
            break;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            break;
        }
    }
    *out = v;
    return 0;
}

/* Reads a signed LEB128 of at most bits bits, sign-extended. */
static int read_sleb(struct wasm_reader *r, unsigned bits, int64_t *out)
{
    uint64_t v = 0;
    unsigned shift = 0;
    uint8_t b;
    for (;;) {
        if (r->p >= r->end) {
            return wasm_fail(r, ZERR_CORRUPT, "unexpected end");
        }
        b = *r->p++;
        if (shift + 7 >= bits) {
            if (b & 0x80) {
                return wasm_fail(r, ZERR_CORRUPT, "integer representation too long");
            }
            /* bits above the value's width must repeat its sign bit */
            unsigned used = bits - shift; /* significant bits in this byte */
            uint8_t rest = (uint8_t)(b & 0x7f) >> (used - 1);
            uint8_t all = (uint8_t)(0x7f >> (used - 1));
            if (rest != 0 && rest != all) {
                return wasm_fail(r, ZERR_CORRUPT, "integer too large");
            }
            v |= (uint64_t)(b & 0x7f) << shift;
            shift += 7;
            break;
        }
        v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) {
            break;
        }
    }
    if (shift < 64 && (b & 0x40)) {
        v |= ~(uint64_t)0 << shift;
    }
    *out = (int64_t)v;
    return 0;
}

int wasm_read_u32(struct wasm_reader *r, uint32_t *out)
{
    uint64_t v = 0;
    int rc = read_uleb(r, 32, &v);
    *out = (uint32_t)v;
    return rc;
}

int wasm_read_s32(struct wasm_reader *r, int32_t *out)
{
    int64_t v = 0;
    int rc = read_sleb(r, 32, &v);
    *out = (int32_t)v;
    return rc;
}

int wasm_read_s33(struct wasm_reader *r, int64_t *out)
{
    return read_sleb(r, 33, out);
}

int wasm_read_s64(struct wasm_reader *r, int64_t *out)
{
    return read_sleb(r, 64, out);
}

static int read_fixed(struct wasm_reader *r, unsigned n, uint64_t *out)
{
    if ((size_t)(r->end - r->p) < n) {
        return wasm_fail(r, ZERR_CORRUPT, "unexpected end");
    }
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        v |= (uint64_t)r->p[i] << (8 * i);
    }
    r->p += n;
    *out = v;
    return 0;
}

/* ---- module decoding ------------------------------------------------------ */

struct decoder {
    struct wasm_reader r;
    struct wasm_module *m;
    struct wasm_arena *arena;
    const struct wasm_limits *limits;
    uint32_t nfunc_decls; /* function section count */
    bool seen_code;
};

#define TRY(expr)         \
    do {                  \
        int rc_ = (expr); \
        if (rc_ < 0) {    \
            return rc_;   \
        }                 \
    } while (0)

static void *d_alloc(struct decoder *d, size_t n, size_t count)
{
    if (count != 0 && n > SIZE_MAX / count) {
        return NULL;
    }
    void *p = wasm_alloc(d->arena, n * count);
    if (p == NULL) {
        wasm_fail(&d->r, ZERR_NOMEM, "module arena too small");
    }
    return p;
}

/* Checks that s[0..n) is well-formed UTF-8. */
static bool utf8_ok(const uint8_t *s, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        uint32_t len;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len) {
            return false;
        }
        for (uint32_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return false;
        }
        i += len;
    }
    return true;
}

/* Reads a name's length and checks that its bytes are there and UTF-8. */
static int check_name(struct decoder *d, uint32_t *n)
{
    TRY(wasm_read_u32(&d->r, n));
    if ((size_t)(d->r.end - d->r.p) < *n) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "unexpected end");
    }
    if (!utf8_ok(d->r.p, *n)) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "malformed UTF-8 encoding");
    }
    return 0;
}

static int read_name(struct decoder *d, const char **out, uint32_t *len)
{
    uint32_t n;
    TRY(check_name(d, &n));
    char *s = d_alloc(d, 1, (size_t)n + 1);
    if (s == NULL) {
        return ZERR_NOMEM;
    }
    memcpy(s, d->r.p, n);
    d->r.p += n;
    *out = s;
    *len = n;
    return 0;
}

static bool is_valtype(uint8_t t)
{
    return t == WASM_I32 || t == WASM_I64 || t == WASM_F32 || t == WASM_F64;
}

static int read_valtype(struct decoder *d, uint8_t *t)
{
    TRY(wasm_read_u8(&d->r, t));
    if (!is_valtype(*t)) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "malformed value type");
    }
    return 0;
}

static int read_limits(struct decoder *d, struct wasm_limits_decl *l, uint32_t bound,
                       const char *bound_msg)
{
    uint8_t flags;
    TRY(wasm_read_u8(&d->r, &flags));
    if (flags > 1) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "malformed limits flags");
    }
    TRY(wasm_read_u32(&d->r, &l->min));
    l->has_max = flags == 1;
    l->max = 0;
    if (l->has_max) {
        TRY(wasm_read_u32(&d->r, &l->max));
    }
    if (l->min > bound || (l->has_max && l->max > bound)) {
        return wasm_fail(&d->r, ZERR_INVAL, bound_msg);
    }
    if (l->has_max && l->min > l->max) {
        return wasm_fail(&d->r, ZERR_INVAL, "size minimum must not be greater than maximum");
    }
    return 0;
}

static int read_tabletype(struct decoder *d, struct wasm_limits_decl *l)
{
    uint8_t et;
    TRY(wasm_read_u8(&d->r, &et));
    if (et != WASM_FUNCREF) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "malformed reference type");
    }
    return read_limits(d, l, UINT32_MAX, "table size");
}

static int read_memtype(struct decoder *d, struct wasm_limits_decl *l)
{
    return read_limits(d, l, WASM_MAX_PAGES, "memory size must be at most 65536 pages (4GiB)");
}

static int read_globaltype(struct decoder *d, uint8_t *t, bool *mut)
{
    uint8_t m;
    TRY(read_valtype(d, t));
    TRY(wasm_read_u8(&d->r, &m));
    if (m > 1) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "malformed mutability");
    }
    *mut = m == 1;
    return 0;
}

/* Reads a constant expression of type want and its closing end. */
static int read_constexpr(struct decoder *d, uint8_t want, struct wasm_constexpr *e)
{
    uint8_t op;
    uint8_t type = 0;
    TRY(wasm_read_u8(&d->r, &op));
    e->op = op;
    switch (op) {
    case 0x41: {
        int32_t v;
        TRY(wasm_read_s32(&d->r, &v));
        e->val = (uint32_t)v;
        type = WASM_I32;
        break;
    }
    case 0x42: {
        int64_t v;
        TRY(wasm_read_s64(&d->r, &v));
        e->val = (uint64_t)v;
        type = WASM_I64;
        break;
    }
    case 0x43:
        TRY(read_fixed(&d->r, 4, &e->val));
        type = WASM_F32;
        break;
    case 0x44:
        TRY(read_fixed(&d->r, 8, &e->val));
        type = WASM_F64;
        break;
    case 0x23: {
        TRY(wasm_read_u32(&d->r, &e->global));
        if (e->global >= d->m->nglobal_imports) {
            return wasm_fail(&d->r, ZERR_INVAL, "unknown global");
        }
        if (d->m->globals[e->global].mut) {
            return wasm_fail(&d->r, ZERR_INVAL, "constant expression required");
        }
        type = d->m->globals[e->global].type;
        break;
    }
    case 0x0b:
        return wasm_fail(&d->r, ZERR_INVAL, "type mismatch");
    default:
        return wasm_fail(&d->r, ZERR_INVAL, "constant expression required");
    }
    TRY(wasm_read_u8(&d->r, &op));
    if (op != 0x0b) {
        return wasm_fail(&d->r, ZERR_INVAL, "constant expression required");
    }
    if (type != want) {
        return wasm_fail(&d->r, ZERR_INVAL, "type mismatch");
    }
    return 0;
}

static int read_count(struct decoder *d, uint32_t *n, size_t min_bytes_each)
{
    TRY(wasm_read_u32(&d->r, n));
    if (min_bytes_each != 0 && *n > (size_t)(d->r.end - d->r.p) / min_bytes_each) {
        return wasm_fail(&d->r, ZERR_CORRUPT, "unexpected end");
    }
    return 0;
}

static int sec_type(struct decoder *d)
{
    struct wasm_module *m = d->m;
    TRY(read_count(d, &m->ntypes, 3));
    m->types = d_alloc(d, sizeof *m->types, m->ntypes);
    if (m->types == NULL && m->ntypes) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < m->ntypes; i++) {
        uint8_t form;
        uint32_t np;
        uint32_t nr;
        TRY(wasm_read_u8(&d->r, &form));
        if (form != 0x60) {
            return wasm_fail(&d->r, ZERR_CORRUPT, "malformed function type");
        }
        TRY(read_count(d, &np, 1));
        const uint8_t *pp = d->r.p;
        d->r.p += np;
        TRY(read_count(d, &nr, 1));
        if (np > WASM_MAX_ARITY || nr > WASM_MAX_ARITY) {
            return wasm_fail(&d->r, ZERR_LIMIT, "too many parameters or results");
        }
        uint8_t *types = d_alloc(d, 1, (size_t)np + nr + 1);
        if (types == NULL) {
            return ZERR_NOMEM;
        }
        for (uint32_t k = 0; k < np; k++) {
            if (!is_valtype(pp[k])) {
                return wasm_fail(&d->r, ZERR_CORRUPT, "malformed value type");
            }
            types[k] = pp[k];
        }
        for (uint32_t k = 0; k < nr; k++) {
            TRY(read_valtype(d, &types[np + k]));
        }
        m->types[i].nparams = np;
        m->types[i].nresults = nr;
        m->types[i].types = types;
    }
    return 0;
}

static int sec_import(struct decoder *d)
{
    struct wasm_module *m = d->m;
    TRY(read_count(d, &m->nimports, 4));
    m->imports = d_alloc(d, sizeof *m->imports, m->nimports);
    /* index spaces hold at most the imports here; definitions come later */
    m->func_types = d_alloc(d, sizeof(uint32_t), m->nimports);
    m->tables = d_alloc(d, sizeof *m->tables, m->nimports);
    m->mems = d_alloc(d, sizeof *m->mems, m->nimports);
    m->globals = d_alloc(d, sizeof *m->globals, m->nimports);
    if (m->nimports && (!m->imports || !m->func_types || !m->tables || !m->mems || !m->globals)) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < m->nimports; i++) {
        struct wasm_import *im = &m->imports[i];
        TRY(read_name(d, &im->module, &im->module_len));
        TRY(read_name(d, &im->name, &im->name_len));
        TRY(wasm_read_u8(&d->r, &im->kind));
        switch (im->kind) {
        case WASM_EXTERN_FUNC:
            TRY(wasm_read_u32(&d->r, &im->type));
            if (im->type >= m->ntypes) {
                return wasm_fail(&d->r, ZERR_INVAL, "unknown type");
            }
            m->func_types[m->nfuncs++] = im->type;
            break;
        case WASM_EXTERN_TABLE:
            TRY(read_tabletype(d, &im->limits));
            m->tables[m->ntables++] = im->limits;
            break;
        case WASM_EXTERN_MEMORY:
            TRY(read_memtype(d, &im->limits));
            m->mems[m->nmems++] = im->limits;
            break;
        case WASM_EXTERN_GLOBAL:
            TRY(read_globaltype(d, &im->gtype, &im->gmut));
            m->globals[m->nglobals].type = im->gtype;
            m->globals[m->nglobals].mut = im->gmut;
            m->nglobals++;
            break;
        default:
            return wasm_fail(&d->r, ZERR_CORRUPT, "malformed import kind");
        }
    }
    m->nfunc_imports = m->nfuncs;
    m->ntable_imports = m->ntables;
    m->nmem_imports = m->nmems;
    m->nglobal_imports = m->nglobals;
    if (m->ntables > 1) {
        return wasm_fail(&d->r, ZERR_INVAL, "multiple tables");
    }
    if (m->nmems > 1) {
        return wasm_fail(&d->r, ZERR_INVAL, "multiple memories");
    }
    return 0;
}

/* Grows an index-space array of old entries by add more, copying. */
static void *grow(struct decoder *d, void *old, size_t each, uint32_t n_old, uint32_t add)
{
    void *p = d_alloc(d, each, (size_t)n_old + add);
    if (p != NULL && n_old != 0) {
        memcpy(p, old, each * n_old);
    }
    return p;
}

static int sec_func(struct decoder *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(read_count(d, &n, 1));
    uint32_t *ft = grow(d, m->func_types, sizeof(uint32_t), m->nfuncs, n);
    if (ft == NULL) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        TRY(wasm_read_u32(&d->r, &ft[m->nfuncs + i]));
        if (ft[m->nfuncs + i] >= m->ntypes) {
            return wasm_fail(&d->r, ZERR_INVAL, "unknown type");
        }
    }
    m->func_types = ft;
    m->nfuncs += n;
    d->nfunc_decls = n;
    return 0;
}

static int sec_table(struct decoder *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(read_count(d, &n, 2));
    struct wasm_limits_decl *t = grow(d, m->tables, sizeof *t, m->ntables, n);
    if (t == NULL) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        TRY(read_tabletype(d, &t[m->ntables + i]));
    }
    m->tables = t;
    m->ntables += n;
    if (m->ntables > 1) {
        return wasm_fail(&d->r, ZERR_INVAL, "multiple tables");
    }
    return 0;
}

static int sec_memory(struct decoder *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(read_count(d, &n, 2));
    struct wasm_limits_decl *t = grow(d, m->mems, sizeof *t, m->nmems, n);
    if (t == NULL) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        TRY(read_memtype(d, &t[m->nmems + i]));
    }
    m->mems = t;
    m->nmems += n;
    if (m->nmems > 1) {
        return wasm_fail(&d->r, ZERR_INVAL, "multiple memories");
    }
    return 0;
}

static int sec_global(struct decoder *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(read_count(d, &n, 4));
    struct wasm_global_decl *g = grow(d, m->globals, sizeof *g, m->nglobals, n);
    if (g == NULL) {
        return ZERR_NOMEM;
    }
    m->globals = g;
    for (uint32_t i = 0; i < n; i++) {
        struct wasm_global_decl *gd = &g[m->nglobals + i];
        TRY(read_globaltype(d, &gd->type, &gd->mut));
        TRY(read_constexpr(d, gd->type, &gd->init));
    }
    m->nglobals += n;
    return 0;
}

static int sec_export(struct decoder *d)
{
    struct wasm_module *m = d->m;
    TRY(read_count(d, &m->nexports, 3));
    m->exports = d_alloc(d, sizeof *m->exports, m->nexports);
    if (m->exports == NULL && m->nexports) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < m->nexports; i++) {
        struct wasm_export_decl *e = &m->exports[i];
        TRY(read_name(d, &e->name, &e->name_len));
        TRY(wasm_read_u8(&d->r, &e->kind));
        TRY(wasm_read_u32(&d->r, &e->index));
        static const char *const unknown[] = {"unknown function", "unknown table", "unknown memory",
                                              "unknown global"};
        uint32_t limit;
        switch (e->kind) {
        case WASM_EXTERN_FUNC:
            limit = m->nfuncs;
            break;
        case WASM_EXTERN_TABLE:
            limit = m->ntables;
            break;
        case WASM_EXTERN_MEMORY:
            limit = m->nmems;
            break;
        case WASM_EXTERN_GLOBAL:
            limit = m->nglobals;
            break;
        default:
            return wasm_fail(&d->r, ZERR_CORRUPT, "malformed export kind");
        }
        if (e->index >= limit) {
            return wasm_fail(&d->r, ZERR_INVAL, unknown[e->kind]);
        }
        for (uint32_t k = 0; k < i; k++) {
            if (m->exports[k].name_len == e->name_len &&
                memcmp(m->exports[k].name, e->name, e->name_len) == 0) {
                return wasm_fail(&d->r, ZERR_INVAL, "duplicate export name");
            }
        }
    }
    return 0;
}

static int sec_start(struct decoder *d)
{
    struct wasm_module *m = d->m;
    TRY(wasm_read_u32(&d->r, &m->start));
    if (m->start >= m->nfuncs) {
        return wasm_fail(&d->r, ZERR_INVAL, "unknown function");
    }
    const struct wasm_functype *t = &m->types[m->func_types[m->start]];
    if (t->nparams != 0 || t->nresults != 0) {
        return wasm_fail(&d->r, ZERR_INVAL, "start function");
    }
    m->has_start = true;
    return 0;
}

static int read_func_indices(struct decoder *d, struct wasm_elem_decl *e)
{
    TRY(read_count(d, &e->count, 1));
    e->funcs = d_alloc(d, sizeof(uint32_t), e->count);
    if (e->funcs == NULL && e->count) {
        return ZERR_NOMEM;
    }
    for (uint32_t k = 0; k < e->count; k++) {
        TRY(wasm_read_u32(&d->r, &e->funcs[k]));
        if (e->funcs[k] >= d->m->nfuncs) {
            return wasm_fail(&d->r, ZERR_INVAL, "unknown function");
        }
    }
    return 0;
}

static int sec_elem(struct decoder *d)
{
    struct wasm_module *m = d->m;
    TRY(read_count(d, &m->nelems, 1));
    m->elems = d_alloc(d, sizeof *m->elems, m->nelems);
    if (m->elems == NULL && m->nelems) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < m->nelems; i++) {
        struct wasm_elem_decl *e = &m->elems[i];
        uint32_t flags;
        TRY(wasm_read_u32(&d->r, &flags));
        if (flags != 0 && flags != 2) {
            /* passive and declarative segments need reference types */
            return wasm_fail(&d->r, ZERR_CORRUPT, "malformed elements segment kind");
        }
        e->table = 0;
        if (flags == 2) {
            TRY(wasm_read_u32(&d->r, &e->table));
        }
        if (e->table >= m->ntables) {
            return wasm_fail(&d->r, ZERR_INVAL, "unknown table");
        }
        TRY(read_constexpr(d, WASM_I32, &e->offset));
        if (flags == 2) {
            uint8_t kind;
            TRY(wasm_read_u8(&d->r, &kind));
            if (kind != 0) {
                return wasm_fail(&d->r, ZERR_CORRUPT, "malformed element kind");
            }
        }
        TRY(read_func_indices(d, e));
    }
    return 0;
}

static int sec_datacount(struct decoder *d)
{
    TRY(wasm_read_u32(&d->r, &d->m->data_count));
    d->m->has_data_count = true;
    return 0;
}

static int sec_code(struct decoder *d)
{
    struct wasm_module *m = d->m;
    uint32_t n;
    TRY(read_count(d, &n, 2));
    if (n != d->nfunc_decls) {
        return wasm_fail(&d->r, ZERR_CORRUPT,
                         "function and code section have inconsistent lengths");
    }
    d->seen_code = true;
    m->codes = d_alloc(d, sizeof *m->codes, n);
    if (m->codes == NULL && n) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size;
        TRY(wasm_read_u32(&d->r, &size));
        if ((size_t)(d->r.end - d->r.p) < size) {
            return wasm_fail(&d->r, ZERR_CORRUPT, "unexpected end");
        }
        struct wasm_reader body = d->r;
        body.end = d->r.p + size;
        TRY(wasm_compile_func(m, i, &body, d->arena));
        if (body.p != body.end) {
            return wasm_fail(&body, ZERR_CORRUPT, "section size mismatch");
        }
        d->r.p = body.end;
    }
    return 0;
}

static int sec_data(struct decoder *d)
{
    struct wasm_module *m = d->m;
    TRY(read_count(d, &m->ndatas, 1));
    if (m->has_data_count && m->data_count != m->ndatas) {
        return wasm_fail(&d->r, ZERR_CORRUPT,
                         "data count and data section have inconsistent lengths");
    }
    m->datas = d_alloc(d, sizeof *m->datas, m->ndatas);
    if (m->datas == NULL && m->ndatas) {
        return ZERR_NOMEM;
    }
    for (uint32_t i = 0; i < m->ndatas; i++) {
        struct wasm_data_decl *dd = &m->datas[i];
        uint32_t flags;
        uint32_t mem = 0;
        TRY(wasm_read_u32(&d->r, &flags));
        if (flags > 2) {
            return wasm_fail(&d->r, ZERR_CORRUPT, "malformed data segment kind");
        }
        dd->passive = flags == 1;
        if (flags == 2) {
            TRY(wasm_read_u32(&d->r, &mem));
        }
        if (!dd->passive) {
            if (mem >= m->nmems) {
                return wasm_fail(&d->r, ZERR_INVAL, "unknown memory");
            }
            TRY(read_constexpr(d, WASM_I32, &dd->offset));
        }
        TRY(wasm_read_u32(&d->r, &dd->len));
        if ((size_t)(d->r.end - d->r.p) < dd->len) {
            return wasm_fail(&d->r, ZERR_CORRUPT, "unexpected end of section or function");
        }
        uint8_t *copy = d_alloc(d, 1, dd->len);
        if (copy == NULL && dd->len) {
            return ZERR_NOMEM;
        }
        if (dd->len) {
            memcpy(copy, d->r.p, dd->len);
        }
        dd->bytes = copy;
        d->r.p += dd->len;
    }
    return 0;
}

/* Order rank of section id for the ordering rule (0 = custom). */
static int section_rank(uint8_t id)
{
    static const uint8_t rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
    return id <= 12 ? rank[id] : -1;
}

static int read_section(struct decoder *d, uint8_t id)
{
    switch (id) {
    case 0: {
        /* a custom section: its name is checked, nothing of it is kept */
        uint32_t n;
        TRY(check_name(d, &n));
        d->r.p = d->r.end;
        return 0;
    }
    case 1:
        return sec_type(d);
    case 2:
        return sec_import(d);
    case 3:
        return sec_func(d);
    case 4:
        return sec_table(d);
    case 5:
        return sec_memory(d);
    case 6:
        return sec_global(d);
    case 7:
        return sec_export(d);
    case 8:
        return sec_start(d);
    case 9:
        return sec_elem(d);
    case 10:
        return sec_code(d);
    case 11:
        return sec_data(d);
    default:
        return sec_datacount(d);
    }
}

static int decode_sections(struct decoder *d)
{
    int last = 0;
    while (d->r.p < d->r.end) {
        uint8_t id;
        uint32_t size;
        TRY(wasm_read_u8(&d->r, &id));
        int rank = section_rank(id);
        if (rank < 0) {
            return wasm_fail(&d->r, ZERR_CORRUPT, "malformed section id");
        }
        TRY(wasm_read_u32(&d->r, &size));
        if ((size_t)(d->r.end - d->r.p) < size) {
            return wasm_fail(&d->r, ZERR_CORRUPT, "length out of bounds");
        }
        if (rank != 0) {
            if (rank <= last) {
                return wasm_fail(&d->r, ZERR_CORRUPT, "unexpected content after last section");
            }
            last = rank;
        }
        struct wasm_reader sec = d->r;
        sec.end = d->r.p + size;
        struct wasm_reader outer = d->r;
        d->r = sec;
        int rc = read_section(d, id);
        sec = d->r;
        d->r = outer;
        if (rc < 0) {
            return rc;
        }
        if (sec.p != sec.end) {
            return wasm_fail(&sec, ZERR_CORRUPT, "section size mismatch");
        }
        d->r.p = sec.end;
    }
    if (d->nfunc_decls != 0 && !d->seen_code) {
        return wasm_fail(&d->r, ZERR_CORRUPT,
                         "function and code section have inconsistent lengths");
    }
    if (d->m->has_data_count && d->m->data_count != d->m->ndatas) {
        return wasm_fail(&d->r, ZERR_CORRUPT,
                         "data count and data section have inconsistent lengths");
    }
    return 0;
}

int wasm_module_load(const uint8_t *bytes, size_t len, struct wasm_arena *arena,
                     const struct wasm_limits *limits, struct wasm_module **out,
                     struct wasm_error *err)
{
    struct wasm_limits deflimits;
    struct wasm_error dummy;
    struct decoder d;
    if (err == NULL) {
        err = &dummy;
    }
    err->code = 0;
    err->msg = NULL;
    err->offset = 0;
    if (limits == NULL) {
        wasm_limits_default(&deflimits);
        limits = &deflimits;
    }
    d.r.start = bytes;
    d.r.p = bytes;
    d.r.end = bytes + len;
    d.r.err = err;
    d.arena = arena;
    d.limits = limits;
    d.nfunc_decls = 0;
    d.seen_code = false;
    d.m = wasm_alloc(arena, sizeof *d.m);
    if (d.m == NULL) {
        return wasm_fail(&d.r, ZERR_NOMEM, "module arena too small");
    }
    uint64_t magic;
    uint64_t version;
    if (read_fixed(&d.r, 4, &magic) < 0 || magic != 0x6d736100u) {
        err->msg = NULL;
        return wasm_fail(&d.r, ZERR_CORRUPT, "magic header not detected");
    }
    if (read_fixed(&d.r, 4, &version) < 0 || version != 1) {
        err->msg = NULL;
        return wasm_fail(&d.r, ZERR_CORRUPT, "unknown binary version");
    }
    int rc = decode_sections(&d);
    arena->high = 0;
    if (rc < 0) {
        return rc;
    }
    *out = d.m;
    return 0;
}

uint32_t wasm_module_import_count(const struct wasm_module *m)
{
    return m->nimports;
}

int wasm_module_import(const struct wasm_module *m, uint32_t i, const char **module,
                       uint32_t *module_len, const char **name, uint32_t *name_len, uint8_t *kind)
{
    if (i >= m->nimports) {
        return ZERR_RANGE;
    }
    const struct wasm_import *im = &m->imports[i];
    *module = im->module;
    *module_len = im->module_len;
    *name = im->name;
    *name_len = im->name_len;
    *kind = im->kind;
    return 0;
}

uint32_t wasm_module_export_count(const struct wasm_module *m)
{
    return m->nexports;
}

int wasm_module_export(const struct wasm_module *m, uint32_t i, const char **name,
                       uint32_t *name_len, uint8_t *kind)
{
    if (i >= m->nexports) {
        return ZERR_RANGE;
    }
    *name = m->exports[i].name;
    *name_len = m->exports[i].name_len;
    *kind = m->exports[i].kind;
    return 0;
}

const struct wasm_functype *wasm_module_import_functype(const struct wasm_module *m, uint32_t i)
{
    if (i >= m->nimports || m->imports[i].kind != WASM_EXTERN_FUNC) {
        return NULL;
    }
    return &m->types[m->imports[i].type];
}
