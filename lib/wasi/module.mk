# lib/wasi: a deterministic WASI preview1 over lib/wasm (freestanding; the
# embedder provides the files).  docs/jobs.md.
LIBS += wasi
wasi_SRCS := $(wildcard lib/wasi/*.c)
wasi_LIBS := wasm crypto base hal
wasi_PLATFORMS := hosted x86_64 wasm
zero_CMD_LIBS += wasi crypto

# libFuzzer target: every call on hostile pointers, lengths and paths
FUZZERS += wasi_calls
wasi_calls_SRCS := fuzz/wasi_calls.c
wasi_calls_LIBS := wasi wasm crypto base hal
wasi_calls_CORPUS := fuzz/corpus/wasi_calls
