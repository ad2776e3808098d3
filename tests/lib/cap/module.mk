# tests/lib/cap: the capability rules, hosted and (shared with the wasm
# platform) under wasm.
TESTS += cap_rules
cap_rules_SRCS := tests/lib/cap/cap_test.c
cap_rules_LIBS := cap base hal
WASM_TESTS += cap_rules
