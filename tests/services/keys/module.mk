# Tests of services/keys: the sealed key slot, alone and under a node.
TESTS += keys_slot
keys_slot_SRCS := tests/services/keys/slot_test.c
keys_slot_LIBS := node terminal $(AXIOM_LIBS)
SCRIPT_TESTS += tests/tools/zero_key.t
