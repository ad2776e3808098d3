# user: the user runtime (start-up, syscall stubs, console) and the x86_64
# programs that run on the kernel as boot modules.
ifeq ($(PLATFORM),x86_64)
LIBS += zuser
zuser_SRCS := user/lib/crt0.S user/lib/print.c
zuser_LIBS := base hal
USER_LDLIBS := -T user/user.ld -Wl,-z,max-page-size=4096 -Wl,--build-id=none -lgcc

PROGS += hello echo usertests ipcbench smptest
hello_SRCS := user/hello.c
hello_LIBS := zuser base hal
hello_LDLIBS := $(USER_LDLIBS)
echo_SRCS := user/echo.c
echo_LIBS := zuser base hal
echo_LDLIBS := $(USER_LDLIBS)
usertests_SRCS := user/usertests.c tests/tap_core.c
usertests_LIBS := zuser base hal
usertests_LDLIBS := $(USER_LDLIBS)
ipcbench_SRCS := user/ipcbench.c
ipcbench_LIBS := zuser base hal
ipcbench_LDLIBS := $(USER_LDLIBS)
smptest_SRCS := user/smptest.c tests/tap_core.c
smptest_LIBS := zuser base hal
smptest_LDLIBS := $(USER_LDLIBS)
$(BINDIR)/hello $(BINDIR)/echo $(BINDIR)/usertests $(BINDIR)/ipcbench $(BINDIR)/smptest: user/user.ld
endif
