# tools/zero-net: lib/net as a Linux process over a TAP device or a
# socketpair, with httpd, echo, nc, fetch and other small applications.
PROGS += zero-net
zero-net_SRCS := $(wildcard tools/zero-net/*.c)
zero-net_LIBS := net crypto base hal
zero-net_PLATFORMS := hosted
