# bench/wasm: Zero's WebAssembly engine against wabt's wasm-interp and native code.
BENCH_SCRIPTS += bench/wasm/run.sh
