# services/net: layer 5, the network service.  auth.c answers lib/net's
# policy hook with net.connect / net.listen proposals and net.accept
# records committed by the Axiom.
LIBS += netauth
netauth_SRCS := services/net/auth.c
netauth_LIBS := net axiom svcrt base

TESTS += net_auth
net_auth_SRCS := tests/services/net/auth_test.c
net_auth_LIBS := netauth init net crypto base hal
SCRIPT_TESTS += tests/services/net/axiom_tap.t

# The network service as a process on x86_64 (services/net/x86_64), behind
# the virtio-net driver process; zero-node plays both roles.
ifeq ($(PLATFORM),x86_64)
LIBS += netproc
netproc_SRCS := $(wildcard services/net/x86_64/*.c)
netproc_LIBS := vnet_server net fs axiom crypto svcrt_x86 svcrt zuser base hal
endif
