/*
 * Unit tests of lib/wasm beyond the spec suite: limits, fuel determinism,
 * NaN canonicalization and hostile inputs.  Also built for wasm32, so the
 * fuel figures asserted here are checked on both platforms.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "tap.h"
#include "wasm/modules/engine_wasm.h"
#include "wasm/internal/wasm_int.h"
#include "wasm/wasm.h"

struct env {
    void *mem[3];
    struct wasm_exec ex;
    struct wasm_module *m;
    struct wasm_instance *inst;
};

/*
 * Makes an arena of n bytes for e's slot i: dirty memory (0xa5, so that
 * anything the engine failed to clear shows) or, with zeroed, calloc'd
 * memory handed over as known zero.
 */
static void env_arena(struct env *e, int i, size_t n, bool zeroed, struct wasm_arena *a)
{
    e->mem[i] = zeroed ? calloc(1, n) : malloc(n);
    if (zeroed) {
        wasm_arena_init_zeroed(a, e->mem[i], n);
    } else {
        memset(e->mem[i], 0xa5, n);
        wasm_arena_init(a, e->mem[i], n);
    }
}

static int env_open_arenas(struct env *e, const struct wasm_limits *limits, bool zeroed)
{
    struct wasm_arena a;
    struct wasm_error err;
    memset(e, 0, sizeof *e);
    env_arena(e, 0, wasm_module_arena_size(engine_wasm, sizeof engine_wasm), zeroed, &a);
    int rc = wasm_module_load(engine_wasm, sizeof engine_wasm, &a, limits, &e->m, &err);
    if (rc < 0) {
        return rc;
    }
    env_arena(e, 1, wasm_exec_arena_size(limits), zeroed, &a);
    rc = wasm_exec_init(&e->ex, &a, limits);
    if (rc < 0) {
        return rc;
    }
    env_arena(e, 2, wasm_instance_arena_size(e->m, limits), zeroed, &a);
    return wasm_instantiate(e->m, NULL, 0, &a, limits, &e->ex, &e->inst, &err);
}

static int env_open(struct env *e, const struct wasm_limits *limits)
{
    return env_open_arenas(e, limits, false);
}

static void env_close(struct env *e)
{
    for (int i = 0; i < 3; i++) {
        free(e->mem[i]);
    }
}

static struct wasm_func *fn(struct env *e, const char *name)
{
    struct wasm_extern x;
    if (wasm_instance_export(e->inst, name, strlen(name), &x) < 0 || x.kind != WASM_EXTERN_FUNC) {
        return NULL;
    }
    return x.u.func;
}

static int call1(struct env *e, const char *name, uint64_t arg, uint64_t *res)
{
    return wasm_invoke(&e->ex, fn(e, name), &arg, res);
}

static uint32_t f32_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}

static void test_basics(struct env *e)
{
    uint64_t args[2] = {40, 2};
    uint64_t res[2] = {0, 0};
    is_int(wasm_invoke(&e->ex, fn(e, "add"), args, res), 0, "wasm_add_runs");
    is_int(res[0], 42, "wasm_add_returns_sum");
    is_int(call1(e, "fib", 20, res), 0, "wasm_fib_runs");
    is_int(res[0], 6765, "wasm_fib_20_is_6765");
    args[0] = 7;
    args[1] = 9;
    is_int(wasm_invoke(&e->ex, fn(e, "swap"), args, res), 0, "wasm_multi_value_runs");
    ok(res[0] == 9 && res[1] == 7, "wasm_multi_value_returns_both_results_in_order");
    is_int(call1(e, "ext", 0x80, res), 0, "wasm_sign_extension_runs");
    is_int((uint32_t)res[0], 0xffffff80u, "wasm_extend8_sign_extends");
    double big = 1e300;
    uint64_t bits;
    memcpy(&bits, &big, 8);
    is_int(call1(e, "sat", bits, res), 0, "wasm_saturating_trunc_does_not_trap");
    is_int((uint32_t)res[0], 0x7fffffff, "wasm_saturating_trunc_clamps_to_int32_max");
}

static void test_nan(struct env *e)
{
    uint64_t args[2] = {f32_bits(0.0f), f32_bits(0.0f)};
    uint64_t res[1];
    is_int(wasm_invoke(&e->ex, fn(e, "fdiv"), args, res), 0, "wasm_fdiv_runs");
    is_int((uint32_t)res[0], WASM_F32_CANONICAL_NAN, "wasm_zero_div_zero_is_canonical_nan");
    /* a NaN operand with a payload and the sign bit set still gives the canonical NaN */
    args[0] = 0xffa00001u;
    args[1] = f32_bits(1.0f);
    wasm_invoke(&e->ex, fn(e, "fdiv"), args, res);
    is_int((uint32_t)res[0], WASM_F32_CANONICAL_NAN, "wasm_nan_payload_is_canonicalized");
    double m1 = -1.0;
    uint64_t b;
    memcpy(&b, &m1, 8);
    call1(e, "fsqrt", b, res);
    ok(res[0] == WASM_F64_CANONICAL_NAN, "wasm_sqrt_of_negative_is_canonical_nan");
}

static void test_traps(struct env *e)
{
    uint64_t res[1];
    uint64_t args[2] = {1, 0};
    is_int(wasm_invoke(&e->ex, fn(e, "div"), args, res), ZERR_TRAP, "wasm_div_by_zero_traps");
    is_int(e->ex.trap, WASM_TRAP_DIV_ZERO, "wasm_div_by_zero_trap_reason");
    is_int(call1(e, "rec", 0, res), ZERR_TRAP, "wasm_unbounded_recursion_traps");
    ok(e->ex.trap == WASM_TRAP_CALL_DEPTH || e->ex.trap == WASM_TRAP_STACK,
       "wasm_unbounded_recursion_is_call_stack_exhaustion");
    is_int(call1(e, "load", 65533, res), ZERR_TRAP, "wasm_load_past_memory_end_traps");
    is_int(e->ex.trap, WASM_TRAP_MEMORY_OOB, "wasm_load_past_memory_end_reason");
    is_int(wasm_invoke(&e->ex, fn(e, "crash"), NULL, NULL), ZERR_TRAP, "wasm_unreachable_traps");
    uint64_t fill[3] = {4, 0x11, 4};
    wasm_invoke(&e->ex, fn(e, "fill"), fill, NULL);
    is_int(call1(e, "loadwrap", 0xfffffffcu, res), 0, "wasm_wrapped_address_plus_constant_loads");
    is_int((uint32_t)res[0], 0x11111111u, "wasm_wrapped_address_reads_low_memory");
    is_int(call1(e, "loadwrap", 65530, res), ZERR_TRAP,
           "wasm_address_plus_constant_past_end_traps");
    uint64_t st[2] = {0xfffffffcu, 0x22222222u};
    is_int(wasm_invoke(&e->ex, fn(e, "storewrap"), st, NULL), 0,
           "wasm_wrapped_store_address_plus_constant_stores");
    call1(e, "load", 4, res);
    is_int((uint32_t)res[0], 0x22222222u, "wasm_wrapped_store_writes_low_memory");
    st[0] = 65530;
    is_int(wasm_invoke(&e->ex, fn(e, "storewrap"), st, NULL), ZERR_TRAP,
           "wasm_store_address_plus_constant_past_end_traps");
    /* the engine keeps working after a trap */
    is_int(call1(e, "fib", 10, res), 0, "wasm_runs_after_trap");
    is_int(res[0], 55, "wasm_result_after_trap_is_right");
}

static void test_memory_limit(void)
{
    struct wasm_limits l;
    struct env e;
    wasm_limits_default(&l);
    l.max_memory_pages = 2; /* below the module's declared maximum of 4 */
    is_int(env_open(&e, &l), 0, "wasm_instantiates_with_page_limit");
    uint64_t res[1];
    call1(&e, "grow", 1, res);
    is_int(res[0], 1, "wasm_grow_within_limit_returns_old_size");
    call1(&e, "grow", 1, res);
    is_int((uint32_t)res[0], 0xffffffffu, "wasm_grow_past_limit_returns_minus_one");
    env_close(&e);
}

/*
 * Fuel: the entry of spin costs the instructions outside its loop (loop,
 * local.get, end: 3) and each iteration costs the loop body with its end
 * (12), so spin(n) uses 3 + 12n.
 */
static void test_fuel(struct env *e)
{
    uint64_t res[1];
    e->ex.fuel = 1000000;
    is_int(call1(e, "spin", 100, res), 0, "wasm_spin_runs_with_fuel");
    is_int(1000000 - e->ex.fuel, 3 + 12 * 100, "wasm_fuel_used_by_spin_100_is_fixed");
    e->ex.fuel = 3 + 12 * 41 + 5;
    is_int(call1(e, "spin", 100000, res), ZERR_TRAP, "wasm_spin_out_of_fuel_traps");
    is_int(e->ex.trap, WASM_TRAP_FUEL, "wasm_out_of_fuel_trap_reason");
    struct wasm_extern mem;
    wasm_instance_export(e->inst, "mem", 3, &mem);
    uint32_t counter;
    memcpy(&counter, mem.u.memory->data, 4);
    is_int(counter, 41, "wasm_out_of_fuel_stops_at_the_same_iteration");
    is_int(e->ex.fuel, 5, "wasm_out_of_fuel_leaves_the_same_remainder");
    e->ex.fuel = UINT64_MAX;
}

/*
 * Arenas handed over as known zero are not cleared again, except where the
 * engine itself wrote before (scratch space reused from the low end); the
 * same module runs the same way, to the same fuel, from either kind.
 */
static void test_zeroed_arenas(void)
{
    struct wasm_arena a;
    uint8_t *buf = calloc(1, 4096);
    wasm_arena_init_zeroed(&a, buf, 4096);
    uint8_t *scratch = wasm_alloc_scratch(&a, 1024);
    memset(scratch, 0xff, 1024);
    a.high = 0; /* released, as the decoder releases its scratch */
    uint8_t *p = wasm_alloc(&a, 4000);
    int dirty = 0;
    for (size_t i = 0; p != NULL && i < 4000; i++) {
        dirty += p[i] != 0;
    }
    ok(p != NULL && dirty == 0, "zeroed_arena_clears_reused_scratch");
    free(buf);

    struct env e;
    uint64_t res[1] = {0};
    is_int(env_open_arenas(&e, NULL, true), 0, "wasm_instantiates_from_zeroed_arenas");
    is_int(call1(&e, "fib", 20, res), 0, "wasm_fib_runs_from_zeroed_arenas");
    is_int(res[0], 6765, "wasm_fib_20_from_zeroed_arenas");
    e.ex.fuel = 1000000;
    is_int(call1(&e, "spin", 100, res), 0, "wasm_spin_runs_from_zeroed_arenas");
    is_int(1000000 - e.ex.fuel, 3 + 12 * 100, "wasm_fuel_the_same_from_zeroed_arenas");
    env_close(&e);
}

/* Every truncation and every single-byte corruption is refused or runs cleanly. */
static void test_hostile(void)
{
    static uint8_t arena[1 << 20];
    size_t n = sizeof engine_wasm;
    int refused = 0;
    for (size_t len = 0; len < n; len++) {
        struct wasm_arena a;
        struct wasm_module *m;
        struct wasm_error err;
        wasm_arena_init(&a, arena, sizeof arena);
        refused += wasm_module_load(engine_wasm, len, &a, NULL, &m, &err) < 0;
    }
    /* two prefixes are whole modules: the bare header and header + type section */
    is_int(refused, (int)n - 2, "wasm_every_truncated_module_is_refused");
    uint8_t *copy = malloc(n);
    int loaded = 0;
    for (size_t i = 8; i < n; i++) {
        memcpy(copy, engine_wasm, n);
        copy[i] ^= 0x5a;
        struct wasm_arena a;
        struct wasm_module *m;
        struct wasm_error err;
        wasm_arena_init(&a, arena, sizeof arena);
        loaded += wasm_module_load(copy, n, &a, NULL, &m, &err) == 0;
    }
    ok(loaded < (int)n, "wasm_corrupted_modules_never_crash (%d of %d still load)", loaded, (int)n);
    free(copy);
    int nomem = 0;
    for (size_t size = 0; size < 4096; size += 64) {
        struct wasm_arena a;
        struct wasm_module *m;
        struct wasm_error err;
        wasm_arena_init(&a, arena, size);
        nomem += wasm_module_load(engine_wasm, n, &a, NULL, &m, &err) == ZERR_NOMEM;
    }
    ok(nomem > 0, "wasm_small_arena_is_refused_with_nomem (%d sizes)", nomem);
}

/* ---- modules built byte by byte ------------------------------------------ */

struct buf {
    uint8_t *p;
    size_t n;
};

static void put(struct buf *b, const void *src, size_t n)
{
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

static void put_byte(struct buf *b, uint8_t v)
{
    put(b, &v, 1);
}

static void put_leb(struct buf *b, uint32_t v)
{
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        put_byte(b, (uint8_t)(byte | (v != 0 ? 0x80 : 0)));
    } while (v != 0);
}

/* Appends section id with the contents body[0..n). */
static void put_section(struct buf *b, uint8_t id, const struct buf *body)
{
    put_byte(b, id);
    put_leb(b, (uint32_t)body->n);
    put(b, body->p, body->n);
}

static int load_bytes(const uint8_t *bytes, size_t n, struct wasm_module **m, void **mem)
{
    struct wasm_arena a;
    struct wasm_error err;
    /* the proven bound (tens of MiB for the large modules): under Node this
       is the memory growth tests/wasm/grow_test.c reproduces */
    size_t size = wasm_module_arena_size(bytes, n);
    *mem = malloc(size);
    wasm_arena_init(&a, *mem, size);
    return wasm_module_load(bytes, n, &a, NULL, m, &err);
}

/*
 * A function with a 30000-deep operand stack followed by 100000 empty
 * blocks: compiling must stay linear (this runs in milliseconds).
 */
static void test_deep_stack_compiles(void)
{
    const uint32_t depth = 30000;
    const uint32_t blocks = 100000;
    struct buf body = {malloc(8 * depth + 3 * blocks + 64), 0};
    struct buf code = {malloc(8 * depth + 3 * blocks + 64), 0};
    struct buf mod = {malloc(8 * depth + 3 * blocks + 128), 0};
    static const uint8_t locals[] = {1, 1, WASM_I32};
    put(&body, locals, sizeof locals);
    for (uint32_t i = 0; i < depth; i++) {
        put_byte(&body, 0x20); /* local.get 0 */
        put_byte(&body, 0);
    }
    for (uint32_t i = 0; i < blocks; i++) {
        static const uint8_t blk[] = {0x02, 0x40, 0x0b};
        put(&body, blk, sizeof blk);
    }
    for (uint32_t i = 0; i < depth; i++) {
        put_byte(&body, 0x1a); /* drop */
    }
    put_byte(&body, 0x0b);
    put_leb(&code, 1);
    put_leb(&code, (uint32_t)body.n);
    put(&code, body.p, body.n);
    static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    static const uint8_t types[] = {1, 0x60, 0, 0};
    static const uint8_t funcs[] = {1, 0};
    struct buf t = {(uint8_t *)types, sizeof types};
    struct buf f = {(uint8_t *)funcs, sizeof funcs};
    put(&mod, head, sizeof head);
    put_section(&mod, 1, &t);
    put_section(&mod, 3, &f);
    put_section(&mod, 10, &code);
    struct wasm_module *m;
    void *mem;
    is_int(load_bytes(mod.p, mod.n, &m, &mem), 0, "wasm_deep_stack_with_many_blocks_loads");
    free(mem);
    free(body.p);
    free(code.p);
    free(mod.p);
}

static void test_arity_limit(void)
{
    struct buf mod = {malloc(4096), 0};
    struct buf types = {malloc(2048), 0};
    static const uint8_t head[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    put_leb(&types, 1);
    put_byte(&types, 0x60);
    put_leb(&types, 1001);
    for (int i = 0; i < 1001; i++) {
        put_byte(&types, WASM_I32);
    }
    put_leb(&types, 0);
    put(&mod, head, sizeof head);
    put_section(&mod, 1, &types);
    struct wasm_module *m;
    void *mem;
    is_int(load_bytes(mod.p, mod.n, &m, &mem), ZERR_LIMIT, "wasm_type_with_1001_params_is_refused");
    free(mem);
    free(types.p);
    free(mod.p);
}

/* ---- imports -------------------------------------------------------------- */

static const uint8_t import_wasm[] = {
    /* (import "env" "twice" (func (param i32) (result i32)))
       (func (export "quad") (param i32) (result i32)
         (call 0 (call 0 (local.get 0)))) */
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01,
    0x7f, 0x02, 0x0d, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x05, 0x74, 0x77, 0x69, 0x63, 0x65, 0x00,
    0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x71, 0x75, 0x61, 0x64, 0x00, 0x01,
    0x0a, 0x0a, 0x01, 0x08, 0x00, 0x20, 0x00, 0x10, 0x00, 0x10, 0x00, 0x0b,
};

static int host_twice(void *ctx, const uint64_t *args, uint64_t *results)
{
    int *calls = ctx;
    (*calls)++;
    results[0] = (uint32_t)(args[0] * 2);
    return 0;
}

struct reenter {
    struct wasm_exec *ex;
    struct wasm_func *f;
    int rc;
};

/* A host function that tries to call back into the engine on the same exec. */
static int host_reenter(void *ctx, const uint64_t *args, uint64_t *results)
{
    struct reenter *r = ctx;
    uint64_t arg = args[0];
    r->rc = wasm_invoke(r->ex, r->f, &arg, results);
    results[0] = 0;
    return 0;
}

static int host_fail(void *ctx, const uint64_t *args, uint64_t *results)
{
    (void)ctx;
    (void)args;
    (void)results;
    return WASM_TRAP_HOST;
}

static void test_imports(void)
{
    static const uint8_t ii[] = {WASM_I32, WASM_I32};
    static const uint8_t ff[] = {WASM_F32, WASM_F32};
    const struct wasm_functype t_ii = {1, 1, ii};
    const struct wasm_functype t_ff = {1, 1, ff};
    struct wasm_module *m;
    void *mem;
    is_int(load_bytes(import_wasm, sizeof import_wasm, &m, &mem), 0, "wasm_import_module_loads");
    is_int(wasm_module_import_count(m), 1, "wasm_import_module_has_one_import");
    struct wasm_exec ex;
    struct wasm_arena a;
    size_t n = wasm_exec_arena_size(NULL);
    void *exmem = malloc(n);
    wasm_arena_init(&a, exmem, n);
    wasm_exec_init(&ex, &a, NULL);
    n = wasm_instance_arena_size(m, NULL);
    void *imem = malloc(n);
    int calls = 0;
    struct wasm_func twice;
    struct wasm_extern grant = {WASM_EXTERN_FUNC, {.func = &twice}};
    struct wasm_instance *inst;
    struct wasm_error err;
    /* a function of the wrong type is not linked */
    wasm_host_func_init(&twice, &t_ff, host_twice, &calls);
    wasm_arena_init(&a, imem, n);
    is_int(wasm_instantiate(m, &grant, 1, &a, NULL, &ex, &inst, &err), ZERR_INVAL,
           "wasm_import_of_wrong_type_is_unlinkable");
    wasm_arena_init(&a, imem, n);
    is_int(wasm_instantiate(m, NULL, 0, &a, NULL, &ex, &inst, &err), ZERR_INVAL,
           "wasm_missing_import_is_unlinkable");
    wasm_host_func_init(&twice, &t_ii, host_twice, &calls);
    wasm_arena_init(&a, imem, n);
    is_int(wasm_instantiate(m, &grant, 1, &a, NULL, &ex, &inst, &err), 0,
           "wasm_granted_import_links");
    struct wasm_extern quad;
    wasm_instance_export(inst, "quad", 4, &quad);
    uint64_t arg = 5;
    uint64_t res = 0;
    is_int(wasm_invoke(&ex, quad.u.func, &arg, &res), 0, "wasm_calls_through_host_function");
    is_int(res, 20, "wasm_host_function_results_flow_back");
    is_int(calls, 2, "wasm_host_function_called_twice");
    struct reenter re = {&ex, quad.u.func, 0};
    wasm_host_func_init(&twice, &t_ii, host_reenter, &re);
    is_int(wasm_invoke(&ex, quad.u.func, &arg, &res), 0, "wasm_reentering_host_function_returns");
    is_int(re.rc, ZERR_BUSY, "wasm_nested_invoke_on_same_exec_is_refused");
    wasm_host_func_init(&twice, &t_ii, host_fail, NULL);
    is_int(wasm_invoke(&ex, quad.u.func, &arg, &res), ZERR_TRAP,
           "wasm_failing_host_function_traps");
    is_int(ex.trap, WASM_TRAP_HOST, "wasm_failing_host_function_reason");
    free(imem);
    free(exmem);
    free(mem);
}

int main(void)
{
    struct env e;
    tap_no_plan();
    int rc = env_open(&e, NULL);
    is_int(rc, 0, "wasm_engine_module_loads_and_instantiates");
    if (rc == 0) {
        test_basics(&e);
        test_nan(&e);
        test_traps(&e);
        test_fuel(&e);
    }
    env_close(&e);
    test_memory_limit();
    test_zeroed_arenas();
    test_hostile();
    test_deep_stack_compiles();
    test_arity_limit();
    test_imports();
    return tap_done();
}
