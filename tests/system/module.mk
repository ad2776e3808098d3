# tests/system: QEMU tests of the whole Zero OS on x86_64, and devtests, the
# driver and memory system calls with hostile arguments (a user program).
ifeq ($(PLATFORM),x86_64)
PROGS += devtests
devtests_SRCS := user/devtests.c tests/tap_core.c
devtests_LIBS := zuser base hal
devtests_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/devtests: user/user.ld
endif

SCRIPT_TESTS += tests/system/devtests.t
SCRIPT_TESTS += tests/system/system.t
