# services/keys: the key derivation service (root secret, per-principal keys).
LIBS += keys
keys_SRCS := $(wildcard services/keys/*.c)
keys_LIBS := svcrt crypto base hal

FUZZERS += keyslot
keyslot_SRCS := fuzz/keyslot.c
keyslot_LIBS := keys crypto base hal
keyslot_CORPUS := fuzz/corpus/keyslot
