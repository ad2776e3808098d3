# services/node: one node's authority services wired through the service runtime.
LIBS += node
node_SRCS := $(wildcard services/node/*.c)
zero-hosted_SERVICE_LIBS += node axiom policy identity keys block svcrt kcap crypto cbor

TESTS += node_services
node_services_SRCS := tests/services/node/node_test.c
node_services_LIBS := node terminal $(AXIOM_LIBS)

FUZZERS += axiom_terminal
axiom_terminal_SRCS := fuzz/axiom_terminal.c
axiom_terminal_LIBS := node terminal $(AXIOM_LIBS)
axiom_terminal_CORPUS := fuzz/corpus/axiom_terminal
