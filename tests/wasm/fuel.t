#!/usr/bin/env bash
# Fuel determinism: the same module with the same budget stops at the same
# point on the hosted build and on the WebAssembly build (run under Node).
# The counter the loop stores shows where it stopped; the exit status and
# output must match for every budget.
cd "$(dirname "$0")/../.."
root=$PWD
hosted=build/bin/zero
wasm=build/bin/zero-wasm
mod=$root/tests/wasm/modules/engine.wasm
if [ ! -x "$wasm" ] || [ ! -f build/wasm/bin/zero ] || ! command -v node >/dev/null; then
    echo "1..0 # SKIP no wasm build of zero"
    exit 0
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# run ZERO FUNC ARG FUEL: prints stdout, the fuel line and the status on one line
run() {
    out=$("$1" wasm run "$mod" --invoke "$2" "$3" --fuel "$4" 2>"$tmp")
    rc=$?
    echo "$out, $(cat "$tmp"), status $rc"
}
budgets="0 2 3 14 15 1202 1203 99999 123457"
echo "1..$(( $(echo $budgets | wc -w) + 1 ))"
n=0
for b in $budgets; do
    n=$((n + 1))
    h=$(run $hosted spin 10000 "$b")
    w=$(run $wasm spin 10000 "$b")
    if [ "$h" = "$w" ]; then
        echo "ok $n - wasm_fuel_budget_${b}_same_on_hosted_and_wasm: $h"
    else
        echo "not ok $n - wasm_fuel_budget_${b}_same_on_hosted_and_wasm"
        echo "# hosted: $h"
        echo "# wasm:   $w"
    fi
done
n=$((n + 1))
h=$(run $hosted fib 20 200000)
w=$(run $wasm fib 20 200000)
if [ "$h" = "$w" ]; then echo "ok $n - wasm_fuel_recursive_calls_same_on_hosted_and_wasm: $h"; else echo "not ok $n - wasm_fuel_recursive_calls_same"; echo "# $h / $w"; fi
