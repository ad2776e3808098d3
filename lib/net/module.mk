# lib/net: Zero OS's TCP/IP stack (portable, no allocation, no threads).
LIBS += net
net_LIBS := base hal
net_SRCS := $(wildcard lib/net/*.c)

# One libFuzzer target per header parser, and the whole stack on frame streams.
NET_FUZZERS := net_eth net_arp net_ipv4 net_icmp net_udp net_tcp_options net_dhcp net_dns net_stack
FUZZERS += $(NET_FUZZERS)
$(foreach f,$(NET_FUZZERS),$(eval $(f)_SRCS := fuzz/$(f).c)$(eval $(f)_LIBS := net base hal)$(eval $(f)_CORPUS := fuzz/corpus/$(f)))
