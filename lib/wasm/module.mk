# lib/wasm: the deterministic WebAssembly engine (freestanding; never linked
# into the kernel, which is built without SSE).
LIBS += wasm
wasm_SRCS := $(wildcard lib/wasm/*.c)
wasm_PLATFORMS := hosted x86_64 wasm
# sqrt must compile to the instruction, never to a libm call for errno
wasm_CFLAGS := -fno-math-errno
zero_CMD_LIBS += wasm
