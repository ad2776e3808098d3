# services/space: the disk space allocator (uberblock ring, copy-on-write commit).
LIBS += space
space_SRCS := $(wildcard services/space/*.c)
SPACE_LIBS := space block crypto base hal

TESTS += space_alloc
space_alloc_SRCS := tests/services/space/space_test.c
space_alloc_LIBS := $(SPACE_LIBS)
WASM_TESTS += space_alloc
