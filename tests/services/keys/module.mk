# Tests of services/keys: the derivation against libsodium, badges, hostile names.
TESTS += keys_service
keys_service_SRCS := tests/services/keys/keys_test.c
keys_service_LIBS := keys svcrt crypto base hal
keys_service_LDLIBS := -lsodium
