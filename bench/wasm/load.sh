#!/usr/bin/env bash
# Load-time benchmark: how many module bytes per second Zero's engine
# decodes, validates and compiles (wasm_load_bench), against V8's compile
# of the same bytes in Node (v8_load.js, new WebAssembly.Module).  The
# modules are real clang -O2 output: Zero's own test programs built for the
# wasm platform and the bench/wasm programs, without their custom (debug)
# sections.  CPU time per load; the ratio is Zero's throughput over V8's
# (above 1: Zero loads faster).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/bench-wasm/load
rm -rf "$out"
mkdir -p "$out"
for t in crypto_vectors axiom_core cbor_codec; do
    src=build/wasm/tests/$t.t.wasm
    [ -f "$src" ] && wasm-strip "$src" -o "$out/$t.wasm"
done
for prog in blake3 sort interp matmul; do
    clang --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--export=run \
        -o "$out/$prog.wasm" "bench/wasm/$prog.c"
done
mods=("$out"/*.wasm)
build/bin/wasm_load_bench "${mods[@]}" >"$out/zero.txt"
node bench/wasm/v8_load.js "${mods[@]}" >"$out/v8.txt"
join <(sort "$out/zero.txt") <(sort "$out/v8.txt") | awk '
    function mbs(bytes, s) { return bytes / s / 1e6 }
    {
        name = $1; sub(".*/", "", name); sub("[.]wasm$", "", name)
        printf "bench: wasm_load_%s %.1f MB/s vs v8_compile %.1f ratio %.2f\n",
            name, mbs($2, $3), mbs($2, $5), $5 / $3
        bytes += $2; zt += $3; vt += $5
    }
    END {
        printf "bench: wasm_load_all %.1f MB/s vs v8_compile %.1f ratio %.2f\n",
            mbs(bytes, zt), mbs(bytes, vt), vt / zt
    }'
