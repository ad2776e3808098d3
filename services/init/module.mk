# services/init: layer 1, the node's start-up: one node's authority services
# wired through the service runtime (hosted and wasm: in one process), and on
# x86_64 init itself, which starts the node, key and driver processes.
LIBS += init
init_SRCS := $(wildcard services/init/*.c)
init_LIBS := supervisor terminal axiom policy identity keys block svcrt crypto base hal
ifneq ($(PLATFORM),x86_64)
init_LIBS += jobs
init_CFLAGS += -DZERO_NODE_JOBS=1
endif

# zero-node: Zero OS as an x86_64 user program, the kernel's one boot module
# (qemu -kernel zero-kernel.bin -initrd zero-node); it plays init, the node,
# the key service and the disk driver.
ifeq ($(PLATFORM),x86_64)
PROGS += zero-node
zero-node_SRCS := $(wildcard services/init/x86_64/*.c)
zero-node_LIBS := init jobs manifest keys listen_com2 netproc vnet_server net svcrt svcrt_x86 vblk_server crypto zuser base hal
zero-node_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/zero-node: lib/zero/user.ld

# One image per program of the ISO (kernel/arch/x86_64/module.mk): entry.c
# built for one role (ZERO_ROLE, the program's spawn argument in the boot
# manifest) and linked with --gc-sections, so that an image holds its role's
# code and what that calls, not every service's.
ROLE_IMAGES := init:0 keys:1 node:2 driver:3 identity:4 policy:5 terminal:6 netdrv:7 net:8 \
               com2:9 jobs:10
define ROLE_rule
PROGS += zero-role-$(1)
zero-role-$(1)_SRCS := $(GEN)/role/$(1).c $(filter-out services/init/x86_64/entry.c,$(zero-node_SRCS))
zero-role-$(1)_LIBS := $(zero-node_LIBS)
zero-role-$(1)_LDLIBS = $(USER_LDLIBS) -Wl,--gc-sections
$(BINDIR)/zero-role-$(1): lib/zero/user.ld
$(GEN)/role/$(1).c: services/init/module.mk
	@mkdir -p $$(@D)
	$(Q)printf '#define ZERO_ROLE %s\n#include "services/init/x86_64/entry.c"\n' $(2) >$$@
endef
$(foreach r,$(ROLE_IMAGES),$(eval $(call ROLE_rule,$(word 1,$(subst :, ,$(r))),$(word 2,$(subst :, ,$(r))))))

# The development release key (docs/boot.md): made once by the build, kept
# in build/; init carries its public key and trusts manifests it signed.
$(HOST_ZERO): FORCE
	$(Q)$(MAKE) --no-print-directory PLATFORM=hosted $@
$(RELEASE_KEY): | $(HOST_ZERO)
	$(Q)$(HOST_ZERO) key gen $@
$(GEN)/release_key.h: $(RELEASE_KEY) | $(HOST_ZERO)
	@mkdir -p $(@D)
	$(Q)$(HOST_ZERO) key pub $< | sed -E 's/(..)/0x\1,/g; s/^/#define BOOT_RELEASE_KEY {/; s/,$$/}/' > $@.tmp && mv $@.tmp $@
$(O)/obj/services/init/x86_64/boot_plan.o: $(GEN)/release_key.h
endif
zero-hosted_SERVICE_LIBS += init

TESTS += init_node
init_node_SRCS := tests/services/init/node_test.c
init_node_LIBS := init crypto base hal

FUZZERS += axiom_terminal
axiom_terminal_SRCS := fuzz/axiom_terminal.c
axiom_terminal_LIBS := init terminal base hal
axiom_terminal_CORPUS := fuzz/corpus/axiom_terminal

# Service messages as bytes: any request to any operation of a running node.
FUZZERS += svc_messages
svc_messages_SRCS := fuzz/svc_messages.c
svc_messages_LIBS := init base hal
svc_messages_CORPUS := fuzz/corpus/svc_messages
SCRIPT_TESTS += tests/tools/zero_proc.t
