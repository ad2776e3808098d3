# lib/cbor: deterministic CBOR encoder and strict decoder (freestanding).
LIBS += cbor
cbor_SRCS := lib/cbor/cbor.c
cbor_LIBS := base
zero_CMD_LIBS += cbor

FUZZERS += cbor_decode
cbor_decode_SRCS := fuzz/cbor_decode.c
cbor_decode_LIBS := cbor base hal
cbor_decode_CORPUS := fuzz/corpus/cbor_decode
