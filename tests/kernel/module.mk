# tests/kernel: hosted unit tests of the portable kernel core.
TESTS += kernel_cap
kernel_cap_SRCS := tests/kernel/cap_test.c
kernel_cap_LIBS := kcap base hal
