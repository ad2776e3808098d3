#!/usr/bin/env bash
# Assembles the web page into build/web/ (make web): the page's files, the
# wasm node (zero-web) and tool (zero) of the wasm build, and xterm.js from
# web/node_modules (npm ci from the committed lock file).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/web
for w in zero-web zero; do
    if [ ! -f build/wasm/bin/$w ]; then
        echo "web: build/wasm/bin/$w is missing; run 'make PLATFORM=wasm'" >&2
        exit 1
    fi
done
if [ ! -f web/node_modules/@xterm/xterm/lib/xterm.mjs ]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
mkdir -p $out/vendor
cp web/site/* $out/
cp build/wasm/bin/zero-web $out/zero-web.wasm
cp build/wasm/bin/zero $out/zero.wasm
cp web/node_modules/@xterm/xterm/lib/xterm.mjs web/node_modules/@xterm/xterm/css/xterm.css $out/vendor/
