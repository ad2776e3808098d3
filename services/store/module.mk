# services/store: the CAS kept in a space, committed with its client's root.
LIBS += store
store_SRCS := $(wildcard services/store/*.c)
store_LIBS := cas space block crypto base hal
STORE_LIBS := store

TESTS += store_crash
store_crash_SRCS := tests/services/store/crash_test.c
store_crash_LIBS := $(STORE_LIBS)
WASM_TESTS += store_crash


BENCHES += bench_cas
bench_cas_SRCS := bench/cas_bench.c
bench_cas_LIBS := $(STORE_LIBS)
