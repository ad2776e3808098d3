# Tests of lib/net: TCP on a manual clock, the other protocols, the wire
# parsers, and two stacks linked by a socket pair.
TESTS += net_tcp
net_tcp_SRCS := tests/lib/net/tcp_test.c tests/lib/net/harness.c
net_tcp_LIBS := net base hal
SCRIPT_TESTS += tests/lib/net/tap.t

TESTS += net_pair
net_pair_SRCS := tests/lib/net/pair_test.c tools/zero-net/transport.c
net_pair_LIBS := net base hal

TESTS += net_proto
net_proto_SRCS := tests/lib/net/proto_test.c tests/lib/net/harness.c
net_proto_LIBS := net base hal

TESTS += net_script
net_script_SRCS := tests/lib/net/script_test.c tests/lib/net/harness.c
net_script_LIBS := net base hal
