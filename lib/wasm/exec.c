/*
 * The interpreter: one loop over the internal register form (see
 * compile.c).  Frames live on one value stack of 8-byte slots; a call moves
 * the frame pointer to the caller's argument slots, so arguments are passed
 * in place and results come back in the same slots.  Calls do not recurse
 * in C: saved frames go on an explicit call stack with a fixed depth.
 */
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

/* Canonicalizing results of float arithmetic. */
static inline uint64_t c32(float f)
{
    return wasm_f32_canon((uint32_t)of_f32(f));
}

static inline uint64_t c64(double d)
{
    return wasm_f64_canon(of_f64(d));
}

static inline uint32_t rotl32(uint32_t x, uint32_t n)
{
    n &= 31;
    return n ? (x << n) | (x >> (32 - n)) : x;
}

static inline uint64_t rotl64(uint64_t x, uint64_t n)
{
    n &= 63;
    return n ? (x << n) | (x >> (64 - n)) : x;
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

/* Register state of the interpreter, saved across calls. */
struct regs {
    const uint32_t *pc;
    const uint32_t *base; /* start of the current function's code */
    uint64_t *fp;
    struct wasm_instance *inst;
    uint8_t *mem;
    uint64_t memsize;
};

static inline void load_mem(struct regs *r)
{
    struct wasm_memory *m = r->inst->memory;
    /* without a memory, memsize 0 makes every access trap before it reads */
    r->mem = m != NULL && m->data != NULL ? m->data : (uint8_t *)&r->memsize;
    r->memsize = m != NULL ? (uint64_t)m->pages * WASM_PAGE : 0;
}

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

/* memory.init / memory.copy / memory.fill; pc points at the operands. */
static int bulk(struct regs *r, uint32_t sub, const uint32_t *pc)
{
    uint64_t *fp = r->fp;
    if (sub == 9) {
        r->inst->data_dropped[pc[0]] = true;
        return 0;
    }
    if (sub == 8) {
        const struct wasm_data_decl *d = &r->inst->module->datas[pc[0]];
        uint64_t dst = (uint32_t)fp[pc[1]];
        uint64_t src = (uint32_t)fp[pc[2]];
        uint64_t n = (uint32_t)fp[pc[3]];
        uint64_t seglen = r->inst->data_dropped[pc[0]] ? 0 : d->len;
        if (src + n > seglen || dst + n > r->memsize) {
            return WASM_TRAP_MEMORY_OOB;
        }
        if (n != 0) {
            memcpy(r->mem + dst, d->bytes + src, n);
        }
        return 0;
    }
    uint64_t dst = (uint32_t)fp[pc[0]];
    uint64_t val = (uint32_t)fp[pc[1]];
    uint64_t n = (uint32_t)fp[pc[2]];
    if (dst + n > r->memsize || (sub == 10 && val + n > r->memsize)) {
        return WASM_TRAP_MEMORY_OOB;
    }
    if (n != 0) {
        if (sub == 10) {
            memmove(r->mem + dst, r->mem + val, n);
        } else {
            memset(r->mem + dst, (int)(val & 0xff), n);
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
#define IB32 (pc[2])
#define IB64 ((uint64_t)(int64_t)(int32_t)pc[2])
/* operands of fused compare-and-branch: slot a, slot or immediate b */
#define C32 ((uint32_t)fp[pc[0]])
#define C64 (fp[pc[0]])
#define D32 (imm ? pc[1] : (uint32_t)fp[pc[1]])
#define D64 (imm ? (uint64_t)(int64_t)(int32_t)pc[1] : fp[pc[1]])
#define BRC(k, cond)            \
    case WASM_OP_BRC + (k): {   \
        const bool imm = false; \
        if (cond) {             \
            JUMP(pc[2]);        \
        } else {                \
            pc += 3;            \
        }                       \
        break;                  \
    }                           \
    case WASM_OP_BRCI + (k): {  \
        const bool imm = true;  \
        if (cond) {             \
            JUMP(pc[2]);        \
        } else {                \
            pc += 3;            \
        }                       \
        break;                  \
    }

#define UN(op, expr)  \
    case op:          \
        OUT = (expr); \
        pc += 2;      \
        break;
#define BIN(op, expr) \
    case op:          \
        OUT = (expr); \
        pc += 3;      \
        break;
/* Jumps to target word t, charging a loop's fuel on a back-edge. */
#define JUMP(t)                               \
    do {                                      \
        uint32_t t_ = (t);                    \
        pc = r.base + (t_ & ~WASM_BACK_EDGE); \
        if (t_ & WASM_BACK_EDGE) {            \
            if (fuel < pc[-1]) {              \
                TRAP(WASM_TRAP_FUEL);         \
            }                                 \
            fuel -= pc[-1];                   \
        }                                     \
    } while (0)
#define TRAP(reason)     \
    do {                 \
        trap = (reason); \
        goto out;        \
    } while (0)
#define LOAD(k, n, conv)                                     \
    case WASM_OP_LOAD + (k): {                               \
        uint64_t ea = (uint64_t)(uint32_t)fp[pc[1]] + pc[2]; \
        if (ea + (n) > r.memsize) {                          \
            TRAP(WASM_TRAP_MEMORY_OOB);                      \
        }                                                    \
        uint64_t v = ld(r.mem + ea, (n));                    \
        OUT = (conv);                                        \
        pc += 3;                                             \
        break;                                               \
    }
#define STORE(k, n)                                          \
    case WASM_OP_STORE + (k): {                              \
        uint64_t ea = (uint64_t)(uint32_t)fp[pc[0]] + pc[2]; \
        if (ea + (n) > r.memsize) {                          \
            TRAP(WASM_TRAP_MEMORY_OOB);                      \
        }                                                    \
        uint64_t v = fp[pc[1]];                              \
        memcpy(r.mem + ea, &v, (n));                         \
        pc += 3;                                             \
        break;                                               \
    }

/*
 * Runs f with its arguments already in ex->stack[0..).  Returns 0 with the
 * results in ex->stack[0..), or a trap reason.
 */
static int run(struct wasm_exec *ex, struct wasm_func *f)
{
    struct regs r;
    uint64_t *fp = ex->stack;
    uint64_t *const stack_end = ex->stack + ex->stack_slots;
    uint64_t fuel = ex->fuel;
    uint32_t depth = 0;
    int trap = 0;
    struct wasm_func *callee = f;
    uint64_t *nfp = fp;
    const uint32_t *pc = NULL;

    r.inst = f->inst;
    r.fp = fp;
    goto call;

    for (;;) {
        uint32_t op = *pc++;
        switch (op) {
        case WASM_OP_FUEL:
            if (fuel < pc[0]) {
                TRAP(WASM_TRAP_FUEL);
            }
            fuel -= pc[0];
            pc += 1;
            break;
        case WASM_OP_UNREACHABLE:
            TRAP(WASM_TRAP_UNREACHABLE);
        case WASM_OP_BR:
            JUMP(pc[0]);
            break;
        case WASM_OP_BR_IF:
            if ((uint32_t)fp[pc[0]]) {
                JUMP(pc[1]);
            } else {
                pc += 2;
            }
            break;
        case WASM_OP_BR_UNLESS:
            if ((uint32_t)fp[pc[0]]) {
                pc += 2;
            } else {
                JUMP(pc[1]);
            }
            break;
        case WASM_OP_BR_TABLE: {
            uint32_t i = (uint32_t)fp[pc[0]];
            uint32_t n = pc[1];
            JUMP(pc[2 + (i < n ? i : n)]);
            break;
        }
        case WASM_OP_RETURN:
            if (depth == 0) {
                goto out;
            }
            depth--;
            pc = ex->frames[depth].pc;
            fp = ex->frames[depth].fp;
            r.inst = ex->frames[depth].inst;
            r.base = ex->frames[depth].base;
            load_mem(&r);
            break;
        case WASM_OP_CALL:
            callee = r.inst->funcs[pc[0]];
            nfp = fp + pc[1];
            pc += 2;
            goto call;
        case WASM_OP_CALL_INDIRECT: {
            struct wasm_table *t = r.inst->tables[0];
            uint32_t i = (uint32_t)fp[pc[2]];
            if (i >= t->size) {
                TRAP(WASM_TRAP_UNDEFINED_ELEMENT);
            }
            callee = t->elems[i];
            if (callee == NULL) {
                TRAP(WASM_TRAP_UNINITIALIZED_ELEMENT);
            }
            if (!functype_eq(callee->type, &r.inst->module->types[pc[0]])) {
                TRAP(WASM_TRAP_INDIRECT_TYPE);
            }
            nfp = fp + pc[1];
            pc += 3;
            goto call;
        }
        case WASM_OP_MOV:
            OUT = fp[pc[1]];
            pc += 2;
            break;
        case WASM_OP_CONST32:
            OUT = pc[1];
            pc += 2;
            break;
        case WASM_OP_CONST64:
            OUT = pc[1] | (uint64_t)pc[2] << 32;
            pc += 3;
            break;
        case WASM_OP_SELECT:
            OUT = (uint32_t)fp[pc[3]] ? fp[pc[1]] : fp[pc[2]];
            pc += 4;
            break;
        case WASM_OP_GLOBAL_GET:
            OUT = r.inst->globals[pc[1]]->val;
            pc += 2;
            break;
        case WASM_OP_GLOBAL_SET:
            r.inst->globals[pc[0]]->val = fp[pc[1]];
            pc += 2;
            break;
        case WASM_OP_MEMORY_SIZE:
            OUT = r.inst->memory->pages;
            pc += 1;
            break;
        case WASM_OP_MEMORY_GROW: {
            uint32_t old;
            int rc = mem_grow(r.inst->memory, A32, &old);
            OUT = rc < 0 ? UINT32_MAX : old;
            load_mem(&r);
            pc += 2;
            break;
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
            STORE(0, 4)
            STORE(1, 8)
            STORE(2, 4)
            STORE(3, 8)
            STORE(4, 1)
            STORE(5, 2)
            STORE(6, 1)
            STORE(7, 2)
            STORE(8, 4)

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
        case 0x6d: {
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
            break;
        }
        case 0x6e:
            if (B32 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A32 / B32;
            pc += 3;
            break;
        case 0x6f: {
            int32_t a = (int32_t)A32;
            int32_t b = (int32_t)B32;
            if (b == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = b == -1 ? 0 : (uint32_t)(a % b);
            pc += 3;
            break;
        }
        case 0x70:
            if (B32 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A32 % B32;
            pc += 3;
            break;
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
        case 0x7f: {
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
            break;
        }
        case 0x80:
            if (B64 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A64 / B64;
            pc += 3;
            break;
        case 0x81: {
            int64_t a = (int64_t)A64;
            int64_t b = (int64_t)B64;
            if (b == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = b == -1 ? 0 : (uint64_t)(a % b);
            pc += 3;
            break;
        }
        case 0x82:
            if (B64 == 0) {
                TRAP(WASM_TRAP_DIV_ZERO);
            }
            OUT = A64 % B64;
            pc += 3;
            break;
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
            UN(0x8d, c32(wasm_f32_ceil(AF)))
            UN(0x8e, c32(wasm_f32_floor(AF)))
            UN(0x8f, c32(wasm_f32_trunc(AF)))
            UN(0x90, c32(wasm_f32_nearest(AF)))
            UN(0x91, c32(__builtin_sqrtf(AF)))
            BIN(0x92, c32(AF + BF))
            BIN(0x93, c32(AF - BF))
            BIN(0x94, c32(AF * BF))
            BIN(0x95, c32(AF / BF))
            BIN(0x96, c32(wasm_f32_min(AF, BF)))
            BIN(0x97, c32(wasm_f32_max(AF, BF)))
            BIN(0x98, (A64 & 0x7fffffffu) | (B64 & 0x80000000u))
            /* f64 arithmetic */
            UN(0x99, A64 & 0x7fffffffffffffffull)
            UN(0x9a, A64 ^ 0x8000000000000000ull)
            UN(0x9b, c64(wasm_f64_ceil(AD)))
            UN(0x9c, c64(wasm_f64_floor(AD)))
            UN(0x9d, c64(wasm_f64_trunc(AD)))
            UN(0x9e, c64(wasm_f64_nearest(AD)))
            UN(0x9f, c64(__builtin_sqrt(AD)))
            BIN(0xa0, c64(AD + BD))
            BIN(0xa1, c64(AD - BD))
            BIN(0xa2, c64(AD * BD))
            BIN(0xa3, c64(AD / BD))
            BIN(0xa4, c64(wasm_f64_min(AD, BD)))
            BIN(0xa5, c64(wasm_f64_max(AD, BD)))
            BIN(0xa6, (A64 & 0x7fffffffffffffffull) | (B64 & 0x8000000000000000ull))
            /* conversions */
            UN(0xa7, (uint32_t)A64)
        case 0xa8:
        case 0xa9:
        case 0xaa:
        case 0xab:
        case 0xae:
        case 0xaf:
        case 0xb0:
        case 0xb1: {
            uint64_t v;
            int t = wasm_trunc(op, A64, &v);
            if (t != 0) {
                TRAP(t);
            }
            OUT = v;
            pc += 2;
            break;
        }
            UN(0xac, (uint64_t)(int64_t)(int32_t)A32)
            UN(0xad, (uint64_t)A32)
            UN(0xb2, of_f32((float)(int32_t)A32))
            UN(0xb3, of_f32((float)A32))
            UN(0xb4, of_f32((float)(int64_t)A64))
            UN(0xb5, of_f32((float)A64))
            UN(0xb6, c32((float)AD))
            UN(0xb7, of_f64((double)(int32_t)A32))
            UN(0xb8, of_f64((double)A32))
            UN(0xb9, of_f64((double)(int64_t)A64))
            UN(0xba, of_f64((double)A64))
            UN(0xbb, c64((double)AF))
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
            BIN(WASM_OP_IMM + 0x46, A32 == IB32)
            BIN(WASM_OP_IMM + 0x47, A32 != IB32)
            BIN(WASM_OP_IMM + 0x48, (int32_t)A32 < (int32_t)IB32)
            BIN(WASM_OP_IMM + 0x49, A32 < IB32)
            BIN(WASM_OP_IMM + 0x4a, (int32_t)A32 > (int32_t)IB32)
            BIN(WASM_OP_IMM + 0x4b, A32 > IB32)
            BIN(WASM_OP_IMM + 0x4c, (int32_t)A32 <= (int32_t)IB32)
            BIN(WASM_OP_IMM + 0x4d, A32 <= IB32)
            BIN(WASM_OP_IMM + 0x4e, (int32_t)A32 >= (int32_t)IB32)
            BIN(WASM_OP_IMM + 0x4f, A32 >= IB32)
            BIN(WASM_OP_IMM + 0x51, A64 == IB64)
            BIN(WASM_OP_IMM + 0x52, A64 != IB64)
            BIN(WASM_OP_IMM + 0x53, (int64_t)A64 < (int64_t)IB64)
            BIN(WASM_OP_IMM + 0x54, A64 < IB64)
            BIN(WASM_OP_IMM + 0x55, (int64_t)A64 > (int64_t)IB64)
            BIN(WASM_OP_IMM + 0x56, A64 > IB64)
            BIN(WASM_OP_IMM + 0x57, (int64_t)A64 <= (int64_t)IB64)
            BIN(WASM_OP_IMM + 0x58, A64 <= IB64)
            BIN(WASM_OP_IMM + 0x59, (int64_t)A64 >= (int64_t)IB64)
            BIN(WASM_OP_IMM + 0x5a, A64 >= IB64)
            BIN(WASM_OP_IMM + 0x6a, (uint32_t)(A32 + IB32))
            BIN(WASM_OP_IMM + 0x6b, (uint32_t)(A32 - IB32))
            BIN(WASM_OP_IMM + 0x6c, (uint32_t)(A32 * IB32))
            BIN(WASM_OP_IMM + 0x71, A32 & IB32)
            BIN(WASM_OP_IMM + 0x72, A32 | IB32)
            BIN(WASM_OP_IMM + 0x73, A32 ^ IB32)
            BIN(WASM_OP_IMM + 0x74, (uint32_t)(A32 << (IB32 & 31)))
            BIN(WASM_OP_IMM + 0x75, (uint32_t)((int32_t)A32 >> (IB32 & 31)))
            BIN(WASM_OP_IMM + 0x76, A32 >> (IB32 & 31))
            BIN(WASM_OP_IMM + 0x77, rotl32(A32, IB32))
            BIN(WASM_OP_IMM + 0x78, rotl32(A32, 32 - (IB32 & 31)))
            BIN(WASM_OP_IMM + 0x7c, A64 + IB64)
            BIN(WASM_OP_IMM + 0x7d, A64 - IB64)
            BIN(WASM_OP_IMM + 0x7e, A64 * IB64)
            BIN(WASM_OP_IMM + 0x83, A64 & IB64)
            BIN(WASM_OP_IMM + 0x84, A64 | IB64)
            BIN(WASM_OP_IMM + 0x85, A64 ^ IB64)
            BIN(WASM_OP_IMM + 0x86, A64 << (IB64 & 63))
            BIN(WASM_OP_IMM + 0x87, (uint64_t)((int64_t)A64 >> (IB64 & 63)))
            BIN(WASM_OP_IMM + 0x88, A64 >> (IB64 & 63))
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
        case WASM_OP_FC + 0:
        case WASM_OP_FC + 1:
        case WASM_OP_FC + 2:
        case WASM_OP_FC + 3:
        case WASM_OP_FC + 4:
        case WASM_OP_FC + 5:
        case WASM_OP_FC + 6:
        case WASM_OP_FC + 7: {
            uint64_t v;
            (void)wasm_trunc(op, A64, &v);
            OUT = v;
            pc += 2;
            break;
        }
        case WASM_OP_FC + 8:
        case WASM_OP_FC + 9:
        case WASM_OP_FC + 10:
        case WASM_OP_FC + 11: {
            r.fp = fp;
            int t = bulk(&r, op - WASM_OP_FC, pc);
            if (t != 0) {
                TRAP(t);
            }
            pc += op == WASM_OP_FC + 8 ? 4 : op == WASM_OP_FC + 9 ? 1 : 3;
            break;
        }
        default:
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
            load_mem(&r);
            continue;
        }
        {
            const struct wasm_func_code *code = callee->code;
            if (nfp + code->frame_size > stack_end) {
                TRAP(WASM_TRAP_STACK);
            }
            if (pc != NULL) {
                if (depth >= ex->max_depth) {
                    TRAP(WASM_TRAP_CALL_DEPTH);
                }
                ex->frames[depth].pc = pc;
                ex->frames[depth].fp = fp;
                ex->frames[depth].inst = r.inst;
                ex->frames[depth].base = r.base;
                depth++;
            }
            fp = nfp;
            memset(fp + code->nparams, 0, (size_t)(code->nlocals - code->nparams) * 8);
            r.inst = callee->inst;
            load_mem(&r);
            pc = code->code;
            r.base = code->code;
        }
    }
out:
    ex->fuel = fuel;
    return trap;
}

int wasm_invoke(struct wasm_exec *ex, struct wasm_func *f, const uint64_t *args, uint64_t *results)
{
    uint32_t np = f->type->nparams;
    uint32_t nr = f->type->nresults;
    if (np > ex->stack_slots || nr > ex->stack_slots) {
        ex->trap = WASM_TRAP_STACK;
        return ZERR_TRAP;
    }
    if (np != 0) {
        memcpy(ex->stack, args, (size_t)np * 8);
    }
    ex->trap = run(ex, f);
    if (ex->trap != 0) {
        return ZERR_TRAP;
    }
    if (nr != 0) {
        memcpy(results, ex->stack, (size_t)nr * 8);
    }
    return 0;
}
