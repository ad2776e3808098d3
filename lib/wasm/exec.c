/*
 * The interpreter: one loop over the internal register form (see
 * compile.c).  Frames live on one value stack of 8-byte slots; a call moves
 * the frame pointer to the caller's argument slots, so arguments are passed
 * in place and results come back in the same slots.  Calls do not recurse
 * in C: saved frames go on an explicit call stack with a fixed depth.
 */
#include "base/assert.h"
#include "wasm/internal/wasm_int.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the interpreter reads linear memory as little-endian"
#endif

size_t wasm_exec_arena_size(const struct wasm_limits *limits)
{
    struct wasm_limits def;
    if (limits == NULL) {
        wasm_limits_default(&def);
        limits = &def;
    }
    return 64 + (size_t)limits->max_stack_slots * 8 +
           (size_t)limits->max_call_depth * sizeof(struct wasm_frame);
}

int wasm_exec_init(struct wasm_exec *ex, struct wasm_arena *arena, const struct wasm_limits *limits)
{
    struct wasm_limits def;
    if (limits == NULL) {
        wasm_limits_default(&def);
        limits = &def;
    }
    ex->stack = wasm_alloc(arena, (size_t)limits->max_stack_slots * 8);
    ex->frames = wasm_alloc(arena, (size_t)limits->max_call_depth * sizeof(struct wasm_frame));
    if (ex->stack == NULL || ex->frames == NULL) {
        return ZERR_NOMEM;
    }
    ex->stack_slots = limits->max_stack_slots;
    ex->max_depth = limits->max_call_depth;
    ex->fuel = UINT64_MAX;
    ex->trap = WASM_TRAP_NONE;
    ex->running = false;
    return 0;
}

/* ---- value helpers ------------------------------------------------------------ */

static inline float f32_of(uint64_t v)
{
    float f;
    uint32_t b = (uint32_t)v;
    memcpy(&f, &b, 4);
    return f;
}

static inline double f64_of(uint64_t v)
{
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static inline uint64_t of_f32(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}

static inline uint64_t of_f64(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static inline uint32_t rotl32(uint32_t x, uint32_t n)
{
    return (x << (n & 31)) | (x >> ((32 - n) & 31));
}

static inline uint64_t rotl64(uint64_t x, uint64_t n)
{
    return (x << (n & 63)) | (x >> ((64 - n) & 63));
}

static inline uint32_t popcnt64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

static inline uint32_t clz64(uint64_t x)
{
    return x ? (uint32_t)__builtin_clzll(x) : 64;
}

static inline uint32_t ctz64(uint64_t x)
{
    return x ? (uint32_t)__builtin_ctzll(x) : 64;
}

static inline uint64_t ld(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    memcpy(&v, p, n);
    return v;
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

/* ---- the loop ------------------------------------------------------------------- */

/*
 * The current memory's base and size in bytes.  Without a memory the size is
 * 0, so every access traps before it dereferences the (valid) dummy base.
 */
#define LOAD_MEM()                                                              \
    do {                                                                        \
        struct wasm_memory *m_ = inst->memory;                                  \
        mem = m_ != NULL && m_->data != NULL ? m_->data : (uint8_t *)ex->stack; \
        memsize = m_ != NULL ? (uint64_t)m_->pages * WASM_PAGE : 0;             \
        last8 = (int64_t)memsize - 8;                                           \
    } while (0)

static int mem_grow(struct wasm_memory *m, uint32_t delta, uint32_t *old)
{
    *old = m->pages;
    if (delta > m->max_pages - m->pages) {
        return -1;
    }
    if (delta != 0) {
        memset(m->data + (size_t)m->pages * WASM_PAGE, 0, (size_t)delta * WASM_PAGE);
    }
    m->pages += delta;
    return 0;
}

/*
 * Charges the n bytes a bulk operation moves once it is known to be in
 * bounds, before it moves them: an out-of-bounds one traps as such.
 */
static int charge_bytes(uint64_t *fuel, uint64_t n)
{
    uint64_t cost = n / WASM_FUEL_BYTES_PER_UNIT;
    if (*fuel < cost) {
        return WASM_TRAP_FUEL;
    }
    *fuel -= cost;
    return 0;
}

/* memory.init / memory.copy / memory.fill / data.drop; pc points at the operands. */
static int bulk(struct wasm_instance *inst, uint8_t *mem, uint64_t memsize, const uint64_t *fp,
                uint32_t sub, const uint32_t *pc, uint64_t *fuel)
{
    if (sub == 9) {
        inst->data_dropped[pc[0]] = true;
        return 0;
    }
    if (sub == 8) {
        const struct wasm_data_decl *d = &inst->module->datas[pc[0]];
        uint64_t dst = (uint32_t)fp[pc[1]];
        uint64_t src = (uint32_t)fp[pc[2]];
        uint64_t n = (uint32_t)fp[pc[3]];
        uint64_t seglen = inst->data_dropped[pc[0]] ? 0 : d->len;
        if (src + n > seglen || dst + n > memsize) {
            return WASM_TRAP_MEMORY_OOB;
        }
        if (charge_bytes(fuel, n) != 0) {
            return WASM_TRAP_FUEL;
        }
        if (n != 0) {
            memcpy(mem + dst, d->bytes + src, n);
        }
        return 0;
    }
    uint64_t dst = (uint32_t)fp[pc[0]];
    uint64_t val = (uint32_t)fp[pc[1]];
    uint64_t n = (uint32_t)fp[pc[2]];
    if (dst + n > memsize || (sub == 10 && val + n > memsize)) {
        return WASM_TRAP_MEMORY_OOB;
    }
    if (charge_bytes(fuel, n) != 0) {
        return WASM_TRAP_FUEL;
    }
    if (n != 0) {
        if (sub == 10) {
            memmove(mem + dst, mem + val, n);
        } else {
            memset(mem + dst, (int)(val & 0xff), n);
        }
    }
    return 0;
}

#define A32 ((uint32_t)fp[pc[1]])
#define B32 ((uint32_t)fp[pc[2]])
#define A64 (fp[pc[1]])
#define B64 (fp[pc[2]])
#define AF f32_of(fp[pc[1]])
#define BF f32_of(fp[pc[2]])
#define AD f64_of(fp[pc[1]])
#define BD f64_of(fp[pc[2]])
#define OUT fp[pc[0]]
/*
 * Dispatch.  With GCC or clang each handler jumps straight to the next one
 * through a table of label addresses (one indirect branch per handler, no
 * range check); otherwise a plain switch in a loop.
 */
#if defined(__GNUC__) && !defined(WASM_NO_THREADING)
#define WASM_THREADED 1
/* NOLINTBEGIN(bugprone-macro-parentheses): l is a label name */
#define CASE(x, l) \
    case x:        \
    l:
#if defined(__x86_64__)
/*
 * Direct threading: wasm_thread_code has replaced every opcode word with
 * its handler's offset from L_bad, so dispatch is one load and one jump.
 */
#define WASM_DIRECT 1
#define HANDLER(l) (int32_t)(&&l - &&L_bad)
#define NEXT                                                 \
    do {                                                     \
        goto *(const void *)(handler_base + (int32_t)*pc++); \
    } while (0)
#else
#define HANDLER(l) &&l
#define NEXT                \
    do {                    \
        op = *pc++;         \
        goto *dispatch[op]; \
    } while (0)
#endif
/* NOLINTEND(bugprone-macro-parentheses) */
#else
#define CASE(x, l) case x:
#define NEXT break
#endif

/* Handlers shared by several opcodes: the entry records which one ran. */
#define OP_ENTRY(x, l, shared) \
    CASE(x, l)                 \
    op = (x);                  \
    goto shared;
#define IB32 (pc[2])
#define IB64 ((uint64_t)(int64_t)(int32_t)pc[2])
/* operands of fused compare-and-branch: slot a, slot or immediate b */
#define C32 ((uint32_t)fp[pc[0]])
#define C64 (fp[pc[0]])
#define D32 (imm ? pc[1] : (uint32_t)fp[pc[1]])
#define D64 (imm ? (uint64_t)(int64_t)(int32_t)pc[1] : fp[pc[1]])
#define BRC(k, cond)                  \
    CASE(WASM_OP_BRC + (k), LB_##k)   \
    {                                 \
        const bool imm = false;       \
        if (cond) {                   \
            JUMP(pc[2]);              \
        } else {                      \
            pc += 3;                  \
        }                             \
        NEXT;                         \
    }                                 \
    CASE(WASM_OP_BRCI + (k), LBI_##k) \
    {                                 \
        const bool imm = true;        \
        if (cond) {                   \
            JUMP(pc[2]);              \
        } else {                      \
            pc += 3;                  \
        }                             \
        NEXT;                         \
    }

#define UN(op, expr) \
    CASE(op, L_##op) \
    OUT = (expr);    \
    pc += 2;         \
    NEXT;
#define BIN(op, expr) \
    CASE(op, L_##op)  \
    OUT = (expr);     \
    pc += 3;          \
    NEXT;
#define BINI(op, expr)                \
    CASE(WASM_OP_IMM + (op), LI_##op) \
    OUT = (expr);                     \
    pc += 3;                          \
    NEXT;
/* Jumps to target word t, charging a loop's fuel on a back-edge. */
#define JUMP(t)                             \
    do {                                    \
        uint32_t t_ = (t);                  \
        pc = base + (t_ & ~WASM_BACK_EDGE); \
        if (t_ & WASM_BACK_EDGE) {          \
            if (fuel < pc[-1]) {            \
                TRAP(WASM_TRAP_FUEL);       \
            }                               \
            fuel -= pc[-1];                 \
        }                                   \
    } while (0)
#define TRAP(reason)     \
    do {                 \
        trap = (reason); \
        goto out;        \
    } while (0)
#define LOAD(k, n, conv)                                     \
    CASE(WASM_OP_LOAD + (k), LL_##k)                         \
    {                                                        \
        uint64_t ea = (uint64_t)(uint32_t)fp[pc[1]] + pc[2]; \
        if (ea + (n) > memsize) {                            \
            TRAP(WASM_TRAP_MEMORY_OOB);                      \
        }                                                    \
        uint64_t v = ld(mem + ea, (n));                      \
        OUT = (conv);                                        \
        pc += 3;                                             \
        NEXT;                                                \
    }
#define LOADX(k, n, conv)                                                        \
    CASE(WASM_OP_LOADX + (k), LX_##k)                                            \
    {                                                                            \
        uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[1]] + pc[2]) + pc[3]; \
        if (ea + (n) > memsize) {                                                \
            TRAP(WASM_TRAP_MEMORY_OOB);                                          \
        }                                                                        \
        uint64_t v = ld(mem + ea, (n));                                          \
        OUT = (conv);                                                            \
        pc += 4;                                                                 \
        NEXT;                                                                    \
    }
#define STOREX(k, n)                                                             \
    CASE(WASM_OP_STOREX + (k), LSX_##k)                                          \
    {                                                                            \
        uint64_t ea = (uint64_t)(uint32_t)((uint32_t)fp[pc[0]] + pc[1]) + pc[3]; \
        if (ea + (n) > memsize) {                                                \
            TRAP(WASM_TRAP_MEMORY_OOB);                                          \
        }                                                                        \
        uint64_t v = fp[pc[2]];                                                  \
        memcpy(mem + ea, &v, (n));                                               \
        pc += 4;                                                                 \
        NEXT;                                                                    \
    }
/* f64 operator (inline operator x) of slot a and an f64 loaded from address addr + off */
#define F64_MEM(op, l, x, n, addr, off)                    \
    CASE(op, l)                                            \
    {                                                      \
        uint64_t ea = (uint64_t)(addr) + (off);            \
        if ((int64_t)ea > last8) {                         \
            TRAP(WASM_TRAP_MEMORY_OOB);                    \
        }                                                  \
        F64_RESULT((n) + 1, AD x f64_of(ld(mem + ea, 8))); \
    }
/* address (x + (y << z)) mod 2^32 + offset of the indexed forms: x y z at pc[i..i+2] */
#define EA_SHL(i, off)                                                         \
    ((uint64_t)(uint32_t)((uint32_t)fp[pc[i]] +                                \
                          ((uint32_t)fp[pc[(i) + 1]] << (pc[(i) + 2] & 31))) + \
     (off))
#define LOADS(k, n, conv)               \
    CASE(WASM_OP_LOADS + (k), LSI_##k)  \
    {                                   \
        uint64_t ea = EA_SHL(1, pc[4]); \
        if (ea + (n) > memsize) {       \
            TRAP(WASM_TRAP_MEMORY_OOB); \
        }                               \
        uint64_t v = ld(mem + ea, (n)); \
        OUT = (conv);                   \
        pc += 5;                        \
        NEXT;                           \
    }
#define STORES(k, n)                    \
    CASE(WASM_OP_STORES + (k), LSS_##k) \
    {                                   \
        uint64_t ea = EA_SHL(0, pc[4]); \
        if (ea + (n) > memsize) {       \
            TRAP(WASM_TRAP_MEMORY_OOB); \
        }                               \
        uint64_t v = fp[pc[3]];         \
        memcpy(mem + ea, &v, (n));      \
        pc += 5;                        \
        NEXT;                           \
    }
#define STORE(k, n)                                          \
    CASE(WASM_OP_STORE + (k), LS_##k)                        \
    {                                                        \
        uint64_t ea = (uint64_t)(uint32_t)fp[pc[0]] + pc[2]; \
        if (ea + (n) > memsize) {                            \
            TRAP(WASM_TRAP_MEMORY_OOB);                      \
        }                                                    \
        uint64_t v = fp[pc[1]];                              \
        memcpy(mem + ea, &v, (n));                           \
        pc += 3;                                             \
        NEXT;                                                \
    }

/*
 * Results of float arithmetic are canonicalized: the bits are stored, and a
 * NaN (unordered with itself) is then overwritten with the canonical NaN on
 * a separate path.  So the store does not wait for the compare, and a chain
 * of float operations runs at the speed of the arithmetic.
 */
#define F64_RESULT(n, expr)                  \
    {                                        \
        double r_ = (expr);                  \
        uint32_t o_ = pc[0];                 \
        fp[o_] = of_f64(r_);                 \
        pc += (n);                           \
        if (__builtin_expect(r_ != r_, 0)) { \
            nan_slot = o_;                   \
            goto L_nan64;                    \
        }                                    \
        NEXT;                                \
    }
#define F32_RESULT(n, expr)                  \
    {                                        \
        float r_ = (expr);                   \
        uint32_t o_ = pc[0];                 \
        fp[o_] = of_f32(r_);                 \
        pc += (n);                           \
        if (__builtin_expect(r_ != r_, 0)) { \
            nan_slot = o_;                   \
            goto L_nan32;                    \
        }                                    \
        NEXT;                                \
    }
#define UN_F32(op, expr) CASE(op, L_##op) F32_RESULT(2, expr)
#define BIN_F32(op, expr) CASE(op, L_##op) F32_RESULT(3, expr)
#define UN_F64(op, expr) CASE(op, L_##op) F64_RESULT(2, expr)
#define BIN_F64(op, expr) CASE(op, L_##op) F64_RESULT(3, expr)
/* address (x + imm) mod 2^32 + offset of operands x imm offset at pc[i..i+2] */
#define EA_X(i) ((uint64_t)(uint32_t)((uint32_t)fp[pc[i]] + pc[(i) + 1]) + pc[(i) + 2])
/* the two f64 operands of the two-load forms, bounds-checked: v1 and v2 */
#define LOAD2_F64                                       \
    uint64_t e1_ = EA_X(1);                             \
    uint64_t e2_ = EA_X(4);                             \
    if ((int64_t)e1_ > last8 || (int64_t)e2_ > last8) { \
        TRAP(WASM_TRAP_MEMORY_OOB);                     \
    }                                                   \
    double v1 = f64_of(ld(mem + e1_, 8));               \
    double v2 = f64_of(ld(mem + e2_, 8));
/*
 * The dot product F64_DOTk at pc (just after its opcode) with every address
 * computed exactly, for the rare case where the common path's x + K was out
 * of bounds for some address: false if one truly is, else the sum in *out.
 */
static bool dot_exact(const uint64_t *fp, const uint32_t *pc, uint32_t k, const uint8_t *mem,
                      int64_t last8, double *out)
{
    uint64_t e[8] = {0};
    for (uint32_t i = 0; i < 2 * k; i++) {
        const uint32_t *t = &pc[2 + 3 * i]; /* x K offset, K = imm + offset */
        e[i] = (uint64_t)(uint32_t)((uint32_t)fp[t[0]] + (t[1] - t[2])) + t[2];
        if ((int64_t)e[i] > last8) {
            return false;
        }
    }
    double sum = f64_of(ld(mem + e[0], 8)) * f64_of(ld(mem + e[1], 8));
    sum = sum + f64_of(fp[pc[1]]);
    for (uint32_t i = 1; i < k; i++) {
        double q = f64_of(ld(mem + e[2 * i], 8)) * f64_of(ld(mem + e[2 * i + 1], 8));
        sum = sum + q;
    }
    *out = sum;
    return true;
}

/*
 * Address of the dot-product forms, operands x K offset at pc[i..i+2] with
 * K = imm + offset: x + K, which is (x + imm) mod 2^32 + offset whenever it
 * is in bounds (when x + imm wraps, x + K is at least 2^32); dot_exact
 * handles the rest.
 */
#define EA_K(i) ((uint64_t)(uint32_t)fp[pc[i]] + pc[(i) + 1])
/*
 * Sets v to the product of the two f64s whose addresses are at pc[i..i+5]
 * (every product rounded on its own); an address out of bounds takes the
 * exact path, which redoes the whole instruction (nothing was written yet).
 */
#define DOT_PROD(v, i)                                      \
    {                                                       \
        uint64_t ea_ = EA_K(i);                             \
        uint64_t eb_ = EA_K((i) + 3);                       \
        if ((int64_t)ea_ > last8 || (int64_t)eb_ > last8) { \
            goto L_dot_slow;                                \
        }                                                   \
        (v) = PROD_F64(ea_, eb_);                           \
    }
/* DOT_PROD for F64_DOT4S: Ka offset_a Kb offset_b at pc[i..i+3], bases xa xb */
#define DOT_PROD_S(v, i)                                    \
    {                                                       \
        uint64_t ea_ = xa + pc[i];                          \
        uint64_t eb_ = xb + pc[(i) + 2];                    \
        if ((int64_t)ea_ > last8 || (int64_t)eb_ > last8) { \
            goto L_dot_slow;                                \
        }                                                   \
        (v) = PROD_F64(ea_, eb_);                           \
    }
/* the product of the f64s at addresses e1 and e2 (bounds-checked already) */
#define PROD_F64(e1, e2) (f64_of(ld(mem + (e1), 8)) * f64_of(ld(mem + (e2), 8)))
/* i32.add with an immediate, then compare k of its result and branch */
#define ADDI_BR(k, cond)                           \
    CASE(WASM_OP_ADDI_BRC + (k), LAB_##k)          \
    {                                              \
        uint32_t d_ = (uint32_t)fp[pc[1]] + pc[2]; \
        OUT = d_;                                  \
        uint32_t b_ = (uint32_t)fp[pc[3]];         \
        if (cond) {                                \
            JUMP(pc[4]);                           \
        } else {                                   \
            pc += 5;                               \
        }                                          \
        NEXT;                                      \
    }                                              \
    CASE(WASM_OP_ADDI_BRCI + (k), LABI_##k)        \
    {                                              \
        uint32_t d_ = (uint32_t)fp[pc[1]] + pc[2]; \
        OUT = d_;                                  \
        uint32_t b_ = pc[3];                       \
        if (cond) {                                \
            JUMP(pc[4]);                           \
        } else {                                   \
            pc += 5;                               \
        }                                          \
        NEXT;                                      \
    }

/* i32.add with an immediate, then ADDI_BR(k): each step reads after the writes before it */
#define ADDI2_BR(k, cond)                              \
    CASE(WASM_OP_ADDI2_BRC + (k), LAB2_##k)            \
    {                                                  \
        OUT = (uint32_t)((uint32_t)fp[pc[1]] + pc[2]); \
        uint32_t d_ = (uint32_t)fp[pc[4]] + pc[5];     \
        fp[pc[3]] = d_;                                \
        uint32_t b_ = (uint32_t)fp[pc[6]];             \
        if (cond) {                                    \
            JUMP(pc[7]);                               \
        } else {                                       \
            pc += 8;                                   \
        }                                              \
        NEXT;                                          \
    }                                                  \
    CASE(WASM_OP_ADDI2_BRCI + (k), LABI2_##k)          \
    {                                                  \
        OUT = (uint32_t)((uint32_t)fp[pc[1]] + pc[2]); \
        uint32_t d_ = (uint32_t)fp[pc[4]] + pc[5];     \
        fp[pc[3]] = d_;                                \
        uint32_t b_ = pc[6];                           \
        if (cond) {                                    \
            JUMP(pc[7]);                               \
        } else {                                       \
            pc += 8;                                   \
        }                                              \
        NEXT;                                          \
    }

/*
 * Runs f with its arguments already in ex->stack[0..).  Returns 0 with the
 * results in ex->stack[0..), or a trap reason.  With handlers non-NULL it
 * only stores there the table of handler offsets of the direct-threaded
 * form (or NULL without one) and returns 0.
 */
static int run(struct wasm_exec *ex, struct wasm_func *f, const int32_t **handlers)
{
#ifdef WASM_THREADED
    /* every opcode not listed goes to L_bad; the listed ones override it */
#pragma GCC diagnostic push
#ifdef __clang__
#pragma GCC diagnostic ignored "-Winitializer-overrides"
#else
#pragma GCC diagnostic ignored "-Woverride-init"
#endif
#ifdef WASM_DIRECT
    static const int32_t dispatch[WASM_OP_END] = {
#else
    static const void *const dispatch[WASM_OP_END] = {
#endif
        [0 ... WASM_OP_END - 1] = HANDLER(L_bad),
        [WASM_OP_FUEL] = HANDLER(L_FUEL),
        [WASM_OP_COPY] = HANDLER(L_COPY),
        [WASM_OP_UNREACHABLE] = HANDLER(L_UNREACHABLE),
        [WASM_OP_BR] = HANDLER(L_BR),
        [WASM_OP_ADDI_BR] = HANDLER(L_ADDI_BR),
        [WASM_OP_BR_IF] = HANDLER(L_BR_IF),
        [WASM_OP_BR_UNLESS] = HANDLER(L_BR_UNLESS),
        [WASM_OP_BR_TABLE] = HANDLER(L_BR_TABLE),
        [WASM_OP_RETURN] = HANDLER(L_RETURN),
        [WASM_OP_CALL] = HANDLER(L_CALL),
        [WASM_OP_CALL_INDIRECT] = HANDLER(L_CALL_INDIRECT),
        [WASM_OP_ADD_SHL] = HANDLER(L_ADD_SHL),
        [WASM_OP_ADD3] = HANDLER(L_ADD3),
        [WASM_OP_XOR_ROTL] = HANDLER(L_XOR_ROTL),
        [WASM_OP_LOADS + 0] = HANDLER(LSI_0),
        [WASM_OP_LOADS + 1] = HANDLER(LSI_1),
        [WASM_OP_LOADS + 2] = HANDLER(LSI_2),
        [WASM_OP_LOADS + 3] = HANDLER(LSI_3),
        [WASM_OP_LOADS + 4] = HANDLER(LSI_4),
        [WASM_OP_LOADS + 5] = HANDLER(LSI_5),
        [WASM_OP_LOADS + 6] = HANDLER(LSI_6),
        [WASM_OP_LOADS + 7] = HANDLER(LSI_7),
        [WASM_OP_LOADS + 8] = HANDLER(LSI_8),
        [WASM_OP_LOADS + 9] = HANDLER(LSI_9),
        [WASM_OP_LOADS + 10] = HANDLER(LSI_10),
        [WASM_OP_LOADS + 11] = HANDLER(LSI_11),
        [WASM_OP_LOADS + 12] = HANDLER(LSI_12),
        [WASM_OP_LOADS + 13] = HANDLER(LSI_13),
        [WASM_OP_STORES + 0] = HANDLER(LSS_0),
        [WASM_OP_STORES + 1] = HANDLER(LSS_1),
        [WASM_OP_STORES + 2] = HANDLER(LSS_2),
        [WASM_OP_STORES + 3] = HANDLER(LSS_3),
        [WASM_OP_STORES + 4] = HANDLER(LSS_4),
        [WASM_OP_STORES + 5] = HANDLER(LSS_5),
        [WASM_OP_STORES + 6] = HANDLER(LSS_6),
        [WASM_OP_STORES + 7] = HANDLER(LSS_7),
        [WASM_OP_STORES + 8] = HANDLER(LSS_8),
        [WASM_OP_F64_ADD_L] = HANDLER(L_F64_ADD_L),
        [WASM_OP_F64_MUL_L] = HANDLER(L_F64_MUL_L),
        [WASM_OP_F64_ADD_LX] = HANDLER(L_F64_ADD_LX),
        [WASM_OP_F64_MUL_LX] = HANDLER(L_F64_MUL_LX),
        [WASM_OP_F64_MUL_XX] = HANDLER(L_F64_MUL_XX),
        [WASM_OP_F64_ADD_XX] = HANDLER(L_F64_ADD_XX),
        [WASM_OP_F64_MULADD_XX] = HANDLER(L_F64_MULADD_XX),
        [WASM_OP_F64_ADD3] = HANDLER(L_F64_ADD3),
        [WASM_OP_F64_ADD4] = HANDLER(L_F64_ADD4),
        [WASM_OP_F64_MULADD1_XX] = HANDLER(L_F64_MULADD1_XX),
        [WASM_OP_F64_MULADD2_XX] = HANDLER(L_F64_MULADD2_XX),
        [WASM_OP_F64_MULADD3_XX] = HANDLER(L_F64_MULADD3_XX),
        [WASM_OP_F64_DOT2] = HANDLER(L_F64_DOT2),
        [WASM_OP_F64_DOT3] = HANDLER(L_F64_DOT3),
        [WASM_OP_F64_DOT4] = HANDLER(L_F64_DOT4),
        [WASM_OP_F64_DOT4S] = HANDLER(L_F64_DOT4S),
        [WASM_OP_ADDI2_BRC + 0] = HANDLER(LAB2_0),
        [WASM_OP_ADDI2_BRCI + 0] = HANDLER(LABI2_0),
        [WASM_OP_ADDI2_BRC + 1] = HANDLER(LAB2_1),
        [WASM_OP_ADDI2_BRCI + 1] = HANDLER(LABI2_1),
        [WASM_OP_ADDI2_BRC + 2] = HANDLER(LAB2_2),
        [WASM_OP_ADDI2_BRCI + 2] = HANDLER(LABI2_2),
        [WASM_OP_ADDI2_BRC + 3] = HANDLER(LAB2_3),
        [WASM_OP_ADDI2_BRCI + 3] = HANDLER(LABI2_3),
        [WASM_OP_ADDI2_BRC + 4] = HANDLER(LAB2_4),
        [WASM_OP_ADDI2_BRCI + 4] = HANDLER(LABI2_4),
        [WASM_OP_ADDI2_BRC + 5] = HANDLER(LAB2_5),
        [WASM_OP_ADDI2_BRCI + 5] = HANDLER(LABI2_5),
        [WASM_OP_ADDI2_BRC + 6] = HANDLER(LAB2_6),
        [WASM_OP_ADDI2_BRCI + 6] = HANDLER(LABI2_6),
        [WASM_OP_ADDI2_BRC + 7] = HANDLER(LAB2_7),
        [WASM_OP_ADDI2_BRCI + 7] = HANDLER(LABI2_7),
        [WASM_OP_ADDI2_BRC + 8] = HANDLER(LAB2_8),
        [WASM_OP_ADDI2_BRCI + 8] = HANDLER(LABI2_8),
        [WASM_OP_ADDI2_BRC + 9] = HANDLER(LAB2_9),
        [WASM_OP_ADDI2_BRCI + 9] = HANDLER(LABI2_9),
        [WASM_OP_ADDI_BRC + 0] = HANDLER(LAB_0),
        [WASM_OP_ADDI_BRCI + 0] = HANDLER(LABI_0),
        [WASM_OP_ADDI_BRC + 1] = HANDLER(LAB_1),
        [WASM_OP_ADDI_BRCI + 1] = HANDLER(LABI_1),
        [WASM_OP_ADDI_BRC + 2] = HANDLER(LAB_2),
        [WASM_OP_ADDI_BRCI + 2] = HANDLER(LABI_2),
        [WASM_OP_ADDI_BRC + 3] = HANDLER(LAB_3),
        [WASM_OP_ADDI_BRCI + 3] = HANDLER(LABI_3),
        [WASM_OP_ADDI_BRC + 4] = HANDLER(LAB_4),
        [WASM_OP_ADDI_BRCI + 4] = HANDLER(LABI_4),
        [WASM_OP_ADDI_BRC + 5] = HANDLER(LAB_5),
        [WASM_OP_ADDI_BRCI + 5] = HANDLER(LABI_5),
        [WASM_OP_ADDI_BRC + 6] = HANDLER(LAB_6),
        [WASM_OP_ADDI_BRCI + 6] = HANDLER(LABI_6),
        [WASM_OP_ADDI_BRC + 7] = HANDLER(LAB_7),
        [WASM_OP_ADDI_BRCI + 7] = HANDLER(LABI_7),
        [WASM_OP_ADDI_BRC + 8] = HANDLER(LAB_8),
        [WASM_OP_ADDI_BRCI + 8] = HANDLER(LABI_8),
        [WASM_OP_ADDI_BRC + 9] = HANDLER(LAB_9),
        [WASM_OP_ADDI_BRCI + 9] = HANDLER(LABI_9),
        [WASM_OP_MOV] = HANDLER(L_MOV),
        [WASM_OP_CONST32] = HANDLER(L_CONST32),
        [WASM_OP_CONST64] = HANDLER(L_CONST64),
        [WASM_OP_SELECT] = HANDLER(L_SELECT),
        [WASM_OP_GLOBAL_GET] = HANDLER(L_GLOBAL_GET),
        [WASM_OP_GLOBAL_SET] = HANDLER(L_GLOBAL_SET),
        [WASM_OP_MEMORY_SIZE] = HANDLER(L_MEMORY_SIZE),
        [WASM_OP_MEMORY_GROW] = HANDLER(L_MEMORY_GROW),
        [0x6d] = HANDLER(L_0x6d),
        [0x6e] = HANDLER(L_0x6e),
        [0x6f] = HANDLER(L_0x6f),
        [0x70] = HANDLER(L_0x70),
        [0x7f] = HANDLER(L_0x7f),
        [0x80] = HANDLER(L_0x80),
        [0x81] = HANDLER(L_0x81),
        [0x82] = HANDLER(L_0x82),
        [0xa8] = HANDLER(L_0xa8),
        [0xa9] = HANDLER(L_0xa9),
        [0xaa] = HANDLER(L_0xaa),
        [0xab] = HANDLER(L_0xab),
        [0xae] = HANDLER(L_0xae),
        [0xaf] = HANDLER(L_0xaf),
        [0xb0] = HANDLER(L_0xb0),
        [0xb1] = HANDLER(L_0xb1),
        [WASM_OP_FC + 0] = HANDLER(L_FC0),
        [WASM_OP_FC + 1] = HANDLER(L_FC1),
        [WASM_OP_FC + 2] = HANDLER(L_FC2),
        [WASM_OP_FC + 3] = HANDLER(L_FC3),
        [WASM_OP_FC + 4] = HANDLER(L_FC4),
        [WASM_OP_FC + 5] = HANDLER(L_FC5),
        [WASM_OP_FC + 6] = HANDLER(L_FC6),
        [WASM_OP_FC + 7] = HANDLER(L_FC7),
        [WASM_OP_FC + 8] = HANDLER(L_FC8),
        [WASM_OP_FC + 9] = HANDLER(L_FC9),
        [WASM_OP_FC + 10] = HANDLER(L_FC10),
        [WASM_OP_FC + 11] = HANDLER(L_FC11),
        [0x45] = HANDLER(L_0x45),
        [0x46] = HANDLER(L_0x46),
        [0x47] = HANDLER(L_0x47),
        [0x48] = HANDLER(L_0x48),
        [0x49] = HANDLER(L_0x49),
        [0x4a] = HANDLER(L_0x4a),
        [0x4b] = HANDLER(L_0x4b),
        [0x4c] = HANDLER(L_0x4c),
        [0x4d] = HANDLER(L_0x4d),
        [0x4e] = HANDLER(L_0x4e),
        [0x4f] = HANDLER(L_0x4f),
        [0x50] = HANDLER(L_0x50),
        [0x51] = HANDLER(L_0x51),
        [0x52] = HANDLER(L_0x52),
        [0x53] = HANDLER(L_0x53),
        [0x54] = HANDLER(L_0x54),
        [0x55] = HANDLER(L_0x55),
        [0x56] = HANDLER(L_0x56),
        [0x57] = HANDLER(L_0x57),
        [0x58] = HANDLER(L_0x58),
        [0x59] = HANDLER(L_0x59),
        [0x5a] = HANDLER(L_0x5a),
        [0x5b] = HANDLER(L_0x5b),
        [0x5c] = HANDLER(L_0x5c),
        [0x5d] = HANDLER(L_0x5d),
        [0x5e] = HANDLER(L_0x5e),
        [0x5f] = HANDLER(L_0x5f),
        [0x60] = HANDLER(L_0x60),
        [0x61] = HANDLER(L_0x61),
        [0x62] = HANDLER(L_0x62),
        [0x63] = HANDLER(L_0x63),
        [0x64] = HANDLER(L_0x64),
        [0x65] = HANDLER(L_0x65),
        [0x66] = HANDLER(L_0x66),
        [0x67] = HANDLER(L_0x67),
        [0x68] = HANDLER(L_0x68),
        [0x69] = HANDLER(L_0x69),
        [0x6a] = HANDLER(L_0x6a),
        [0x6b] = HANDLER(L_0x6b),
        [0x6c] = HANDLER(L_0x6c),
        [0x71] = HANDLER(L_0x71),
        [0x72] = HANDLER(L_0x72),
        [0x73] = HANDLER(L_0x73),
        [0x74] = HANDLER(L_0x74),
        [0x75] = HANDLER(L_0x75),
        [0x76] = HANDLER(L_0x76),
        [0x77] = HANDLER(L_0x77),
        [0x78] = HANDLER(L_0x78),
        [0x79] = HANDLER(L_0x79),
        [0x7a] = HANDLER(L_0x7a),
        [0x7b] = HANDLER(L_0x7b),
        [0x7c] = HANDLER(L_0x7c),
        [0x7d] = HANDLER(L_0x7d),
        [0x7e] = HANDLER(L_0x7e),
        [0x83] = HANDLER(L_0x83),
        [0x84] = HANDLER(L_0x84),
        [0x85] = HANDLER(L_0x85),
        [0x86] = HANDLER(L_0x86),
        [0x87] = HANDLER(L_0x87),
        [0x88] = HANDLER(L_0x88),
        [0x89] = HANDLER(L_0x89),
        [0x8a] = HANDLER(L_0x8a),
        [0x8b] = HANDLER(L_0x8b),
        [0x8c] = HANDLER(L_0x8c),
        [0x8d] = HANDLER(L_0x8d),
        [0x8e] = HANDLER(L_0x8e),
        [0x8f] = HANDLER(L_0x8f),
        [0x90] = HANDLER(L_0x90),
        [0x91] = HANDLER(L_0x91),
        [0x92] = HANDLER(L_0x92),
        [0x93] = HANDLER(L_0x93),
        [0x94] = HANDLER(L_0x94),
        [0x95] = HANDLER(L_0x95),
        [0x96] = HANDLER(L_0x96),
        [0x97] = HANDLER(L_0x97),
        [0x98] = HANDLER(L_0x98),
        [0x99] = HANDLER(L_0x99),
        [0x9a] = HANDLER(L_0x9a),
        [0x9b] = HANDLER(L_0x9b),
        [0x9c] = HANDLER(L_0x9c),
        [0x9d] = HANDLER(L_0x9d),
        [0x9e] = HANDLER(L_0x9e),
        [0x9f] = HANDLER(L_0x9f),
        [0xa0] = HANDLER(L_0xa0),
        [0xa1] = HANDLER(L_0xa1),
        [0xa2] = HANDLER(L_0xa2),
        [0xa3] = HANDLER(L_0xa3),
        [0xa4] = HANDLER(L_0xa4),
        [0xa5] = HANDLER(L_0xa5),
        [0xa6] = HANDLER(L_0xa6),
        [0xa7] = HANDLER(L_0xa7),
        [0xac] = HANDLER(L_0xac),
        [0xad] = HANDLER(L_0xad),
        [0xb2] = HANDLER(L_0xb2),
        [0xb3] = HANDLER(L_0xb3),
        [0xb4] = HANDLER(L_0xb4),
        [0xb5] = HANDLER(L_0xb5),
        [0xb6] = HANDLER(L_0xb6),
        [0xb7] = HANDLER(L_0xb7),
        [0xb8] = HANDLER(L_0xb8),
        [0xb9] = HANDLER(L_0xb9),
        [0xba] = HANDLER(L_0xba),
        [0xbb] = HANDLER(L_0xbb),
        [0xbc] = HANDLER(L_0xbc),
        [0xbd] = HANDLER(L_0xbd),
        [0xbe] = HANDLER(L_0xbe),
        [0xbf] = HANDLER(L_0xbf),
        [0xc0] = HANDLER(L_0xc0),
        [0xc1] = HANDLER(L_0xc1),
        [0xc2] = HANDLER(L_0xc2),
        [0xc3] = HANDLER(L_0xc3),
        [0xc4] = HANDLER(L_0xc4),
        [WASM_OP_IMM + 0x46] = HANDLER(LI_0x46),
        [WASM_OP_IMM + 0x47] = HANDLER(LI_0x47),
        [WASM_OP_IMM + 0x48] = HANDLER(LI_0x48),
        [WASM_OP_IMM + 0x49] = HANDLER(LI_0x49),
        [WASM_OP_IMM + 0x4a] = HANDLER(LI_0x4a),
        [WASM_OP_IMM + 0x4b] = HANDLER(LI_0x4b),
        [WASM_OP_IMM + 0x4c] = HANDLER(LI_0x4c),
        [WASM_OP_IMM + 0x4d] = HANDLER(LI_0x4d),
        [WASM_OP_IMM + 0x4e] = HANDLER(LI_0x4e),
        [WASM_OP_IMM + 0x4f] = HANDLER(LI_0x4f),
        [WASM_OP_IMM + 0x51] = HANDLER(LI_0x51),
        [WASM_OP_IMM + 0x52] = HANDLER(LI_0x52),
        [WASM_OP_IMM + 0x53] = HANDLER(LI_0x53),
        [WASM_OP_IMM + 0x54] = HANDLER(LI_0x54),
        [WASM_OP_IMM + 0x55] = HANDLER(LI_0x55),
        [WASM_OP_IMM + 0x56] = HANDLER(LI_0x56),
        [WASM_OP_IMM + 0x57] = HANDLER(LI_0x57),
        [WASM_OP_IMM + 0x58] = HANDLER(LI_0x58),
        [WASM_OP_IMM + 0x59] = HANDLER(LI_0x59),
        [WASM_OP_IMM + 0x5a] = HANDLER(LI_0x5a),
        [WASM_OP_IMM + 0x6a] = HANDLER(LI_0x6a),
        [WASM_OP_IMM + 0x6b] = HANDLER(LI_0x6b),
        [WASM_OP_IMM + 0x6c] = HANDLER(LI_0x6c),
        [WASM_OP_IMM + 0x71] = HANDLER(LI_0x71),
        [WASM_OP_IMM + 0x72] = HANDLER(LI_0x72),
        [WASM_OP_IMM + 0x73] = HANDLER(LI_0x73),
        [WASM_OP_IMM + 0x74] = HANDLER(LI_0x74),
        [WASM_OP_IMM + 0x75] = HANDLER(LI_0x75),
        [WASM_OP_IMM + 0x76] = HANDLER(LI_0x76),
        [WASM_OP_IMM + 0x77] = HANDLER(LI_0x77),
        [WASM_OP_IMM + 0x78] = HANDLER(LI_0x78),
        [WASM_OP_IMM + 0x7c] = HANDLER(LI_0x7c),
        [WASM_OP_IMM + 0x7d] = HANDLER(LI_0x7d),
        [WASM_OP_IMM + 0x7e] = HANDLER(LI_0x7e),
        [WASM_OP_IMM + 0x83] = HANDLER(LI_0x83),
        [WASM_OP_IMM + 0x84] = HANDLER(LI_0x84),
        [WASM_OP_IMM + 0x85] = HANDLER(LI_0x85),
        [WASM_OP_IMM + 0x86] = HANDLER(LI_0x86),
        [WASM_OP_IMM + 0x87] = HANDLER(LI_0x87),
        [WASM_OP_IMM + 0x88] = HANDLER(LI_0x88),
        [WASM_OP_BRC + 0x0] = HANDLER(LB_0x0),
        [WASM_OP_BRCI + 0x0] = HANDLER(LBI_0x0),
        [WASM_OP_BRC + 0x1] = HANDLER(LB_0x1),
        [WASM_OP_BRCI + 0x1] = HANDLER(LBI_0x1),
        [WASM_OP_BRC + 0x2] = HANDLER(LB_0x2),
        [WASM_OP_BRCI + 0x2] = HANDLER(LBI_0x2),
        [WASM_OP_BRC + 0x3] = HANDLER(LB_0x3),
        [WASM_OP_BRCI + 0x3] = HANDLER(LBI_0x3),
        [WASM_OP_BRC + 0x4] = HANDLER(LB_0x4),
        [WASM_OP_BRCI + 0x4] = HANDLER(LBI_0x4),
        [WASM_OP_BRC + 0x5] = HANDLER(LB_0x5),
        [WASM_OP_BRCI + 0x5] = HANDLER(LBI_0x5),
        [WASM_OP_BRC + 0x6] = HANDLER(LB_0x6),
        [WASM_OP_BRCI + 0x6] = HANDLER(LBI_0x6),
        [WASM_OP_BRC + 0x7] = HANDLER(LB_0x7),
        [WASM_OP_BRCI + 0x7] = HANDLER(LBI_0x7),
        [WASM_OP_BRC + 0x8] = HANDLER(LB_0x8),
        [WASM_OP_BRCI + 0x8] = HANDLER(LBI_0x8),
        [WASM_OP_BRC + 0x9] = HANDLER(LB_0x9),
        [WASM_OP_BRCI + 0x9] = HANDLER(LBI_0x9),
        [WASM_OP_BRC + 0xb] = HANDLER(LB_0xb),
        [WASM_OP_BRCI + 0xb] = HANDLER(LBI_0xb),
        [WASM_OP_BRC + 0xc] = HANDLER(LB_0xc),
        [WASM_OP_BRCI + 0xc] = HANDLER(LBI_0xc),
        [WASM_OP_BRC + 0xd] = HANDLER(LB_0xd),
        [WASM_OP_BRCI + 0xd] = HANDLER(LBI_0xd),
        [WASM_OP_BRC + 0xe] = HANDLER(LB_0xe),
        [WASM_OP_BRCI + 0xe] = HANDLER(LBI_0xe),
        [WASM_OP_BRC + 0xf] = HANDLER(LB_0xf),
        [WASM_OP_BRCI + 0xf] = HANDLER(LBI_0xf),
        [WASM_OP_BRC + 0x10] = HANDLER(LB_0x10),
        [WASM_OP_BRCI + 0x10] = HANDLER(LBI_0x10),
        [WASM_OP_BRC + 0x11] = HANDLER(LB_0x11),
        [WASM_OP_BRCI + 0x11] = HANDLER(LBI_0x11),
        [WASM_OP_BRC + 0x12] = HANDLER(LB_0x12),
        [WASM_OP_BRCI + 0x12] = HANDLER(LBI_0x12),
        [WASM_OP_BRC + 0x13] = HANDLER(LB_0x13),
        [WASM_OP_BRCI + 0x13] = HANDLER(LBI_0x13),
        [WASM_OP_BRC + 0x14] = HANDLER(LB_0x14),
        [WASM_OP_BRCI + 0x14] = HANDLER(LBI_0x14),
        [WASM_OP_LOAD + 0] = HANDLER(LL_0),
        [WASM_OP_LOAD + 1] = HANDLER(LL_1),
        [WASM_OP_LOAD + 2] = HANDLER(LL_2),
        [WASM_OP_LOAD + 3] = HANDLER(LL_3),
        [WASM_OP_LOAD + 4] = HANDLER(LL_4),
        [WASM_OP_LOAD + 5] = HANDLER(LL_5),
        [WASM_OP_LOAD + 6] = HANDLER(LL_6),
        [WASM_OP_LOAD + 7] = HANDLER(LL_7),
        [WASM_OP_LOAD + 8] = HANDLER(LL_8),
        [WASM_OP_LOAD + 9] = HANDLER(LL_9),
        [WASM_OP_LOAD + 10] = HANDLER(LL_10),
        [WASM_OP_LOAD + 11] = HANDLER(LL_11),
        [WASM_OP_LOAD + 12] = HANDLER(LL_12),
        [WASM_OP_LOAD + 13] = HANDLER(LL_13),
        [WASM_OP_LOADX + 0] = HANDLER(LX_0),
        [WASM_OP_LOADX + 1] = HANDLER(LX_1),
        [WASM_OP_LOADX + 2] = HANDLER(LX_2),
        [WASM_OP_LOADX + 3] = HANDLER(LX_3),
        [WASM_OP_LOADX + 4] = HANDLER(LX_4),
        [WASM_OP_LOADX + 5] = HANDLER(LX_5),
        [WASM_OP_LOADX + 6] = HANDLER(LX_6),
        [WASM_OP_LOADX + 7] = HANDLER(LX_7),
        [WASM_OP_LOADX + 8] = HANDLER(LX_8),
        [WASM_OP_LOADX + 9] = HANDLER(LX_9),
        [WASM_OP_LOADX + 10] = HANDLER(LX_10),
        [WASM_OP_LOADX + 11] = HANDLER(LX_11),
        [WASM_OP_LOADX + 12] = HANDLER(LX_12),
        [WASM_OP_LOADX + 13] = HANDLER(LX_13),
        [WASM_OP_STOREX + 0] = HANDLER(LSX_0),
        [WASM_OP_STOREX + 1] = HANDLER(LSX_1),
        [WASM_OP_STOREX + 2] = HANDLER(LSX_2),
        [WASM_OP_STOREX + 3] = HANDLER(LSX_3),
        [WASM_OP_STOREX + 4] = HANDLER(LSX_4),
        [WASM_OP_STOREX + 5] = HANDLER(LSX_5),
        [WASM_OP_STOREX + 6] = HANDLER(LSX_6),
        [WASM_OP_STOREX + 7] = HANDLER(LSX_7),
        [WASM_OP_STOREX + 8] = HANDLER(LSX_8),
        [WASM_OP_STORE + 0] = HANDLER(LS_0),
        [WASM_OP_STORE + 1] = HANDLER(LS_1),
        [WASM_OP_STORE + 2] = HANDLER(LS_2),
        [WASM_OP_STORE + 3] = HANDLER(LS_3),
        [WASM_OP_STORE + 4] = HANDLER(LS_4),
        [WASM_OP_STORE + 5] = HANDLER(LS_5),
        [WASM_OP_STORE + 6] = HANDLER(LS_6),
        [WASM_OP_STORE + 7] = HANDLER(LS_7),
        [WASM_OP_STORE + 8] = HANDLER(LS_8),
    };
#pragma GCC diagnostic pop
#endif
#ifdef WASM_DIRECT
    const char *const handler_base = (const char *)&&L_bad;
    if (handlers != NULL) {
        *handlers = dispatch;
        return 0;
    }
#else
    if (handlers != NULL) {
        *handlers = NULL;
        return 0;
    }
#endif
    const uint32_t *base = NULL;
    struct wasm_instance *inst = f->inst;
    uint8_t *mem = NULL;
    uint64_t memsize = 0;
    int64_t last8 = -8; /* the last address an 8-byte access may start at (negative: none) */
    uint64_t *fp = ex->stack;
    uint64_t *const stack_end = ex->stack + ex->stack_slots;
    uint64_t fuel = ex->fuel;
    uint32_t depth = 0;
    int trap = 0;
    struct wasm_func *callee = f;
    uint64_t *nfp = fp;
    const uint32_t *pc = NULL;

    uint32_t op = 0;
    uint32_t nan_slot = 0; /* the slot of a result a float handler found to be a NaN */
    uint32_t dot_k = 0;    /* products of the F64_DOTk that takes the exact path */

    goto call;

    for (;;) {
#ifdef WASM_DIRECT
        NEXT;
#else
        op = *pc++;
#endif
        switch (op) {
            CASE(WASM_OP_FUEL, L_FUEL)
            if (fuel < pc[0]) {
                TRAP(WASM_TRAP_FUEL);
            }
            fuel -= pc[0];
            pc += 1;
            NEXT;
            CASE(WASM_OP_UNREACHABLE, L_UNREACHABLE)
            TRAP(WASM_TRAP_UNREACHABLE);
            CASE(WASM_OP_BR, L_BR)
            JUMP(pc[0]);
            NEXT;
            CASE(WASM_OP_ADDI_BR, L_ADDI_BR)
            OUT = (uint32_t)((uint32_t)fp[pc[1]] + pc[2]);
            JUMP(pc[3]);
            NEXT;
            CASE(WASM_OP_BR_IF, L_BR_IF)
            if ((uint32_t)fp[pc[0]]) {
                JUMP(pc[1]);
            } else {
                pc += 2;
            }
            NEXT;
            CASE(WASM_OP_BR_UNLESS, L_BR_UNLESS)
            if ((uint32_t)fp[pc[0]]) {
                pc += 2;
            } else {
                JUMP(pc[1]);
            }
            NEXT;
            CASE(WASM_OP_BR_TABLE, L_BR_TABLE)
            {
                uint32_t i = (uint32_t)fp[pc[0]];
                uint32_t n = pc[1];
                JUMP(pc[2 + (i < n ? i : n)]);
                NEXT;
            }
            CASE(WASM_OP_RETURN, L_RETURN)
            if (depth == 0) {
                goto out;
            }
            depth--;
            pc = ex->frames[depth].pc;
            fp = ex->frames[depth].fp;
            inst = ex->frames[depth].inst;
            base = ex->frames[depth].base;
            LOAD_MEM();
            NEXT;
            CASE(WASM_OP_CALL, L_CALL)
            callee = inst->funcs[pc[0]];
            nfp = fp + pc[1];
            pc += 2;
            goto call;
            CASE(WASM_OP_CALL_INDIRECT, L_CALL_INDIRECT)
            {
                struct wasm_table *t = inst->tables[0];
                uint32_t i = (uint32_t)fp[pc[2]];
                if (i >= t->size) {
                    TRAP(WASM_TRAP_UNDEFINED_ELEMENT);
                }
                callee = t->elems[i];
                if (callee == NULL) {
                    TRAP(WASM_TRAP_UNINITIALIZED_ELEMENT);
                }
                if (!functype_eq(callee->type, &inst->module->types[pc[0]])) {
                    TRAP(WASM_TRAP_INDIRECT_TYPE);
                }
                nfp = fp + pc[1];
                pc += 3;
                goto call;
            }
            CASE(WASM_OP_ADD_SHL, L_ADD_SHL)
            OUT = (uint32_t)((uint32_t)fp[pc[1]] + ((uint32_t)fp[pc[2]] << (pc[3] & 31)));
            pc += 4;
            NEXT;
            CASE(WASM_OP_ADD3, L_ADD3)
            OUT = (uint32_t)((uint32_t)fp[pc[1]] + (uint32_t)fp[pc[2]] + (uint32_t)fp[pc[3]]);
            pc += 4;
            NEXT;
            CASE(WASM_OP_XOR_ROTL, L_XOR_ROTL)
            OUT = rotl32((uint32_t)fp[pc[1]] ^ (uint32_t)fp[pc[2]], pc[3]);
            pc += 4;
            NEXT;
            F64_MEM(WASM_OP_F64_ADD_L, L_F64_ADD_L, +, 3, (uint32_t)fp[pc[2]], pc[3])
            F64_MEM(WASM_OP_F64_MUL_L, L_F64_MUL_L, *, 3, (uint32_t)fp[pc[2]], pc[3])
            F64_MEM(WASM_OP_F64_ADD_LX, L_F64_ADD_LX, +, 4, (uint32_t)((uint32_t)fp[pc[2]] + pc[3]),
                    pc[4])
            F64_MEM(WASM_OP_F64_MUL_LX, L_F64_MUL_LX, *, 4, (uint32_t)((uint32_t)fp[pc[2]] + pc[3]),
                    pc[4])
            CASE(WASM_OP_F64_MUL_XX, L_F64_MUL_XX)
            {
                LOAD2_F64
                F64_RESULT(7, v1 * v2);
            }
            CASE(WASM_OP_F64_ADD_XX, L_F64_ADD_XX)
            {
                LOAD2_F64
                F64_RESULT(7, v1 + v2);
            }
            CASE(WASM_OP_F64_MULADD_XX, L_F64_MULADD_XX)
            {
                LOAD2_F64
                double prod = v1 * v2; /* rounded on its own: never a fused multiply-add */
                F64_RESULT(8, prod + f64_of(fp[pc[7]]));
            }
            CASE(WASM_OP_F64_MULADD1_XX, L_F64_MULADD1_XX)
            {
                LOAD2_F64
                double prod = v1 * v2;
                double sum = prod + f64_of(fp[pc[7]]);
                F64_RESULT(9, sum + f64_of(fp[pc[8]]));
            }
            CASE(WASM_OP_F64_MULADD2_XX, L_F64_MULADD2_XX)
            {
                LOAD2_F64
                double prod = v1 * v2;
                double sum = prod + f64_of(fp[pc[7]]);
                sum = sum + f64_of(fp[pc[8]]);
                F64_RESULT(10, sum + f64_of(fp[pc[9]]));
            }
            CASE(WASM_OP_F64_MULADD3_XX, L_F64_MULADD3_XX)
            {
                LOAD2_F64
                double prod = v1 * v2;
                double sum = prod + f64_of(fp[pc[7]]);
                sum = sum + f64_of(fp[pc[8]]);
                sum = sum + f64_of(fp[pc[9]]);
                F64_RESULT(11, sum + f64_of(fp[pc[10]]));
            }
            CASE(WASM_OP_F64_DOT2, L_F64_DOT2)
            {
                dot_k = 2;
                double p;
                double q1;
                DOT_PROD(p, 2);
                DOT_PROD(q1, 8);
                double sum = p + f64_of(fp[pc[1]]);
                F64_RESULT(14, sum + q1);
            }
            CASE(WASM_OP_F64_DOT3, L_F64_DOT3)
            {
                dot_k = 3;
                double p;
                double q1;
                double q2;
                DOT_PROD(p, 2);
                DOT_PROD(q1, 8);
                DOT_PROD(q2, 14);
                double sum = p + f64_of(fp[pc[1]]);
                sum = sum + q1;
                F64_RESULT(20, sum + q2);
            }
            CASE(WASM_OP_F64_DOT4, L_F64_DOT4)
            {
                dot_k = 4;
                double p;
                double q1;
                double q2;
                double q3;
                DOT_PROD(p, 2);
                DOT_PROD(q1, 8);
                DOT_PROD(q2, 14);
                DOT_PROD(q3, 20);
                double sum = p + f64_of(fp[pc[1]]);
                sum = sum + q1;
                sum = sum + q2;
                F64_RESULT(26, sum + q3);
            }
            CASE(WASM_OP_F64_DOT4S, L_F64_DOT4S)
            {
                dot_k = 0;
                uint64_t xa = (uint32_t)fp[pc[2]];
                uint64_t xb = (uint32_t)fp[pc[3]];
                double p;
                double q1;
                double q2;
                double q3;
                DOT_PROD_S(p, 4);
                DOT_PROD_S(q1, 8);
                DOT_PROD_S(q2, 12);
                DOT_PROD_S(q3, 16);
                double sum = p + f64_of(fp[pc[1]]);
                sum = sum + q1;
                sum = sum + q2;
                F64_RESULT(20, sum + q3);
            }
        L_dot_slow : {
            /* some address x + K was out of bounds: redo it all exactly */
            double r;
            uint32_t w[26];
            const uint32_t *ops = pc;
            uint32_t len = 2 + 6 * dot_k;
            if (dot_k == 0) {
                /* DOT4S: spell out the DOT4 form it abbreviates */
                dot_k = 4;
                len = 20;
                w[0] = pc[0];
                w[1] = pc[1];
                for (uint32_t j = 0; j < 4; j++) {
                    uint32_t *t = &w[2 + 6 * j];
                    const uint32_t *u = &pc[4 + 4 * j];
                    t[0] = pc[2];
                    t[1] = u[0];
                    t[2] = u[1];
                    t[3] = pc[3];
                    t[4] = u[2];
                    t[5] = u[3];
                }
                ops = w;
            }
            if (!dot_exact(fp, ops, dot_k, mem, last8, &r)) {
                TRAP(WASM_TRAP_MEMORY_OOB);
            }
            F64_RESULT(len, r);
        }
            CASE(WASM_OP_F64_ADD3, L_F64_ADD3)
            F64_RESULT(4, AD + BD + f64_of(fp[pc[3]]));
            CASE(WASM_OP_F64_ADD4, L_F64_ADD4)
            F64_RESULT(5, AD + BD + f64_of(fp[pc[3]]) + f64_of(fp[pc[4]]));
            CASE(WASM_OP_MOV, L_MOV)
            OUT = fp[pc[1]];
            pc += 2;
            NEXT;
            CASE(WASM_OP_COPY, L_COPY)
            memmove(fp + pc[0], fp + pc[1], (size_t)pc[2] * 8);
            pc += 3;
            NEXT;
            CASE(WASM_OP_CONST32, L_CONST32)
            OUT = pc[1];
            pc += 2;
            NEXT;
            CASE(WASM_OP_CONST64, L_CONST64)
            OUT = pc[1] | (uint64_t)pc[2] << 32;
            pc += 3;
            NEXT;
            CASE(WASM_OP_SELECT, L_SELECT)
            OUT = (uint32_t)fp[pc[3]] ? fp[pc[1]] : fp[pc[2]];
            pc += 4;
            NEXT;
            CASE(WASM_OP_GLOBAL_GET, L_GLOBAL_GET)
            OUT = inst->globals[pc[1]]->val;
            pc += 2;
            NEXT;
            CASE(WASM_OP_GLOBAL_SET, L_GLOBAL_SET)
            inst->globals[pc[0]]->val = fp[pc[1]];
            pc += 2;
            NEXT;
            CASE(WASM_OP_MEMORY_SIZE, L_MEMORY_SIZE)
            OUT = inst->memory->pages;
            pc += 1;
            NEXT;
            CASE(WASM_OP_MEMORY_GROW, L_MEMORY_GROW)
            {
                /* a growth that happens clears its pages: charged by bytes first */
                const struct wasm_memory *gm = inst->memory;
                if (A32 <= gm->max_pages - gm->pages &&
                    charge_bytes(&fuel, (uint64_t)A32 * WASM_PAGE) != 0) {
                    TRAP(WASM_TRAP_FUEL);
                }
                uint32_t old;
                int rc = mem_grow(inst->memory, A32, &old);
                OUT = rc < 0 ? UINT32_MAX : old;
                LOAD_MEM();
                pc += 2;
                NEXT;
            }
            LOAD(0, 4, (uint32_t)v)
            LOAD(1, 8, v)
            LOAD(2, 4, (uint32_t)v)
            LOAD(3, 8, v)
            LOAD(4, 1, (uint32_t)(int32_t)(int8_t)v)
            LOAD(5, 1, v)
            LOAD(6, 2, (uint32_t)(int32_t)(int16_t)v)
            LOAD(7, 2, v)
            LOAD(8, 1, (uint64_t)(int64_t)(int8_t)v)
            LOAD(9, 1, v)
            LOAD(10, 2, (uint64_t)(int64_t)(int16_t)v)
            LOAD(11, 2, v)
            LOAD(12, 4, (uint64_t)(int64_t)(int32_t)v)
            LOAD(13, 4, v)
            LOADX(0, 4, (uint32_t)v)
            LOADX(1, 8, v)
            LOADX(2, 4, (uint32_t)v)
            LOADX(3, 8, v)
            LOADX(4, 1, (uint32_t)(int32_t)(int8_t)v)
            LOADX(5, 1, v)
            LOADX(6, 2, (uint32_t)(int32_t)(int16_t)v)
            LOADX(7, 2, v)
            LOADX(8, 1, (uint64_t)(int64_t)(int8_t)v)
            LOADX(9, 1, v)
            LOADX(10, 2, (uint64_t)(int64_t)(int16_t)v)
            LOADX(11, 2, v)
            LOADX(12, 4, (uint64_t)(int64_t)(int32_t)v)
            LOADX(13, 4, v)
            STORE(0, 4)
            STORE(1, 8)
            STORE(2, 4)
            STORE(3, 8)
            STORE(4, 1)
            STORE(5, 2)
            STORE(6, 1)
            STORE(7, 2)
            STORE(8, 4)
            LOADS(0, 4, (uint32_t)v)
            LOADS(1, 8, v)
            LOADS(2, 4, (uint32_t)v)
            LOADS(3, 8, v)
            LOADS(4, 1, (uint32_t)(int32_t)(int8_t)v)
            LOADS(5, 1, v)
            LOADS(6, 2, (uint32_t)(int32_t)(int16_t)v)
            LOADS(7, 2, v)
            LOADS(8, 1, (uint64_t)(int64_t)(int8_t)v)
            LOADS(9, 1, v)
            LOADS(10, 2, (uint64_t)(int64_t)(int16_t)v)
            LOADS(11, 2, v)
            LOADS(12, 4, (uint64_t)(int64_t)(int32_t)v)
            LOADS(13, 4, v)
            STORES(0, 4)
            STORES(1, 8)
            STORES(2, 4)
            STORES(3, 8)
            STORES(4, 1)
            STORES(5, 2)
            STORES(6, 1)
            STORES(7, 2)
            STORES(8, 4)
            STOREX(0, 4)
            STOREX(1, 8)
            STOREX(2, 4)
            STOREX(3, 8)
            STOREX(4, 1)
            STOREX(5, 2)
            STOREX(6, 1)
            STOREX(7, 2)
            STOREX(8, 4)

            /* i32 comparisons */
            UN(0x45, A32 == 0)
            BIN(0x46, A32 == B32)
            BIN(0x47, A32 != B32)
            BIN(0x48, (int32_t)A32 < (int32_t)B32)
            BIN(0x49, A32 < B32)
            BIN(0x4a, (int32_t)A32 > (int32_t)B32)
            BIN(0x4b, A32 > B32)
            BIN(0x4c, (int32_t)A32 <= (int32_t)B32)
            BIN(0x4d, A32 <= B32)
            BIN(0x4e, (int32_t)A32 >= (int32_t)B32)
            BIN(0x4f, A32 >= B32)
            /* i64 comparisons */
            UN(0x50, A64 == 0)
            BIN(0x51, A64 == B64)
            BIN(0x52, A64 != B64)
            BIN(0x53, (int64_t)A64 < (int64_t)B64)
            BIN(0x54, A64 < B64)
            BIN(0x55, (int64_t)A64 > (int64_t)B64)
            BIN(0x56, A64 > B64)
            BIN(0x57, (int64_t)A64 <= (int64_t)B64)
            BIN(0x58, A64 <= B64)
            BIN(0x59, (int64_t)A64 >= (int64_t)B64)
            BIN(0x5a, A64 >= B64)
            /* float comparisons */
            BIN(0x5b, AF == BF)
            BIN(0x5c, AF != BF)
            BIN(0x5d, AF < BF)
            BIN(0x5e, AF > BF)
            BIN(0x5f, AF <= BF)
            BIN(0x60, AF >= BF)
            BIN(0x61, AD == BD)
            BIN(0x62, AD != BD)
            BIN(0x63, AD < BD)
            BIN(0x64, AD > BD)
            BIN(0x65, AD <= BD)
            BIN(0x66, AD >= BD)
            /* i32 arithmetic */
            UN(0x67, A32 ? (uint32_t)__builtin_clz(A32) : 32)
            UN(0x68, A32 ? (uint32_t)__builtin_ctz(A32) : 32)
            UN(0x69, popcnt64(A32))
            BIN(0x6a, (uint32_t)(A32 + B32))
            BIN(0x6b, (uint32_t)(A32 - B32))
            BIN(0x6c, (uint32_t)(A32 * B32))
            CASE(0x6d, L_0x6d)
            {
                int32_t a = (int32_t)A32;
                int32_t b = (int32_t)B32;
                if (b == 0) {
                    TRAP(WASM_TRAP_DIV_ZERO);
                }
                if (a == INT32_MIN && b == -1) {
                    TRAP(WASM_TRAP_INT_OVERFLOW);
                }
                OUT = (uint32_t)(a / b);
                pc += 3;
                NEXT;
            }
            CASE(0x6e, L_0x6e)
            if (B32 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A32 / B32;
            pc += 3;
            NEXT;
            CASE(0x6f, L_0x6f)
            {
                int32_t a = (int32_t)A32;
                int32_t b = (int32_t)B32;
                if (b == 0) {
                    TRAP(WASM_TRAP_DIV_ZERO);
                }
                OUT = b == -1 ? 0 : (uint32_t)(a % b);
                pc += 3;
                NEXT;
            }
            CASE(0x70, L_0x70)
            if (B32 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A32 % B32;
            pc += 3;
            NEXT;
            BIN(0x71, A32 & B32)
            BIN(0x72, A32 | B32)
            BIN(0x73, A32 ^ B32)
            BIN(0x74, (uint32_t)(A32 << (B32 & 31)))
            BIN(0x75, (uint32_t)((int32_t)A32 >> (B32 & 31)))
            BIN(0x76, A32 >> (B32 & 31))
            BIN(0x77, rotl32(A32, B32))
            BIN(0x78, rotl32(A32, 32 - (B32 & 31)))
            /* i64 arithmetic */
            UN(0x79, clz64(A64))
            UN(0x7a, ctz64(A64))
            UN(0x7b, popcnt64(A64))
            BIN(0x7c, A64 + B64)
            BIN(0x7d, A64 - B64)
            BIN(0x7e, A64 * B64)
            CASE(0x7f, L_0x7f)
            {
                int64_t a = (int64_t)A64;
                int64_t b = (int64_t)B64;
                if (b == 0) {
                    TRAP(WASM_TRAP_DIV_ZERO);
                }
                if (a == INT64_MIN && b == -1) {
                    TRAP(WASM_TRAP_INT_OVERFLOW);
                }
                OUT = (uint64_t)(a / b);
                pc += 3;
                NEXT;
            }
            CASE(0x80, L_0x80)
            if (B64 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A64 / B64;
            pc += 3;
            NEXT;
            CASE(0x81, L_0x81)
            {
                int64_t a = (int64_t)A64;
                int64_t b = (int64_t)B64;
                if (b == 0) {
                    TRAP(WASM_TRAP_DIV_ZERO);
                }
                OUT = b == -1 ? 0 : (uint64_t)(a % b);
                pc += 3;
                NEXT;
            }
            CASE(0x82, L_0x82)
            if (B64 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A64 % B64;
            pc += 3;
            NEXT;
            BIN(0x83, A64 & B64)
            BIN(0x84, A64 | B64)
            BIN(0x85, A64 ^ B64)
            BIN(0x86, A64 << (B64 & 63))
            BIN(0x87, (uint64_t)((int64_t)A64 >> (B64 & 63)))
            BIN(0x88, A64 >> (B64 & 63))
            BIN(0x89, rotl64(A64, B64))
            BIN(0x8a, rotl64(A64, 64 - (B64 & 63)))
            /* f32 arithmetic */
            UN(0x8b, A64 & 0x7fffffffu)
            UN(0x8c, (A64 ^ 0x80000000u) & 0xffffffffu)
            UN_F32(0x8d, wasm_f32_ceil(AF))
            UN_F32(0x8e, wasm_f32_floor(AF))
            UN_F32(0x8f, wasm_f32_trunc(AF))
            UN_F32(0x90, wasm_f32_nearest(AF))
            UN_F32(0x91, __builtin_sqrtf(AF))
            BIN_F32(0x92, AF + BF)
            BIN_F32(0x93, AF - BF)
            BIN_F32(0x94, AF * BF)
            BIN_F32(0x95, AF / BF)
            BIN_F32(0x96, wasm_f32_min(AF, BF))
            BIN_F32(0x97, wasm_f32_max(AF, BF))
            BIN(0x98, (A64 & 0x7fffffffu) | (B64 & 0x80000000u))
            /* f64 arithmetic */
            UN(0x99, A64 & 0x7fffffffffffffffull)
            UN(0x9a, A64 ^ 0x8000000000000000ull)
            UN_F64(0x9b, wasm_f64_ceil(AD))
            UN_F64(0x9c, wasm_f64_floor(AD))
            UN_F64(0x9d, wasm_f64_trunc(AD))
            UN_F64(0x9e, wasm_f64_nearest(AD))
            UN_F64(0x9f, __builtin_sqrt(AD))
            BIN_F64(0xa0, AD + BD)
            BIN_F64(0xa1, AD - BD)
            BIN_F64(0xa2, AD * BD)
            BIN_F64(0xa3, AD / BD)
            BIN_F64(0xa4, wasm_f64_min(AD, BD))
            BIN_F64(0xa5, wasm_f64_max(AD, BD))
            BIN(0xa6, (A64 & 0x7fffffffffffffffull) | (B64 & 0x8000000000000000ull))
            /* conversions */
            UN(0xa7, (uint32_t)A64)
            OP_ENTRY(0xa8, L_0xa8, L_trunc)
            OP_ENTRY(0xa9, L_0xa9, L_trunc)
            OP_ENTRY(0xaa, L_0xaa, L_trunc)
            OP_ENTRY(0xab, L_0xab, L_trunc)
            OP_ENTRY(0xae, L_0xae, L_trunc)
            OP_ENTRY(0xaf, L_0xaf, L_trunc)
            OP_ENTRY(0xb0, L_0xb0, L_trunc)
            OP_ENTRY(0xb1, L_0xb1, L_trunc)
        L_trunc : {
            uint64_t v;
            int t = wasm_trunc(op, A64, &v);
            if (t != 0) {
                TRAP(t);
            }
            OUT = v;
            pc += 2;
            NEXT;
        }
            UN(0xac, (uint64_t)(int64_t)(int32_t)A32)
            UN(0xad, (uint64_t)A32)
            UN(0xb2, of_f32((float)(int32_t)A32))
            UN(0xb3, of_f32((float)A32))
            UN(0xb4, of_f32((float)(int64_t)A64))
            UN(0xb5, of_f32((float)A64))
            UN_F32(0xb6, (float)AD)
            UN(0xb7, of_f64((double)(int32_t)A32))
            UN(0xb8, of_f64((double)A32))
            UN(0xb9, of_f64((double)(int64_t)A64))
            UN(0xba, of_f64((double)A64))
            UN_F64(0xbb, (double)AF)
            UN(0xbc, A64 & 0xffffffffu)
            UN(0xbd, A64)
            UN(0xbe, A64 & 0xffffffffu)
            UN(0xbf, A64)
            UN(0xc0, (uint32_t)(int32_t)(int8_t)A32)
            UN(0xc1, (uint32_t)(int32_t)(int16_t)A32)
            UN(0xc2, (uint64_t)(int64_t)(int8_t)A64)
            UN(0xc3, (uint64_t)(int64_t)(int16_t)A64)
            UN(0xc4, (uint64_t)(int64_t)(int32_t)A64)
            /* immediate forms: b is the 32-bit immediate (sign-extended for i64) */
            BINI(0x46, A32 == IB32)
            BINI(0x47, A32 != IB32)
            BINI(0x48, (int32_t)A32 < (int32_t)IB32)
            BINI(0x49, A32 < IB32)
            BINI(0x4a, (int32_t)A32 > (int32_t)IB32)
            BINI(0x4b, A32 > IB32)
            BINI(0x4c, (int32_t)A32 <= (int32_t)IB32)
            BINI(0x4d, A32 <= IB32)
            BINI(0x4e, (int32_t)A32 >= (int32_t)IB32)
            BINI(0x4f, A32 >= IB32)
            BINI(0x51, A64 == IB64)
            BINI(0x52, A64 != IB64)
            BINI(0x53, (int64_t)A64 < (int64_t)IB64)
            BINI(0x54, A64 < IB64)
            BINI(0x55, (int64_t)A64 > (int64_t)IB64)
            BINI(0x56, A64 > IB64)
            BINI(0x57, (int64_t)A64 <= (int64_t)IB64)
            BINI(0x58, A64 <= IB64)
            BINI(0x59, (int64_t)A64 >= (int64_t)IB64)
            BINI(0x5a, A64 >= IB64)
            BINI(0x6a, (uint32_t)(A32 + IB32))
            BINI(0x6b, (uint32_t)(A32 - IB32))
            BINI(0x6c, (uint32_t)(A32 * IB32))
            BINI(0x71, A32 & IB32)
            BINI(0x72, A32 | IB32)
            BINI(0x73, A32 ^ IB32)
            BINI(0x74, (uint32_t)(A32 << (IB32 & 31)))
            BINI(0x75, (uint32_t)((int32_t)A32 >> (IB32 & 31)))
            BINI(0x76, A32 >> (IB32 & 31))
            BINI(0x77, rotl32(A32, IB32))
            BINI(0x78, rotl32(A32, 32 - (IB32 & 31)))
            BINI(0x7c, A64 + IB64)
            BINI(0x7d, A64 - IB64)
            BINI(0x7e, A64 * IB64)
            BINI(0x83, A64 & IB64)
            BINI(0x84, A64 | IB64)
            BINI(0x85, A64 ^ IB64)
            BINI(0x86, A64 << (IB64 & 63))
            BINI(0x87, (uint64_t)((int64_t)A64 >> (IB64 & 63)))
            BINI(0x88, A64 >> (IB64 & 63))
            /* fused compare and branch: a b target */
            BRC(0x0, C32 == D32)
            BRC(0x1, C32 != D32)
            BRC(0x2, (int32_t)C32 < (int32_t)D32)
            BRC(0x3, C32 < D32)
            BRC(0x4, (int32_t)C32 > (int32_t)D32)
            BRC(0x5, C32 > D32)
            BRC(0x6, (int32_t)C32 <= (int32_t)D32)
            BRC(0x7, C32 <= D32)
            BRC(0x8, (int32_t)C32 >= (int32_t)D32)
            BRC(0x9, C32 >= D32)
            BRC(0xb, C64 == D64)
            BRC(0xc, C64 != D64)
            BRC(0xd, (int64_t)C64 < (int64_t)D64)
            BRC(0xe, C64 < D64)
            BRC(0xf, (int64_t)C64 > (int64_t)D64)
            BRC(0x10, C64 > D64)
            BRC(0x11, (int64_t)C64 <= (int64_t)D64)
            BRC(0x12, C64 <= D64)
            BRC(0x13, (int64_t)C64 >= (int64_t)D64)
            BRC(0x14, C64 >= D64)
            OP_ENTRY(WASM_OP_FC + 0, L_FC0, L_sat)
            OP_ENTRY(WASM_OP_FC + 1, L_FC1, L_sat)
            OP_ENTRY(WASM_OP_FC + 2, L_FC2, L_sat)
            OP_ENTRY(WASM_OP_FC + 3, L_FC3, L_sat)
            OP_ENTRY(WASM_OP_FC + 4, L_FC4, L_sat)
            OP_ENTRY(WASM_OP_FC + 5, L_FC5, L_sat)
            OP_ENTRY(WASM_OP_FC + 6, L_FC6, L_sat)
            OP_ENTRY(WASM_OP_FC + 7, L_FC7, L_sat)
        L_sat : {
            uint64_t v;
            (void)wasm_trunc(op, A64, &v);
            OUT = v;
            pc += 2;
            NEXT;
        }
            OP_ENTRY(WASM_OP_FC + 8, L_FC8, L_bulk)
            OP_ENTRY(WASM_OP_FC + 9, L_FC9, L_bulk)
            OP_ENTRY(WASM_OP_FC + 10, L_FC10, L_bulk)
            OP_ENTRY(WASM_OP_FC + 11, L_FC11, L_bulk)
        L_bulk : {
            int t = bulk(inst, mem, memsize, fp, op - WASM_OP_FC, pc, &fuel);
            if (t != 0) {
                TRAP(t);
            }
            pc += op == WASM_OP_FC + 8 ? 4 : op == WASM_OP_FC + 9 ? 1 : 3;
            NEXT;
        }
            ADDI_BR(0, d_ == b_)
            ADDI_BR(1, d_ != b_)
            ADDI_BR(2, (int32_t)d_ < (int32_t)b_)
            ADDI_BR(3, d_ < b_)
            ADDI_BR(4, (int32_t)d_ > (int32_t)b_)
            ADDI_BR(5, d_ > b_)
            ADDI_BR(6, (int32_t)d_ <= (int32_t)b_)
            ADDI_BR(7, d_ <= b_)
            ADDI_BR(8, (int32_t)d_ >= (int32_t)b_)
            ADDI_BR(9, d_ >= b_)
            ADDI2_BR(0, d_ == b_)
            ADDI2_BR(1, d_ != b_)
            ADDI2_BR(2, (int32_t)d_ < (int32_t)b_)
            ADDI2_BR(3, d_ < b_)
            ADDI2_BR(4, (int32_t)d_ > (int32_t)b_)
            ADDI2_BR(5, d_ > b_)
            ADDI2_BR(6, (int32_t)d_ <= (int32_t)b_)
            ADDI2_BR(7, d_ <= b_)
            ADDI2_BR(8, (int32_t)d_ >= (int32_t)b_)
            ADDI2_BR(9, d_ >= b_)
        L_nan64:
            fp[nan_slot] = WASM_F64_CANONICAL_NAN;
            NEXT;
        L_nan32:
            fp[nan_slot] = WASM_F32_CANONICAL_NAN;
            NEXT;
        default:
        L_bad:
            TRAP(WASM_TRAP_UNREACHABLE);
        }
        continue;

    call:
        if (callee->host != NULL) {
            int t = callee->host(callee->host_ctx, nfp, nfp);
            if (t != 0) {
                TRAP(t);
            }
            if (pc == NULL) {
                goto out;
            }
            LOAD_MEM();
            continue;
        }
        {
            const struct wasm_func_code *code = callee->code;
            if ((size_t)(stack_end - nfp) < code->frame_size) {
                TRAP(WASM_TRAP_STACK);
            }
            if (pc != NULL) {
                if (depth >= ex->max_depth) {
                    TRAP(WASM_TRAP_CALL_DEPTH);
                }
                ex->frames[depth].pc = pc;
                ex->frames[depth].fp = fp;
                ex->frames[depth].inst = inst;
                ex->frames[depth].base = base;
                depth++;
            }
            if (fuel < code->entry_fuel) {
                TRAP(WASM_TRAP_FUEL);
            }
            fuel -= code->entry_fuel;
            fp = nfp;
            memset(fp + code->nparams, 0, (size_t)(code->nlocals - code->nparams) * 8);
            inst = callee->inst;
            LOAD_MEM();
            pc = code->code;
            base = code->code;
        }
    }
out:
    ex->fuel = fuel;
    return trap;
}

uint32_t wasm_insn_len(const uint32_t *pc)
{
    uint32_t op = pc[0];
    static const uint8_t ctl[] = {
        [0] = 1, /* unreachable */
        [WASM_OP_BR - WASM_OP_UNREACHABLE] = 2,
        [WASM_OP_BR_IF - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_BR_UNLESS - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_BR_TABLE - WASM_OP_UNREACHABLE] = 4, /* + one word per label */
        [WASM_OP_RETURN - WASM_OP_UNREACHABLE] = 1,
        [WASM_OP_CALL - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_CALL_INDIRECT - WASM_OP_UNREACHABLE] = 4,
        [WASM_OP_MOV - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_CONST32 - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_CONST64 - WASM_OP_UNREACHABLE] = 4,
        [WASM_OP_SELECT - WASM_OP_UNREACHABLE] = 5,
        [WASM_OP_GLOBAL_GET - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_GLOBAL_SET - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_MEMORY_SIZE - WASM_OP_UNREACHABLE] = 2,
        [WASM_OP_MEMORY_GROW - WASM_OP_UNREACHABLE] = 3,
        [WASM_OP_FUEL - WASM_OP_UNREACHABLE] = 2,
        [WASM_OP_COPY - WASM_OP_UNREACHABLE] = 4,
    };
    if (op >= WASM_OP_IMM) {
        return 4;
    }
    if (op == WASM_OP_ADDI_BR) {
        return 5;
    }
    if (op >= WASM_OP_ADDI2_BRC) {
        return 9;
    }
    if (op >= WASM_OP_ADDI_BRC) {
        return 6;
    }
    if (op >= WASM_OP_F64_MUL_XX) {
        static const uint8_t xx[12] = {8, 8, 9, 5, 6, 10, 11, 12, 15, 21, 27, 21};
        return xx[op - WASM_OP_F64_MUL_XX];
    }
    if (op >= WASM_OP_LOADS) {
        return 6;
    }
    if (op >= WASM_OP_F64_ADD_L) {
        return op >= WASM_OP_F64_ADD_LX ? 6 : 5;
    }
    if (op >= WASM_OP_LOADX) {
        return 5; /* LOADX, STOREX, ADD_SHL, ADD3, XOR_ROTL */
    }
    if (op >= WASM_OP_LOAD) {
        return 4; /* LOAD, STORE, BRC, BRCI */
    }
    if (op == WASM_OP_BR_TABLE) {
        return 4 + pc[2];
    }
    if (op >= WASM_OP_UNREACHABLE) {
        return ctl[op - WASM_OP_UNREACHABLE];
    }
    if (op >= WASM_OP_FC) {
        static const uint8_t fc[12] = {3, 3, 3, 3, 3, 3, 3, 3, 5, 2, 4, 4};
        return fc[op - WASM_OP_FC];
    }
    bool unary = op == 0x45 || op == 0x50 || (op >= 0x67 && op <= 0x69) ||
                 (op >= 0x79 && op <= 0x7b) || (op >= 0x8b && op <= 0x91) ||
                 (op >= 0x99 && op <= 0x9f) || op >= 0xa7;
    return unary ? 3 : 4;
}

void wasm_thread_code(uint32_t *code, uint32_t len)
{
    const int32_t *handlers = NULL;
    (void)run(NULL, NULL, &handlers);
    if (handlers == NULL) {
        return;
    }
    uint32_t i = 0;
    while (i < len) {
        uint32_t op = code[i];
        ZASSERT(op < WASM_OP_END, "internal form holds only known opcodes");
        uint32_t n = wasm_insn_len(&code[i]);
        code[i] = (uint32_t)handlers[op];
        i += n;
    }
    ZASSERT(i == len, "internal form is a sequence of whole instructions");
}

int wasm_invoke(struct wasm_exec *ex, struct wasm_func *f, const uint64_t *args, uint64_t *results)
{
    uint32_t np = f->type->nparams;
    uint32_t nr = f->type->nresults;
    if (np > ex->stack_slots || nr > ex->stack_slots) {
        ex->trap = WASM_TRAP_STACK;
        return ZERR_TRAP;
    }
    if (ex->running) {
        return ZERR_BUSY;
    }
    if (np != 0) {
        memcpy(ex->stack, args, (size_t)np * 8);
    }
    ex->running = true;
    ex->trap = run(ex, f, NULL);
    ex->running = false;
    if (ex->trap != 0) {
        return ZERR_TRAP;
    }
    if (nr != 0) {
        memcpy(results, ex->stack, (size_t)nr * 8);
    }
    return 0;
}
