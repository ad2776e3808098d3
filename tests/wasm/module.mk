# Tests of lib/wasm: the official spec suite, unit tests, CLI and fuel scripts.
TESTS += wasm_spec wasm_engine wasm_grow
wasm_spec_SRCS := tests/wasm/spec_runner.c
wasm_spec_LIBS := wasm base hal
wasm_engine_SRCS := tests/wasm/engine_test.c
wasm_engine_LIBS := wasm base hal
wasm_grow_SRCS := tests/wasm/grow_test.c
wasm_grow_LIBS := base hal
WASM_TESTS += wasm_engine wasm_grow

# The spec suite is converted to JSON + .wasm by wabt's wast2json at build time.
# tests/wasm/wast/ holds Zero's own assertions in the same format.
WASM_SPEC_SRCS := $(wildcard tests/data/wasm-spec/*/*.wast tests/wasm/wast/*.wast)
$(BUILD)/wasm-spec/list.txt: tests/wasm/convert.sh $(WASM_SPEC_SRCS)
	$(Q)tests/wasm/convert.sh tests/data/wasm-spec $(BUILD)/wasm-spec tests/wasm/wast
TEST_PREREQS += $(BUILD)/wasm-spec/list.txt

SCRIPT_TESTS += tests/wasm/cli.t tests/wasm/fuel.t tests/wasm/limits.t
