# tools/zero-net: lib/net as a Linux process over a TAP device or a
# socketpair, with httpd, echo, nc, fetch and other small applications.
PROGS += zero-net
zero-net_SRCS := $(wildcard tools/zero-net/*.c)
zero-net_LIBS = netauth $(zero-hosted_SERVICE_LIBS) net crypto base hal
zero-net_PLATFORMS := hosted

# tap-relay: frames between two TAP devices, the Linux peer's path in make bench.
PROGS += tap-relay
tap-relay_SRCS := tools/zero-net/relay/relay.c tools/zero-net/transport.c
tap-relay_LIBS := base hal
tap-relay_PLATFORMS := hosted

# make bench: TCP throughput against Linux over the same TAP path.
BENCH_SCRIPTS += bench/net_tap.sh bench/net_qemu.sh
