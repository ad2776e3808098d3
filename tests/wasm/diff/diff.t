#!/usr/bin/env bash
# The standing differential test against V8, bounded for make test: 150
# Binaryen translate-to-fuzz modules and 150 of gen.py, every export run on
# Zero and on Node (diff.sh).  WASM_DIFF_SEED picks another set; make soak
# runs thousands (soak.sh).
cd "$(dirname "$0")/../../.."
seed=${WASM_DIFF_SEED:-1}
out=$(tests/wasm/diff/diff.sh 150 "$seed" 2>&1)
rc=$?
echo "1..1"
if [ $rc -eq 0 ]; then
    echo "ok 1 - wasm_zero_and_v8_agree_on_300_generated_modules (seed $seed): $(tail -1 <<<"$out")"
else
    echo "not ok 1 - wasm_zero_and_v8_agree_on_300_generated_modules (seed $seed)"
    sed 's/^/# /' <<<"$out" | tail -40
    echo "# the modules are in build/wasm-diff/fail/"
fi
