# tools/zero-hosted: Zero OS as a Linux process (make run until the kernel boots it).
PROGS += zero-hosted
zero-hosted_SRCS := $(wildcard tools/zero-hosted/*.c)
zero-hosted_LIBS = $(zero-hosted_SERVICE_LIBS) terminal listen passphrase base hal
zero-hosted_PLATFORMS := hosted wasm
# --listen serves its socket from a second thread (tools/zero-hosted/listen.c).
ifeq ($(PLATFORM),hosted)
zero-hosted_LDLIBS += -pthread
endif
RUN_CMD ?= $(BUILD)/bin/zero-hosted
