# lib/net: Zero OS's TCP/IP stack (portable, no allocation, no threads).
LIBS += net
net_SRCS := $(wildcard lib/net/*.c)
