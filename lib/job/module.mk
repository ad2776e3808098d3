# lib/job: the job spec and result records (deterministic CBOR).  docs/jobs.md.
LIBS += job
job_SRCS := lib/job/job.c
job_LIBS := cbor crypto base
zero_CMD_LIBS += job

# libFuzzer target: both decoders; what decodes re-encodes to its input
FUZZERS += job_records
job_records_SRCS := fuzz/job_records.c
job_records_LIBS := job cbor crypto base hal
job_records_CORPUS := fuzz/corpus/job_records
