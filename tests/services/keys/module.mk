# Tests of services/keys: the derivation against libsodium, badges, hostile names.
TESTS += keys_service
keys_service_SRCS := tests/services/keys/keys_test.c
keys_service_LIBS := keys svcrt crypto base hal
keys_service_LDLIBS := -lsodium

# The sealed key slot, alone and under a node; proposals signed outside the node.
TESTS += keys_slot
keys_slot_SRCS := tests/services/keys/slot_test.c
keys_slot_LIBS := init terminal
SCRIPT_TESTS += tests/tools/zero_key.t

TESTS += keys_external
keys_external_SRCS := tests/services/keys/external_test.c
keys_external_LIBS := init terminal

FUZZERS += proposal_decode
proposal_decode_SRCS := fuzz/proposal_decode.c
proposal_decode_LIBS := axiom
proposal_decode_CORPUS := fuzz/corpus/proposal_decode
SCRIPT_TESTS += tests/tools/zero_listen.t
BENCH_SCRIPTS += bench/listen_bench.sh
