/*
 * libFuzzer target: the job spec and job result decoders (lib/job).
 * Nothing may crash; a record that decodes re-encodes to exactly its input
 * (one encoding per record, so the spec hash names the job).
 */
#include <stddef.h>
#include <stdint.h>

#include "base/assert.h"
#include "base/string.h"
#include "job/job.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct job_spec s;
    static struct job_result r;
    static uint8_t again[JOB_SPEC_MAX];
    size_t len = 0;

    if (job_spec_decode(data, size, &s) == 0) {
        ZASSERT(job_spec_encode(&s, again, sizeof(again), &len) == 0, "a decoded spec encodes");
        ZASSERT(len == size && memcmp(again, data, size) == 0, "a spec re-encodes to its input");
    }
    if (job_result_decode(data, size, &r) == 0) {
        ZASSERT(job_result_encode(&r, again, sizeof(again), &len) == 0, "a decoded result encodes");
        ZASSERT(len == size && memcmp(again, data, size) == 0, "a result re-encodes to its input");
    }
    return 0;
}
