# services/keys: the key derivation service (root secret, per-principal keys).
LIBS += keys
keys_SRCS := $(wildcard services/keys/*.c)
keys_LIBS := svcrt crypto base hal
