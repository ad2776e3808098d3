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
