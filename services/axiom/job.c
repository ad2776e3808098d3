/*
 * The Axiom's job.result action (docs/jobs.md, docs/formats.md): its
 * payload {0: spec hash, 1: program hash, 2: fuel limit, 3: result bytes},
 * its checks, what policy sees of it, and its part of the state root: the
 * number of jobs and a hash chained over their spec hashes and results.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "job/job.h"
#include "services/axiom/internal/codec.h"
#include "services/axiom/state.h"

/* The state root's key for jobs (docs/formats.md "State root"). */
#define AX_JOB_ROOT_KEY 7

void ax_job_put_payload(cbor_enc *e, const struct ax_action *a)
{
    cbor_put_map(e, 4);
    cbor_put_uint(e, 0);
    cbor_put_bytes(e, a->job_spec, AX_HASH_LEN);
    cbor_put_uint(e, 1);
    cbor_put_bytes(e, a->job_program, AX_HASH_LEN);
    cbor_put_uint(e, 2);
    cbor_put_uint(e, a->job_fuel);
    cbor_put_uint(e, 3);
    cbor_put_bytes(e, a->data, a->data_len);
}

int ax_job_check(const struct ax_action *a)
{
    struct job_result r;

    if (a->data == NULL || a->job_fuel == 0 || job_result_decode(a->data, a->data_len, &r) != 0) {
        return ZERR_CORRUPT;
    }
    return r.fuel_used <= a->job_fuel ? 0 : ZERR_CORRUPT;
}

int ax_job_decode_payload(cbor_dec *d, struct ax_action *a)
{
    int err = ax_get_fixed_field(d, 0, a->job_spec, AX_HASH_LEN);

    if (err == 0) {
        err = ax_get_fixed_field(d, 1, a->job_program, AX_HASH_LEN);
    }
    if (err == 0) {
        err = ax_get_key(d, 2);
    }
    if (err == 0) {
        err = cbor_get_uint(d, &a->job_fuel);
    }
    if (err == 0) {
        err = ax_get_key(d, 3);
    }
    if (err == 0) {
        err = cbor_get_bytes(d, &a->data, &a->data_len);
    }
    return err != 0 ? err : ax_job_check(a);
}

int ax_job_decide(const struct ax_action *a, char *why, size_t cap)
{
    if (ax_job_check(a) != 0) {
        zfmt_snprintf(why, cap,
                      "job.result: the result does not decode, or used more fuel than its limit");
        return ZERR_INVAL;
    }
    return 0;
}

void ax_job_request(const struct ax_action *a, struct policy_request *rq)
{
    if (a->kind == AX_JOB_RESULT) {
        rq->resource.name = "job";
        rq->program = a->job_program;
        rq->fuel = a->job_fuel;
    }
}

void ax_job_perform(struct ax_state *s, const struct ax_action *a)
{
    uint8_t rh[AX_HASH_LEN];
    blake3_hasher h;

    blake3_hash(a->data, a->data_len, rh);
    blake3_init(&h);
    blake3_update(&h, s->jobs_hash, AX_HASH_LEN);
    blake3_update(&h, a->job_spec, AX_HASH_LEN);
    blake3_update(&h, rh, AX_HASH_LEN);
    blake3_finalize(&h, s->jobs_hash, AX_HASH_LEN);
    s->jobs++;
}

unsigned ax_job_root_keys(const struct ax_state *s)
{
    return s->jobs > 0 ? 1u : 0u;
}

void ax_job_root_put(const struct ax_state *s, cbor_enc *e)
{
    if (s->jobs > 0) {
        cbor_put_uint(e, AX_JOB_ROOT_KEY);
        cbor_put_array(e, 2);
        cbor_put_uint(e, s->jobs);
        cbor_put_bytes(e, s->jobs_hash, AX_HASH_LEN);
    }
}
