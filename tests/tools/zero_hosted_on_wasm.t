#!/usr/bin/env bash
# The authority spine's scripted terminal sessions (zero_hosted.t), run
# unchanged against the wasm build under Node: same commands, same answers.
cd "$(dirname "$0")/../.."
ZERO_HOSTED=build/bin/zero-wasm exec tests/tools/zero_hosted.t
