/*
 * Zero OS deterministic WebAssembly engine.
 *
 * Runs WebAssembly 1.0 plus the 2.0 features clang emits by default
 * (sign-extension, saturating float-to-int, multi-value, bulk memory
 * operations, mutable globals).  Freestanding: the caller hands the engine
 * arenas and never sees a malloc.  Deterministic by construction: every NaN
 * a float operation produces is canonical, fuel is charged at fixed points of
 * the code, and every limit (memory pages, table size, call depth, value
 * stack) traps cleanly.  A module reaches nothing outside itself except the
 * imports the embedder grants one by one.  Design: docs/wasm.md.
 *
 * Life cycle:
 *   wasm_module_load()   decode + validate + compile, once
 *   wasm_instantiate()   bind granted imports, allocate memory/tables/globals
 *   wasm_invoke()        run an exported function with a fuel budget
 */
#ifndef ZERO_WASM_WASM_H
#define ZERO_WASM_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- value types --------------------------------------------------------- */

enum wasm_valtype {
    WASM_I32 = 0x7f,
    WASM_I64 = 0x7e,
    WASM_F32 = 0x7d,
    WASM_F64 = 0x7c,
    WASM_FUNCREF = 0x70,
};

/* Canonical NaNs: every NaN produced by float arithmetic has these bits. */
#define WASM_F32_CANONICAL_NAN 0x7fc00000u
#define WASM_F64_CANONICAL_NAN 0x7ff8000000000000ull

/* External kinds, as in the binary format. */
enum wasm_extern_kind {
    WASM_EXTERN_FUNC = 0,
    WASM_EXTERN_TABLE = 1,
    WASM_EXTERN_MEMORY = 2,
    WASM_EXTERN_GLOBAL = 3,
};

/* A function type: nparams parameter types followed by nresults results. */
struct wasm_functype {
    uint32_t nparams;
    uint32_t nresults;
    const uint8_t *types;
};

/* ---- arenas --------------------------------------------------------------- */

/*
 * A bump arena over caller memory.  Permanent objects grow up from the start;
 * scratch space used while compiling grows down from the end and is released
 * when compilation finishes.
 */
struct wasm_arena {
    uint8_t *base;
    size_t size;
    size_t low;  /* bytes used from the start */
    size_t high; /* bytes used from the end */
    /* [zero_from, zero_to) is known to hold zeros: allocations inside it
     * need no clearing (empty unless the arena was given zeroed) */
    size_t zero_from, zero_to;
};

/* Makes an arena over mem[0..size). */
void wasm_arena_init(struct wasm_arena *a, void *mem, size_t size);

/*
 * Makes an arena over mem[0..size), which the caller guarantees is all
 * zero (fresh pages from the host, calloc): allocations from it are not
 * cleared again, so pages that are never used are never touched.
 */
void wasm_arena_init_zeroed(struct wasm_arena *a, void *mem, size_t size);

/* ---- limits --------------------------------------------------------------- */

/* Fixed limits; exceeding one is a clean error or trap, never a host crash. */
struct wasm_limits {
    uint32_t max_memory_pages; /* 64 KiB pages per memory */
    uint32_t max_table_size;   /* entries per table */
    uint32_t max_call_depth;   /* nested wasm calls */
    uint32_t max_stack_slots;  /* 8-byte value slots for all frames */
};

/* The limits the engine uses when the caller passes none. */
void wasm_limits_default(struct wasm_limits *l);

/* ---- errors --------------------------------------------------------------- */

/* Why a module was refused: the message follows the spec test suite wording. */
struct wasm_error {
    int code;        /* ZERR_CORRUPT malformed, ZERR_INVAL invalid, ZERR_NOMEM, ZERR_LIMIT */
    uint32_t offset; /* byte offset in the module where the problem was found */
    const char *msg; /* static text */
};

/* Trap reasons; wasm_trap_text() gives the spec wording. */
enum wasm_trap {
    WASM_TRAP_NONE = 0,
    WASM_TRAP_UNREACHABLE,
    WASM_TRAP_DIV_ZERO,
    WASM_TRAP_INT_OVERFLOW,
    WASM_TRAP_INVALID_CONVERSION,
    WASM_TRAP_MEMORY_OOB,
    WASM_TRAP_TABLE_OOB,
    WASM_TRAP_UNDEFINED_ELEMENT,
    WASM_TRAP_UNINITIALIZED_ELEMENT,
    WASM_TRAP_INDIRECT_TYPE,
    WASM_TRAP_CALL_DEPTH,
    WASM_TRAP_STACK,
    WASM_TRAP_FUEL,
    WASM_TRAP_HOST,
};

const char *wasm_trap_text(int trap);

/* ---- runtime objects ------------------------------------------------------ */

struct wasm_module;
struct wasm_instance;
struct wasm_func_code;

/*
 * A host function: reads args (one 8-byte slot per parameter, i32/f32 in the
 * low 32 bits), writes results likewise.  Returns 0, or a wasm_trap reason.
 */
typedef int (*wasm_host_fn)(void *ctx, const uint64_t *args, uint64_t *results);

struct wasm_func {
    const struct wasm_functype *type;
    struct wasm_instance *inst;        /* owner, NULL for host functions */
    const struct wasm_func_code *code; /* NULL for host functions */
    wasm_host_fn host;
    void *host_ctx;
};

struct wasm_memory {
    uint8_t *data;
    uint32_t pages;     /* current size */
    uint32_t max_pages; /* growth stops here: min(declared max, limit) */
    uint32_t decl_max;  /* declared maximum (for import matching) */
    bool has_max;
};

struct wasm_table {
    struct wasm_func **elems; /* NULL entry = uninitialized */
    uint32_t size;
    uint32_t max_size;
    uint32_t decl_max;
    bool has_max;
};

struct wasm_global {
    uint8_t type;
    bool mut;
    uint64_t val;
};

/* One granted import or one export. */
struct wasm_extern {
    uint8_t kind; /* enum wasm_extern_kind */
    union {
        struct wasm_func *func;
        struct wasm_table *table;
        struct wasm_memory *memory;
        struct wasm_global *global;
    } u;
};

/* Sets up a host function of type t (t must outlive f). */
void wasm_host_func_init(struct wasm_func *f, const struct wasm_functype *t, wasm_host_fn fn,
                         void *ctx);

/*
 * Sets up a memory the embedder owns: data must hold max_pages * 65536 bytes,
 * the first pages*65536 of them zeroed or initialised.
 */
void wasm_memory_init(struct wasm_memory *m, void *data, uint32_t pages, uint32_t max_pages,
                      bool has_max);

/* Sets up a table over elems[0..max_size), the first size entries set. */
void wasm_table_init(struct wasm_table *t, struct wasm_func **elems, uint32_t size,
                     uint32_t max_size, bool has_max);

/* ---- modules -------------------------------------------------------------- */

/*
 * Limits on one function body, no lower than V8's: its size in bytes, its
 * locals (parameters included) and the depth of its operand stack (a frame
 * holds the locals and the stack, and the default value stack holds 1 Mi
 * slots, so a deeper function could never run).  Over one: ZERR_LIMIT.
 */
#define WASM_MAX_FUNC_SIZE 7654321u
#define WASM_MAX_LOCALS 50000u
#define WASM_MAX_OPERANDS (1024u * 1024u)

/*
 * Fuel beyond one unit per instruction, for the instructions whose work
 * grows with an operand (docs/wasm.md): memory.fill/copy/init and the
 * pages memory.grow clears are charged one unit per WASM_FUEL_BYTES_PER_UNIT
 * bytes, a call one per WASM_FUEL_LOCALS_PER_UNIT declared locals it zeroes,
 * a branch or return one per WASM_FUEL_VALUES_PER_UNIT values it carries.
 */
#define WASM_FUEL_BYTES_PER_UNIT 16u
#define WASM_FUEL_LOCALS_PER_UNIT 8u
#define WASM_FUEL_VALUES_PER_UNIT 8u

/*
 * An arena size that covers loading the module bytes[0..len): decoding,
 * the compiled code and the largest function's compile-time scratch
 * (docs/wasm.md derives the bound).  bytes need only be readable; a
 * malformed module gets a size that covers its failure.
 */
size_t wasm_module_arena_size(const uint8_t *bytes, size_t len);

/*
 * Decodes, validates and compiles bytes[0..len) into *out, allocating from
 * arena.  bytes need not outlive the module.  Returns 0, or a negative
 * ZERR_* code with *err saying why (ZERR_CORRUPT: malformed; ZERR_INVAL:
 * invalid; ZERR_NOMEM: the arena is too small; ZERR_LIMIT: over a limit).
 */
int wasm_module_load(const uint8_t *bytes, size_t len, struct wasm_arena *arena,
                     const struct wasm_limits *limits, struct wasm_module **out,
                     struct wasm_error *err);

/* The module's imports, in order: names are not NUL-terminated. */
uint32_t wasm_module_import_count(const struct wasm_module *m);
int wasm_module_import(const struct wasm_module *m, uint32_t i, const char **module,
                       uint32_t *module_len, const char **name, uint32_t *name_len, uint8_t *kind);

/* The module's exports, in order: names are not NUL-terminated. */
uint32_t wasm_module_export_count(const struct wasm_module *m);
int wasm_module_export(const struct wasm_module *m, uint32_t i, const char **name,
                       uint32_t *name_len, uint8_t *kind);

/* The type of import i when it is a function, else NULL. */
const struct wasm_functype *wasm_module_import_functype(const struct wasm_module *m, uint32_t i);

/* ---- instances ------------------------------------------------------------ */

/* Arena bytes an instance of m needs, including memory and tables. */
size_t wasm_instance_arena_size(const struct wasm_module *m, const struct wasm_limits *limits);

/*
 * Execution context: the value and call stacks, the fuel counter and the
 * trap of the last run.  One per thread of execution; invocations through it
 * do not nest.
 */
struct wasm_exec {
    uint64_t *stack;
    uint32_t stack_slots;
    struct wasm_frame *frames;
    uint32_t max_depth;
    uint64_t fuel; /* remaining; decremented at fuel points */
    int trap;      /* enum wasm_trap of the last failed run */
    bool running;  /* an invocation is in progress (a host function re-entered) */
};

/* Bytes wasm_exec_init needs for the given limits. */
size_t wasm_exec_arena_size(const struct wasm_limits *limits);

/* Sets up ex with stacks from arena.  Returns 0 or ZERR_NOMEM. */
int wasm_exec_init(struct wasm_exec *ex, struct wasm_arena *arena,
                   const struct wasm_limits *limits);

/*
 * Instantiates m with imports[0..nimports) (exactly the module's imports, in
 * order), allocating from arena, then runs the start function on ex.
 * Returns 0; ZERR_INVAL with *err set when an import does not match
 * (unlinkable) or a segment does not fit; ZERR_TRAP when the start function
 * trapped (ex->trap says why); ZERR_NOMEM or ZERR_LIMIT.
 */
int wasm_instantiate(const struct wasm_module *m, const struct wasm_extern *imports,
                     uint32_t nimports, struct wasm_arena *arena, const struct wasm_limits *limits,
                     struct wasm_exec *ex, struct wasm_instance **out, struct wasm_error *err);

/* Finds export name[0..len).  Returns 0 or ZERR_NOENT. */
int wasm_instance_export(const struct wasm_instance *inst, const char *name, size_t len,
                         struct wasm_extern *out);

/*
 * Calls f with args (one slot per parameter) and writes its results.
 * Charges ex->fuel.  Returns 0, ZERR_TRAP with ex->trap set, or ZERR_BUSY
 * when called from a host function running on the same ex.
 */
int wasm_invoke(struct wasm_exec *ex, struct wasm_func *f, const uint64_t *args, uint64_t *results);

#endif
