# Tests of lib/job: the job spec and result records.
TESTS += job_codec
WASM_TESTS += job_codec
job_codec_SRCS := tests/lib/job/job_test.c
job_codec_LIBS := job cbor crypto base hal
