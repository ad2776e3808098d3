# fuzz: targets for parsers whose component has no module.mk of its own on
# hosted (lib/zero and the kernel's boot code build only for x86_64), and
# for small parsers of shared libraries.  Each target's file says what it
# checks; fuzz/README.md lists every parser and decoder and its target.

# zero_boot_arg (lib/zero/bootargs.c), with SYS_BOOT_ARGS answered as the kernel does.
FUZZERS += boot_args
boot_args_SRCS := fuzz/boot_args.c
boot_args_LIBS := base hal
boot_args_CORPUS := fuzz/corpus/boot_args

# net_ip_parse (lib/net): dotted quads of boot arguments, commands and policy.
FUZZERS += net_ip_parse
net_ip_parse_SRCS := fuzz/net_ip_parse.c
net_ip_parse_LIBS := net base hal
net_ip_parse_CORPUS := fuzz/corpus/net_ip_parse

# The kernel's Multiboot 2 information parser (kernel/arch/x86_64/bootinfo.c):
# the boot command line, modules, RAM ranges, RSDP.
FUZZERS += boot_info
boot_info_SRCS := fuzz/boot_info.c
boot_info_LIBS := base hal
boot_info_CORPUS := fuzz/corpus/boot_info
