# services/runtime: the service model (init + handler, capability-checked calls).
LIBS += svcrt
svcrt_SRCS := $(wildcard services/runtime/*.c)
svcrt_LIBS := kcap base

# The x86_64 back end: services in other processes, called by kernel IPC.
ifeq ($(PLATFORM),x86_64)
LIBS += svcrt_x86
svcrt_x86_SRCS := $(wildcard services/runtime/x86_64/*.c)
svcrt_x86_LIBS := svcrt zuser base
endif
