# lib/svcrt: the service runtime, the service model every service is written
# against (init + handler, capability-checked calls in one process).
LIBS += svcrt
svcrt_SRCS := $(wildcard lib/svcrt/*.c)
svcrt_LIBS := cap base

# The x86_64 back end: services in other processes, called by kernel IPC.
ifeq ($(PLATFORM),x86_64)
LIBS += svcrt_x86
svcrt_x86_SRCS := $(wildcard lib/svcrt/x86_64/*.c)
svcrt_x86_LIBS := svcrt zuser crypto base
endif
