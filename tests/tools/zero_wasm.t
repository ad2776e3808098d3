#!/usr/bin/env bash
# The wasm build run through build/bin/zero-wasm behaves like the native
# tools: same output, same exit codes, paths relative to the caller.
cd "$(dirname "$0")/../.."
root=$PWD
. tests/lib/tap.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 5000 /dev/urandom >"$work/data"

native=$(cd "$work" && "$root"/build/bin/zero hash data)
wasm=$(cd "$work" && "$root"/build/bin/zero-wasm hash data)
check "zero_wasm_hash_matches_native_with_relative_path" test -n "$native" -a "$native" = "$wasm"

check "zero_wasm_hash_reads_stdin" test "$(build/bin/zero-wasm hash - <"$work/data")" = "$(build/bin/zero hash - <"$work/data")"

build/bin/zero-wasm no-such-command >/dev/null 2>&1
check "zero_wasm_passes_usage_exit_status_through" test $? = 2

out=$(printf 'help\nexit\n' | build/bin/zero-wasm)
check "zero_wasm_starts_the_hosted_system" grep -q '^Zero OS .* (wasm)' <<<"$out"

check "zero_wasm_terminal_session_matches_native" test \
    "$(printf 'help\nexit\n' | build/bin/zero-wasm | tail -n +2)" = "$(printf 'help\nexit\n' | build/bin/zero-hosted | tail -n +2)"

ZERO_WASM_DIR=/nonexistent build/bin/zero-wasm version >/dev/null 2>&1
check "zero_wasm_reports_missing_build" test $? = 2
tap_done
