# Toolchains and flags for each platform.  The platform is fixed at compile
# time; portable code sees it only through hal/include/hal/hal.h.

BUILD := build
# The platform layer's folder: hal/hosted, hal/wasm, or hal/zero (user
# programs on the Zero OS kernel, PLATFORM=x86_64).
HAL_PORT = $(if $(filter x86_64,$(PLATFORM)),zero,$(PLATFORM))
INCLUDES = -I lib -I hal/include -I hal/$(HAL_PORT)/include -I .
WARN := -Wall -Wextra -Werror
DEPFLAGS = -MMD -MP
VERSION := 0.1.0
DEFS := -DZERO_VERSION='"$(VERSION)"'

ifeq ($(PLATFORM),hosted)
  CC := gcc
  AR := ar
  ifeq ($(SAN),1)
    O := $(BUILD)/hosted-san
    SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
    CFLAGS := -std=c11 -O1 -g $(WARN) $(SANFLAGS) -DZERO_PLATFORM_HOSTED=1 -D_POSIX_C_SOURCE=200809L
    LDFLAGS := $(SANFLAGS)
  else
    O := $(BUILD)/hosted
    CFLAGS := -std=c11 -O2 -g $(WARN) -DZERO_PLATFORM_HOSTED=1 -D_POSIX_C_SOURCE=200809L
    LDFLAGS :=
  endif
  TIDY_TARGET :=
else ifeq ($(PLATFORM),x86_64)
  O := $(BUILD)/x86_64
  CC := gcc
  AR := ar
  # Freestanding: no libc, no red zone (interrupts use the stack).  Code
  # model kernel: sign-extended 32-bit addresses, which serve both the
  # kernel (top 2 GiB) and user programs (linked below 2 GiB), so libraries
  # are built once for both.  The kernel adds -mgeneral-regs-only.  A
  # section per function and per object lets a program's link drop what it
  # does not call (the one-role images of services/init/module.mk).
  CFLAGS := -std=c11 -O2 -g $(WARN) -ffreestanding -fno-builtin -nostdlib \
            -mno-red-zone -mcmodel=kernel -fno-pic -fno-pie -fno-stack-protector \
            -fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
            -DZERO_PLATFORM_X86_64=1
  LDFLAGS := -nostdlib -static -no-pie
  TIDY_TARGET := --target=x86_64-unknown-none -ffreestanding
else ifeq ($(PLATFORM),wasm)
  O := $(BUILD)/wasm
  CC := clang --target=wasm32-wasi
  AR := llvm-ar-14
  CFLAGS := -std=c11 -O2 -g $(WARN) -D_WASI_EMULATED_SIGNAL -DZERO_PLATFORM_WASM=1 -D_POSIX_C_SOURCE=200809L
  LDFLAGS := -Wl,--export=hal_wasm_enter_cwd
  TIDY_TARGET := --target=wasm32-wasi
else
  $(error PLATFORM must be hosted, x86_64 or wasm (got '$(PLATFORM)'))
endif

# Fuzz targets: the hosted platform built by clang with libFuzzer (FUZZ=1).
ifeq ($(FUZZ),1)
  O := $(BUILD)/fuzz
  CC := clang
  CFLAGS := -std=c11 -O1 -g $(WARN) -fsanitize=fuzzer,address,undefined \
            -fno-sanitize-recover=all -DZERO_PLATFORM_HOSTED=1 -DZERO_FUZZ=1 \
            -D_POSIX_C_SOURCE=200809L
  LDFLAGS := -fsanitize=fuzzer,address,undefined
endif

# Output folders of this platform (module.mk fragments may use them).
Q := $(if $(V),,@)
ifeq ($(PLATFORM)$(SAN)$(FUZZ),hosted)
  BINDIR := $(BUILD)/bin
else
  BINDIR := $(O)/bin
endif
GEN := $(O)/gen
# The host tool (zero) and the release key that signs build/zero.iso's boot
# manifest: a development key the build makes once (docs/boot.md).
HOST_ZERO := $(BUILD)/bin/zero
RELEASE_KEY ?= $(BUILD)/release-dev.key
