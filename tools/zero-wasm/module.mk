# tools/zero-wasm: the Node launcher for the WebAssembly build.
ifeq ($(PLATFORM),wasm)
$(BUILD)/bin/zero-wasm: tools/zero-wasm/zero-wasm.js
	@mkdir -p $(@D)
	$(Q)cp $< $@ && chmod +x $@
ALL_TARGETS += $(BUILD)/bin/zero-wasm
endif
SCRIPT_TESTS += tests/tools/zero_wasm.t
SCRIPT_TESTS += tests/tools/zero_hosted_on_wasm.t tests/tools/zero_hosted_fs_on_wasm.t
