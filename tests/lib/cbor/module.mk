# Tests of lib/cbor.
TESTS += cbor_codec
WASM_TESTS += cbor_codec
cbor_codec_SRCS := tests/lib/cbor/cbor_test.c
cbor_codec_LIBS := cbor base hal
