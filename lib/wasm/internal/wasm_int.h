/*
 * Private structures of the WebAssembly engine: the decoded module, the
 * compiled internal form and the helpers shared by its files.
 */
#ifndef ZERO_WASM_INTERNAL_WASM_INT_H
#define ZERO_WASM_INTERNAL_WASM_INT_H

#include "base/errors.h"
#include "base/string.h"
#include "wasm/wasm.h"

#define WASM_PAGE 65536u
#define WASM_MAX_PAGES 65536u
/* Parameters or results of one function type (the limit web engines use). */
#define WASM_MAX_ARITY 1000u

/* Bytes of one compile-time operand-stack and control-stack entry, at most. */
#define WASM_COMPILE_OPND_SIZE 24u
#define WASM_COMPILE_CTRL_SIZE 64u

/* ---- arena ---------------------------------------------------------------- */

/* Allocates n zeroed bytes (8-aligned) from the low end; NULL when full. */
void *wasm_alloc(struct wasm_arena *a, size_t n);

/* True if a's bytes [at, at + n) are known to hold zeros. */
static inline bool wasm_arena_known_zero(const struct wasm_arena *a, size_t at, size_t n)
{
    return at >= a->zero_from && at + n <= a->zero_to;
}
/* Allocates n bytes (8-aligned, not zeroed) from the high end. */
void *wasm_alloc_scratch(struct wasm_arena *a, size_t n);

/* ---- decoded module ------------------------------------------------------- */

struct wasm_limits_decl {
    uint32_t min;
    uint32_t max;
    bool has_max;
};

/* A constant expression: one value instruction. */
struct wasm_constexpr {
    uint8_t op; /* 0x41 i32.const, 0x42, 0x43, 0x44, 0x23 global.get */
    uint32_t global;
    uint64_t val;
};

struct wasm_import {
    const char *module;
    uint32_t module_len;
    const char *name;
    uint32_t name_len;
    uint8_t kind;
    uint32_t type;                  /* func: type index */
    struct wasm_limits_decl limits; /* table or memory */
    uint8_t gtype;                  /* global value type */
    bool gmut;
};

struct wasm_export_decl {
    const char *name;
    uint32_t name_len;
    uint8_t kind;
    uint32_t index;
};

struct wasm_global_decl {
    uint8_t type;
    bool mut;
    struct wasm_constexpr init;
};

struct wasm_elem_decl {
    uint32_t table;
    struct wasm_constexpr offset;
    uint32_t count;
    uint32_t *funcs;
};

struct wasm_data_decl {
    bool passive;
    struct wasm_constexpr offset;
    uint32_t len;
    const uint8_t *bytes;
};

/* The compiled body of one module-defined function. */
struct wasm_func_code {
    uint32_t type;       /* type index */
    uint32_t nparams;    /* slots 0..nparams-1 */
    uint32_t nlocals;    /* params + declared locals */
    uint32_t frame_size; /* locals + deepest operand stack */
    uint32_t entry_fuel; /* charged by every call: instructions outside loops */
    const uint32_t *code;
};

struct wasm_module {
    uint32_t ntypes;
    struct wasm_functype *types;
    uint32_t nimports;
    struct wasm_import *imports;
    /* index spaces: imported entries first */
    uint32_t nfuncs, nfunc_imports;
    uint32_t *func_types; /* type index of every function */
    uint32_t ntables, ntable_imports;
    struct wasm_limits_decl *tables;
    uint32_t nmems, nmem_imports;
    struct wasm_limits_decl *mems;
    uint32_t nglobals, nglobal_imports;
    struct wasm_global_decl *globals;
    uint32_t nexports;
    struct wasm_export_decl *exports;
    bool has_start;
    uint32_t start;
    uint32_t nelems;
    struct wasm_elem_decl *elems;
    uint32_t ndatas;
    struct wasm_data_decl *datas;
    bool has_data_count;
    uint32_t data_count;
    struct wasm_func_code *codes; /* nfuncs - nfunc_imports entries */
};

struct wasm_instance {
    const struct wasm_module *module;
    struct wasm_func **funcs;
    struct wasm_table **tables;
    struct wasm_memory *memory; /* NULL without one */
    struct wasm_global **globals;
    bool *data_dropped;
};

/* A saved caller frame on the call stack. */
struct wasm_frame {
    const uint32_t *pc;
    const uint32_t *base;
    uint64_t *fp;
    struct wasm_instance *inst;
};

/* ---- internal form -------------------------------------------------------- */

/*
 * Instruction words: an opcode followed by operands.  Operands are frame
 * slots (fp-relative), immediates, or code offsets.  Numeric instructions
 * keep their WebAssembly opcode (0x45..0xc4): op dst a [b].  The 0xfc
 * prefix maps to WASM_OP_FC + sub-opcode.  The rest are below.
 */
enum wasm_iop {
    WASM_OP_FC = 0x100,
    WASM_OP_UNREACHABLE = 0x200, /* */
    WASM_OP_BR,                  /* target */
    WASM_OP_BR_IF,               /* cond target */
    WASM_OP_BR_UNLESS,           /* cond target */
    WASM_OP_BR_TABLE,            /* idx n t0..tn */
    WASM_OP_RETURN,              /* */
    WASM_OP_CALL,                /* func argbase */
    WASM_OP_CALL_INDIRECT,       /* type argbase idx */
    WASM_OP_MOV,                 /* dst src */
    WASM_OP_CONST32,             /* dst imm */
    WASM_OP_CONST64,             /* dst lo hi */
    WASM_OP_SELECT,              /* dst a b cond */
    WASM_OP_GLOBAL_GET,          /* dst global */
    WASM_OP_GLOBAL_SET,          /* global src */
    WASM_OP_MEMORY_SIZE,         /* dst */
    WASM_OP_MEMORY_GROW,         /* dst delta */
    WASM_OP_FUEL,                /* cost */
    WASM_OP_COPY,                /* dst src n: slots [src, src + n) to [dst, ..), dst <= src */
    WASM_OP_LOAD,                /* base: wasm opcode 0x28..0x35 maps to WASM_OP_LOAD + k */
    WASM_OP_STORE = WASM_OP_LOAD + 14, /* 0x36..0x3e: addr val offset */
    /* fused i32/i64 compare (0x46..0x5a) and branch: a b target */
    WASM_OP_BRC = WASM_OP_STORE + 9,
    /* the same with an immediate b: a imm target */
    WASM_OP_BRCI = WASM_OP_BRC + 0x20,
    /* load k from address (a + imm) mod 2^32: dst a imm offset */
    WASM_OP_LOADX = WASM_OP_BRCI + 0x20,
    /* store k to address (a + imm) mod 2^32: a imm val offset */
    WASM_OP_STOREX = WASM_OP_LOADX + 14,
    /* i32 pairs fused with the instruction before: dst x y z */
    WASM_OP_ADD_SHL = WASM_OP_STOREX + 9, /* dst = x + (y << z) */
    WASM_OP_ADD3,                         /* dst = x + y + z (slots) */
    WASM_OP_XOR_ROTL,                     /* dst = rotl(x ^ y, z) */
    /* f64.add / f64.mul with one operand from the f64.load just before */
    WASM_OP_F64_ADD_L,  /* dst a addr offset: dst = a + load(addr + offset) */
    WASM_OP_F64_MUL_L,  /* dst a addr offset: dst = a * load(addr + offset) */
    WASM_OP_F64_ADD_LX, /* dst a x imm offset: dst = a + load((x + imm) mod 2^32 + offset) */
    WASM_OP_F64_MUL_LX, /* dst a x imm offset: dst = a * load((x + imm) mod 2^32 + offset) */
    /* load k from address (x + (y << z)) mod 2^32 (an indexed array element): dst x y z offset */
    WASM_OP_LOADS,
    /* store k to address (x + (y << z)) mod 2^32: x y z val offset */
    WASM_OP_STORES = WASM_OP_LOADS + 14,
    /* f64.mul / f64.add of two f64.loads, each from (x + imm) mod 2^32 + offset:
       dst x1 imm1 offset1 x2 imm2 offset2 */
    WASM_OP_F64_MUL_XX = WASM_OP_STORES + 9,
    WASM_OP_F64_ADD_XX,
    /* the same product plus slot c (two roundings, as f64.mul then f64.add):
       dst x1 imm1 offset1 x2 imm2 offset2 c */
    WASM_OP_F64_MULADD_XX,
    /* chains of f64.add, each feeding the next: dst p q r [s]:
       dst = (p + q) + r, dst = ((p + q) + r) + s */
    WASM_OP_F64_ADD3,
    WASM_OP_F64_ADD4,
    /* the product plus c, then plus one, two or three more slots, in order:
       dst x1 imm1 offset1 x2 imm2 offset2 c r1 [r2 [r3]] */
    WASM_OP_F64_MULADD1_XX,
    WASM_OP_F64_MULADD2_XX,
    WASM_OP_F64_MULADD3_XX,
    /* a dot product of k = 2..4 terms: the product above plus c, then plus
       k - 1 more products of two loads, in order, every sum rounded:
       dst c (x1 imm1 offset1 x2 imm2 offset2) x k */
    WASM_OP_F64_DOT2,
    WASM_OP_F64_DOT3,
    WASM_OP_F64_DOT4,
    /* DOT4 whose first loads all use slot xa and second loads slot xb:
       dst c xa xb (Ka offset_a Kb offset_b) x 4 */
    WASM_OP_F64_DOT4S,
    /* i32.add with an immediate, then a fused i32 compare (0x46..0x4f) of its
       result and branch: dst x imm b target: dst = x + imm, branch if (dst cmp b)
       with b a slot (ADDI_BRC) or an immediate (ADDI_BRCI) */
    WASM_OP_ADDI_BRC,
    WASM_OP_ADDI_BRCI = WASM_OP_ADDI_BRC + 10,
    /* an i32.add with an immediate before the ADDI_BRC(I) pair (a loop with two
       induction variables): dst1 x1 imm1 dst2 x2 imm2 b target: dst1 = x1 + imm1,
       then dst2 = x2 + imm2, branch if (dst2 cmp b), each read after the writes
       before it */
    WASM_OP_ADDI2_BRC = WASM_OP_ADDI_BRCI + 10,
    WASM_OP_ADDI2_BRCI = WASM_OP_ADDI2_BRC + 10,
    /* i32.add with an immediate, then an unconditional branch: dst x imm target */
    WASM_OP_ADDI_BR = WASM_OP_ADDI2_BRCI + 10,
    WASM_OP_FUSED_END,
    /* binary numeric op with an immediate b: WASM_OP_IMM + wasm opcode, dst a imm */
    WASM_OP_IMM = 0x300,
    WASM_OP_END = WASM_OP_IMM + 0x100,
};

_Static_assert(WASM_OP_FUSED_END <= WASM_OP_IMM, "fused opcodes below the immediate forms");

/*
 * A branch target word with this bit set is a loop back-edge: the word
 * before the target holds the loop's fuel cost, charged when it is taken.
 */
#define WASM_BACK_EDGE 0x80000000u

/* ---- float helpers (float.c) ---------------------------------------------- */

uint32_t wasm_f32_canon(uint32_t bits);
uint64_t wasm_f64_canon(uint64_t bits);
float wasm_f32_nearest(float x);
double wasm_f64_nearest(double x);
float wasm_f32_trunc(float x);
double wasm_f64_trunc(double x);
float wasm_f32_floor(float x);
double wasm_f64_floor(double x);
float wasm_f32_ceil(float x);
double wasm_f64_ceil(double x);
float wasm_f32_min(float a, float b);
float wasm_f32_max(float a, float b);
double wasm_f64_min(double a, double b);
double wasm_f64_max(double a, double b);

/*
 * Float to integer conversion of opcode op (0xa8..0xb1 trapping, 0xfc 0..7
 * saturating as WASM_OP_FC + k).  Writes *out; returns 0 or a trap reason.
 */
int wasm_trunc(uint32_t op, uint64_t in, uint64_t *out);

/* ---- decoder (decode.c) and compiler (compile.c) --------------------------- */

struct wasm_reader {
    const uint8_t *p;
    const uint8_t *end;
    const uint8_t *start;
    struct wasm_error *err;
};

int wasm_fail(struct wasm_reader *r, int code, const char *msg);
int wasm_read_u8(struct wasm_reader *r, uint8_t *out);
int wasm_read_u32(struct wasm_reader *r, uint32_t *out);
int wasm_read_s32(struct wasm_reader *r, int32_t *out);
int wasm_read_s33(struct wasm_reader *r, int64_t *out);
int wasm_read_s64(struct wasm_reader *r, int64_t *out);

/*
 * Validates the body at r of module-defined function fn and compiles it
 * into m->codes[fn], code from arena's low end, scratch from its high end.
 * Returns 0 or a negative ZERR_* code with r->err set.
 */
int wasm_compile_func(struct wasm_module *m, uint32_t fn, struct wasm_reader *r,
                      struct wasm_arena *arena);

/*
 * Rewrites a function's compiled code (len words) for the interpreter's
 * dispatch: with direct threading every opcode word becomes its handler's
 * offset; otherwise nothing changes.  Done once, after compilation.
 */
void wasm_thread_code(uint32_t *code, uint32_t len);

/* Words of the (not yet threaded) internal-form instruction at pc, opcode included. */
uint32_t wasm_insn_len(const uint32_t *pc);

/* Value type of global g, mutability via *mut. */
static inline uint8_t wasm_global_type(const struct wasm_module *m, uint32_t g, bool *mut)
{
    *mut = m->globals[g].mut;
    return m->globals[g].type;
}

#endif
