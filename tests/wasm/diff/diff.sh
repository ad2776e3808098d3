#!/usr/bin/env bash
# Differential test of Zero's WebAssembly engine against V8 (Node).
#   usage: diff.sh COUNT [SEED]
# Makes COUNT modules with Binaryen's translate-to-fuzz (wasm-opt -ttf, from
# seeded random bytes, NaNs instrumented away with --denan) and COUNT with
# gen.py (the compiler's fused and reordered forms), runs every export of
# each with fixed arguments on Zero (build/bin/wasm_diff_zero) and on V8
# (v8_run.js), and compares results, trap classes and import calls
# (compare.py).  A module the engines disagree on is kept in
# build/wasm-diff/fail/ to become a regression test.  Exit status 0 when
# they all agree, 1 on a disagreement, 2 when a tool is missing.
set -uo pipefail
cd "$(dirname "$0")/../../.."
count=${1:?usage: diff.sh COUNT [SEED]}
seed=${2:-1}
dir=build/wasm-diff/$seed-$count
zero=build/bin/wasm_diff_zero
for tool in wasm-opt wat2wasm node python3 "$zero"; do
    command -v "$tool" >/dev/null || { echo "diff.sh: $tool not found" >&2; exit 2; }
done
rm -rf "$dir"
mkdir -p "$dir/ttf" "$dir/gen" build/wasm-diff/fail
features="--mvp-features --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int
          --enable-multivalue --enable-mutable-globals"
python3 - "$seed" "$count" "$dir/ttf" <<'PY'
import random, sys
seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for n in range(seed, seed + count):
    r = random.Random(n)
    with open('%s/ttf-%d.bin' % (out, n), 'wb') as f:
        f.write(bytes(r.getrandbits(8) for _ in range(r.randint(256, 8192))))
PY
for bin in "$dir"/ttf/*.bin; do
    # shellcheck disable=SC2086
    wasm-opt "$bin" -ttf --denan $features -o "${bin%.bin}.wasm" 2>/dev/null ||
        echo "diff.sh: wasm-opt failed on $bin" >&2
done
python3 tests/wasm/diff/gen.py "$seed" "$count" "$dir/gen"
for wat in "$dir"/gen/*.wat; do
    wat2wasm "$wat" -o "${wat%.wat}.wasm" || { echo "diff.sh: wat2wasm failed on $wat" >&2; exit 2; }
done
mods=("$dir"/ttf/*.wasm "$dir"/gen/*.wasm)
"$zero" "${mods[@]}" >"$dir/zero.out" 2>"$dir/zero.err"
zrc=$?
timeout 600 node --experimental-wasm-type-reflection tests/wasm/diff/v8_run.js "${mods[@]}" \
    >"$dir/v8.out" 2>"$dir/v8.err"
vrc=$?
if [ $zrc -ne 0 ] || [ $vrc -ne 0 ]; then
    echo "diff.sh: harness failed (zero $zrc, v8 $vrc); see $dir" >&2
    tail -3 "$dir/zero.err" "$dir/v8.err" >&2
    exit 1
fi
python3 tests/wasm/diff/compare.py "$dir/zero.out" "$dir/v8.out" | tee "$dir/compare.out"
rc=${PIPESTATUS[0]}
grep '^DISAGREE' "$dir/compare.out" | awk '{ print $2 }' | while read -r m; do
    cp "$m" build/wasm-diff/fail/ 2>/dev/null
    [ -f "${m%.wasm}.wat" ] && cp "${m%.wasm}.wat" build/wasm-diff/fail/
done
exit "$rc"
