# services/jobs: the jobs service (docs/jobs.md): job specs from the CAS run
# on the deterministic engine and WASI, results proposed to the Axiom.
LIBS += jobs
jobs_SRCS := $(wildcard services/jobs/*.c)
jobs_LIBS := axiom store space block cas job wasi wasm svcrt crypto cbor base hal
jobs_PLATFORMS := hosted wasm
zero_CMD_LIBS += jobs
