# services/fs: the filesystem namespace over the content-addressed store.
LIBS += fs
fs_SRCS := $(wildcard services/fs/*.c)
fs_LIBS := store cas space axiom svcrt crypto cbor base hal
FS_LIBS := fs

TESTS += fs_namespace
fs_namespace_SRCS := tests/services/fs/fs_test.c
fs_namespace_LIBS := $(FS_LIBS)

FUZZERS += fs_namespace_decode
fs_namespace_decode_SRCS := fuzz/fs_namespace.c
fs_namespace_decode_LIBS := $(FS_LIBS)
fs_namespace_decode_CORPUS := fuzz/corpus/fs_namespace

BENCHES += bench_fs
bench_fs_SRCS := bench/fs_bench.c
bench_fs_LIBS := $(FS_LIBS)

# Files written by the same portable code read back the same under wasm.
WASM_TESTS += fs_namespace

# Terminal sessions with files (hosted), and files across hosted and wasm.
SCRIPT_TESTS += tests/tools/zero_hosted_fs.t tests/tools/zero_fs_cross.t
zero_CMD_LIBS += fs

# The effects outbox: garbage collection after commit, re-driven at start.
TESTS += fs_effects
fs_effects_SRCS := tests/services/fs/effects_test.c
fs_effects_LIBS := init crypto base hal

# Puts larger than one message: streamed in parts, committed as one entry.
TESTS += fs_stream
fs_stream_SRCS := tests/services/fs/stream_test.c
fs_stream_LIBS := init crypto base hal
