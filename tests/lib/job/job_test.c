/*
 * Job spec and result records: round trips, the exact bytes of a small
 * spec (docs/formats.md), and every refusal of the strict decoders.
 */
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "job/job.h"
#include "tap.h"

static struct job_spec spec;
static struct job_spec back;
static struct job_result res;
static struct job_result rback;
static uint8_t buf[JOB_SPEC_MAX];
static uint8_t again[JOB_SPEC_MAX];
static size_t alen;

static void fill_spec(struct job_spec *s)
{
    memset(s, 0, sizeof(*s));
    memset(s->program, 0xaa, JOB_HASH);
    s->argc = 2;
    strcpy(s->argv[0], "wc");
    strcpy(s->argv[1], "in.txt");
    s->envc = 1;
    strcpy(s->env[0], "LANG=C");
    s->ninputs = 2;
    strcpy(s->inputs[0].path, "a/in.txt");
    memset(s->inputs[0].hash, 1, JOB_HASH);
    strcpy(s->inputs[1].path, "in.txt");
    memset(s->inputs[1].hash, 2, JOB_HASH);
    s->time_ns = 1000;
    s->seed = 7;
    s->fuel = 1000000;
    s->mem_pages = 256;
    strcpy(s->outdir, "/out");
}

static void job_spec_round_trips_and_names_the_job(void)
{
    size_t len = 0;
    uint8_t h1[JOB_HASH];
    uint8_t h2[JOB_HASH];

    fill_spec(&spec);
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), 0, "spec encodes");
    is_int(job_spec_decode(buf, len, &back), 0, "spec decodes");
    ok(job_spec_encode(&back, again, sizeof(again), &alen) == 0 && alen == len &&
           memcmp(again, buf, len) == 0,
       "spec round trip is exact");
    blake3_hash(buf, len, h1);
    is_int(job_spec_hash(&spec, h2), 0, "spec hash");
    is_mem(h2, h1, JOB_HASH, "the spec hash is BLAKE3 of its encoding");
    /* The documented head: map of 10, key 0 = 1, key 1 = 32-byte bytes. */
    ok(buf[0] == 0xaa && buf[1] == 0x00 && buf[2] == 0x01 && buf[3] == 0x01 && buf[4] == 0x58 &&
           buf[5] == 0x20,
       "spec starts map(10) {0: 1, 1: 32 bytes} as documented");
    spec.seed = 8;
    job_spec_hash(&spec, h2);
    ok(memcmp(h1, h2, JOB_HASH) != 0, "another seed is another job");
}

static void job_spec_encoder_refuses_bad_fields(void)
{
    size_t len = 0;

    fill_spec(&spec);
    strcpy(spec.inputs[0].path, "z");
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "inputs out of order");
    fill_spec(&spec);
    strcpy(spec.inputs[0].path, "../etc/passwd");
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "a path with ..");
    fill_spec(&spec);
    strcpy(spec.inputs[0].path, "/abs");
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "an absolute path");
    fill_spec(&spec);
    spec.fuel = 0;
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "fuel 0");
    fill_spec(&spec);
    spec.mem_pages = JOB_MAX_PAGES + 1;
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "memory over the limit");
    fill_spec(&spec);
    strcpy(spec.env[0], "NOEQUALS");
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "env without =");
    fill_spec(&spec);
    spec.argc = 0;
    is_int(job_spec_encode(&spec, buf, sizeof(buf), &len), ZERR_INVAL, "no argv[0]");
    fill_spec(&spec);
    is_int(job_spec_encode(&spec, buf, 20, &len), ZERR_FULL, "a buffer too small");
}

/* Every truncation and every single-byte change either fails or decodes to
 * a record that re-encodes to exactly the changed bytes. */
static void job_decoders_are_strict(void)
{
    size_t len = 0;
    uint8_t again[JOB_SPEC_MAX];
    size_t alen = 0;
    int bad = 0;

    fill_spec(&spec);
    job_spec_encode(&spec, buf, sizeof(buf), &len);
    for (size_t n = 0; n < len; n++) {
        bad += job_spec_decode(buf, n, &back) == 0;
    }
    is_int(bad, 0, "every truncated spec is refused");
    bad = 0;
    for (size_t i = 0; i < len; i++) {
        for (unsigned bit = 0; bit < 8; bit++) {
            buf[i] ^= (uint8_t)(1u << bit);
            if (job_spec_decode(buf, len, &back) == 0 &&
                (job_spec_encode(&back, again, sizeof(again), &alen) != 0 || alen != len ||
                 memcmp(again, buf, len) != 0)) {
                bad++;
            }
            buf[i] ^= (uint8_t)(1u << bit);
        }
    }
    is_int(bad, 0, "no bit flip of a spec decodes to a record with another encoding");
    buf[len] = 0;
    ok(job_spec_decode(buf, len + 1, &back) != 0, "a trailing byte is refused");
}

static void fill_result(struct job_result *r)
{
    memset(r, 0, sizeof(*r));
    r->end = JOB_END_TRAP;
    r->code = 12;
    r->fuel_used = 123456;
    memset(r->stdout_hash, 3, JOB_HASH);
    memset(r->stderr_hash, 4, JOB_HASH);
    r->noutputs = 1;
    strcpy(r->outputs[0].path, "sorted.txt");
    memset(r->outputs[0].hash, 5, JOB_HASH);
}

static void job_result_round_trips(void)
{
    size_t len = 0;
    int bad = 0;

    fill_result(&res);
    is_int(job_result_encode(&res, buf, sizeof(buf), &len), 0, "result encodes");
    is_int(job_result_decode(buf, len, &rback), 0, "result decodes");
    ok(job_result_encode(&rback, again, sizeof(again), &alen) == 0 && alen == len &&
           memcmp(again, buf, len) == 0,
       "result round trip is exact");
    for (size_t n = 0; n < len; n++) {
        bad += job_result_decode(buf, n, &rback) == 0;
    }
    is_int(bad, 0, "every truncated result is refused");
    buf[2] = 2; /* format 2 */
    is_int(job_result_decode(buf, len, &rback), ZERR_CORRUPT, "an unknown format is refused");
    res.end = 3;
    is_int(job_result_encode(&res, buf, sizeof(buf), &len), ZERR_INVAL, "an unknown end");
    fill_result(&res);
    res.noutputs = JOB_MAX_FILES;
    for (uint32_t i = 0; i < JOB_MAX_FILES; i++) {
        memset(res.outputs[i].path, 'a', 200);
        snprintf(res.outputs[i].path + 200, 8, "%02u", (unsigned)i);
    }
    is_int(job_result_encode(&res, buf, sizeof(buf), &len), ZERR_FULL,
           "a result larger than JOB_RESULT_MAX is refused");
}

static void job_paths(void)
{
    ok(job_path_valid("a", 1) && job_path_valid("a/b.c", 5) && job_path_valid("..a", 3),
       "plain relative paths are valid");
    ok(!job_path_valid("", 0) && !job_path_valid("/a", 2) && !job_path_valid("a/", 2) &&
           !job_path_valid("a//b", 4) && !job_path_valid("./a", 3) && !job_path_valid("a/..", 4),
       "empty, absolute, trailing /, //, . and .. are not");
}

int main(void)
{
    job_spec_round_trips_and_names_the_job();
    job_spec_encoder_refuses_bad_fields();
    job_decoders_are_strict();
    job_result_round_trips();
    job_paths();
    return tap_done();
}
