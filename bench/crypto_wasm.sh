#!/usr/bin/env bash
# Ed25519 and BLAKE3 in the WebAssembly build (Node) against the native
# hosted build of the same program, bench/crypto_speed.c.
cd "$(dirname "$0")/.."
native=build/hosted/bench/crypto_speed
wasm=build/wasm/bin/crypto_speed
if [ ! -f "$wasm" ] || [ ! -x build/bin/zero-wasm ]; then
    make --no-print-directory PLATFORM=wasm "$wasm" build/bin/zero-wasm >/dev/null 2>&1
fi
if [ ! -x "$native" ] || [ ! -f "$wasm" ] || [ ! -x build/bin/zero-wasm ]; then
    echo "bench: crypto_wasm skipped (build hosted and wasm first)" >&2
    exit 0
fi
n_out=$("$native") || exit 1
w_out=$(build/bin/zero-wasm --run "$wasm") || exit 1
# Lines are "bench: PREFIX_NAME VALUE UNIT".
while read -r _ wname wval unit; do
    name=${wname#wasm_}
    nval=$(awk -v k="native_$name" '$2 == k { print $3 }' <<<"$n_out")
    printf 'bench: wasm_%s %s %s vs native %s ratio %.3f\n' "$name" "$wval" "$unit" "$nval" \
        "$(awk -v a="$wval" -v b="$nval" 'BEGIN { print a / b }')"
done <<<"$w_out"
