#!/usr/bin/env bash
# zero wasm run: output format, exit codes, fuel and refusal of bad modules.
cd "$(dirname "$0")/../.."
zero=build/bin/zero
mod=tests/wasm/modules/engine.wasm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
check() { # name expected-status expected-stdout command...
    local name=$1 want_rc=$2 want_out=$3
    shift 3
    n=$((n + 1))
    out=$("$@" 2>"$tmp/err")
    rc=$?
    if [ "$rc" = "$want_rc" ] && [ "$out" = "$want_out" ]; then
        echo "ok $n - $name"
    else
        echo "not ok $n - $name"
        echo "#   status $rc (want $want_rc), stdout: $out (want $want_out)"
        sed 's/^/#   stderr: /' "$tmp/err"
    fi
}
echo "1..17"
check "wasm_cli_prints_f64_as_bit_pattern" 0 "f64:0x400921fb54442d18" $zero wasm run $mod --invoke pi
check "wasm_cli_prints_i32_signed" 0 "i32:-3" $zero wasm run $mod --invoke add 2 -5
check "wasm_cli_prints_every_result_in_order" 0 $'i64:9\ni32:7' $zero wasm run $mod --invoke swap 7 9
check "wasm_cli_runs_fib" 0 "i64:832040" $zero wasm run $mod --invoke fib 30
check "wasm_cli_f32_nan_is_canonical" 0 "f32:0x7fc00000" $zero wasm run $mod --invoke fdiv 0 0
check "wasm_cli_float_args_as_bit_patterns" 0 "f32:0x3fc00000" $zero wasm run $mod --invoke fdiv 0x40400000 0x40000000
check "wasm_cli_i64_args_and_results" 0 $'i64:-9223372036854775808\ni32:-7' $zero wasm run $mod --invoke swap -7 -9223372036854775808
check "wasm_cli_bad_argument_exits_2" 2 "" $zero wasm run $mod --invoke add 1 x
check "wasm_cli_trap_exits_1" 1 "trap: integer divide by zero" $zero wasm run $mod --invoke div 1 0
check "wasm_cli_recursion_traps_cleanly" 1 "trap: call stack exhausted" $zero wasm run $mod --invoke rec 0
check "wasm_cli_fuel_exactly_enough_runs" 0 "i32:100" $zero wasm run $mod --invoke spin 100 --fuel 1203
check "wasm_cli_fuel_one_short_traps" 1 "trap: out of fuel" $zero wasm run $mod --invoke spin 100 --fuel 1202
check "wasm_cli_unknown_export_exits_2" 2 "" $zero wasm run $mod --invoke nosuch
head -c 100 $mod >"$tmp/trunc.wasm"
check "wasm_cli_malformed_module_exits_2" 2 "" $zero wasm run "$tmp/trunc.wasm" --invoke add 1 2
grep -q "malformed module" "$tmp/err" || echo "# stderr did not say malformed"
# a function declared to return i32 whose body returns nothing
printf '\0asm\1\0\0\0\1\5\1\x60\0\1\x7f\3\2\1\0\7\5\1\1f\0\0\x0a\4\1\2\0\x0b' >"$tmp/invalid.wasm"
check "wasm_cli_invalid_module_exits_2" 2 "" $zero wasm run "$tmp/invalid.wasm" --invoke f
n=$((n + 1))
if grep -q "invalid module: type mismatch" "$tmp/err"; then echo "ok $n - wasm_cli_invalid_module_says_why"; else echo "not ok $n - wasm_cli_invalid_module_says_why"; cat "$tmp/err" | sed 's/^/# /'; fi
check "wasm_cli_help_exits_0" 0 "$($zero wasm --help)" $zero wasm --help
