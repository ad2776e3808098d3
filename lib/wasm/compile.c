/*
 * Function-body validator and compiler.  One pass over the body both checks
 * every typing rule of the validation algorithm (spec appendix) and emits the
 * internal register form: every operand-stack position has a fixed frame
 * slot (locals first, then stack height), so instructions name their operand
 * slots directly.  local.get is deferred: the stack entry names the local's
 * own slot until the value must move (a write to that local, or a control
 * instruction), and a producer followed by local.set writes the local
 * directly.  Branch targets are resolved to code offsets; fuel points sit at
 * the function entry and at every loop header.
 */
#include "base/assert.h"
#include "wasm/internal/wasm_int.h"

#define NONE UINT32_MAX
#define T_ANY 0

enum { K_FUNC, K_BLOCK, K_LOOP, K_IF, K_ELSE };

struct ctrl {
    uint8_t kind;
    bool unreachable;
    bool dead; /* emission was off when the block started */
    uint32_t height;
    uint32_t nparams;
    uint32_t nresults;
    const uint8_t *params;
    const uint8_t *results;
    uint32_t loop_pc;    /* loop: branch target word (after FUEL, back-edge bit set) */
    uint32_t patches;    /* chain of forward-branch words to patch */
    uint32_t else_patch; /* if: BR_UNLESS target word */
    uint32_t fuel_pos;   /* loop/func: FUEL cost word */
    uint32_t fuel;       /* instructions charged at this fuel point */
    uint32_t fuel_prev;  /* loop: enclosing fuel owner */
};

/*
 * An operand-stack entry: the value is in slot, or is the constant val.  An
 * entry that still names a local's slot is on that local's list (next: the
 * entry below it naming the same local), so a write to the local finds the
 * entries to move without scanning the stack.
 */
struct opnd {
    uint64_t val;
    uint32_t slot;
    uint32_t next;
    uint8_t type;
    bool is_const;
};

struct cc {
    struct wasm_module *m;
    struct wasm_reader *r;
    struct wasm_arena *a;
    uint32_t *code; /* grows at the arena's low end */
    uint32_t len;
    struct opnd *stk;
    uint32_t sp;
    uint32_t stk_cap;
    uint32_t stk_max; /* deepest stack the function may have (grows up to it) */
    uint32_t *lhead;  /* per local: topmost stack entry naming it, or NONE */
    uint32_t max_height;
    struct ctrl *ctl;
    uint32_t csp;
    uint32_t ctl_cap;
    uint8_t *ltypes;
    uint32_t nlocals;
    uint32_t deferred_lo; /* no stack entry below this index is deferred */
    uint32_t fused_extra; /* last word of an instruction fuse_with_previous rewrote */
    uint32_t last_op;     /* word index of the last instruction with a dst */
    uint32_t last_dst;    /* word index of the dst operand of the last instruction */
    uint32_t last_end;    /* code length right after that instruction */
    /* word indexes where the last instructions emit_dst started, oldest first
       (at most eight; a fused instruction replaces those it covers) */
    uint32_t hist[8];
    uint32_t nhist;
    uint32_t label_at; /* code length at the last branch target */
    uint32_t fuel_owner;
    const struct wasm_functype *ft;
};

_Static_assert(sizeof(struct opnd) <= WASM_COMPILE_OPND_SIZE, "wasm_module_arena_size bound");
_Static_assert(sizeof(struct ctrl) <= WASM_COMPILE_CTRL_SIZE, "wasm_module_arena_size bound");

static const uint8_t k_single[4] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64};

#define TRY(expr)         \
    do {                  \
        int rc_ = (expr); \
        if (rc_ < 0) {    \
            return rc_;   \
        }                 \
    } while (0)

static int invalid(struct cc *c, const char *msg)
{
    (void)wasm_fail(c->r, ZERR_INVAL, msg);
    return ZERR_INVAL;
}

/* Records a failure other than invalid; code is a negative constant. */
static int fail(struct cc *c, int code, const char *msg)
{
    (void)wasm_fail(c->r, code, msg);
    return code < 0 ? code : ZERR_INVAL;
}

/* ---- emission --------------------------------------------------------------- */

static bool live(const struct cc *c)
{
    const struct ctrl *t = &c->ctl[c->csp - 1];
    return !t->dead && !t->unreachable;
}

static int emit(struct cc *c, uint32_t w)
{
    struct wasm_arena *a = c->a;
    if (a->size - a->low - a->high < 4) {
        return fail(c, ZERR_NOMEM, "module arena too small");
    }
    if (c->len >= WASM_BACK_EDGE - 1) {
        return fail(c, ZERR_LIMIT, "function too large");
    }
    c->code[c->len++] = w;
    a->low += 4;
    return 0;
}

static int emit2(struct cc *c, uint32_t a, uint32_t b)
{
    TRY(emit(c, a));
    return emit(c, b);
}

static int emit3(struct cc *c, uint32_t a, uint32_t b, uint32_t d)
{
    TRY(emit2(c, a, b));
    return emit(c, d);
}

/* Emits op dst rest... and remembers dst for local.set retargeting. */
static int emit_dst(struct cc *c, uint32_t op, uint32_t dst, const uint32_t *rest, unsigned n)
{
    uint32_t start = c->len;
    TRY(emit(c, op));
    uint32_t pos = c->len;
    TRY(emit(c, dst));
    for (unsigned i = 0; i < n; i++) {
        TRY(emit(c, rest[i]));
    }
    c->last_op = start;
    c->last_dst = pos;
    c->last_end = c->len;
    if (c->nhist == sizeof c->hist / sizeof c->hist[0]) {
        memmove(c->hist, c->hist + 1, sizeof c->hist - sizeof c->hist[0]);
        c->nhist--;
    }
    c->hist[c->nhist++] = start;
    return 0;
}

/* Records that the code position c->len is a branch target. */
static void mark_label(struct cc *c)
{
    c->label_at = c->len;
}

/*
 * The start of the instruction emitted just before the one at at, when the
 * two are adjacent, nothing but at follows them, and no branch lands between
 * them or inside the second (so the pair may become one instruction); NONE
 * otherwise.
 */
static uint32_t pair_start(const struct cc *c, uint32_t at)
{
    if (c->nhist < 2 || at != c->hist[c->nhist - 1]) {
        return NONE;
    }
    uint32_t p = c->hist[c->nhist - 2];
    if (c->label_at > p || p >= at || p + wasm_insn_len(&c->code[p]) != at ||
        at + wasm_insn_len(&c->code[at]) != c->len) {
        return NONE;
    }
    return p;
}

/*
 * Replaces the code from word p to the end with the n words w (n no more
 * than those words: the pair starting at p becomes one instruction), which
 * is now the last instruction emitted.
 */
static void replace_tail(struct cc *c, uint32_t p, const uint32_t *w, uint32_t n)
{
    ZASSERT(p + n <= c->len, "a fused pair is no longer than the pair");
    memcpy(&c->code[p], w, (size_t)n * 4);
    c->a->low -= (size_t)(c->len - p - n) * 4;
    c->len = p + n;
    /* instructions that start before p are untouched: they stay in the history */
    while (c->nhist > 0 && c->hist[c->nhist - 1] >= p) {
        c->nhist--;
    }
    c->hist[c->nhist++] = p;
    c->last_op = p;
    c->last_dst = p + 1;
    c->last_end = c->len;
}

/* Emits a constant load of v into dst. */
static int emit_const(struct cc *c, uint32_t dst, uint64_t v)
{
    if (v >> 32 == 0) {
        uint32_t lo = (uint32_t)v;
        return emit_dst(c, WASM_OP_CONST32, dst, &lo, 1);
    }
    uint32_t w[2] = {(uint32_t)v, (uint32_t)(v >> 32)};
    return emit_dst(c, WASM_OP_CONST64, dst, w, 2);
}

static int emit_mov(struct cc *c, uint32_t dst, uint32_t src)
{
    if (dst == src) {
        return 0;
    }
    return emit_dst(c, WASM_OP_MOV, dst, &src, 1);
}

/* Adds a forward-branch word to label l's patch chain. */
static int emit_patch(struct cc *c, struct ctrl *l)
{
    uint32_t pos = c->len;
    TRY(emit(c, l->patches));
    l->patches = pos;
    return 0;
}

static void resolve(struct cc *c, uint32_t chain, uint32_t target)
{
    while (chain != NONE) {
        uint32_t next = c->code[chain];
        c->code[chain] = target;
        chain = next;
    }
}

/* ---- operand stack ------------------------------------------------------------ */

/*
 * Doubles a scratch array of *cap elements of size elem, up to max; the old
 * copy is left behind in scratch (released with the rest when the function
 * is compiled), so the arrays together use less than twice their peak.
 */
static int grow(struct cc *c, void **arr, uint32_t *cap, uint32_t max, size_t elem)
{
    uint32_t n = *cap > max / 2 ? max : *cap * 2;
    void *p = wasm_alloc_scratch(c->a, elem * n);
    if (p == NULL) {
        return fail(c, ZERR_NOMEM, "module arena too small");
    }
    memcpy(p, *arr, elem * *cap);
    *arr = p;
    *cap = n;
    return 0;
}

static int push(struct cc *c, uint8_t type)
{
    if (c->sp >= c->stk_cap) {
        if (c->stk_cap >= c->stk_max) {
            return fail(c, ZERR_LIMIT, "operand stack too deep");
        }
        void *p = c->stk;
        TRY(grow(c, &p, &c->stk_cap, c->stk_max, sizeof *c->stk));
        c->stk = p;
    }
    c->stk[c->sp].type = type;
    c->stk[c->sp].is_const = false;
    c->stk[c->sp].slot = c->nlocals + c->sp;
    c->sp++;
    if (c->sp > c->max_height) {
        c->max_height = c->sp;
    }
    return 0;
}

/* Notes that the top entry is deferred (a local's slot or a constant). */
static void mark_deferred(struct cc *c)
{
    if (c->sp - 1 < c->deferred_lo) {
        c->deferred_lo = c->sp - 1;
    }
}

/* Pops an operand of type want (T_ANY: any); *slot says where it is. */
static int pop(struct cc *c, uint8_t want, uint8_t *got, uint32_t *slot)
{
    struct ctrl *t = &c->ctl[c->csp - 1];
    *slot = 0;
    if (c->sp == t->height) {
        if (!t->unreachable) {
            return invalid(c, "type mismatch");
        }
        *slot = c->nlocals + c->sp;
        if (got != NULL) {
            *got = want;
        }
        return 0;
    }
    struct opnd *o = &c->stk[--c->sp];
    if (want != T_ANY && o->type != T_ANY && o->type != want) {
        return invalid(c, "type mismatch");
    }
    if (!o->is_const && o->slot < c->nlocals) {
        c->lhead[o->slot] = o->next; /* the top entry naming a local heads its list */
    }
    if (got != NULL) {
        *got = o->type == T_ANY ? want : o->type;
    }
    if (o->is_const) {
        o->is_const = false;
        if (live(c)) {
            TRY(emit_const(c, o->slot, o->val));
        }
    }
    *slot = o->slot;
    return 0;
}

/* Pops the top operand of type want leaving a constant unmaterialized. */
static int pop_opnd(struct cc *c, uint8_t want, struct opnd *out)
{
    const struct ctrl *t = &c->ctl[c->csp - 1];
    if (c->sp > t->height && c->stk[c->sp - 1].is_const) {
        if (c->stk[c->sp - 1].type != want) {
            return invalid(c, "type mismatch");
        }
        *out = c->stk[--c->sp];
        return 0;
    }
    out->is_const = false;
    out->type = want;
    return pop(c, want, NULL, &out->slot);
}

/* Moves every deferred stack entry into its own slot. */
static int materialize(struct cc *c)
{
    uint32_t len = c->len;
    for (uint32_t i = c->deferred_lo; i < c->sp; i++) {
        uint32_t home = c->nlocals + i;
        if (c->stk[i].is_const) {
            if (live(c)) {
                TRY(emit_const(c, home, c->stk[i].val));
            }
            c->stk[i].is_const = false;
        } else if (c->stk[i].slot != home) {
            if (live(c)) {
                TRY(emit_mov(c, home, c->stk[i].slot));
            }
            if (c->stk[i].slot < c->nlocals) {
                c->lhead[c->stk[i].slot] = NONE; /* every entry naming it is at or above i */
            }
            c->stk[i].slot = home;
        }
    }
    if (c->len != len) {
        c->last_dst = NONE;
    }
    c->deferred_lo = c->sp;
    return 0;
}

/* Moves the stack entries that still refer to local x into their own slots. */
static int materialize_local(struct cc *c, uint32_t x)
{
    for (uint32_t i = c->lhead[x]; i != NONE; i = c->stk[i].next) {
        if (live(c)) {
            TRY(emit_mov(c, c->nlocals + i, x));
        }
        c->stk[i].slot = c->nlocals + i;
    }
    c->lhead[x] = NONE;
    return 0;
}

/* Checks the top n operands against types (bottom first), leaving them. */
static int check_top(struct cc *c, const uint8_t *types, uint32_t n)
{
    const struct ctrl *t = &c->ctl[c->csp - 1];
    for (uint32_t i = 0; i < n; i++) {
        uint32_t depth = n - i; /* 1 = top */
        if (c->sp - t->height < depth) {
            if (!t->unreachable) {
                return invalid(c, "type mismatch");
            }
            continue;
        }
        uint8_t have = c->stk[c->sp - depth].type;
        if (have != T_ANY && have != types[i]) {
            return invalid(c, "type mismatch");
        }
    }
    return 0;
}

/* Pops n operands of types (bottom first). */
static int pop_types(struct cc *c, const uint8_t *types, uint32_t n)
{
    uint32_t slot;
    for (uint32_t i = n; i > 0; i--) {
        TRY(pop(c, types[i - 1], NULL, &slot));
    }
    return 0;
}

static int push_types(struct cc *c, const uint8_t *types, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        TRY(push(c, types[i]));
    }
    return 0;
}

/* ---- control ---------------------------------------------------------------- */

static int read_blocktype(struct cc *c, const uint8_t **params, uint32_t *np,
                          const uint8_t **results, uint32_t *nr)
{
    if (c->r->p >= c->r->end) {
        return fail(c, ZERR_CORRUPT, "unexpected end");
    }
    uint8_t b = *c->r->p;
    *np = 0;
    *params = NULL;
    if (b == 0x40) {
        c->r->p++;
        *nr = 0;
        *results = NULL;
        return 0;
    }
    for (unsigned i = 0; i < 4; i++) {
        if (b == k_single[i]) {
            c->r->p++;
            *nr = 1;
            *results = &k_single[i];
            return 0;
        }
    }
    int64_t idx;
    TRY(wasm_read_s33(c->r, &idx));
    if (idx < 0) {
        return fail(c, ZERR_CORRUPT, "malformed block type");
    }
    if ((uint64_t)idx >= c->m->ntypes) {
        return invalid(c, "unknown type");
    }
    const struct wasm_functype *t = &c->m->types[idx];
    *np = t->nparams;
    *params = t->types;
    *nr = t->nresults;
    *results = t->types + t->nparams;
    return 0;
}

static int push_ctrl(struct cc *c, uint8_t kind, const uint8_t *params, uint32_t np,
                     const uint8_t *results, uint32_t nr)
{
    if (c->csp >= c->ctl_cap) {
        /* every block takes at least two bytes of the body: never over the limit */
        void *p = c->ctl;
        TRY(grow(c, &p, &c->ctl_cap, UINT32_MAX, sizeof *c->ctl));
        c->ctl = p;
    }
    struct ctrl *t = &c->ctl[c->csp];
    t->dead = c->csp > 0 && !live(c);
    t->kind = kind;
    t->unreachable = false;
    t->height = c->sp - np;
    t->nparams = np;
    t->params = params;
    t->nresults = nr;
    t->results = results;
    t->loop_pc = NONE;
    t->patches = NONE;
    t->else_patch = NONE;
    t->fuel_pos = NONE;
    t->fuel = 0;
    t->fuel_prev = NONE;
    c->csp++;
    return 0;
}

static void set_unreachable(struct cc *c)
{
    struct ctrl *t = &c->ctl[c->csp - 1];
    while (c->sp > t->height) {
        const struct opnd *o = &c->stk[--c->sp];
        if (!o->is_const && o->slot < c->nlocals) {
            c->lhead[o->slot] = o->next;
        }
    }
    t->unreachable = true;
    c->last_dst = NONE;
}

/* Label arity and types of the label depth levels up. */
static int label_of(struct cc *c, uint32_t depth, struct ctrl **l, const uint8_t **types,
                    uint32_t *n)
{
    *l = NULL;
    *types = NULL;
    *n = 0;
    if (depth >= c->csp) {
        return invalid(c, "unknown label");
    }
    *l = &c->ctl[c->csp - 1 - depth];
    if ((*l)->kind == K_LOOP) {
        *types = (*l)->params;
        *n = (*l)->nparams;
    } else {
        *types = (*l)->results;
        *n = (*l)->nresults;
    }
    return 0;
}

/*
 * Copies the top n operands to slots base.. (ascending: sources are above).
 * After materialize() they sit in consecutive slots, and one COPY moves
 * them all, so a branch costs a bounded number of code words however many
 * values it carries.
 */
static int emit_copies(struct cc *c, uint32_t base, uint32_t n)
{
    if (n >= 2 && c->sp >= n) {
        uint32_t src = c->stk[c->sp - n].slot;
        bool run = src >= c->nlocals;
        for (uint32_t i = 1; i < n && run; i++) {
            run = c->stk[c->sp - n + i].slot == src + i;
        }
        if (run) {
            if (src != base) {
                TRY(emit3(c, WASM_OP_COPY, base, src));
                TRY(emit(c, n));
            }
            c->last_dst = NONE;
            return 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t src = c->sp >= n ? c->stk[c->sp - n + i].slot : base + i;
        if (src != base + i) {
            TRY(emit2(c, WASM_OP_MOV, base + i));
            TRY(emit(c, src));
        }
    }
    c->last_dst = NONE;
    return 0;
}

static bool needs_copies(struct cc *c, const struct ctrl *l, uint32_t n)
{
    if (l->kind == K_FUNC) {
        return true;
    }
    uint32_t base = c->nlocals + l->height;
    for (uint32_t i = 0; i < n; i++) {
        if (c->stk[c->sp - n + i].slot != base + i) {
            return true;
        }
    }
    return false;
}

/* Emits the jump to label l (copies already done): BR, or RETURN for the function. */
static int emit_jump(struct cc *c, struct ctrl *l)
{
    if (l->kind == K_FUNC) {
        return emit(c, WASM_OP_RETURN);
    }
    uint32_t s = c->nhist > 0 ? c->hist[c->nhist - 1] : NONE;
    if (s != NONE && s + 4 == c->len && c->label_at <= s && c->code[s] == WASM_OP_IMM + 0x6a) {
        /* [i32.add dst x #imm] just before: [ADDI_BR dst x imm target] (a
           loop's step and its branch back, as in an interpreter's pc += n) */
        c->code[s] = WASM_OP_ADDI_BR;
        c->last_dst = NONE;
    } else {
        TRY(emit(c, WASM_OP_BR));
    }
    if (l->kind == K_LOOP) {
        return emit(c, l->loop_pc);
    }
    return emit_patch(c, l);
}

/*
 * Fuel for the values a branch or return carries (n): charged statically
 * wherever the instruction is, whether or not the compiled form needs to
 * move them, so the count depends on the module alone.
 */
static void charge_values(struct cc *c, uint32_t n)
{
    c->ctl[c->fuel_owner].fuel += n / WASM_FUEL_VALUES_PER_UNIT;
}

/* Emits the copies and jump of an unconditional branch to l with n values. */
static int emit_branch(struct cc *c, struct ctrl *l, uint32_t n)
{
    uint32_t base = l->kind == K_FUNC ? 0 : c->nlocals + l->height;
    TRY(emit_copies(c, base, n));
    return emit_jump(c, l);
}

/* The compare that is the inverse of compare op (0x46..0x5a). */
static uint32_t invert_cmp(uint32_t op)
{
    static const uint8_t inv[10] = {1, 0, 8, 9, 6, 7, 4, 5, 2, 3};
    uint32_t base = op >= 0x51 ? 0x51 : 0x46;
    return base + inv[op - base];
}

/*
 * When the compare-and-branch just made (i32 compare k, b a slot or, with
 * imm, an immediate) tests the result of an i32.add with an immediate
 * emitted right before it (a counted loop: i += step; if (i < n) ...),
 * makes the pair one instruction: [ADDI_BRC(I)+k dst x imm b target].
 * *target_word moves to the new target word.
 */
static void fuse_add_branch(struct cc *c, bool imm, uint32_t k, uint32_t *target_word)
{
    uint32_t p = pair_start(c, c->last_op);
    const uint32_t *br = &c->code[c->last_op];
    if (p == NONE || c->code[p] != WASM_OP_IMM + 0x6a || c->code[p + 1] != br[1]) {
        return;
    }
    const uint32_t *add = &c->code[p];
    uint32_t w[6] = {
        (imm ? WASM_OP_ADDI_BRCI : WASM_OP_ADDI_BRC) + k, add[1], add[2], add[3], br[2], br[3]};
    replace_tail(c, p, w, 6);
    *target_word = p + 5;
    /* another i32.add #k just before (a second induction variable): one more */
    uint32_t q = pair_start(c, p);
    if (q == NONE || c->code[q] != WASM_OP_IMM + 0x6a) {
        return;
    }
    const uint32_t *first = &c->code[q];
    uint32_t w2[9] = {(imm ? WASM_OP_ADDI2_BRCI : WASM_OP_ADDI2_BRC) + k,
                      first[1],
                      first[2],
                      first[3],
                      w[1],
                      w[2],
                      w[3],
                      w[4],
                      w[5]};
    replace_tail(c, q, w2, 9);
    *target_word = q + 8;
}

/*
 * When the last instruction computed cond (a fresh temporary) with a
 * compare or eqz, rewrites it in place into a branch to target taken when
 * the compare is true (when_true) or false.  Returns true if it did.
 */
static bool fuse_branch(struct cc *c, uint32_t cond, bool when_true, uint32_t *target_word)
{
    if (c->last_dst == NONE || c->last_end != c->len || c->code[c->last_dst] != cond ||
        cond != c->nlocals + c->sp) {
        return false;
    }
    uint32_t *ins = &c->code[c->last_op];
    uint32_t op = ins[0];
    bool imm = op >= WASM_OP_IMM;
    uint32_t cmp = imm ? op - WASM_OP_IMM : op;
    if (cmp == 0x45 && !imm) {
        /* eqz a: [op dst a] -> [BR_UNLESS/BR_IF a target] */
        ins[0] = when_true ? WASM_OP_BR_UNLESS : WASM_OP_BR_IF;
        ins[1] = ins[2];
        *target_word = c->last_op + 2;
    } else if ((cmp >= 0x46 && cmp <= 0x4f) || (cmp >= 0x51 && cmp <= 0x5a)) {
        /* [op dst a b] -> [BRC(I)+cmp a b target] */
        if (!when_true) {
            cmp = invert_cmp(cmp);
        }
        ins[0] = (imm ? WASM_OP_BRCI : WASM_OP_BRC) + (cmp - 0x46);
        ins[1] = ins[2];
        ins[2] = ins[3];
        *target_word = c->last_op + 3;
        if (cmp <= 0x4f) {
            fuse_add_branch(c, imm, cmp - 0x46, target_word);
        }
    } else {
        return false;
    }
    c->last_dst = NONE;
    return true;
}

static int op_block(struct cc *c, uint8_t kind)
{
    const uint8_t *params = NULL;
    const uint8_t *results = NULL;
    uint32_t np = 0;
    uint32_t nr = 0;
    TRY(read_blocktype(c, &params, &np, &results, &nr));
    uint32_t cond = 0;
    /* the condition may stay in a local: materializing never writes locals */
    if (kind == K_IF) {
        TRY(pop(c, WASM_I32, NULL, &cond));
    }
    TRY(materialize(c));
    TRY(check_top(c, params, np));
    if (c->sp - c->ctl[c->csp - 1].height < np) {
        /* polymorphic stack: conjure the missing params */
        TRY(pop_types(c, params, np));
        TRY(push_types(c, params, np));
    }
    bool was_live = live(c);
    TRY(push_ctrl(c, kind, params, np, results, nr));
    struct ctrl *t = &c->ctl[c->csp - 1];
    if (kind == K_LOOP) {
        t->fuel_prev = c->fuel_owner;
        c->fuel_owner = c->csp - 1;
        if (was_live) {
            /* entering charges here; each back-edge charges in its branch */
            TRY(emit(c, WASM_OP_FUEL));
            t->fuel_pos = c->len;
            TRY(emit(c, 0));
        }
        t->loop_pc = c->len | WASM_BACK_EDGE;
        mark_label(c);
    } else if (kind == K_IF && was_live) {
        uint32_t word;
        if (fuse_branch(c, cond, false, &word)) {
            t->else_patch = word;
        } else {
            TRY(emit2(c, WASM_OP_BR_UNLESS, cond));
            t->else_patch = c->len;
            TRY(emit(c, NONE));
        }
    }
    c->last_dst = NONE;
    return 0;
}

/* Checks that the stack holds exactly the results of block t. */
static int check_exact(struct cc *c, const struct ctrl *t)
{
    TRY(check_top(c, t->results, t->nresults));
    uint32_t have = c->sp - t->height;
    if (have > t->nresults || (have < t->nresults && !t->unreachable)) {
        return invalid(c, "type mismatch");
    }
    return 0;
}

static int op_else(struct cc *c)
{
    struct ctrl *t = &c->ctl[c->csp - 1];
    if (t->kind != K_IF) {
        return fail(c, ZERR_CORRUPT, "else without if");
    }
    TRY(materialize(c));
    TRY(check_exact(c, t));
    if (live(c)) {
        TRY(emit(c, WASM_OP_BR));
        TRY(emit_patch(c, t));
    }
    if (t->else_patch != NONE) {
        c->code[t->else_patch] = c->len;
        t->else_patch = NONE;
    }
    mark_label(c);
    t->kind = K_ELSE;
    t->unreachable = false;
    c->sp = t->height;
    c->last_dst = NONE;
    return push_types(c, t->params, t->nparams);
}

/* Returns true when the function body ended. */
static int op_end(struct cc *c, bool *done)
{
    struct ctrl *t = &c->ctl[c->csp - 1];
    TRY(materialize(c));
    TRY(check_exact(c, t));
    if (t->kind == K_IF) {
        if (t->nparams != t->nresults ||
            (t->nparams != 0 && memcmp(t->params, t->results, t->nparams) != 0)) {
            return invalid(c, "type mismatch");
        }
    }
    if (t->kind == K_FUNC) {
        charge_values(c, t->nresults);
        if (live(c)) {
            TRY(emit_branch(c, t, t->nresults));
        }
        *done = true; /* the call charges t->fuel on entry */
        return 0;
    }
    if (t->else_patch != NONE) {
        c->code[t->else_patch] = c->len;
    }
    resolve(c, t->patches, c->len);
    mark_label(c);
    if (t->kind == K_LOOP) {
        if (t->fuel_pos != NONE) {
            c->code[t->fuel_pos] = t->fuel;
        }
        c->fuel_owner = t->fuel_prev;
    }
    uint32_t height = t->height;
    const uint8_t *results = t->results;
    uint32_t nr = t->nresults;
    c->csp--;
    c->sp = height;
    c->last_dst = NONE;
    return push_types(c, results, nr);
}

static int op_br(struct cc *c, uint32_t depth)
{
    struct ctrl *l = NULL;
    const uint8_t *types = NULL;
    uint32_t n = 0;
    TRY(label_of(c, depth, &l, &types, &n));
    charge_values(c, n);
    TRY(materialize(c));
    TRY(check_top(c, types, n));
    if (live(c)) {
        if (c->sp - c->ctl[c->csp - 1].height < n) {
            return invalid(c, "type mismatch");
        }
        TRY(emit_branch(c, l, n));
    }
    set_unreachable(c);
    return 0;
}

static int op_br_if(struct cc *c, uint32_t depth)
{
    struct ctrl *l = NULL;
    const uint8_t *types = NULL;
    uint32_t n = 0;
    uint32_t cond;
    TRY(label_of(c, depth, &l, &types, &n));
    charge_values(c, n);
    TRY(pop(c, WASM_I32, NULL, &cond));
    TRY(materialize(c));
    TRY(check_top(c, types, n));
    if (c->sp - c->ctl[c->csp - 1].height < n) {
        /* polymorphic: make the label's operands concrete for what follows */
        TRY(pop_types(c, types, n));
        TRY(push_types(c, types, n));
        return 0;
    }
    if (!live(c)) {
        return 0;
    }
    if (!needs_copies(c, l, n)) {
        uint32_t word;
        if (fuse_branch(c, cond, true, &word)) {
            if (l->kind == K_LOOP) {
                c->code[word] = l->loop_pc;
            } else {
                c->code[word] = l->patches;
                l->patches = word;
            }
            return 0;
        }
        TRY(emit2(c, WASM_OP_BR_IF, cond));
        if (l->kind == K_LOOP) {
            return emit(c, l->loop_pc);
        }
        return emit_patch(c, l);
    }
    TRY(emit2(c, WASM_OP_BR_UNLESS, cond));
    uint32_t skip = c->len;
    TRY(emit(c, NONE));
    TRY(emit_branch(c, l, n));
    c->code[skip] = c->len;
    mark_label(c);
    return 0;
}

static int op_br_table(struct cc *c)
{
    uint32_t count;
    uint32_t idx;
    TRY(wasm_read_u32(c->r, &count));
    if (count > (uint32_t)(c->r->end - c->r->p)) {
        return fail(c, ZERR_CORRUPT, "unexpected end");
    }
    TRY(pop(c, WASM_I32, NULL, &idx));
    TRY(materialize(c));
    bool emitting = live(c);
    /* first pass: validate every label, the default last */
    const uint8_t *start = c->r->p;
    uint32_t arity = NONE;
    for (uint32_t i = 0; i <= count; i++) {
        uint32_t depth;
        struct ctrl *l = NULL;
        const uint8_t *types = NULL;
        uint32_t n = 0;
        TRY(wasm_read_u32(c->r, &depth));
        TRY(label_of(c, depth, &l, &types, &n));
        if (arity != NONE && n != arity) {
            return invalid(c, "type mismatch");
        }
        arity = n;
        /* pop and push back: an unknown operand takes the label's type, so
           labels of different types conflict even after unreachable */
        TRY(pop_types(c, types, n));
        TRY(push_types(c, types, n));
    }
    charge_values(c, arity);
    if (emitting && c->sp - c->ctl[c->csp - 1].height < arity) {
        return invalid(c, "type mismatch");
    }
    if (emitting) {
        const uint8_t *end = c->r->p;
        c->r->p = start;
        TRY(emit3(c, WASM_OP_BR_TABLE, idx, count));
        uint32_t table = c->len;
        for (uint32_t i = 0; i <= count; i++) {
            TRY(emit(c, NONE));
        }
        for (uint32_t i = 0; i <= count; i++) {
            uint32_t depth;
            struct ctrl *l = NULL;
            const uint8_t *types = NULL;
            uint32_t n = 0;
            TRY(wasm_read_u32(c->r, &depth));
            TRY(label_of(c, depth, &l, &types, &n));
            if (!needs_copies(c, l, n)) {
                if (l->kind == K_LOOP) {
                    c->code[table + i] = l->loop_pc;
                } else {
                    c->code[table + i] = l->patches;
                    l->patches = table + i;
                }
                continue;
            }
            c->code[table + i] = c->len;
            mark_label(c);
            TRY(emit_branch(c, l, n));
        }
        c->r->p = end;
    }
    set_unreachable(c);
    return 0;
}

static int op_return(struct cc *c)
{
    struct ctrl *f = &c->ctl[0];
    charge_values(c, f->nresults);
    TRY(materialize(c));
    TRY(check_top(c, f->results, f->nresults));
    if (live(c)) {
        if (c->sp - c->ctl[c->csp - 1].height < f->nresults) {
            return invalid(c, "type mismatch");
        }
        TRY(emit_branch(c, f, f->nresults));
    }
    set_unreachable(c);
    return 0;
}

/* ---- calls -------------------------------------------------------------------- */

static int do_call(struct cc *c, const struct wasm_functype *t, uint32_t op, uint32_t imm,
                   bool indirect)
{
    uint32_t idx = 0;
    if (indirect) {
        TRY(pop(c, WASM_I32, NULL, &idx));
    }
    TRY(materialize(c));
    TRY(pop_types(c, t->types, t->nparams));
    uint32_t argbase = c->nlocals + c->sp;
    if (live(c)) {
        TRY(emit3(c, op, imm, argbase));
        if (indirect) {
            TRY(emit(c, idx));
        }
    }
    /* results land in the argument slots; make sure the frame covers them */
    uint32_t need = c->sp + (t->nparams > t->nresults ? t->nparams : t->nresults);
    if (need > c->max_height) {
        c->max_height = need;
    }
    c->last_dst = NONE;
    return push_types(c, t->types + t->nparams, t->nresults);
}

static int op_call(struct cc *c)
{
    uint32_t f;
    TRY(wasm_read_u32(c->r, &f));
    if (f >= c->m->nfuncs) {
        return invalid(c, "unknown function");
    }
    return do_call(c, &c->m->types[c->m->func_types[f]], WASM_OP_CALL, f, false);
}

static int op_call_indirect(struct cc *c)
{
    uint32_t type;
    uint8_t zero;
    TRY(wasm_read_u32(c->r, &type));
    TRY(wasm_read_u8(c->r, &zero));
    if (zero != 0) {
        return fail(c, ZERR_CORRUPT, "zero byte expected");
    }
    if (c->m->ntables == 0) {
        return invalid(c, "unknown table");
    }
    if (type >= c->m->ntypes) {
        return invalid(c, "unknown type");
    }
    return do_call(c, &c->m->types[type], WASM_OP_CALL_INDIRECT, type, true);
}

/* ---- variables ------------------------------------------------------------------ */

/* Pops the value for a write to slot dst and writes it there. */
static int pop_into(struct cc *c, uint8_t type, uint32_t dst, bool is_local)
{
    struct opnd o;
    TRY(pop_opnd(c, type, &o));
    if (!live(c)) {
        return 0;
    }
    if (o.is_const) {
        if (is_local) {
            TRY(materialize_local(c, dst));
        }
        TRY(emit_const(c, dst, o.val));
        c->last_dst = NONE;
        return 0;
    }
    uint32_t src = o.slot;
    bool others = is_local && c->lhead[dst] != NONE;
    /* retarget the producer of a fresh temporary when nothing else reads dst */
    if (!others && src == c->nlocals + c->sp && c->last_dst != NONE && c->last_end == c->len &&
        c->code[c->last_dst] == src) {
        c->code[c->last_dst] = dst;
        c->last_dst = NONE;
        return 0;
    }
    if (is_local) {
        TRY(materialize_local(c, dst));
    }
    TRY(emit_mov(c, dst, src));
    c->last_dst = NONE;
    return 0;
}

static int read_local(struct cc *c, uint32_t *x)
{
    TRY(wasm_read_u32(c->r, x));
    if (*x >= c->nlocals) {
        return invalid(c, "unknown local");
    }
    return 0;
}

static int op_local(struct cc *c, uint8_t op)
{
    uint32_t x;
    TRY(read_local(c, &x));
    uint8_t t = c->ltypes[x];
    if (op == 0x21 || op == 0x22) {
        TRY(pop_into(c, t, x, true));
        if (op == 0x21) {
            return 0;
        }
    }
    TRY(push(c, t));
    c->stk[c->sp - 1].slot = x;
    c->stk[c->sp - 1].next = c->lhead[x];
    c->lhead[x] = c->sp - 1;
    mark_deferred(c);
    return 0;
}

static int op_global(struct cc *c, uint8_t op)
{
    uint32_t g;
    bool mut;
    TRY(wasm_read_u32(c->r, &g));
    if (g >= c->m->nglobals) {
        return invalid(c, "unknown global");
    }
    uint8_t t = wasm_global_type(c->m, g, &mut);
    if (op == 0x23) {
        TRY(push(c, t));
        if (live(c)) {
            TRY(emit_dst(c, WASM_OP_GLOBAL_GET, c->nlocals + c->sp - 1, &g, 1));
        }
        return 0;
    }
    if (!mut) {
        return invalid(c, "global is immutable");
    }
    uint32_t src;
    TRY(pop(c, t, NULL, &src));
    if (live(c)) {
        TRY(emit3(c, WASM_OP_GLOBAL_SET, g, src));
    }
    c->last_dst = NONE;
    return 0;
}

/* ---- numeric ---------------------------------------------------------------------- */

/* Signature of numeric opcode op: operand types a, b (0: none) and result r. */
static bool num_sig(uint32_t op, uint8_t *a, uint8_t *b, uint8_t *r)
{
    const uint8_t I = WASM_I32;
    const uint8_t L = WASM_I64;
    const uint8_t F = WASM_F32;
    const uint8_t D = WASM_F64;
    static const struct {
        uint16_t last;
        uint8_t a, b, r;
    } ranges[] = {
        {0x45, WASM_I32, 0, WASM_I32},        {0x4f, WASM_I32, WASM_I32, WASM_I32},
        {0x50, WASM_I64, 0, WASM_I32},        {0x5a, WASM_I64, WASM_I64, WASM_I32},
        {0x60, WASM_F32, WASM_F32, WASM_I32}, {0x66, WASM_F64, WASM_F64, WASM_I32},
        {0x69, WASM_I32, 0, WASM_I32},        {0x78, WASM_I32, WASM_I32, WASM_I32},
        {0x7b, WASM_I64, 0, WASM_I64},        {0x8a, WASM_I64, WASM_I64, WASM_I64},
        {0x91, WASM_F32, 0, WASM_F32},        {0x98, WASM_F32, WASM_F32, WASM_F32},
        {0x9f, WASM_F64, 0, WASM_F64},        {0xa6, WASM_F64, WASM_F64, WASM_F64},
    };
    *b = 0;
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (op >= 0x45 && op <= ranges[i].last) {
            *a = ranges[i].a;
            *b = ranges[i].b;
            *r = ranges[i].r;
            return true;
        }
    }
    if (op > 0xa6 && op <= 0xc4) {
        static const uint8_t conv[][2] = {
            {L, I}, {F, I}, {F, I}, {D, I}, {D, I}, {I, L}, {I, L}, {F, L}, {F, L}, {D, L},
            {D, L}, {I, F}, {I, F}, {L, F}, {L, F}, {D, F}, {I, D}, {I, D}, {L, D}, {L, D},
            {F, D}, {F, I}, {D, L}, {I, F}, {L, D}, {I, I}, {I, I}, {L, L}, {L, L}, {L, L},
        };
        *a = conv[op - 0xa7][0];
        *r = conv[op - 0xa7][1];
    } else if (op >= WASM_OP_FC && op <= WASM_OP_FC + 7) {
        static const uint8_t sat[][2] = {{F, I}, {F, I}, {D, I}, {D, I},
                                         {F, L}, {F, L}, {D, L}, {D, L}};
        *a = sat[op - WASM_OP_FC][0];
        *r = sat[op - WASM_OP_FC][1];
    } else {
        return false;
    }
    return true;
}

/* Binary numeric operators with an immediate form (op b-constant). */
static bool has_imm_form(uint32_t op)
{
    return (op >= 0x46 && op <= 0x4f) || (op >= 0x51 && op <= 0x5a) || (op >= 0x6a && op <= 0x6c) ||
           (op >= 0x71 && op <= 0x78) || (op >= 0x7c && op <= 0x7e) || (op >= 0x83 && op <= 0x88);
}

static bool is_commutative(uint32_t op)
{
    return op == 0x46 || op == 0x47 || op == 0x51 || op == 0x52 || op == 0x6a || op == 0x6c ||
           (op >= 0x71 && op <= 0x73) || op == 0x7c || op == 0x7e || (op >= 0x83 && op <= 0x85);
}

/* An immediate fits when it is an i32, or an i64 that sign-extends from 32 bits. */
static bool imm_fits(uint8_t type, uint64_t v)
{
    return type == WASM_I32 || (uint64_t)(int64_t)(int32_t)(uint32_t)v == v;
}

/* The address operands x imm offset of f64 load ins into out[0..2]; false if it is none. */
static bool f64_load_operands(const uint32_t *ins, uint32_t *out)
{
    if (ins[0] == WASM_OP_LOAD + 3) {
        out[0] = ins[2];
        out[1] = 0; /* (x + 0) mod 2^32 is x */
        out[2] = ins[3];
        return true;
    }
    if (ins[0] == WASM_OP_LOADX + 3) {
        memcpy(out, &ins[2], 3 * 4);
        return true;
    }
    return false;
}

/*
 * f64.add (add) or f64.mul of two f64.loads emitted just before, the first
 * into a's slot dst (other), the second into b's: makes the three one
 * instruction [MUL_XX/ADD_XX dst x1 imm1 off1 x2 imm2] and leaves off2 in
 * c->fused_extra.  The loads are bounds-checked first, and both trap the
 * same way, so a trap is the trap of the loads.
 */
static bool fuse_two_loads(struct cc *c, bool add, uint32_t other, uint32_t dst)
{
    uint32_t p = pair_start(c, c->last_op);
    uint32_t w[8];
    if (p == NONE || other != dst || c->code[p + 1] != dst ||
        !f64_load_operands(&c->code[p], &w[2]) || !f64_load_operands(&c->code[c->last_op], &w[5])) {
        return false;
    }
    w[0] = add ? WASM_OP_F64_ADD_XX : WASM_OP_F64_MUL_XX;
    w[1] = dst;
    c->fused_extra = w[7];
    replace_tail(c, p, w, 7);
    c->last_end = c->len + 1;
    return true;
}

/*
 * f64.add or f64.mul (op) of slot other and the value the f64.load at ins
 * just loaded (both operators are commutative, bit for bit once the result
 * is canonicalized): rewrites the load into the fused instruction, writing
 * dst, and leaves its last word in c->fused_extra.  The load's bounds check
 * still happens first, so a trap is the load's trap.
 */
static bool fuse_f64_load(struct cc *c, uint32_t op, uint32_t *ins, uint32_t other, uint32_t dst)
{
    bool add = op == 0xa0;
    if (fuse_two_loads(c, add, other, dst)) {
        return true;
    }
    if (ins[0] == WASM_OP_LOAD + 3) {
        /* [LOAD dst addr off] -> [op dst other addr] off */
        ins[0] = add ? WASM_OP_F64_ADD_L : WASM_OP_F64_MUL_L;
        c->fused_extra = ins[3];
        ins[3] = ins[2];
    } else if (ins[0] == WASM_OP_LOADX + 3) {
        /* [LOADX dst x imm off] -> [op dst other x imm] off */
        ins[0] = add ? WASM_OP_F64_ADD_LX : WASM_OP_F64_MUL_LX;
        c->fused_extra = ins[4];
        ins[4] = ins[3];
        ins[3] = ins[2];
    } else {
        return false;
    }
    ins[1] = dst;
    ins[2] = other;
    c->last_end = c->len + 1;
    return true;
}

/*
 * Rewrites n address triples x imm offset into x K offset with K = imm +
 * offset, the form of F64_DOTk: its common path computes x + K without
 * wrapping, which is the address whenever that is in bounds (if x + imm
 * wraps, x + K is at least 2^32, out of bounds for any memory, and the
 * handler recomputes the address exactly).  False if some K does not fit
 * in 32 bits.
 */
static bool sum_offsets(uint32_t *w, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *t = &w[3 * i];
        if (t[1] > UINT32_MAX - t[2]) {
            return false;
        }
        t[1] += t[2];
    }
    return true;
}

/*
 * f64.add of slot other to the product chain just emitted (F64_MULADD_XX,
 * or F64_DOTk holding k products), writing dst, when other is the fresh
 * temporary of an F64_MUL_XX emitted right before the chain (an unrolled
 * dot product: clang computes every product first, then adds them to the
 * running sum one by one): the two become one F64_DOT(k+1), which computes
 * that product itself instead of passing it through its slot.  Nothing
 * else reads the temporary (it was a stack operand, popped by this add),
 * the sums keep their order, and all loads are bounds-checked before any
 * arithmetic, so values and traps are those of the separate instructions.
 * Leaves the last word in c->fused_extra.
 */
static bool absorb_product(struct cc *c, uint32_t other, uint32_t dst)
{
    uint32_t p = pair_start(c, c->last_op);
    if (p == NONE || c->code[p] != WASM_OP_F64_MUL_XX || c->code[p + 1] != other ||
        other < c->nlocals) {
        return false;
    }
    const uint32_t *ch = &c->code[c->last_op];
    uint32_t k = ch[0] == WASM_OP_F64_MULADD_XX ? 1 : ch[0] - WASM_OP_F64_DOT2 + 2;
    uint32_t w[3 + 6 * 4];
    w[0] = WASM_OP_F64_DOT2 + k - 1;
    w[1] = dst;
    if (k == 1) {
        w[2] = ch[8];
        memcpy(&w[3], &ch[2], 6 * 4);
        if (!sum_offsets(&w[3], 2)) {
            return false;
        }
    } else {
        w[2] = ch[2];
        memcpy(&w[3], &ch[3], (size_t)k * 6 * 4);
    }
    memcpy(&w[3 + 6 * k], &c->code[p + 2], 6 * 4);
    if (!sum_offsets(&w[3 + 6 * k], 2)) {
        return false;
    }
    /* the chain ran after the product was stored: it must not have read it */
    if (w[2] == other) {
        return false;
    }
    for (uint32_t i = 3; i < 3 + 6 * k; i += 3) {
        if (w[i] == other) {
            return false;
        }
    }
    uint32_t n = 3 + 6 * (k + 1);
    if (k + 1 == 4 && w[3] == w[9] && w[9] == w[15] && w[15] == w[21] && w[6] == w[12] &&
        w[12] == w[18] && w[18] == w[24]) {
        /* two base slots serve all eight loads (a row and a column): read once */
        uint32_t s[21] = {WASM_OP_F64_DOT4S, dst, w[2], w[3], w[6]};
        for (uint32_t j = 0; j < 4; j++) {
            s[5 + 4 * j] = w[4 + 6 * j];
            s[6 + 4 * j] = w[5 + 6 * j];
            s[7 + 4 * j] = w[7 + 6 * j];
            s[8 + 4 * j] = w[8 + 6 * j];
        }
        memcpy(w, s, sizeof s);
        n = 21;
    }
    c->fused_extra = w[n - 1];
    replace_tail(c, p, w, n - 1);
    c->last_end = c->len + 1;
    return true;
}

/*
 * Combines binary operator op (internal opcode, operand slot a, operand
 * slot or immediate b, result slot dst) with the instruction just emitted when that one computed
 * a or b into its fresh temporary: i32.add of a shifted index
 * (x + (y << k)), rotate of an xor (rotl(p ^ q, k)), and a sum of three.
 * Rewrites the previous instruction in place into a five-word one whose
 * last word is left in c->fused_extra for the caller to emit.  Returns
 * true if it did.
 */
static bool fuse_with_previous(struct cc *c, uint32_t op, uint32_t a, uint32_t b, uint32_t dst)
{
    if (c->last_dst == NONE || c->last_end != c->len) {
        return false;
    }
    uint32_t t = c->code[c->last_dst];
    uint32_t *ins = &c->code[c->last_op];
    /* t must be the temporary of a (slot dst) or of b (slot dst + 1) */
    bool t_is_a = a == t && t == dst;
    bool t_is_b = b == t && t == dst + 1;
    if ((!t_is_a && !t_is_b) || a == b) {
        return false;
    }
    uint32_t other = t_is_a ? b : a;
    uint32_t p = ins[2];
    uint32_t q = ins[3];
    if (op == 0x6a && ins[0] == WASM_OP_IMM + 0x74) {
        ins[0] = WASM_OP_ADD_SHL; /* dst = other + (p << q) */
    } else if (op == 0x6a && ins[0] == 0x6a) {
        ins[0] = WASM_OP_ADD3; /* dst = p + q + other */
    } else if (op == WASM_OP_IMM + 0x77 && t_is_a && ins[0] == 0x73) {
        ins[0] = WASM_OP_XOR_ROTL; /* dst = rotl(p ^ q, imm) */
        other = b;
    } else if (op == 0xa0 && ins[0] == 0xa0) {
        ins[0] = WASM_OP_F64_ADD3; /* dst = p + q + other, rounding each sum */
    } else if (op == 0xa0 && ins[0] == WASM_OP_F64_ADD3) {
        ins[0] = WASM_OP_F64_ADD4; /* dst = p + q + r + other */
    } else if (op == 0xa0 &&
               (ins[0] == WASM_OP_F64_MULADD_XX || ins[0] == WASM_OP_F64_DOT2 ||
                ins[0] == WASM_OP_F64_DOT3) &&
               absorb_product(c, other, dst)) {
        return true;
    } else if (op == 0xa0 && ins[0] == WASM_OP_F64_MUL_XX) {
        ins[0] = WASM_OP_F64_MULADD_XX; /* dst = load * load + other */
    } else if (op == 0xa0 && ins[0] == WASM_OP_F64_MULADD_XX) {
        ins[0] = WASM_OP_F64_MULADD1_XX; /* dst = load * load + c + other */
    } else if (op == 0xa0 && ins[0] == WASM_OP_F64_MULADD1_XX) {
        ins[0] = WASM_OP_F64_MULADD2_XX;
    } else if (op == 0xa0 && ins[0] == WASM_OP_F64_MULADD2_XX) {
        ins[0] = WASM_OP_F64_MULADD3_XX;
    } else if (op == 0xa0 || op == 0xa2) {
        return fuse_f64_load(c, op, ins, other, dst);
    } else {
        return false;
    }
    ins[1] = dst;
    if (ins[0] == WASM_OP_ADD_SHL) {
        ins[2] = other;
        ins[3] = p;
        c->fused_extra = q;
    } else {
        c->fused_extra = other;
    }
    /* the fused instruction is now the last one; its dst can be retargeted */
    c->last_end = c->len + 1;
    return true;
}

static int op_binary(struct cc *c, uint32_t op, uint8_t t, uint8_t tr)
{
    struct opnd b;
    struct opnd a;
    TRY(pop_opnd(c, t, &b));
    TRY(pop_opnd(c, t, &a));
    /* swap a constant left operand to the right only when it becomes an
       immediate: a constant that must be materialized keeps its own slot,
       as b's computed value sits in the slot above it */
    if (a.is_const && !b.is_const && is_commutative(op) && imm_fits(t, a.val)) {
        struct opnd x = a;
        a = b;
        b = x;
    }
    if (a.is_const) {
        c->sp++; /* a's entry is still in place: materialize it */
        c->stk[c->sp - 1] = a;
        TRY(pop(c, t, NULL, &a.slot));
    }
    bool imm = b.is_const && has_imm_form(op) && imm_fits(t, b.val);
    if (b.is_const && !imm) {
        /* b's entry sits above a's: materialize it in its own slot */
        uint32_t slot = c->nlocals + c->sp + 1;
        if (live(c)) {
            TRY(emit_const(c, slot, b.val));
        }
        b.slot = slot;
    }
    TRY(push(c, tr));
    if (!live(c)) {
        return 0;
    }
    uint32_t dst = c->nlocals + c->sp - 1;
    uint32_t bw = imm ? (uint32_t)b.val : b.slot;
    if (fuse_with_previous(c, imm ? WASM_OP_IMM + op : op, a.slot, bw, dst)) {
        return emit(c, c->fused_extra);
    }
    uint32_t ops[2] = {a.slot, bw};
    return emit_dst(c, imm ? WASM_OP_IMM + op : op, dst, ops, 2);
}

static int op_numeric(struct cc *c, uint32_t op)
{
    uint8_t ta;
    uint8_t tb;
    uint8_t tr;
    uint32_t sa;
    if (!num_sig(op, &ta, &tb, &tr)) {
        return fail(c, ZERR_CORRUPT, "illegal opcode");
    }
    if (tb != 0) {
        return op_binary(c, op, ta, tr);
    }
    TRY(pop(c, ta, NULL, &sa));
    TRY(push(c, tr));
    if (!live(c)) {
        return 0;
    }
    return emit_dst(c, op, c->nlocals + c->sp - 1, &sa, 1);
}

static int op_const(struct cc *c, uint8_t op)
{
    uint64_t v = 0;
    uint8_t t;
    if (op == 0x41) {
        int32_t x;
        TRY(wasm_read_s32(c->r, &x));
        v = (uint32_t)x;
        t = WASM_I32;
    } else if (op == 0x42) {
        int64_t x;
        TRY(wasm_read_s64(c->r, &x));
        v = (uint64_t)x;
        t = WASM_I64;
    } else {
        unsigned n = op == 0x43 ? 4 : 8;
        if ((size_t)(c->r->end - c->r->p) < n) {
            return fail(c, ZERR_CORRUPT, "unexpected end");
        }
        for (unsigned i = 0; i < n; i++) {
            v |= (uint64_t)c->r->p[i] << (8 * i);
        }
        c->r->p += n;
        t = op == 0x43 ? WASM_F32 : WASM_F64;
    }
    TRY(push(c, t));
    c->stk[c->sp - 1].is_const = true;
    mark_deferred(c);
    c->stk[c->sp - 1].val = v;
    return 0;
}

/* ---- memory ----------------------------------------------------------------------- */

static int need_memory(struct cc *c)
{
    if (c->m->nmems == 0) {
        return invalid(c, "unknown memory");
    }
    return 0;
}

static int op_memory(struct cc *c, uint8_t op)
{
    /* natural alignment exponent and value type of loads 0x28..0x35, stores 0x36..0x3e */
    static const uint8_t align[23] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1,
                                      2, 2, 2, 3, 2, 3, 0, 1, 0, 1, 2};
    static const uint8_t type[23] = {WASM_I32, WASM_I64, WASM_F32, WASM_F64, WASM_I32, WASM_I32,
                                     WASM_I32, WASM_I32, WASM_I64, WASM_I64, WASM_I64, WASM_I64,
                                     WASM_I64, WASM_I64, WASM_I32, WASM_I64, WASM_F32, WASM_F64,
                                     WASM_I32, WASM_I32, WASM_I64, WASM_I64, WASM_I64};
    uint32_t a;
    uint32_t offset;
    TRY(wasm_read_u32(c->r, &a));
    TRY(wasm_read_u32(c->r, &offset));
    TRY(need_memory(c));
    unsigned k = op - 0x28;
    if (a > align[k]) {
        return invalid(c, "alignment must not be larger than natural");
    }
    uint32_t addr;
    if (op <= 0x35) {
        TRY(pop(c, WASM_I32, NULL, &addr));
        TRY(push(c, type[k]));
        if (!live(c)) {
            return 0;
        }
        uint32_t dst = c->nlocals + c->sp - 1;
        if (addr == dst && c->last_dst != NONE && c->last_end == c->len &&
            c->code[c->last_dst] == addr && c->code[c->last_op] == WASM_OP_IMM + 0x6a) {
            /* [i32.add t a #imm] + load from t -> [LOADX dst a #imm offset] */
            uint32_t *ins = &c->code[c->last_op];
            ins[0] = WASM_OP_LOADX + k;
            TRY(emit(c, offset));
            c->last_end = c->len; /* last_op/last_dst still name this instruction and its dst */
            return 0;
        }
        if (addr == dst && c->last_dst != NONE && c->last_end == c->len &&
            c->code[c->last_dst] == addr && c->code[c->last_op] == WASM_OP_ADD_SHL) {
            /* [t = x + (y << z)] + load from t -> [LOADS dst x y z offset] */
            c->code[c->last_op] = WASM_OP_LOADS + k;
            TRY(emit(c, offset));
            c->last_end = c->len;
            return 0;
        }
        uint32_t w[2] = {addr, offset};
        return emit_dst(c, WASM_OP_LOAD + k, dst, w, 2);
    }
    uint32_t val;
    TRY(pop(c, type[k], NULL, &val));
    TRY(pop(c, WASM_I32, NULL, &addr));
    if (!live(c)) {
        c->last_dst = NONE;
        return 0;
    }
    if (addr == c->nlocals + c->sp && val != addr && c->last_dst != NONE && c->last_end == c->len &&
        c->code[c->last_dst] == addr && c->code[c->last_op] == WASM_OP_IMM + 0x6a) {
        /* [i32.add t a #imm] + store to t -> [STOREX a #imm val offset] */
        uint32_t *ins = &c->code[c->last_op];
        ins[0] = WASM_OP_STOREX + (op - 0x36);
        ins[1] = ins[2];
        ins[2] = ins[3];
        ins[3] = val;
        c->last_dst = NONE;
        return emit(c, offset);
    }
    if (addr == c->nlocals + c->sp && val != addr && c->last_dst != NONE && c->last_end == c->len &&
        c->code[c->last_dst] == addr && c->code[c->last_op] == WASM_OP_ADD_SHL) {
        /* [t = x + (y << z)] + store to t -> [STORES x y z val offset] */
        uint32_t *ins = &c->code[c->last_op];
        ins[0] = WASM_OP_STORES + (op - 0x36);
        ins[1] = ins[2];
        ins[2] = ins[3];
        ins[3] = ins[4];
        ins[4] = val;
        c->last_dst = NONE;
        return emit(c, offset);
    }
    c->last_dst = NONE;
    TRY(emit3(c, WASM_OP_STORE + (op - 0x36), addr, val));
    return emit(c, offset);
}

static int zero_byte(struct cc *c)
{
    uint8_t z;
    TRY(wasm_read_u8(c->r, &z));
    if (z != 0) {
        return fail(c, ZERR_CORRUPT, "zero byte expected");
    }
    return 0;
}

static int op_memsize(struct cc *c, uint8_t op)
{
    uint32_t delta = 0;
    TRY(zero_byte(c));
    TRY(need_memory(c));
    if (op == 0x40) {
        TRY(pop(c, WASM_I32, NULL, &delta));
    }
    TRY(push(c, WASM_I32));
    if (!live(c)) {
        return 0;
    }
    uint32_t dst = c->nlocals + c->sp - 1;
    if (op == 0x3f) {
        return emit_dst(c, WASM_OP_MEMORY_SIZE, dst, NULL, 0);
    }
    return emit_dst(c, WASM_OP_MEMORY_GROW, dst, &delta, 1);
}

/* memory.init 8, data.drop 9, memory.copy 10, memory.fill 11 */
static int op_bulk(struct cc *c, uint32_t sub)
{
    uint32_t seg = 0;
    uint32_t s[3];
    if (sub == 8 || sub == 9) {
        TRY(wasm_read_u32(c->r, &seg));
        if (!c->m->has_data_count) {
            return fail(c, ZERR_CORRUPT, "data count section required");
        }
        if (seg >= c->m->data_count) {
            return invalid(c, "unknown data segment");
        }
    }
    if (sub == 8 || sub == 11) {
        TRY(zero_byte(c));
    } else if (sub == 10) {
        TRY(zero_byte(c));
        TRY(zero_byte(c));
    }
    if (sub != 9) {
        TRY(need_memory(c));
        TRY(pop(c, WASM_I32, NULL, &s[2]));
        TRY(pop(c, WASM_I32, NULL, &s[1]));
        TRY(pop(c, WASM_I32, NULL, &s[0]));
    }
    c->last_dst = NONE;
    if (!live(c)) {
        return 0;
    }
    TRY(emit(c, WASM_OP_FC + sub));
    if (sub == 8 || sub == 9) {
        TRY(emit(c, seg));
    }
    if (sub != 9) {
        TRY(emit3(c, s[0], s[1], s[2]));
    }
    return 0;
}

static int op_fc(struct cc *c)
{
    uint32_t sub;
    TRY(wasm_read_u32(c->r, &sub));
    if (sub <= 7) {
        return op_numeric(c, WASM_OP_FC + sub);
    }
    if (sub <= 11) {
        return op_bulk(c, sub);
    }
    return fail(c, ZERR_CORRUPT, "illegal opcode");
}

static int op_select(struct cc *c)
{
    uint32_t cond;
    uint32_t sa;
    uint32_t sb;
    uint8_t ta;
    uint8_t tb;
    TRY(pop(c, WASM_I32, NULL, &cond));
    TRY(pop(c, T_ANY, &tb, &sb));
    TRY(pop(c, T_ANY, &ta, &sa));
    if (ta != T_ANY && tb != T_ANY && ta != tb) {
        return invalid(c, "type mismatch");
    }
    TRY(push(c, ta != T_ANY ? ta : tb));
    if (!live(c)) {
        return 0;
    }
    uint32_t w[3] = {sa, sb, cond};
    return emit_dst(c, WASM_OP_SELECT, c->nlocals + c->sp - 1, w, 3);
}

/* ---- driver ------------------------------------------------------------------------- */

static int instr(struct cc *c, uint8_t op, bool *done)
{
    c->ctl[c->fuel_owner].fuel++;
    switch (op) {
    case 0x00:
        if (live(c)) {
            TRY(emit(c, WASM_OP_UNREACHABLE));
        }
        set_unreachable(c);
        return 0;
    case 0x01:
        return 0;
    case 0x02:
        return op_block(c, K_BLOCK);
    case 0x03:
        return op_block(c, K_LOOP);
    case 0x04:
        return op_block(c, K_IF);
    case 0x05:
        return op_else(c);
    case 0x0b:
        return op_end(c, done);
    case 0x0c:
    case 0x0d: {
        uint32_t depth;
        TRY(wasm_read_u32(c->r, &depth));
        return op == 0x0c ? op_br(c, depth) : op_br_if(c, depth);
    }
    case 0x0e:
        return op_br_table(c);
    case 0x0f:
        return op_return(c);
    case 0x10:
        return op_call(c);
    case 0x11:
        return op_call_indirect(c);
    case 0x1a: {
        uint32_t s;
        c->last_dst = NONE;
        return pop(c, T_ANY, NULL, &s);
    }
    case 0x1b:
        return op_select(c);
    case 0x20:
    case 0x21:
    case 0x22:
        return op_local(c, op);
    case 0x23:
    case 0x24:
        return op_global(c, op);
    case 0x3f:
    case 0x40:
        return op_memsize(c, op);
    case 0x41:
    case 0x42:
    case 0x43:
    case 0x44:
        return op_const(c, op);
    case 0xfc:
        return op_fc(c);
    default:
        if (op >= 0x28 && op <= 0x3e) {
            return op_memory(c, op);
        }
        if (op >= 0x45 && op <= 0xc4) {
            return op_numeric(c, op);
        }
        return fail(c, ZERR_CORRUPT, "illegal opcode");
    }
}

static int read_locals(struct cc *c, const struct wasm_functype *ft)
{
    struct wasm_reader save = *c->r;
    uint32_t groups;
    uint64_t total = ft->nparams;
    TRY(wasm_read_u32(c->r, &groups));
    for (uint32_t i = 0; i < groups; i++) {
        uint32_t n = 0;
        uint8_t t;
        TRY(wasm_read_u32(c->r, &n));
        TRY(wasm_read_u8(c->r, &t));
        total += n;
        if (total > UINT32_MAX) {
            return fail(c, ZERR_CORRUPT, "too many locals");
        }
        if (t != WASM_I32 && t != WASM_I64 && t != WASM_F32 && t != WASM_F64) {
            return fail(c, ZERR_CORRUPT, "malformed value type");
        }
    }
    if (total > WASM_MAX_LOCALS) {
        return fail(c, ZERR_LIMIT, "too many locals");
    }
    c->nlocals = (uint32_t)total;
    c->ltypes = wasm_alloc_scratch(c->a, total + 1);
    c->lhead = wasm_alloc_scratch(c->a, 4 * (total + 1));
    if (c->ltypes == NULL || c->lhead == NULL) {
        return fail(c, ZERR_NOMEM, "module arena too small");
    }
    memset(c->lhead, 0xff, 4 * total); /* NONE: no stack entry names a local yet */
    memcpy(c->ltypes, ft->types, ft->nparams);
    *c->r = save;
    TRY(wasm_read_u32(c->r, &groups));
    uint32_t k = ft->nparams;
    for (uint32_t i = 0; i < groups; i++) {
        uint32_t n = 0;
        uint8_t t;
        TRY(wasm_read_u32(c->r, &n));
        TRY(wasm_read_u8(c->r, &t));
        memset(c->ltypes + k, t, n);
        k += n;
    }
    return 0;
}

static int compile_body(struct cc *c, struct wasm_func_code *fc)
{
    TRY(push_ctrl(c, K_FUNC, NULL, 0, c->ft->types + c->ft->nparams, c->ft->nresults));
    c->fuel_owner = 0;
    c->code = (uint32_t *)(c->a->base + c->a->low);
    bool done = false;
    while (!done) {
        uint8_t op;
        TRY(wasm_read_u8(c->r, &op));
        TRY(instr(c, op, &done));
    }
    if (c->r->p != c->r->end) {
        return fail(c, ZERR_CORRUPT, "section size mismatch");
    }
    fc->code = c->code;
    fc->frame_size = c->nlocals + c->max_height;
    /* entering also zeroes the declared locals */
    fc->entry_fuel = c->ctl[0].fuel + (c->nlocals - c->ft->nparams) / WASM_FUEL_LOCALS_PER_UNIT;
    /* keep the arena's low end 8-aligned */
    if (c->a->low & 7) {
        c->a->low += 8 - (c->a->low & 7);
    }
    return 0;
}

int wasm_compile_func(struct wasm_module *m, uint32_t fn, struct wasm_reader *r,
                      struct wasm_arena *arena)
{
    struct cc c;
    size_t saved_high = arena->high;
    uint32_t type = m->func_types[m->nfunc_imports + fn];
    memset(&c, 0, sizeof c);
    c.m = m;
    c.r = r;
    c.a = arena;
    c.ft = &m->types[type];
    c.last_dst = NONE;
    size_t body = (size_t)(r->end - r->p);
    if (body > WASM_MAX_FUNC_SIZE) {
        return wasm_fail(r, ZERR_LIMIT, "function too large");
    }
    int rc = read_locals(&c, c.ft);
    if (rc < 0) {
        arena->high = saved_high;
        return rc;
    }
    /* start small; push and push_ctrl double the arrays as the body needs */
    c.stk_max = WASM_MAX_OPERANDS;
    c.stk_cap = 64;
    c.ctl_cap = 16;
    c.stk = wasm_alloc_scratch(arena, sizeof *c.stk * c.stk_cap);
    c.ctl = wasm_alloc_scratch(arena, sizeof *c.ctl * c.ctl_cap);
    if (c.stk == NULL || c.ctl == NULL) {
        arena->high = saved_high;
        return wasm_fail(r, ZERR_NOMEM, "module arena too small");
    }
    struct wasm_func_code *fc = &m->codes[fn];
    fc->type = type;
    fc->nparams = c.ft->nparams;
    rc = compile_body(&c, fc);
    fc->nlocals = c.nlocals;
    if (rc == 0) {
        wasm_thread_code(c.code, c.len);
    }
    arena->high = saved_high;
    return rc;
}
