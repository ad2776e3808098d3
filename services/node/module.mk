# services/node: one node's authority services wired through the service runtime.
LIBS += node
node_SRCS := $(wildcard services/node/*.c)
zero-hosted_SERVICE_LIBS += node axiom policy identity keys block svcrt kcap crypto cbor
