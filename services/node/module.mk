# services/node: one node's authority services wired through the service runtime.
LIBS += node
node_SRCS := $(wildcard services/node/*.c)

# zero-node: the console node as an x86_64 user program (boot it as the
# kernel's module: qemu -kernel zero-kernel.bin -initrd zero-node).
ifeq ($(PLATFORM),x86_64)
PROGS += zero-node
zero-node_SRCS := $(wildcard services/node/x86_64/*.c)
zero-node_LIBS := node terminal axiom policy identity keys block svcrt svcrt_x86 vblk_server cap crypto cbor zuser base hal
zero-node_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/zero-node: lib/zero/user.ld
endif
zero-hosted_SERVICE_LIBS += node axiom policy identity keys block svcrt cap crypto cbor

TESTS += node_services
node_services_SRCS := tests/services/node/node_test.c
node_services_LIBS := node terminal $(AXIOM_LIBS)

FUZZERS += axiom_terminal
axiom_terminal_SRCS := fuzz/axiom_terminal.c
axiom_terminal_LIBS := node terminal $(AXIOM_LIBS)
axiom_terminal_CORPUS := fuzz/corpus/axiom_terminal
