# Generic rules: objects, libraries, programs, tests, fuzzers, benchmarks,
# static analysis.  Everything is instantiated from the module.mk variables.


# $(call for_platform,NAME): non-empty when NAME is built on this platform.
for_platform = $(if $($(1)_PLATFORMS),$(filter $(PLATFORM),$($(1)_PLATFORMS)),$(PLATFORM))
objs_of = $(patsubst %,$(O)/obj/%.o,$(basename $(1)))
# A library declares the libraries it uses directly in <lib>_LIBS, as a
# program does; $(call lib_closure,LIST) adds everything they use in turn
# (cycles are fine: the second argument holds the names already expanded).
lib_closure = $(call lib_closure_step,$(sort $(1)),)
lib_closure_step = $(if $(filter-out $(2),$(1)),$(call lib_closure_step,$(sort $(1) $(foreach l,$(filter-out $(2),$(1)),$($(l)_LIBS))),$(1)),$(1))
libs_of = $(foreach l,$(call lib_closure,$($(1)_LIBS)),$(O)/lib/lib$(l).a)
# Archives are linked as a group (wasm-ld always resolves across archives),
# so the order of <name>_LIBS does not matter.
ifeq ($(PLATFORM),wasm)
link_libs = $(call libs_of,$(1))
else
link_libs = -Wl,--start-group $(call libs_of,$(1)) -Wl,--end-group
endif

MY_LIBS := $(foreach n,$(LIBS),$(if $(call for_platform,$(n)),$(n)))
MY_PROGS := $(foreach n,$(PROGS),$(if $(call for_platform,$(n)),$(n)))
ifeq ($(PLATFORM),hosted)
  ifneq ($(FUZZ),1)
    MY_TESTS := $(TESTS)
    MY_BENCHES := $(if $(SAN),,$(BENCHES))
  endif
endif
ifeq ($(FUZZ),1)
  MY_PROGS :=
  MY_FUZZERS := $(FUZZERS)
  MY_LIBS := $(call lib_closure,$(foreach f,$(FUZZERS),$($(f)_LIBS)))
endif

# ---- objects ---------------------------------------------------------------

# Every object depends on $(O)/.flags, which is rewritten whenever the
# compiler or any flag (global, per component, per source) changes, so a
# flag edit rebuilds what it affects instead of leaving stale objects.
FLAGS_SIG := $(CC) $(CFLAGS) $(DEFS) $(LDFLAGS) $(foreach v,$(sort $(filter %_CFLAGS %_LDLIBS,$(.VARIABLES))),$(v)=$($(v)))
ifneq ($(FLAGS_SIG),$(file <$(O)/.flags))
  $(shell mkdir -p $(O))
  $(file >$(O)/.flags,$(FLAGS_SIG))
endif

$(O)/obj/%.o: %.c $(O)/.flags
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(DEFS) $($<_CFLAGS) $(INCLUDES) -I $(GEN) $(DEPFLAGS) -c $< -o $@

$(O)/obj/%.o: %.S $(O)/.flags
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(DEFS) $($<_CFLAGS) $(INCLUDES) -I $(GEN) $(DEPFLAGS) -c $< -o $@

# ---- libraries -------------------------------------------------------------

define LIB_rule
$(O)/lib/lib$(1).a: $(call objs_of,$($(1)_SRCS))
	@mkdir -p $$(@D)
	$(Q)rm -f $$@ && $(AR) rcs $$@ $$^
$(call objs_of,$($(1)_SRCS)): CFLAGS += $($(1)_CFLAGS)
endef
$(foreach n,$(MY_LIBS),$(eval $(call LIB_rule,$(n))))

# ---- programs --------------------------------------------------------------

define PROG_rule
$(BINDIR)/$(1): $(call objs_of,$($(1)_SRCS)) $(call libs_of,$(1))
	@mkdir -p $$(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $$@ $(call objs_of,$($(1)_SRCS)) $(call link_libs,$(1)) $($(1)_LDLIBS)
$(call objs_of,$($(1)_SRCS)): CFLAGS += $($(1)_CFLAGS)
endef
$(foreach n,$(MY_PROGS),$(eval $(call PROG_rule,$(n))))

# ---- unit tests (hosted, plain and sanitized; WASM_TESTS also on wasm) -----

TAP_OBJ := $(O)/obj/tests/tap.o
ifeq ($(PLATFORM),wasm)
  MY_TESTS := $(WASM_TESTS)
  TEST_EXT := .wasm
endif
define TEST_rule
$(O)/tests/$(1).t$(TEST_EXT): $(call objs_of,$($(1)_SRCS)) $(TAP_OBJ) $(call libs_of,$(1))
	@mkdir -p $$(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $$@ $(call objs_of,$($(1)_SRCS)) $(TAP_OBJ) $(call link_libs,$(1)) $($(1)_LDLIBS)
$(call objs_of,$($(1)_SRCS)): CFLAGS += -I tests $($(1)_CFLAGS)
endef
$(foreach n,$(MY_TESTS),$(eval $(call TEST_rule,$(n))))

# On wasm, NAME.t is a small script that runs NAME.t.wasm under Node.
$(O)/tests/%.t: $(O)/tests/%.t.wasm
	$(Q)printf '#!/bin/sh\nexec "$$(dirname "$$0")/../../bin/zero-wasm" --run "$$0.wasm" "$$@"\n' > $@
	$(Q)chmod +x $@

# ---- fuzz targets (clang + libFuzzer, built with FUZZ=1) --------------------

define FUZZ_rule
$(O)/$(1): $(call objs_of,$($(1)_SRCS)) $(call libs_of,$(1))
	@mkdir -p $$(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $$@ $(call objs_of,$($(1)_SRCS)) $(call link_libs,$(1)) $($(1)_LDLIBS)
endef
$(foreach n,$(MY_FUZZERS),$(eval $(call FUZZ_rule,$(n))))

# ---- benchmarks -------------------------------------------------------------

define BENCH_rule
$(O)/bench/$(1): $(call objs_of,$($(1)_SRCS)) $(call libs_of,$(1))
	@mkdir -p $$(@D)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $$@ $(call objs_of,$($(1)_SRCS)) $(call link_libs,$(1)) $($(1)_LDLIBS)
$(call objs_of,$($(1)_SRCS)): CFLAGS += $($(1)_CFLAGS)
endef
$(foreach n,$(MY_BENCHES),$(eval $(call BENCH_rule,$(n))))

# ---- top-level goals of one platform ----------------------------------------

BUILT := $(foreach n,$(MY_LIBS),$(O)/lib/lib$(n).a) \
         $(foreach n,$(MY_PROGS),$(BINDIR)/$(n)) \
         $(foreach n,$(MY_TESTS),$(O)/tests/$(n).t) \
         $(foreach n,$(MY_BENCHES),$(O)/bench/$(n))

FORCE:

.PHONY: FORCE all fuzz-build test-prereqs run-tests bench-run soak-run run-system tidy print-%
ifeq ($(FUZZ),1)
all fuzz-build: $(foreach n,$(MY_FUZZERS),$(O)/$(n))
	@printf '%s\n' $(foreach n,$(MY_FUZZERS),'$(n) $($(n)_CORPUS)') > $(O)/fuzzers.list
else
all: $(BUILT) $(ALL_TARGETS)
fuzz-build:
	$(Q)$(MAKE) --no-print-directory PLATFORM=hosted FUZZ=1 all
endif

test-prereqs: all fuzz-build $(TEST_PREREQS)

# Everything prove runs, in one invocation, so its summary counts it all.
run-tests:
	@FUZZERS="$(FUZZERS)" tools/run-tests.sh \
	    $(foreach n,$(TESTS),$(BUILD)/hosted/tests/$(n).t $(BUILD)/hosted-san/tests/$(n).t) \
	    $(foreach n,$(WASM_TESTS),$(BUILD)/wasm/tests/$(n).t) \
	    $(SCRIPT_TESTS) tests/fuzz/fuzz.t

bench-run: $(BUILT)
	@set -e; for b in $(MY_BENCHES); do $(O)/bench/$$b; done; \
	for s in $(BENCH_SCRIPTS); do $$s; done

# Long randomized runs (make soak): each script exits non-zero on a finding.
soak-run: $(BUILT)
	@set -e; for s in $(SOAK_SCRIPTS); do $$s; done

run-system: $(BUILT) $(ALL_TARGETS)
	$(if $(RUN_CMD),$(RUN_CMD),@echo "run: nothing to run yet" >&2; exit 1)

print-%:
	@echo $($*)

# ---- static analysis ----------------------------------------------------------

TIDY_SRCS := $(sort $(foreach n,$(MY_LIBS) $(MY_PROGS) $(MY_TESTS) $(MY_BENCHES),$(filter %.c,$($(n)_SRCS))))
TIDY_FLAGS = -std=c11 $(TIDY_TARGET) $(INCLUDES) -I $(GEN) -I tests \
             $(filter -D%,$(CFLAGS)) $(DEFS)
$(O)/tidy/%.ok: %.c .clang-tidy | $(BUILT) $(ALL_TARGETS)
	@mkdir -p $(@D)
	$(Q)clang-tidy --quiet $< -- $(TIDY_FLAGS) $(filter -D% -I% -m%,$($<_CFLAGS)) >$@.log 2>&1 || { cat $@.log; exit 1; }
	@touch $@
tidy: $(patsubst %.c,$(O)/tidy/%.ok,$(TIDY_SRCS))

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
