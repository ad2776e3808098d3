#!/usr/bin/env bash
# Fuel against time: for each class of instruction whose work grows with
# an operand (docs/wasm.md, "Fuel"), a loop made of it runs on zero wasm
# run at two iteration counts, and (CPU time difference) / (fuel
# difference) is its time per fuel unit, startup and loading cancelled
# out.  Each is compared with ordinary code (an i32 loop); the last line is
# the slowest class, whose ratio bounds how far a fuel budget can
# under-count time.  Best of three runs per point.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench-wasm/fuel
zero=build/bin/zero
mkdir -p "$out"
TIMEFORMAT='%3U %3S'
loop() { # loop BODY: a function f(n) that runs BODY n times
    echo "(loop \$l $1 (br_if \$l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))"
}
seg=$(python3 -c "print('\\\\00' * 32768)")
cat >"$out/alu.wat" <<W
(module (func (export "f") (param i32) (local i32)
  $(loop "(local.set 1 (i32.add (local.get 1) (i32.xor (local.get 0) (i32.const 7))))")))
W
cat >"$out/call.wat" <<W
(module (func \$g (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "f") (param i32) (local i32)
  $(loop "(local.set 1 (call \$g (local.get 1)))")))
W
cat >"$out/locals.wat" <<W
(module (func \$g (local $(printf 'i64 %.0s' $(seq 49999))))
  (func (export "f") (param i32) $(loop "(call \$g)")))
W
cat >"$out/fill.wat" <<W
(module (memory 256) (func (export "f") (param i32)
  $(loop "(memory.fill (i32.const 0) (i32.const 1) (i32.const 16777216))")))
W
cat >"$out/copy.wat" <<W
(module (memory 256) (func (export "f") (param i32)
  $(loop "(memory.copy (i32.const 0) (i32.const 8388608) (i32.const 8388608))")))
W
cat >"$out/init.wat" <<W
(module (memory 1) (data \$d "$seg") (func (export "f") (param i32)
  $(loop "(memory.init \$d (i32.const 0) (i32.const 0) (i32.const 32768))")))
W
vals=$(printf '(local.get 1) %.0s' $(seq 64))
cat >"$out/branch.wat" <<W
(module (type \$t (func (result $(printf 'i64 %.0s' $(seq 64)))))
  (func (export "f") (param i32) (local i64)
  $(loop "(block (type \$t) (i32.const 0) (drop) $vals (br 0)) $(printf '(drop) %.0s' $(seq 64))")))
W
# point MODULE N: "CPU-SECONDS FUEL" of f(N), the least time of three runs
point() {
    local best="" t fuel
    for _ in 1 2 3; do
        t=$({ time "$zero" wasm run "$out/$1.wasm" --invoke f "$2" --fuel 1000000000000 \
            2>"$out/$1.fuel" >/dev/null; } 2>&1)
        t=$(awk '{ printf "%.3f", $1 + $2 }' <<<"$t")
        if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
    done
    fuel=$(sed -n 's/^fuel used: \([0-9]*\) of.*/\1/p' "$out/$1.fuel")
    echo "$best $fuel"
}
# ns_per_unit MODULE N1 N2
ns_per_unit() {
    read -r t1 u1 < <(point "$1" "$2")
    read -r t2 u2 < <(point "$1" "$3")
    awk -v t1="$t1" -v t2="$t2" -v u1="$u1" -v u2="$u2" \
        'BEGIN { d = t2 - t1; if (d < 0.001) d = 0.001; printf "%.3f", d * 1e9 / (u2 - u1) }'
}
for c in alu call locals fill copy init branch; do
    wat2wasm "$out/$c.wat" -o "$out/$c.wasm"
done
alu=$(ns_per_unit alu 1000000 60000000)
worst=alu
worst_ns=$alu
for spec in call:100000:20000000 locals:100:40000 fill:2:150 copy:2:250 init:1000:100000 \
    branch:10000:3000000; do
    IFS=: read -r c n1 n2 <<<"$spec"
    ns=$(ns_per_unit "$c" "$n1" "$n2")
    echo "bench: wasm_fuel_$c $ns ns/unit vs alu $alu ratio $(awk -v a="$ns" -v b="$alu" 'BEGIN { printf "%.2f", a / b }')"
    if awk -v a="$ns" -v b="$worst_ns" 'BEGIN { exit !(a > b) }'; then worst=$c; worst_ns=$ns; fi
done
echo "bench: wasm_fuel_slowest_class_$worst $worst_ns ns/unit vs alu $alu ratio $(awk -v a="$worst_ns" -v b="$alu" 'BEGIN { printf "%.2f", a / b }')"
