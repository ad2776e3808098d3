# services/runtime: the service model (init + handler, capability-checked calls).
LIBS += svcrt
svcrt_SRCS := $(wildcard services/runtime/*.c)
