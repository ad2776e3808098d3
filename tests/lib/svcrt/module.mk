# Tests of lib/svcrt: the in-process service runtime and its capability checks.
TESTS += svcrt_runtime
WASM_TESTS += svcrt_runtime
svcrt_runtime_SRCS := tests/lib/svcrt/runtime_test.c
svcrt_runtime_LIBS := svcrt base hal
