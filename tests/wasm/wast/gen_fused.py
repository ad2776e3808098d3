#!/usr/bin/env python3
"""Generates fused.wast: spec-style assertions aimed at the engine's fused
internal instructions (compare-and-branch, immediate operands, constants on
either side).  Expected values are computed here from the WebAssembly
semantics.  Run it again after changing it: python3 gen_fused.py > fused.wast"""

M = {"i32": (1 << 32) - 1, "i64": (1 << 64) - 1}
W = {"i32": 32, "i64": 64}


def signed(t, v):
    v &= M[t]
    return v - (1 << W[t]) if v >> (W[t] - 1) else v


def cmp(op, t, a, b):
    sa, sb, ua, ub = signed(t, a), signed(t, b), a & M[t], b & M[t]
    return {
        "eq": ua == ub, "ne": ua != ub,
        "lt_s": sa < sb, "lt_u": ua < ub, "gt_s": sa > sb, "gt_u": ua > ub,
        "le_s": sa <= sb, "le_u": ua <= ub, "ge_s": sa >= sb, "ge_u": ua >= ub,
    }[op]


def arith(op, t, a, b):
    w, m = W[t], M[t]
    a, b = a & m, b & m
    k = b % w
    r = {
        "add": a + b, "sub": a - b, "mul": a * b, "and": a & b, "or": a | b, "xor": a ^ b,
        "shl": a << k, "shr_u": a >> k, "shr_s": signed(t, a) >> k,
        "rotl": (a << k) | (a >> ((w - k) % w)) if k else a,
        "rotr": (a >> k) | (a << ((w - k) % w)) if k else a,
    }[op]
    return r & m


CMPS = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]
ARITH = ["add", "sub", "mul", "and", "or", "xor", "shl", "shr_u", "shr_s", "rotl", "rotr"]
VALS = {
    "i32": [0, 1, 5, -1, -5, 0x7FFFFFFF, -0x80000000, 31, 32],
    "i64": [0, 1, 5, -1, -5, 0x7FFFFFFF, -0x80000000, 0x100000000, -0x8000000000000000,
            0x7FFFFFFFFFFFFFFF, 63, 64],
}
CONSTS = {
    "i32": [0, 5, -1, 0x7FFFFFFF, -0x80000000],
    "i64": [0, 5, -1, -0x80000000, 0x100000000, 0x7FFFFFFFFFFFFFFF],
}


def lit(t, v):
    return f"({t}.const {signed(t, v)})"


def main():
    funcs, asserts = [], []
    n = 0
    for t in ("i32", "i64"):
        for op in CMPS:
            n += 1
            funcs.append(f'(func (export "brif{n}") (param $a {t}) (param $b {t}) (result i32)\n'
                         f'  (block (br_if 0 ({t}.{op} (local.get $a) (local.get $b))) '
                         f'(return (i32.const 0))) (i32.const 1))')
            funcs.append(f'(func (export "if{n}") (param $a {t}) (param $b {t}) (result i32)\n'
                         f'  (if (result i32) ({t}.{op} (local.get $a) (local.get $b)) '
                         f'(then (i32.const 1)) (else (i32.const 0))))')
            for a in VALS[t]:
                for b in VALS[t][::2]:
                    e = int(cmp(op, t, a, b))
                    for f in ("brif", "if"):
                        asserts.append(f'(assert_return (invoke "{f}{n}" {lit(t, a)} {lit(t, b)}) '
                                       f'(i32.const {e}))')
            for c in CONSTS[t]:
                n += 1
                funcs.append(f'(func (export "brifc{n}") (param $a {t}) (result i32)\n'
                             f'  (block (br_if 0 ({t}.{op} (local.get $a) {lit(t, c)})) '
                             f'(return (i32.const 0))) (i32.const 1))')
                funcs.append(f'(func (export "ifc{n}") (param $a {t}) (result i32)\n'
                             f'  (if (result i32) ({t}.{op} {lit(t, c)} (local.get $a)) '
                             f'(then (i32.const 1)) (else (i32.const 0))))')
                for a in VALS[t]:
                    asserts.append(f'(assert_return (invoke "brifc{n}" {lit(t, a)}) '
                                   f'(i32.const {int(cmp(op, t, a, c))}))')
                    asserts.append(f'(assert_return (invoke "ifc{n}" {lit(t, a)}) '
                                   f'(i32.const {int(cmp(op, t, c, a))}))')
        for op in ARITH:
            for c in CONSTS[t]:
                n += 1
                funcs.append(f'(func (export "ar{n}") (param $a {t}) (result {t})\n'
                             f'  ({t}.{op} (local.get $a) {lit(t, c)}))')
                funcs.append(f'(func (export "al{n}") (param $a {t}) (result {t})\n'
                             f'  ({t}.{op} {lit(t, c)} (local.get $a)))')
                for a in VALS[t]:
                    asserts.append(f'(assert_return (invoke "ar{n}" {lit(t, a)}) '
                                   f'{lit(t, arith(op, t, a, c))})')
                    asserts.append(f'(assert_return (invoke "al{n}" {lit(t, a)}) '
                                   f'{lit(t, arith(op, t, c, a))})')
    # i32 pairs fused with the instruction before them
    m32 = M["i32"]
    vals = [0, 1, 7, -1, 0x7FFFFFFF, -0x80000000, 0x12345678]
    for k in (0, 2, 31, 32, 35):
        n += 1
        funcs.append(f'(func (export "as{n}") (param $a i32) (param $b i32) (result i32)\n'
                     f'  (i32.add (local.get $a) (i32.shl (local.get $b) (i32.const {k}))))')
        funcs.append(f'(func (export "sa{n}") (param $a i32) (param $b i32) (result i32)\n'
                     f'  (i32.add (i32.shl (local.get $b) (i32.const {k})) (local.get $a)))')
        funcs.append(f'(func (export "xr{n}") (param $a i32) (param $b i32) (result i32)\n'
                     f'  (i32.rotl (i32.xor (local.get $a) (local.get $b)) (i32.const {k})))')
        for a in vals:
            for b in vals:
                e = (a + ((b & m32) << (k % 32))) & m32
                x = (a ^ b) & m32
                r = arith("rotl", "i32", x, k)
                for f in ("as", "sa"):
                    asserts.append(f'(assert_return (invoke "{f}{n}" {lit("i32", a)} {lit("i32", b)}) '
                                   f'{lit("i32", e)})')
                asserts.append(f'(assert_return (invoke "xr{n}" {lit("i32", a)} {lit("i32", b)}) '
                               f'{lit("i32", r)})')
    funcs.append('(func (export "add3") (param $a i32) (param $b i32) (param $c i32) (result i32)\n'
                 '  (i32.add (i32.add (local.get $a) (local.get $b)) (local.get $c)))')
    funcs.append('(func (export "add3r") (param $a i32) (param $b i32) (param $c i32) (result i32)\n'
                 '  (i32.add (local.get $c) (i32.add (local.get $a) (local.get $b))))')
    funcs.append('(func (export "add3t") (param $a i32) (param $b i32) (result i32) (local $t i32)\n'
                 '  (local.set $t (i32.add (local.get $a) (local.get $b)))\n'
                 '  (i32.add (local.get $t) (local.get $t)))')
    for a in vals:
        for b in vals:
            for c in vals[::3]:
                e = (a + b + c) & m32
                for f in ("add3", "add3r"):
                    asserts.append(f'(assert_return (invoke "{f}" {lit("i32", a)} {lit("i32", b)} '
                                   f'{lit("i32", c)}) {lit("i32", e)})')
            asserts.append(f'(assert_return (invoke "add3t" {lit("i32", a)} {lit("i32", b)}) '
                           f'{lit("i32", 2 * (a + b))})')
    print(";; Generated by gen_fused.py: assertions on the engine's fused instructions.")
    print("(module")
    for f in funcs:
        print("  " + f.replace("\n", "\n  "))
    print(")")
    for a in asserts:
        print(a)


main()
