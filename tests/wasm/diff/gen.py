#!/usr/bin/env python3
"""Random WebAssembly modules (text format) aimed at the forms Zero's compiler
fuses or reorders (docs/wasm.md, "Fewer instructions than the wasm code"):
constants on either side of every binary operator (with i64 constants that
do not fit an immediate), compares feeding br_if/if/select, local.set and
local.tee of fresh results while reads of the same local are pending,
x + (y << k), rotl(p ^ q, k), p + q + r, addresses base + k and
base + (i << k) for loads and stores, f64 add/mul of a load, values carried
by br/br_if/br_table, and bulk memory.  Floats that could carry a NaN
into memory or an integer pass through denan() first.
usage: gen.py SEED COUNT OUTDIR (writes OUTDIR/gen-SEED+i.wat)"""
import os
import random
import sys

r = random.Random()
T = ['i32', 'i64', 'f32', 'f64']
NPARAMS = 3
NLOCALS = 4
MEM_BYTES = 65536

I32_CONSTS = [0, 1, 2, 3, 7, 31, 32, -1, -2, 0x7fffffff, -0x80000000, 0x12345, 255, 65535]
I64_CONSTS = I32_CONSTS + [0x100000000, 0x7fffffffffffffff, -0x8000000000000000, 0xffffffff,
                           0x80000000, -0x80000001, 0x123456789abc, 1 << 40]
F_CONSTS = ['0', '1', '-1', '0.5', '2.5', '-0', '1e10', '-3.75', '0x1p-20', 'inf', '-inf', 'nan']

BIN = {
    'i32': ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl',
            'shr_s', 'shr_u', 'rotl', 'rotr'],
    'f': ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'],
}
BIN['i64'] = BIN['i32']
CMP_I = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u']
CMP_F = ['eq', 'ne', 'lt', 'gt', 'le', 'ge']
UN = {'i32': ['clz', 'ctz', 'popcnt', 'eqz', 'extend8_s', 'extend16_s'],
      'i64': ['clz', 'ctz', 'popcnt', 'extend8_s', 'extend16_s', 'extend32_s'],
      'f32': ['neg', 'abs', 'sqrt', 'ceil', 'floor', 'trunc', 'nearest'],
      'f64': ['neg', 'abs', 'sqrt', 'ceil', 'floor', 'trunc', 'nearest']}


class Func:
    def __init__(self, params, result):
        self.params = params
        self.result = result
        self.locals = [r.choice(T) for _ in range(NLOCALS)]
        self.all = params + self.locals
        self.labels = []  # result types of enclosing blocks (innermost last)

    def local_of(self, t):
        c = [i for i, lt in enumerate(self.all) if lt == t]
        return r.choice(c) if c else None


def denan(f, t, x):
    """x with a NaN replaced by 0: a NaN's sign and payload may differ between
    engines (docs/wasm.md), so none may reach memory or an integer."""
    if t not in ('f32', 'f64'):
        return x
    tmp = len(f.all) + (0 if t == 'f32' else 1)
    return ('(block (result %s) (local.set %d %s) (select (local.get %d) (%s.const 0) '
            '(%s.eq (local.get %d) (local.get %d))))' % (t, tmp, x, tmp, t, t, tmp, tmp))


def divisor(t, op, b):
    """Mostly a divisor that cannot be 0, so most calls run to their end."""
    if op[:3] in ('div', 'rem') and t in ('i32', 'i64') and r.random() < 0.9:
        return '(%s.or %s (%s.const 1))' % (t, b, t)
    return b


def to_i64(f, t, x):
    """x as an i64, for mixing into the observed state."""
    if t == 'i32':
        return '(i64.extend_i32_u %s)' % x
    if t == 'f32':
        return '(i64.extend_i32_u (i32.reinterpret_f32 %s))' % denan(f, t, x)
    if t == 'f64':
        return '(i64.reinterpret_f64 %s)' % denan(f, t, x)
    return x


def observe(f, t, x):
    """A statement that mixes x into global 0, which "state" returns."""
    return '(global.set 0 (i64.add (i64.rotl (global.get 0) (i64.const 7)) %s))' % to_i64(f, t, x)


def const(t):
    if t == 'i32':
        return '(i32.const %d)' % r.choice(I32_CONSTS)
    if t == 'i64':
        return '(i64.const %d)' % r.choice(I64_CONSTS)
    return '(%s.const %s)' % (t, r.choice(F_CONSTS))


def addr(f, d, width):
    """An address expression in the forms the compiler fuses."""
    k = r.choice([0, 4, 8, 16, 100, 1000])
    base = '(i32.and %s (i32.const %d))' % (expr(f, 'i32', d), MEM_BYTES - 1 - 64)
    form = r.choice([0, 0, 1, 1, 3, 3] * 3 + [2])
    if form == 0:
        return '(i32.add %s (i32.const %d))' % (base, k)
    if form == 1:
        idx = '(i32.and %s (i32.const 1023))' % expr(f, 'i32', d)
        return '(i32.add %s (i32.shl %s (i32.const %d)))' % (base, idx, r.choice([0, 1, 2, 3, 6]))
    if form == 2:
        # occasionally out of bounds, to compare the traps
        return '(i32.add %s (i32.const %d))' % (expr(f, 'i32', d), r.choice([0, 65530, 65536, -4]))
    return base


def load(f, t, d):
    ops = {'i32': ['load', 'load8_s', 'load8_u', 'load16_s', 'load16_u'],
           'i64': ['load', 'load8_s', 'load16_u', 'load32_s', 'load32_u'],
           'f32': ['load'], 'f64': ['load']}[t]
    off = r.choice([0, 0, 4, 12])
    return '(%s.%s offset=%d %s)' % (t, r.choice(ops), off, addr(f, d, 8))


def expr(f, t, d=0):
    if d > 4 or r.random() < 0.2:
        if r.random() < 0.5:
            x = f.local_of(t)
            if x is not None:
                return '(local.get %d)' % x
        return const(t)
    k = r.randrange(15)
    if k <= 3:
        ops = BIN[t] if t in ('i32', 'i64') else BIN['f']
        a, b = expr(f, t, d + 1), expr(f, t, d + 1)
        if r.random() < 0.3:
            a = const(t)  # a constant on the left
        elif r.random() < 0.3:
            b = const(t)
        op = r.choice(ops)
        return '(%s.%s %s %s)' % (t, op, a, denan(f, t, b) if op == 'copysign' else divisor(t, op, b))
    if k == 4 and t == 'i32':
        # fused pairs: x + (y << k), rotl(p ^ q, k), p + q + r
        x, y, z = (expr(f, 'i32', d + 1) for _ in range(3))
        form = r.randrange(3)
        if form == 0:
            return '(i32.add %s (i32.shl %s (i32.const %d)))' % (x, y, r.randrange(40))
        if form == 1:
            return '(i32.rotl (i32.xor %s %s) (i32.const %d))' % (x, y, r.randrange(40))
        return '(i32.add (i32.add %s %s) %s)' % (x, y, z)
    if k == 5:
        if t in ('i32', 'i64'):
            ct = r.choice(['i32', 'i64'])
            return '(%s.%s %s %s)' % (ct, r.choice(CMP_I), expr(f, ct, d + 1),
                                      r.choice([const(ct), expr(f, ct, d + 1)])) \
                if t == 'i32' else '(i64.extend_i32_u %s)' % expr(f, 'i32', d + 1)
        return '(%s.%s %s)' % (t, r.choice(UN[t]), expr(f, t, d + 1))
    if k == 6:
        return '(%s.%s %s)' % (t, r.choice(UN[t]), expr(f, t, d + 1))
    if k == 7:
        return load(f, t, d + 1)
    if k == 8 and t == 'f64':
        return '(f64.%s %s %s)' % (r.choice(['add', 'mul']), expr(f, 'f64', d + 1), load(f, 'f64', d + 1))
    if k == 8:
        return '(select %s %s %s)' % (expr(f, t, d + 1), expr(f, t, d + 1), cond(f, d + 1))
    if k == 9:
        x = f.local_of(t)
        if x is not None:
            # a pending read of x, then a write of x, then the read is used
            return '(%s %s (block (result %s) (local.set %d %s) (local.get %d)))' % (
                pick_bin(t), '(local.get %d)' % x, t, x, expr(f, t, d + 1), x)
    if k == 10:
        x = f.local_of(t)
        if x is not None:
            return '(local.tee %d %s)' % (x, expr(f, t, d + 1))
    if k == 11:
        return '(if (result %s) %s (then %s) (else %s))' % (t, cond(f, d + 1), expr(f, t, d + 1),
                                                           expr(f, t, d + 1))
    if k == 12:
        return block_with_branches(f, t, d + 1)
    if k == 13:
        return conv(f, t, d + 1)
    op = r.choice(BIN[t] if t in ('i32', 'i64') else BIN['f'])
    b = expr(f, t, d + 1)
    return '(%s.%s %s %s)' % (t, op, expr(f, t, d + 1),
                              denan(f, t, b) if op == 'copysign' else divisor(t, op, b))


def pick_bin(t):
    return '%s.%s' % (t, r.choice(['add', 'sub', 'xor', 'mul'] if t in ('i32', 'i64')
                                  else ['add', 'sub', 'mul']))


def cond(f, d):
    t = r.choice(['i32', 'i64', 'f64'])
    if t == 'f64':
        return '(f64.%s %s %s)' % (r.choice(CMP_F), expr(f, t, d), expr(f, t, d))
    if r.random() < 0.2:
        return '(%s.eqz %s)' % (t, expr(f, t, d))
    return '(%s.%s %s %s)' % (t, r.choice(CMP_I), expr(f, t, d), r.choice([const(t), expr(f, t, d)]))


def conv(f, t, d):
    if t == 'i32':
        return r.choice(['(i32.wrap_i64 %s)' % expr(f, 'i64', d),
                         '(i32.trunc_sat_f64_s %s)' % expr(f, 'f64', d),
                         '(i32.trunc_sat_f32_u %s)' % expr(f, 'f32', d),
                         '(i32.reinterpret_f32 %s)' % denan(f, 'f32', expr(f, 'f32', d))])
    if t == 'i64':
        return r.choice(['(i64.extend_i32_s %s)' % expr(f, 'i32', d),
                         '(i64.trunc_sat_f32_u %s)' % expr(f, 'f32', d),
                         '(i64.trunc_%sf64_s %s)' % ('' if r.random() < 0.2 else 'sat_',
                                                     expr(f, 'f64', d))])
    if t == 'f32':
        return r.choice(['(f32.convert_i64_u %s)' % expr(f, 'i64', d),
                         '(f32.demote_f64 %s)' % expr(f, 'f64', d)])
    return r.choice(['(f64.convert_i32_s %s)' % expr(f, 'i32', d),
                     '(f64.promote_f32 %s)' % expr(f, 'f32', d),
                     '(f64.reinterpret_i64 %s)' % expr(f, 'i64', d)])


def block_with_branches(f, t, d):
    """A block of two results (t, i32) left by br, br_if or br_table."""
    form = r.randrange(3)
    v1, v2 = expr(f, t, d), expr(f, 'i32', d)
    if form == 0:
        inner = '(br_if 0 %s %s %s) (drop) (drop) %s %s' % (v1, v2, cond(f, d), expr(f, t, d),
                                                          expr(f, 'i32', d))
    elif form == 1:
        inner = ('(block (result %s i32) (br_table 0 1 0 %s %s (i32.and %s (i32.const 3))))'
                 % (t, v1, v2, expr(f, 'i32', d)))
    else:
        inner = '(br 0 %s %s)' % (v1, v2)
    return '(block (result %s) (block (result %s i32) %s) (drop))' % (t, t, inner)


def stmt(f, d=0):
    k = r.randrange(8)
    if k <= 1:
        x = r.randrange(len(f.all))
        return '(local.set %d %s)' % (x, expr(f, f.all[x], d))
    if k == 2:
        t = r.choice(T)
        ops = {'i32': ['store', 'store8', 'store16'], 'i64': ['store', 'store32', 'store8'],
               'f32': ['store'], 'f64': ['store']}[t]
        return '(%s.%s offset=%d %s %s)' % (t, r.choice(ops), r.choice([0, 8]), addr(f, d, 8),
                                           denan(f, t, expr(f, t, d)))
    if k == 3:
        n = r.choice([0, 1, 7, 64, 4096, 70000])
        if r.random() < 0.5:
            return '(memory.fill %s (i32.const %d) (i32.const %d))' % (addr(f, d, 8), r.randrange(256), n)
        return '(memory.copy %s %s (i32.const %d))' % (addr(f, d, 8), addr(f, d, 8), n)
    if k == 4 and d < 2:
        # a counted loop
        body = ' '.join(stmt(f, d + 1) for _ in range(r.randint(1, 3)))
        c = len(f.all) + 2 + d  # a counter of its own, which nothing else writes
        n = r.randint(1, 6)
        return ('(local.set %d (i32.const %d)) (loop $l%d %s (br_if $l%d (i32.gt_s (local.tee %d '
                '(i32.sub (local.get %d) (i32.const 1))) (i32.const 0))))'
                % (c, n, d, body, d, c, c))
    if k == 5:
        return '(if %s (then %s) (else %s))' % (cond(f, d), stmt(f, d + 1), stmt(f, d + 1))
    if k == 6:
        return '(global.set 0 %s)' % expr(f, 'i64', d)
    t = r.choice(T)
    return observe(f, t, expr(f, t, d))


def func(i):
    params = [r.choice(['i32', 'i64', 'f64']) for _ in range(r.randint(0, NPARAMS))]
    f = Func(params, r.choice(T))
    body = ' '.join(stmt(f) for _ in range(r.randint(2, 8)))
    # every local's last value is observed
    body += ' ' + ' '.join(observe(f, t, '(local.get %d)' % i) for i, t in enumerate(f.all))
    return ('(func (export "f%d") %s (result %s) (local %s f32 f64 i32 i32)\n  %s\n  %s)' % (
        i, ' '.join('(param %s)' % p for p in params), f.result, ' '.join(f.locals), body,
        expr(f, f.result)))


def module():
    out = ['(module', '(memory 1 1)', '(global (mut i64) (i64.const 0))',
           '(data (i32.const 0) "%s")' % ''.join('\\%02x' % r.randrange(256) for _ in range(256))]
    out += [func(i) for i in range(r.randint(3, 8))]
    out.append('(func (export "state") (result i64) (local i32 i64)'
               ' (loop $l (local.set 1 (i64.add (i64.rotl (local.get 1) (i64.const 5)) (i64.load (local.get 0))))'
               ' (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 8))) (i32.const 65536))))'
               ' (i64.xor (local.get 1) (global.get 0)))')
    out.append(')')
    return '\n'.join(out) + '\n'


seed, count, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for n in range(seed, seed + count):
    r.seed(n)
    with open(os.path.join(outdir, 'gen-%d.wat' % n), 'w') as fh:
        fh.write(module())
