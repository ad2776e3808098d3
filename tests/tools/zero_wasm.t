#!/usr/bin/env bash
# The wasm build run through build/bin/zero-wasm behaves like the native
# tools: same output, same exit codes, paths relative to the caller.
cd "$(dirname "$0")/../.."
root=$PWD
echo "1..6"
n=0
check() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 5000 /dev/urandom >"$work/data"

native=$(cd "$work" && "$root"/build/bin/zero hash data)
wasm=$(cd "$work" && "$root"/build/bin/zero-wasm hash data)
[ -n "$native" ] && [ "$native" = "$wasm" ]
check $? "zero_wasm_hash_matches_native_with_relative_path"

[ "$(build/bin/zero-wasm hash - <"$work/data")" = "$(build/bin/zero hash - <"$work/data")" ]
check $? "zero_wasm_hash_reads_stdin"

build/bin/zero-wasm no-such-command >/dev/null 2>&1
check $([ $? = 2 ] && echo 0 || echo 1) "zero_wasm_passes_usage_exit_status_through"

out=$(printf 'help\nexit\n' | build/bin/zero-wasm)
echo "$out" | grep -q '^Zero OS .* (wasm)'
check $? "zero_wasm_starts_the_hosted_system"

[ "$(printf 'help\nexit\n' | build/bin/zero-wasm | tail -n +2)" = "$(printf 'help\nexit\n' | build/bin/zero-hosted | tail -n +2)" ]
check $? "zero_wasm_terminal_session_matches_native"

ZERO_WASM_DIR=/nonexistent build/bin/zero-wasm version >/dev/null 2>&1
check $([ $? = 2 ] && echo 0 || echo 1) "zero_wasm_reports_missing_build"
