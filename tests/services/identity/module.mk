# Tests of services/identity: the principal table and its rules.
TESTS += identity_table
WASM_TESTS += identity_table
identity_table_SRCS := tests/services/identity/identity_test.c
identity_table_LIBS := identity cbor base hal
