# Zero OS top-level build.  See docs/building.md.
#
# `make` builds every platform; `make PLATFORM=hosted|x86_64|wasm` builds one.
# Components describe themselves in module.mk fragments; the generic rules are
# in mk/rules.mk, the toolchains in mk/config.mk.

.DEFAULT_GOAL := all
SHELL := /bin/bash
JOBS ?= 2

ALL_PLATFORMS := hosted hosted-san x86_64 wasm

ifeq ($(PLATFORM),)

# No platform named: drive each platform through a sub-make.
.PHONY: all test check soak bench run fuzz clean deps format format-check static-check help web serve

all: deps
	@for p in hosted hosted-san x86_64 wasm; do \
	    $(MAKE) --no-print-directory -j$(JOBS) $$(tools/platform-args.sh $$p) all || exit 1; \
	done

deps:
	@tools/deps.sh

test: all
	@$(MAKE) --no-print-directory format-check
	@$(MAKE) --no-print-directory static-check
	@$(MAKE) --no-print-directory check

check:
	@$(MAKE) --no-print-directory -j$(JOBS) PLATFORM=hosted test-prereqs
	@$(MAKE) --no-print-directory PLATFORM=hosted run-tests

# The differential and fuzz runs of make test for longer (SOAK_SECONDS each),
# then every SOAK_SCRIPTS entry (the wasm engine against V8, and others).
SOAK_SECONDS ?= 1800
soak: all
	@$(MAKE) --no-print-directory -j$(JOBS) PLATFORM=hosted test-prereqs
	@ZERO_DIFF_SECONDS=$(SOAK_SECONDS) ZERO_FUZZ_RUNS=-1 ZERO_FUZZ_SECONDS=$(SOAK_SECONDS) \
	    prove tests/tools/forged.t tests/fuzz/fuzz.t
	@$(MAKE) --no-print-directory PLATFORM=hosted soak-run

bench: all
	@$(MAKE) --no-print-directory PLATFORM=hosted bench-run

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) PLATFORM=hosted all
	@$(MAKE) --no-print-directory -j$(JOBS) PLATFORM=x86_64 all
	@$(MAKE) --no-print-directory PLATFORM=hosted run-system

fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) PLATFORM=hosted fuzz-build

# The page of docs/web.md: build/web/, served on 127.0.0.1:8017.
web: deps
	@$(MAKE) --no-print-directory -j$(JOBS) PLATFORM=wasm all
	@web/build.sh

serve: web
	@node web/serve.js build/web

format:
	@tools/format.sh fix

format-check:
	@tools/format.sh check

static-check:
	@tools/layers.sh
	@for p in hosted x86_64 wasm; do \
	    $(MAKE) --no-print-directory -j$(JOBS) PLATFORM=$$p tidy || exit 1; \
	done

clean:
	rm -rf build

help:
	@sed -n '/^| target/,/^$$/p' docs/building.md

else

include mk/config.mk
include mk/modules.mk
include mk/rules.mk

endif
