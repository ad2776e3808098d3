# bench/wasm: Zero's WebAssembly engine against wabt's wasm-interp and native code.
BENCH_SCRIPTS += bench/wasm/run.sh

# Load time (bytes per second against V8's compile) and the fuel-to-time
# ratio of each instruction class whose cost grows with its operands.
PROGS += wasm_load_bench
wasm_load_bench_SRCS := bench/wasm/load_bench.c
wasm_load_bench_LIBS := wasm base hal
wasm_load_bench_PLATFORMS := hosted
BENCH_SCRIPTS += bench/wasm/load.sh bench/wasm/fuel.sh
