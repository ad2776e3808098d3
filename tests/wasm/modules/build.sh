#!/usr/bin/env bash
# Regenerates engine.wasm and engine_wasm.h from engine.wat (needs wabt).
set -euo pipefail
cd "$(dirname "$0")"
wat2wasm engine.wat -o engine.wasm
{
    echo "/* Generated from engine.wat by build.sh: do not edit. */"
    echo "static const unsigned char engine_wasm[] = {"
    od -An -v -tx1 engine.wasm | sed 's/ \([0-9a-f][0-9a-f]\)/0x\1, /g; s/^/   /; s/, *$/,/'
    echo "};"
} >engine_wasm.h
