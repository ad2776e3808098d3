/*
 * The jobs service: decide, run, store, propose.  Policy is asked first,
 * with the job.result the run would propose (program and fuel limit are
 * all policy sees), so a job the proposer may not run is never run and
 * nothing is stored or committed.  Then the run, the outputs into the
 * CAS, the CAS made durable, and only then the job.result proposal: an
 * entry never names content the store could lose.
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/axiom/state.h"
#include "services/jobs/jobs.h"

/* A result that decodes, for the policy preview. */
static void jobs_draft(const struct jobs_svc *js, const char *proposer, const struct job_spec *spec,
                       const uint8_t spec_hash[JOB_HASH], uint8_t *rbuf, size_t rlen,
                       struct ax_action *a)
{
    (void)js;
    memset(a, 0, sizeof(*a));
    a->kind = AX_JOB_RESULT;
    memcpy(a->proposer, proposer, strlen(proposer) + 1);
    memcpy(a->job_spec, spec_hash, JOB_HASH);
    memcpy(a->job_program, spec->program, JOB_HASH);
    a->job_fuel = spec->fuel;
    a->data = rbuf;
    a->data_len = rlen;
}

/* Asks the Axiom whether a would be allowed now (AXIOM_OP_DECIDE: nothing is committed). */
static int jobs_precheck(struct jobs_svc *js, const struct ax_action *a, char *why, size_t cap)
{
    struct axiom_result res;
    int err = axiom_decide(js->rt, js->self, js->h_axiom, a, &res);

    if (err != 0) {
        zfmt_snprintf(why, cap, "%s", res.why[0] != '\0' ? res.why : "the Axiom is not reachable");
    }
    return err;
}

static int jobs_propose(struct jobs_svc *js, const struct ax_action *a, struct axiom_result *res)
{
    int err = axiom_submit(js->rt, js->self, js->h_axiom, a, res);

    return err != 0 ? err : res->err;
}

/* Runs one job for rq->proposer; fills rep. */
static int jobs_run_one(struct jobs_svc *js, const struct jobs_req *rq, struct jobs_reply *rep)
{
    static uint8_t sbuf[JOB_SPEC_MAX];
    uint8_t rbuf[JOB_RESULT_MAX];
    size_t slen = 0;
    size_t rlen = 0;
    struct ax_action a;
    int err = job_spec_encode(rq->spec, sbuf, sizeof(sbuf), &slen);

    if (err != 0) {
        zfmt_snprintf(rep->why, sizeof(rep->why), "the job spec does not encode: %s",
                      zerr_text(err));
        return err;
    }
    blake3_hash(sbuf, slen, rep->spec_hash);
    job_result_encode(&rep->run.r, rbuf, sizeof(rbuf), &rlen); /* an empty exit: fits */
    jobs_draft(js, rq->proposer, rq->spec, rep->spec_hash, rbuf, rlen, &a);
    err = jobs_precheck(js, &a, rep->why, sizeof(rep->why));
    if (err != 0) {
        return err;
    }
    uint8_t stored[JOB_HASH];
    err = cas_put(js->cas, sbuf, slen, stored, NULL);
    if (err == 0) {
        err = jobs_execute(js->cas, rq->spec, true, &rep->run, rep->why, sizeof(rep->why));
    } else {
        zfmt_snprintf(rep->why, sizeof(rep->why), "cannot store the spec: %s", zerr_text(err));
    }
    if (err == 0) {
        err = job_result_encode(&rep->run.r, rbuf, sizeof(rbuf), &rlen);
    }
    if (err == 0 && js->cas_commit != NULL) {
        err = js->cas_commit(js->cas_ctx);
        if (err != 0) {
            zfmt_snprintf(rep->why, sizeof(rep->why), "cannot commit the store: %s",
                          zerr_text(err));
        }
    }
    if (err != 0) {
        return err;
    }
    jobs_draft(js, rq->proposer, rq->spec, rep->spec_hash, rbuf, rlen, &a);
    err = jobs_propose(js, &a, &rep->commit);
    if (err != 0) {
        zfmt_snprintf(rep->why, sizeof(rep->why), "%s", rep->commit.why);
    }
    return err;
}

/* SHOW and VERIFY: the entry, its recorded result, and for VERIFY the verdict. */
static int jobs_lookup(struct jobs_svc *js, uint64_t seq, bool verify, struct jobs_reply *rep)
{
    int err = jobs_find(js->dev, seq, &rep->entry, rep->rbuf, rep->why, sizeof(rep->why));

    if (err == 0) {
        rep->entry.a.data = rep->rbuf;
        memcpy(rep->spec_hash, rep->entry.a.job_spec, JOB_HASH);
        err = job_result_decode(rep->rbuf, rep->entry.a.data_len, &rep->recorded);
    }
    if (err == 0 && verify) {
        err = jobs_verify(js->cas, &rep->entry, &rep->run, rep->why, sizeof(rep->why));
    }
    return err;
}

/* READ: bytes of stored content (stdout, an output) from an offset. */
static int jobs_read(struct jobs_svc *js, struct rt_msg *m)
{
    struct cas_fault f;
    size_t got = 0;

    if (m->in_len != JOB_HASH + 8) {
        return ZERR_INVAL;
    }
    uint64_t offset = le64_get((const uint8_t *)m->in + JOB_HASH);
    int err = cas_read(js->cas, m->in, offset, m->out, m->out_cap, &got, &f);
    m->out_len = got;
    return err == ZERR_RANGE ? 0 : err;
}

int jobs_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct jobs_svc *js = self;
    const struct jobs_req *rq = m->in;
    struct jobs_reply *rep = m->out;

    (void)badge;
    if (m->op == JOBS_OP_READ) {
        return jobs_read(js, m);
    }
    if ((m->op == JOBS_OP_SHOW || m->op == JOBS_OP_VERIFY) && m->out_cap >= sizeof(*rep)) {
        memset(rep, 0, sizeof(*rep));
        if (m->in_len != 8) {
            return ZERR_INVAL;
        }
        rep->err = jobs_lookup(js, le64_get(m->in), m->op == JOBS_OP_VERIFY, rep);
        m->out_len = sizeof(*rep);
        return 0;
    }
    if (m->op != JOBS_OP_RUN || m->in_len != sizeof(*rq) || m->out_cap < sizeof(*rep) ||
        rq->spec == NULL || rq->proposer == NULL || strlen(rq->proposer) > ID_NAME_MAX) {
        return ZERR_INVAL;
    }
    memset(rep, 0, sizeof(*rep));
    rep->err = jobs_run_one(js, rq, rep);
    m->out_len = sizeof(*rep);
    return 0;
}
