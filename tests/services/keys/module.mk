# Tests of services/keys: the sealed key slot, alone and under a node.
TESTS += keys_slot
keys_slot_SRCS := tests/services/keys/slot_test.c
keys_slot_LIBS := node terminal $(AXIOM_LIBS)
SCRIPT_TESTS += tests/tools/zero_key.t

TESTS += keys_external
keys_external_SRCS := tests/services/keys/external_test.c
keys_external_LIBS := node terminal $(AXIOM_LIBS)

FUZZERS += proposal_decode
proposal_decode_SRCS := fuzz/proposal_decode.c
proposal_decode_LIBS := $(AXIOM_LIBS)
proposal_decode_CORPUS := fuzz/corpus/proposal_decode
SCRIPT_TESTS += tests/tools/zero_listen.t
BENCH_SCRIPTS += bench/listen_bench.sh
