# services/space: the disk space allocator (uberblock ring, copy-on-write commit).
LIBS += space
space_SRCS := $(wildcard services/space/*.c)
space_LIBS := block crypto base hal
SPACE_LIBS := space

TESTS += space_alloc
space_alloc_SRCS := tests/services/space/space_test.c
space_alloc_LIBS := $(SPACE_LIBS)
WASM_TESTS += space_alloc
