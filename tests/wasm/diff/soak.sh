#!/usr/bin/env bash
# make soak: the differential test against V8 at length.  WASM_SOAK_COUNT
# modules of each generator (default 2000), from WASM_SOAK_SEED (default:
# from the clock, printed so a failure can be replayed with diff.sh).
cd "$(dirname "$0")/../../.."
count=${WASM_SOAK_COUNT:-2000}
seed=${WASM_SOAK_SEED:-$(date +%s)}
echo "soak: wasm differential test, $count + $count modules, seed $seed"
echo "soak: replay with tests/wasm/diff/diff.sh $count $seed"
nice -n 10 tests/wasm/diff/diff.sh "$count" "$seed"
