#!/usr/bin/env python3
"""Generates fused_pairs.wast: assertions aimed at the engine's instructions
that fuse a pair of instructions into one (two f64 loads and their f64.mul
or f64.add, a product and the f64.add after it, chains of f64.add, and an
i32.add with an immediate and the compare-and-branch testing its result).
Expected values are computed here from the WebAssembly semantics (Python
floats are IEEE doubles, rounded after every operation).  Run it again after
changing it: python3 gen_fused_pairs.py > fused_pairs.wast"""
import struct

M32 = (1 << 32) - 1


def s32(v):
    v &= M32
    return v - (1 << 32) if v >> 31 else v


def f64_hex(x):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def f64_lit(x):
    if x != x:
        return "nan:canonical"
    return x.hex() if x not in (float("inf"), float("-inf")) else ("inf" if x > 0 else "-inf")


# memory: eight f64 values at 0, 8, ..., 56; a NaN with a payload at 48
VALS = [1.0, 2.5, -3.0, 1.0 + 2.0 ** -27, 1e16, -1e16, None, float("inf")]
NAN_PAYLOAD = b"\x01\x00\x00\x00\x00\x00\xf8\xff"  # negative quiet NaN, payload 1


def data():
    out = b""
    for v in VALS:
        out += NAN_PAYLOAD if v is None else struct.pack("<d", v)
    return "".join("\\%02x" % b for b in out)


def val_at(addr):
    v = VALS[addr // 8]
    return float("nan") if v is None else v


CMPS = ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"]


def cmp(op, a, b):
    sa, sb, ua, ub = s32(a), s32(b), a & M32, b & M32
    return {
        "eq": ua == ub, "ne": ua != ub,
        "lt_s": sa < sb, "lt_u": ua < ub, "gt_s": sa > sb, "gt_u": ua > ub,
        "le_s": sa <= sb, "le_u": ua <= ub, "ge_s": sa >= sb, "ge_u": ua >= ub,
    }[op]


def main():
    funcs, asserts = [], []
    A = asserts.append
    F = funcs.append
    # two loads and their product or sum, the second with an add-immediate address
    for op in ("mul", "add"):
        F(f'''  (func (export "{op}_xx") (param $a i32) (param $b i32) (result f64)
    (f64.{op} (f64.load (local.get $a)) (f64.load offset=8 (i32.add (local.get $b) (i32.const 16)))))''')
        F(f'''  (func (export "{op}_xx2") (param $a i32) (param $b i32) (result f64)
    (f64.{op} (f64.load offset=8 (i32.add (local.get $a) (i32.const -8))) (f64.load (local.get $b))))''')
        for a in range(0, 64, 8):
            for b in (-24, -16, 0, 16, 32):
                ea = ((b + 16) & M32) + 8  # the add wraps, the offset does not
                if ea + 8 > 65536:
                    A(f'(assert_trap (invoke "{op}_xx" (i32.const {a}) (i32.const {b})) "out of bounds memory access")')
                    continue
                x, y = val_at(a), val_at(ea)
                r = x * y if op == "mul" else x + y
                A(f'(assert_return (invoke "{op}_xx" (i32.const {a}) (i32.const {b})) (f64.const {f64_lit(r)}))')
            if a == 0:  # (0 - 8) mod 2^32 + 8 is 2^32
                A(f'(assert_trap (invoke "{op}_xx2" (i32.const 0) (i32.const 8)) "out of bounds memory access")')
                continue
            x, y = val_at(a), val_at(8)
            r = x * y if op == "mul" else x + y
            A(f'(assert_return (invoke "{op}_xx2" (i32.const {a}) (i32.const 8)) (f64.const {f64_lit(r)}))')
        for a, b in ((65529, 0), (0, 65513), (65536, 65536), (-1, 0), (0, -17)):
            A(f'(assert_trap (invoke "{op}_xx" (i32.const {a}) (i32.const {b})) "out of bounds memory access")')
        A(f'(assert_trap (invoke "{op}_xx2" (i32.const 65529) (i32.const 0)) "out of bounds memory access")')
        A(f'(assert_trap (invoke "{op}_xx2" (i32.const 8) (i32.const 65529)) "out of bounds memory access")')
    # a product plus a value: two roundings, never a fused multiply-add
    F('''  (func (export "muladd") (param $a i32) (param $b i32) (param $c f64) (result f64)
    (f64.add (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b))) (local.get $c)))
  (func (export "addmul") (param $a i32) (param $b i32) (param $c f64) (result f64)
    (f64.add (local.get $c) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))''')
    c_list = [0.0, -(1.0 + 2.0 ** -26), 1e16, float("-inf"), -0.0]
    for a in range(0, 64, 8):
        for b in (0, 24, 48):
            for c in c_list:
                r = val_at(a) * val_at(b) + c
                for f in ("muladd", "addmul"):
                    A(f'(assert_return (invoke "{f}" (i32.const {a}) (i32.const {b}) (f64.const {f64_lit(c)})) (f64.const {f64_lit(r)}))')
    A('(assert_trap (invoke "muladd" (i32.const 65529) (i32.const 0) (f64.const 0)) "out of bounds memory access")')
    # a product plus a chain of sums (an unrolled dot product): every sum in order
    F('''  (func (export "dot4") (param $a i32) (param $b i32) (param $s f64) (param $p f64) (param $q f64) (param $r f64) (result f64)
    (local.get $r) (local.get $q) (local.get $p)
    (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))
    (local.get $s)
    (f64.add) (f64.add) (f64.add) (f64.add))
  (func (export "dot2") (param $a i32) (param $b i32) (param $s f64) (param $p f64) (result f64)
    (f64.add (local.get $p) (f64.add (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b))) (local.get $s))))
  (func (export "dot3") (param $a i32) (param $b i32) (param $s f64) (param $p f64) (param $q f64) (result f64)
    (f64.add (local.get $q) (f64.add (local.get $p) (f64.add (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b))) (local.get $s)))))''')
    L = lambda *xs: " ".join(f"(f64.const {f64_lit(x)})" for x in xs)
    for a, b in ((24, 24), (32, 0), (8, 16), (48, 0), (56, 0)):
        m = val_at(a) * val_at(b)
        for s_, p, q, r in ((-(1.0 + 2.0 ** -26), 1e16, -1e16, 1.0), (1e16, 1.0, 1.0, -1e16),
                            (0.1, 0.2, 0.3, 0.4), (-0.0, -0.0, -0.0, -0.0)):
            A(f'(assert_return (invoke "dot2" (i32.const {a}) (i32.const {b}) {L(s_, p)}) (f64.const {f64_lit(p + (m + s_))}))')
            A(f'(assert_return (invoke "dot3" (i32.const {a}) (i32.const {b}) {L(s_, p, q)}) (f64.const {f64_lit(q + (p + (m + s_)))}))')
            A(f'(assert_return (invoke "dot4" (i32.const {a}) (i32.const {b}) {L(s_, p, q, r)}) (f64.const {f64_lit(r + (q + (p + (m + s_))))}))')
    A('(assert_trap (invoke "dot4" (i32.const 0) (i32.const 65529) (f64.const 0) (f64.const 0) (f64.const 0) (f64.const 0)) "out of bounds memory access")')
    # clang's unrolled dot product: every product first, then each added to the
    # running sum in turn (one instruction computing all the products); loads
    # with add-immediate addresses that wrap, offsets, traps in any load
    def dot_term(j):
        # (imm, offset) of the a-load and the b-load of product j (None: no i32.add)
        return ((8 * j + 8, 0) if j % 2 == 0 else (8 * j, 8)), ((None, 8 * j) if j % 2 == 0 else (8 * j, 0))

    def dot_load(var, imm, off):
        addr = f"(local.get ${var})" if imm is None else f"(i32.add (local.get ${var}) (i32.const {imm}))"
        return f"(f64.load offset={off} {addr})"

    def dot_ea(x, imm, off):
        return ((x + (imm or 0)) & M32) + off

    def mem_at(ea):
        return val_at(ea) if ea < 64 else 0.0

    for n in (2, 3, 4):
        body = []
        for j in range(n - 1, -1, -1):
            (ia, oa), (ib, ob) = dot_term(j)
            body.append(f"    (f64.mul {dot_load('a', ia, oa)} {dot_load('b', ib, ob)})")
        body.append("    (local.get $s)")
        body.append("    " + " ".join(["(f64.add)"] * n))
        F(f'  (func (export "dotp{n}") (param $a i32) (param $b i32) (param $s f64) (result f64)\n' + "\n".join(body) + ")")
        for a in (0, 8, -8, -16, 16, 65496, -1):
            for b in (0, 8, 24, -8, 65512):
                for s_ in (0.0, -(1.0 + 2.0 ** -26), 1e16):
                    eas = []
                    for j in range(n):
                        (ia, oa), (ib, ob) = dot_term(j)
                        eas.append((dot_ea(a, ia, oa), dot_ea(b, ib, ob)))
                    args = f"(i32.const {s32(a)}) (i32.const {s32(b)}) (f64.const {f64_lit(s_)})"
                    if any(e + 8 > 65536 for pair in eas for e in pair):
                        A(f'(assert_trap (invoke "dotp{n}" {args}) "out of bounds memory access")')
                        continue
                    if any(e % 8 for pair in eas for e in pair):
                        continue
                    r = s_
                    for j in range(n):
                        r = mem_at(eas[j][0]) * mem_at(eas[j][1]) + r
                    A(f'(assert_return (invoke "dotp{n}" {args}) (f64.const {f64_lit(r)}))')
    # a product kept in a local, or a branch target among the products: the
    # products that remain operands on the stack are still added in order
    F('''  (func (export "dot_tee") (param $a i32) (param $b i32) (param $s f64) (result f64)
    (local $t f64)
    (local.tee $t (f64.mul (f64.load (local.get $a)) (f64.load offset=8 (local.get $b))))
    (f64.mul (f64.load offset=16 (local.get $a)) (f64.load (local.get $b)))
    (local.get $s)
    (f64.add) (f64.add) (local.get $t) (f64.add))
  (func (export "dot_label") (param $a i32) (param $b i32) (param $s f64) (param $c i32) (result f64)
    (f64.mul (f64.load (local.get $a)) (f64.load offset=8 (local.get $b)))
    (block (br_if 0 (local.get $c)))
    (f64.mul (f64.load offset=16 (local.get $a)) (f64.load (local.get $b)))
    (local.get $s)
    (f64.add) (f64.add))''')
    for a, b in ((0, 0), (8, 16), (24, 8), (32, 24), (40, 0)):
        for s_ in (0.0, 1e16, -(1.0 + 2.0 ** -26)):
            p0 = val_at(a) * val_at(b + 8)
            p1 = val_at(a + 16) * val_at(b)
            args = f"(i32.const {a}) (i32.const {b}) (f64.const {f64_lit(s_)})"
            A(f'(assert_return (invoke "dot_tee" {args}) (f64.const {f64_lit(p0 + (p1 + s_) + p0)}))')
            for c in (0, 1):
                A(f'(assert_return (invoke "dot_label" {args} (i32.const {c})) (f64.const {f64_lit(p0 + (p1 + s_))}))')
    # chains of sums: each rounds on its own, in the order the code gives
    F('''  (func (export "sum3") (param $a f64) (param $b f64) (param $c f64) (result f64)
    (f64.add (local.get $a) (f64.add (local.get $b) (local.get $c))))
  (func (export "sum4") (param $a f64) (param $b f64) (param $c f64) (param $d f64) (result f64)
    (f64.add (local.get $a) (f64.add (local.get $b) (f64.add (local.get $c) (local.get $d)))))
  (func (export "sum5") (param $a f64) (param $b f64) (param $c f64) (param $d f64) (param $e f64) (result f64)
    (f64.add (local.get $e) (f64.add (local.get $a) (f64.add (local.get $b) (f64.add (local.get $c) (local.get $d))))))
  (func (export "sum_left") (param $a f64) (param $b f64) (param $c f64) (param $d f64) (result f64)
    (f64.add (f64.add (f64.add (local.get $a) (local.get $b)) (local.get $c)) (local.get $d)))''')
    quads = [(1.0, 1e16, -1e16, 1.0), (1e16, 1.0, 1.0, -1e16), (0.1, 0.2, 0.3, 0.4),
             (2.0 ** 53, 1.0, 1.0, 0.0), (1.0, 2.0 ** 53, -(2.0 ** 53), 1.0),
             (float("inf"), float("-inf"), 1.0, 1.0), (-0.0, -0.0, -0.0, -0.0), (-0.0, 0.0, -0.0, -0.0)]
    for a, b, c, d in quads:
        L = lambda *xs: " ".join(f"(f64.const {f64_lit(x)})" for x in xs)
        A(f'(assert_return (invoke "sum3" {L(a, b, c)}) (f64.const {f64_lit(a + (b + c))}))')
        A(f'(assert_return (invoke "sum4" {L(a, b, c, d)}) (f64.const {f64_lit(a + (b + (c + d)))}))')
        A(f'(assert_return (invoke "sum5" {L(a, b, c, d, 1.0)}) (f64.const {f64_lit(1.0 + (a + (b + (c + d))))}))')
        A(f'(assert_return (invoke "sum_left" {L(a, b, c, d)}) (f64.const {f64_lit(((a + b) + c) + d)}))')
    A('(assert_return (invoke "sum4" (f64.const -nan:0x1) (f64.const 1) (f64.const 2) (f64.const 3)) (f64.const nan:canonical))')
    A('(assert_return (invoke "sum3" (f64.const 1) (f64.const 2) (f64.const -nan:0x1)) (f64.const nan:canonical))')
    # a branch target between the two loads: the pair must not become one instruction
    F('''  (func (export "label_between") (param $a i32) (param $b i32) (param $c i32) (result f64)
    (local.get $a) (f64.load)
    (block (br_if 0 (local.get $c)))
    (local.get $b) (f64.load)
    (f64.mul))
  (func (export "label_add") (param $i i32) (param $c i32) (result i32)
    (local.set $i (i32.add (local.get $i) (i32.const 3)))
    (block (br_if 0 (local.get $c)))
    (block (br_if 0 (i32.lt_s (local.get $i) (i32.const 10))) (return (i32.const -1)))
    (local.get $i))''')
    for c in (0, 1):
        A(f'(assert_return (invoke "label_between" (i32.const 8) (i32.const 16) (i32.const {c})) (f64.const {f64_lit(2.5 * -3.0)}))')
        A(f'(assert_return (invoke "label_add" (i32.const 2) (i32.const {c})) (i32.const 5))')
        A(f'(assert_return (invoke "label_add" (i32.const 7) (i32.const {c})) (i32.const -1))')
    # i32.add #k and a compare of its result: every compare, b a slot or an immediate
    steps = [1, -1, 0x7FFFFFFF, -0x80000000]
    starts = [0, 5, -1, 0x7FFFFFFF, -0x80000000, 9]
    bounds = [0, 6, 4, -1, -0x80000000, 0x7FFFFFFF]
    for op in CMPS:
        for k in steps:
            F(f'''  (func (export "br_{op}_{k & M32:x}") (param $i i32) (param $n i32) (result i32)
    (block (br_if 0 (i32.{op} (local.tee $i (i32.add (local.get $i) (i32.const {k}))) (local.get $n)))
      (return (i32.xor (local.get $i) (i32.const -1))))
    (local.get $i))''')
            for x in starts:
                for n in bounds:
                    i = (x + k) & M32
                    r = i if cmp(op, i, n) else i ^ M32
                    A(f'(assert_return (invoke "br_{op}_{k & M32:x}" (i32.const {s32(x)}) (i32.const {s32(n)})) (i32.const {s32(r)}))')
        for n in bounds:
            F(f'''  (func (export "bri_{op}_{n & M32:x}") (param $i i32) (result i32)
    (block (br_if 0 (i32.{op} (local.tee $i (i32.add (local.get $i) (i32.const 7))) (i32.const {s32(n)})))
      (return (i32.xor (local.get $i) (i32.const -1))))
    (local.get $i))''')
            for x in starts:
                i = (x + 7) & M32
                r = i if cmp(op, i, n) else i ^ M32
                A(f'(assert_return (invoke "bri_{op}_{n & M32:x}" (i32.const {s32(x)})) (i32.const {s32(r)}))')
    # counted loops closed by the fused instruction: the iterations and the value left
    F('''  (func (export "count_up") (param $n i32) (result i32)
    (local $i i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 3))) (local.get $n))))
    (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
  (func (export "count_ne") (result i32)
    (local $i i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 32))) (i32.const 768))))
    (local.get $k))''')
    for n in (0, 1, 3, 4, 30, 31):
        i, k = 0, 0
        while True:
            k += 1
            i += 3
            if not i < n:
                break
        A(f'(assert_return (invoke "count_up" (i32.const {n})) (i32.const {k * 1000 + i}))')
    A('(assert_return (invoke "count_ne") (i32.const 24))')
    # two induction variables stepped before the test (one instruction): the
    # second step and the bound read what the first step just wrote
    F('''  (func (export "iv_chain") (param $n i32) (result i32)
    (local $i i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $l (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
  (func (export "iv_bound") (param $n i32) (result i32)
    (local $i i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br_if $l (i32.le_u (local.tee $i (i32.add (local.get $i) (i32.const 3))) (local.get $n))))
    (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
  (func (export "iv_ne") (result i32)
    (local $i i32) (local $k i32)
    (loop $l
      (local.set $k (i32.add (local.get $k) (i32.const -7)))
      (br_if $l (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 32))) (i32.const 768))))
    (i32.add (local.get $k) (local.get $i)))''')
    for n in (-5, 0, 1, 3, 4, 30, 31):
        i, k = 0, 0
        while True:
            k += 1
            i += 3
            if not s32(i) < n:
                break
        A(f'(assert_return (invoke "iv_chain" (i32.const {n})) (i32.const {s32(k * 1000 + i)}))')
        i, k, m = 0, 0, n & M32
        while True:
            k += 1
            m = (m + 1) & M32
            i += 3
            if not i <= m or k > 100:
                break
        if k <= 100:
            A(f'(assert_return (invoke "iv_bound" (i32.const {n})) (i32.const {s32(k * 1000 + i)}))')
    A(f'(assert_return (invoke "iv_ne") (i32.const {s32(24 * -7 + 768)}))')
    # an i32.add #k and the br after it (one instruction): back to a loop,
    # forward, and with a branch target between them (kept apart)
    F('''  (func (export "addi_br") (param $n i32) (result i32)
    (local $i i32) (local $k i32)
    (block $done
      (loop $l
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 3)))
        (br $l)))
    (i32.add (i32.mul (local.get $k) (i32.const 1000)) (local.get $i)))
  (func (export "addi_br_fwd") (param $x i32) (param $c i32) (result i32)
    (block $out
      (block $in
        (local.set $x (i32.add (local.get $x) (i32.const 7)))
        (br_if $in (local.get $c))
        (local.set $x (i32.add (local.get $x) (i32.const 100))))
      (local.set $x (i32.add (local.get $x) (i32.const 1)))
      (br $out))
    (local.get $x))
  (func (export "addi_br_label") (param $x i32) (param $c i32) (result i32)
    (block $out
      (block $in
        (local.set $x (i32.add (local.get $x) (i32.const 100)))
        (br_if $in (local.get $c))
        (local.set $x (i32.add (local.get $x) (i32.const 1))))
      (br $out))
    (local.get $x))''')
    for n in (-1, 0, 1, 3, 4, 30):
        i, k = 0, 0
        while i < n:
            k += 1
            i += 3
        A(f'(assert_return (invoke "addi_br" (i32.const {n})) (i32.const {k * 1000 + i}))')
    for x in (0, -1, 0x7FFFFFFF):
        for c in (0, 1):
            r1 = x + 7 + (1 if c else 101)
            r2 = x + 100 + (0 if c else 1)
            A(f'(assert_return (invoke "addi_br_fwd" (i32.const {s32(x)}) (i32.const {c})) (i32.const {s32(r1)}))')
            A(f'(assert_return (invoke "addi_br_label" (i32.const {s32(x)}) (i32.const {c})) (i32.const {s32(r2)}))')
    print(";; Generated by gen_fused_pairs.py: instruction pairs the engine fuses into one.")
    print("(module")
    print("  (memory 1)")
    print(f'  (data (i32.const 0) "{data()}")')
    print("\n".join(funcs))
    print(")")
    print("\n".join(asserts))


main()
