# Collects every component's module.mk.  A fragment appends to LIBS, PROGS,
# TESTS, SCRIPT_TESTS, FUZZERS, BENCHES, BENCH_SCRIPTS, SOAK_SCRIPTS, TEST_PREREQS and
# ALL_TARGETS, and sets <name>_SRCS, <name>_LIBS, <name>_PLATFORMS,
# <name>_LDLIBS, <name>_CFLAGS, <name>_CORPUS.  See docs/building.md.

LIBS :=
PROGS :=
TESTS :=
WASM_TESTS :=
SCRIPT_TESTS :=
WASM_TESTS :=
FUZZERS :=
BENCHES :=
BENCH_SCRIPTS :=
SOAK_SCRIPTS :=
TEST_PREREQS :=
ALL_TARGETS :=

MODULE_DIRS := lib hal kernel services drivers tools tests fuzz bench apps web
MODULE_FILES := $(sort $(shell find $(MODULE_DIRS) -name module.mk -not -path '*/build/*' -not -path '*/node_modules/*' 2>/dev/null))
include $(MODULE_FILES)
