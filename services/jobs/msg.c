/*
 * The jobs service's messages as bytes (docs/services.md), and a client's
 * calls.
 */
#include "base/errors.h"
#include "base/string.h"
#include "services/jobs/jobs.h"
#include "svcrt/wire.h"

int jobs_run_encode(const char *proposer, const struct job_spec *spec, void *buf, size_t cap,
                    size_t *len)
{
    static uint8_t sbuf[JOB_SPEC_MAX];
    struct wire_out w;
    size_t slen = 0;

    if (job_spec_encode(spec, sbuf, sizeof(sbuf), &slen) != 0) {
        return ZERR_INVAL;
    }
    wire_out_init(&w, buf, cap);
    wire_str(&w, proposer, AXIOM_NAME_FIELD);
    wire_var(&w, sbuf, slen);
    return wire_out_end(&w, len);
}

int jobs_run_decode(const void *buf, size_t len, char proposer[AXIOM_NAME_FIELD],
                    struct job_spec *spec)
{
    struct wire_in r;
    size_t n = 0;

    wire_in_init(&r, buf, len);
    wire_get_str(&r, proposer, AXIOM_NAME_FIELD);
    const uint8_t *p = wire_get_var(&r, JOB_SPEC_MAX, &n);
    int err = wire_in_end(&r);
    if (err == 0 && (proposer[0] == '\0' || job_spec_decode(p, n, spec) != 0)) {
        err = ZERR_INVAL;
    }
    return err;
}

int jobs_reply_encode(const struct jobs_reply *r, void *buf, size_t cap, size_t *len)
{
    static uint8_t rbuf[JOB_RESULT_MAX];
    struct wire_out w;
    size_t rlen = 0;

    if (job_result_encode(&r->result, rbuf, sizeof(rbuf), &rlen) != 0) {
        rlen = 0; /* no result (a request refused before the run) */
    }
    wire_out_init(&w, buf, cap);
    wire_u32(&w, (uint32_t)r->err);
    wire_str(&w, r->why, JOBS_WHY_FIELD);
    wire_bytes(&w, r->spec_hash, JOB_HASH);
    wire_u64(&w, r->seq);
    wire_bytes(&w, r->hash, AX_HASH_LEN);
    wire_u8(&w, r->found ? 1 : 0);
    wire_str(&w, r->proposer, AXIOM_NAME_FIELD);
    wire_bytes(&w, r->program, JOB_HASH);
    wire_u64(&w, r->fuel);
    wire_var(&w, rbuf, rlen);
    return wire_out_end(&w, len);
}

int jobs_reply_decode(const void *buf, size_t len, struct jobs_reply *r)
{
    struct wire_in in;
    size_t n = 0;

    memset(r, 0, sizeof(*r));
    wire_in_init(&in, buf, len);
    r->err = (int)wire_get_u32(&in);
    wire_get_str(&in, r->why, JOBS_WHY_FIELD);
    wire_get_bytes(&in, r->spec_hash, JOB_HASH);
    r->seq = wire_get_u64(&in);
    wire_get_bytes(&in, r->hash, AX_HASH_LEN);
    r->found = wire_get_bool(&in);
    wire_get_str(&in, r->proposer, AXIOM_NAME_FIELD);
    wire_get_bytes(&in, r->program, JOB_HASH);
    r->fuel = wire_get_u64(&in);
    const uint8_t *p = wire_get_var(&in, JOB_RESULT_MAX, &n);
    int err = wire_in_end(&in);
    if (err == 0 && n > 0 && job_result_decode(p, n, &r->result) != 0) {
        err = ZERR_INVAL;
    }
    return err;
}

/* Sends op with in and decodes the job reply into rep. */
static int jobs_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, const void *in,
                     size_t in_len, struct jobs_reply *rep)
{
    static uint8_t out[JOBS_REPLY_MAX];
    struct rt_msg m = {op, in, in_len, out, sizeof(out), 0};
    int err = rt_call(rt, caller, h, &m);

    memset(rep, 0, sizeof(*rep));
    if (m.out_len == 0) {
        return rep->err = err != 0 ? err : ZERR_CORRUPT;
    }
    if (jobs_reply_decode(out, m.out_len, rep) != 0 || rep->err != err) {
        memset(rep, 0, sizeof(*rep));
        memcpy(rep->why, "malformed reply from the jobs service", 38);
        return rep->err = err != 0 ? err : ZERR_CORRUPT;
    }
    return err;
}

int jobs_run_call(struct rt *rt, uint32_t caller, uint32_t h, const char *proposer,
                  const struct job_spec *spec, struct jobs_reply *rep)
{
    static uint8_t in[JOBS_RUN_MAX];
    size_t len = 0;

    if (jobs_run_encode(proposer, spec, in, sizeof(in), &len) != 0) {
        memset(rep, 0, sizeof(*rep));
        memcpy(rep->why, "the job spec does not encode", 29);
        return rep->err = ZERR_INVAL;
    }
    return jobs_call(rt, caller, h, JOBS_OP_RUN, in, len, rep);
}

int jobs_lookup_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, uint64_t seq,
                     struct jobs_reply *rep)
{
    uint8_t in[8];
    struct wire_out w;
    size_t len = 0;

    wire_out_init(&w, in, sizeof(in));
    wire_u64(&w, seq);
    (void)wire_out_end(&w, &len);
    return jobs_call(rt, caller, h, op, in, len, rep);
}

int jobs_import_call(struct rt *rt, uint32_t caller, uint32_t h, const char *path,
                     uint8_t hash[JOB_HASH], uint64_t *size)
{
    static uint8_t in[AXIOM_PATH_FIELD];
    uint8_t out[JOB_HASH + 8];
    struct wire_out w;
    struct wire_in r;
    size_t len = 0;

    if (strlen(path) >= AXIOM_PATH_FIELD) {
        return ZERR_INVAL;
    }
    wire_out_init(&w, in, sizeof(in));
    wire_str(&w, path, AXIOM_PATH_FIELD);
    (void)wire_out_end(&w, &len);
    struct rt_msg m = {JOBS_OP_IMPORT, in, len, out, sizeof(out), 0};
    int err = rt_call(rt, caller, h, &m);
    if (err != 0) {
        return err;
    }
    wire_in_init(&r, out, m.out_len);
    wire_get_bytes(&r, hash, JOB_HASH);
    *size = wire_get_u64(&r);
    return wire_in_end(&r) != 0 ? ZERR_CORRUPT : 0;
}
