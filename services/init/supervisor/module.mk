# services/init/supervisor: the supervisor's decisions (restart with
# back-off, hold after the intensity, dependencies first), portable; init
# (x86_64) and the hosted node carry them out.  docs/services.md.
LIBS += supervisor
supervisor_SRCS := services/init/supervisor/supervisor.c
supervisor_LIBS := base

TESTS += init_supervisor
init_supervisor_SRCS := tests/services/init/supervisor_test.c
init_supervisor_LIBS := supervisor base hal
SCRIPT_TESTS += tests/tools/zero_svc.t tests/tools/zero_svc_on_wasm.t

# Restart latency of the hosted supervisor, per service (make bench).
BENCHES += bench_restart
bench_restart_SRCS := bench/restart_bench.c
bench_restart_LIBS := init jobs supervisor crypto base hal

# Restart latency in instructions under QEMU icount (bench/restart_icount.sh).
BENCH_SCRIPTS += bench/restart_icount.sh
ifeq ($(PLATFORM),x86_64)
PROGS += restartbench
restartbench_SRCS := bench/restartbench.c
restartbench_LIBS := init svcrt crypto zuser base hal
restartbench_LDLIBS = $(USER_LDLIBS)
$(BINDIR)/restartbench: lib/zero/user.ld
endif
