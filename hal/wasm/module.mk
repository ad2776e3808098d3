# hal/wasm: the platform layer on WebAssembly (WASI preview 1).
ifeq ($(PLATFORM),wasm)
LIBS += hal
hal_SRCS := $(wildcard hal/wasm/*.c) hal/hosted/blk_file.c hal/hosted/posix.c
hal_LIBS := base
endif
