# services/init: layer 1, the node's start-up: one node's authority services
# wired through the service runtime (hosted and wasm: in one process), and on
# x86_64 init itself, which starts the node, key and driver processes.
LIBS += init
init_SRCS := $(wildcard services/init/*.c)
init_LIBS := terminal axiom policy identity keys block svcrt crypto base hal
ifneq ($(PLATFORM),x86_64)
init_LIBS += jobs
init_CFLAGS += -DZERO_NODE_JOBS=1
endif

# zero-node: Zero OS as an x86_64 user program, the kernel's one boot module
# (qemu -kernel zero-kernel.bin -initrd zero-node); it plays init, the node,
# the key service and the disk driver.
ifeq ($(PLATFORM),x86_64)
PROGS += zero-node
zero-node_SRCS := $(wildcard services/init/x86_64/*.c)
zero-node_LIBS := init keys netproc vnet_server net svcrt svcrt_x86 vblk_server crypto zuser base hal
zero-node_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/zero-node: lib/zero/user.ld
endif
zero-hosted_SERVICE_LIBS += init

TESTS += init_node
init_node_SRCS := tests/services/init/node_test.c
init_node_LIBS := init crypto base hal

FUZZERS += axiom_terminal
axiom_terminal_SRCS := fuzz/axiom_terminal.c
axiom_terminal_LIBS := init terminal base hal
axiom_terminal_CORPUS := fuzz/corpus/axiom_terminal
