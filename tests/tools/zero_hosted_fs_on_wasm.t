#!/usr/bin/env bash
# The terminal's file sessions (zero_hosted_fs.t), run unchanged against the
# wasm build under Node: the same fs messages and Axiom queries, the same
# answers.
cd "$(dirname "$0")/../.."
ZERO_HOSTED=build/bin/zero-wasm exec tests/tools/zero_hosted_fs.t
