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

# 100000 nested blocks: the modest first arena is refused, so the load takes
# the proven bound (20 MB) and the memory grows by it; the run must end cleanly
python3 -c '
import sys
n = 100000
code = b"\x00" + b"\x02\x40" * n + b"\x0b" * n + b"\x0b"
def leb(v):
    out = b""
    while True:
        b, v = v & 0x7f, v >> 7
        if not v:
            return out + bytes([b])
        out += bytes([b | 0x80])
def sec(i, body):
    return bytes([i]) + leb(len(body)) + body
body = b"\x01" + leb(len(code)) + code
sys.stdout.buffer.write(b"\x00asm\x01\x00\x00\x00" + sec(1, b"\x01\x60\x00\x00") +
                        sec(3, b"\x01\x00") + sec(7, b"\x01\x01f\x00\x00") + sec(10, body))
' >"$work/deep.wasm"
out=$(build/bin/zero-wasm wasm run "$work/deep.wasm" --invoke f 2>&1)
check "zero_wasm_runs_a_module_needing_the_full_arena" test $? = 0 -a "$out" = "$(build/bin/zero wasm run "$work/deep.wasm" --invoke f 2>&1)"

ZERO_WASM_DIR=/nonexistent build/bin/zero-wasm version >/dev/null 2>&1
check "zero_wasm_reports_missing_build" test $? = 2
tap_done
