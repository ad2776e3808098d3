# lib/base: the freestanding base library every component links.
LIBS += base
base_SRCS := $(wildcard lib/base/*.c)
ifeq ($(PLATFORM),x86_64)
# Keep gcc from turning the byte loops of memcpy/memset into calls to themselves.
lib/base/string.c_CFLAGS := -fno-tree-loop-distribute-patterns
endif
