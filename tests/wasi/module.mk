# Tests of lib/wasi: real C programs built with clang and wasi-libc, run by
# zero job run and by Node's own WASI.
SCRIPT_TESTS += tests/wasi/wasi.t
