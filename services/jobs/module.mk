# services/jobs: the jobs service (docs/jobs.md): job specs from the CAS run
# on the deterministic engine and WASI, results proposed to the Axiom.
LIBS += jobs
jobs_SRCS := $(filter-out services/jobs/msg.c,$(wildcard services/jobs/*.c))
# The service's messages and a client's calls, on every platform: the
# terminal speaks them on x86_64 too, where no jobs service runs.
LIBS += jobsmsg
jobsmsg_SRCS := services/jobs/msg.c
jobsmsg_LIBS := job svcrt cbor base hal
jobs_LIBS := jobsmsg fs axiom store space block cas job wasi wasm svcrt crypto cbor base hal
jobs_PLATFORMS := hosted x86_64 wasm
zero_CMD_LIBS += jobs

# The effects outbox: outputs placed in the filesystem, re-driven at start.
TESTS += jobs_effects
jobs_effects_SRCS := tests/services/jobs/effects_test.c
jobs_effects_LIBS := init crypto base hal
jobs_effects_PLATFORMS := hosted
