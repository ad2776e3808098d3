# lib/wasm: the deterministic WebAssembly engine (freestanding; never linked
# into the kernel, which is built without SSE).
LIBS += wasm
wasm_SRCS := $(wildcard lib/wasm/*.c)
wasm_LIBS := base hal
wasm_PLATFORMS := hosted x86_64 wasm
# sqrt must compile to the instruction, never to a libm call for errno
wasm_CFLAGS := -fno-math-errno
zero_CMD_LIBS += wasm

# libFuzzer targets: decoder/validator/compiler, and load + run with fuel
FUZZERS += wasm_load wasm_run
wasm_load_SRCS := fuzz/wasm_load.c
wasm_load_LIBS := wasm base hal
wasm_load_CORPUS := fuzz/corpus/wasm_load
wasm_run_SRCS := fuzz/wasm_run.c
wasm_run_LIBS := wasm base hal
wasm_run_CORPUS := fuzz/corpus/wasm_run
