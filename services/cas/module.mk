# services/cas: the content-addressed store (chunking, chunk lists, verified reads).
LIBS += cas
cas_SRCS := $(wildcard services/cas/*.c)
cas_LIBS := crypto base hal
CAS_LIBS := cas

TESTS += cas_store
cas_store_SRCS := tests/services/cas/cas_test.c
cas_store_LIBS := $(CAS_LIBS)
WASM_TESTS += cas_store

FUZZERS += cas_list
cas_list_SRCS := fuzz/cas_list.c
cas_list_LIBS := $(CAS_LIBS)
cas_list_CORPUS := fuzz/corpus/cas_list

FUZZERS += cas_index
cas_index_SRCS := fuzz/cas_index.c
cas_index_LIBS := $(CAS_LIBS)
cas_index_CORPUS := fuzz/corpus/cas_index
