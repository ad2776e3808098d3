# tests/system: QEMU tests of the whole Zero OS on x86_64, and devtests, the
# driver and memory system calls with hostile arguments (a user program).
ifeq ($(PLATFORM),x86_64)
PROGS += devtests
devtests_SRCS := tests/system/devtests.c tests/tap_core.c
devtests_LIBS := zuser crypto base hal
devtests_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/devtests: lib/zero/user.ld

PROGS += keystests
keystests_SRCS := tests/system/keystests.c services/init/x86_64/keys_proc.c \
    services/init/x86_64/init.c services/init/x86_64/split.c \
    services/init/x86_64/boot_plan.c services/init/x86_64/grant.c services/init/x86_64/restart.c \
    services/init/x86_64/record.c services/init/x86_64/svcd.c tests/tap_core.c
keystests_LIBS := keys svcrt svcrt_x86 init manifest cbor crypto zuser base hal
keystests_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/keystests: lib/zero/user.ld

PROGS += drivertests
drivertests_SRCS := tests/system/drivertests.c services/init/x86_64/init.c \
    services/init/x86_64/split.c services/init/x86_64/boot_plan.c services/init/x86_64/grant.c \
    services/init/x86_64/restart.c services/init/x86_64/record.c services/init/x86_64/svcd.c \
    tests/tap_core.c
drivertests_LIBS := init supervisor vblk_server svcrt svcrt_x86 manifest cbor crypto zuser base hal
drivertests_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/drivertests: lib/zero/user.ld

# zero-node with a policy process that faults on purpose (tests/system/isolation.t).
PROGS += zero-node-faulty
zero-node-faulty_SRCS := $(wildcard services/init/x86_64/*.c) tests/system/fault_on.c
zero-node-faulty_LIBS := init jobs keys listen_com2 netproc vnet_server net svcrt svcrt_x86 vblk_server manifest cbor crypto zuser base hal
zero-node-faulty_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/zero-node-faulty: lib/zero/user.ld
endif

SCRIPT_TESTS += tests/system/devtests.t tests/system/keystests.t tests/system/drivertests.t
SCRIPT_TESTS += tests/system/system.t tests/system/caps.t tests/system/isolation.t tests/system/net.t
SCRIPT_TESTS += tests/system/fs.t tests/system/manifest_grant.t tests/system/cross_platform.t
SCRIPT_TESTS += tests/system/restart.t tests/system/svc.t tests/system/svc_more.t tests/system/jobs.t
SCRIPT_TESTS += tests/system/net_drop.t tests/system/net_guests.t
# Signed proposals over COM2; a sealed key slot and log-in at the x86_64 console.
SCRIPT_TESTS += tests/system/com2.t tests/system/sealed.t

# QEMU killed at random moments during a file workload (50 boots; more in make soak).
SCRIPT_TESTS += tests/system/fs_kill.t
SOAK_SCRIPTS += tests/system/fs_kill_soak.sh
