# services/policy: the Policy Engine (rule language, default-deny evaluation).
LIBS += policy
policy_SRCS := $(wildcard services/policy/*.c)

TESTS += policy_engine
policy_engine_SRCS := tests/services/policy/policy_test.c
policy_engine_LIBS := policy identity cbor base hal

FUZZERS += policy_parse
policy_parse_SRCS := fuzz/policy_parse.c
policy_parse_LIBS := policy identity cbor base hal
policy_parse_CORPUS := fuzz/corpus/policy_parse
WASM_TESTS += policy_engine
