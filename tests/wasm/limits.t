#!/usr/bin/env bash
# Modules at the engine's limits (hostile.py): valid modules that were once
# refused ("module arena too small", "operand stack too deep"), compile
# time linear in the module, and fuel that grows with the work of bulk
# memory operations and of zeroing locals, the same on the hosted and the
# WebAssembly build.  Results are compared with V8 where they are values.
cd "$(dirname "$0")/../.."
. tests/lib/tap.sh
zero=build/bin/zero
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 tests/wasm/hostile.py "$tmp"
for w in "$tmp"/*.wat; do
    wat2wasm "$w" -o "${w%.wat}.wasm"
done

# fuel_used MODULE ARG [ZERO]: the fuel a call of f(ARG) uses
fuel_used() {
    "${3:-$zero}" wasm run "$tmp/$1.wasm" --invoke f $2 --fuel 100000000000 2>&1 >/dev/null |
        sed -n 's/^fuel used: \([0-9]*\) of.*/\1/p'
}

check "wasm_782_dropped_constants_load" [ "$($zero wasm run "$tmp/drops.wasm" --invoke f)" = i32:7 ]
out=$($zero wasm run "$tmp/multi.wasm" --invoke f)
check "wasm_68_results_of_a_call" [ "$(wc -l <<<"$out")" = 68 -a "$(tail -1 <<<"$out")" = i32:67 ]
check "wasm_70000_values_on_the_stack" [ "$($zero wasm run "$tmp/deep.wasm" --invoke f)" = i32:70000 ]
start=$(date +%s%N)
$zero wasm run "$tmp/pending.wasm" --invoke f >/dev/null
ms=$((($(date +%s%N) - start) / 1000000))
check "wasm_pending_reads_and_writes_load_in_linear_time (${ms} ms for $(stat -c %s "$tmp/pending.wasm") bytes)" [ "$ms" -lt 3000 ]
check "wasm_writes_of_a_local_with_pending_reads" \
    [ "$($zero wasm run "$tmp/pending2.wasm" --invoke f)" = i32:50000 ]
check "wasm_br_table_of_1000_labels_carrying_600_values" \
    [ "$($zero wasm run "$tmp/brtable.wasm" --invoke f 3)" = i32:600 ]
if command -v node >/dev/null; then
    mods=("$tmp"/drops.wasm "$tmp"/multi.wasm "$tmp"/deep.wasm "$tmp"/pending2.wasm "$tmp"/brtable.wasm)
    build/bin/wasm_diff_zero "${mods[@]}" >"$tmp/z.out"
    node --experimental-wasm-type-reflection tests/wasm/diff/v8_run.js "${mods[@]}" >"$tmp/v.out"
    python3 tests/wasm/diff/compare.py "$tmp/z.out" "$tmp/v.out" >"$tmp/compare.out"
    check "wasm_limit_modules_agree_with_v8" [ $? -eq 0 ]
    sed 's/^/# /' "$tmp/compare.out"
fi

# Fuel in proportion to work: one unit per 16 bytes filled or copied, one
# per 8 locals zeroed; an iteration of each loop costs that plus its instructions.
for spec in fill:1048576 copy:524288 locals:6249; do
    mod=${spec%%:*}
    bulk=${spec##*:}
    u1=$(fuel_used "$mod" 1)
    u2=$(fuel_used "$mod" 2)
    u3=$(fuel_used "$mod" 3)
    step=$((u2 - u1))
    check "wasm_fuel_of_${mod}_grows_by_${bulk}_and_its_instructions_per_iteration ($u1 $u2 $u3)" \
        [ "$step" -eq $((u3 - u2)) -a "$step" -ge "$bulk" -a "$step" -lt $((bulk + 20)) ]
done
out=$($zero wasm run "$tmp/fill.wasm" --invoke f 1000000 --fuel 200000 2>&1)
check "wasm_a_fill_loop_stops_within_its_budget" grep -q "trap: out of fuel" <<<"$out"
if [ -x build/bin/zero-wasm ] && [ -f build/wasm/bin/zero ] && command -v node >/dev/null; then
    for mod in fill copy locals; do
        check "wasm_fuel_of_${mod}_same_on_hosted_and_wasm" \
            [ "$(fuel_used "$mod" 3)" = "$(fuel_used "$mod" 3 build/bin/zero-wasm)" ]
    done
fi
tap_done
