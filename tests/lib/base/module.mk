TESTS += base_fmt base_check
base_fmt_SRCS := tests/lib/base/fmt_test.c
base_fmt_LIBS := base hal
base_check_SRCS := tests/lib/base/check_test.c
base_check_LIBS := base hal
WASM_TESTS += base_fmt base_check
