#!/usr/bin/env bash
# tests/tools/zero_svc.t against the WebAssembly build under Node's WASI
# (build/bin/zero-wasm): the same supervisor, the same answers.
cd "$(dirname "$0")/../.." || exit 1
if ! command -v node >/dev/null || [ ! -x build/bin/zero-wasm ]; then
    echo "1..0 # SKIP node or the wasm build missing"
    exit 0
fi
ZERO_HOSTED=build/bin/zero-wasm exec tests/tools/zero_svc.t
