# services/policy: the Policy Engine (rule language, default-deny evaluation).
LIBS += policy
policy_SRCS := $(wildcard services/policy/*.c)
policy_LIBS := axiom identity svcrt cbor base

TESTS += policy_engine
policy_engine_SRCS := tests/services/policy/policy_test.c
policy_engine_LIBS := policy base hal

FUZZERS += policy_parse
policy_parse_SRCS := fuzz/policy_parse.c
policy_parse_LIBS := policy base hal
policy_parse_CORPUS := fuzz/corpus/policy_parse
WASM_TESTS += policy_engine
