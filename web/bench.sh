#!/usr/bin/env bash
# make bench: the web page in headless Chromium (tests/web/web-test.mjs
# --bench): load to the zero> prompt, and replay verification in the page
# against zero.wasm under Node and native zero on the same log.
cd "$(dirname "$0")/.." || exit 1
if [ ! -x /usr/bin/chromium ] || [ ! -f build/wasm/bin/zero-web ] || [ ! -x build/hosted/bench/bench_axiom ]; then
    echo "bench: web skipped (needs chromium, the wasm build and build/hosted/bench/bench_axiom)" >&2
    exit 0
fi
web/build.sh >&2 || exit 1
exec node tests/web/web-test.mjs --bench
