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
#include "svcrt/wire.h"

/* What a run or a lookup found, before it becomes the reply. */
struct jobs_work {
    char why[JOBS_WHY_FIELD];
    uint8_t spec_hash[JOB_HASH];
    struct jobs_run run;
    struct axiom_result commit; /* the job.result entry */
    struct ax_entry entry;      /* SHOW, VERIFY: the entry (data points into rbuf) */
    uint8_t rbuf[JOB_RESULT_MAX];
    struct job_result recorded;
};

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

/* After the commit: the outputs into the filesystem (place.c).  The job is
 * committed whatever happens here; a placement that failed is named in
 * rep->why and, unless final, re-driven after the next run or start. */
static void jobs_effects(struct jobs_svc *js, const char *proposer, const struct job_spec *spec,
                         struct jobs_work *rep)
{
    struct jobs_known k = {rep->commit.seq, proposer, spec, &rep->run.r};
    uint32_t placed = 0;
    char why[JOBS_WHY_FIELD] = "";
    int err = jobs_drive(js, &k, &placed, why, sizeof(why));

    if (err != 0 || why[0] != '\0') {
        zfmt_snprintf(rep->why, sizeof(rep->why), "outputs not placed: %s",
                      why[0] != '\0' ? why : zerr_text(err));
    }
}

/* Runs one job spec for proposer; fills rep. */
static int jobs_run_one(struct jobs_svc *js, const char *proposer, const struct job_spec *spec,
                        struct jobs_work *rep)
{
    static uint8_t sbuf[JOB_SPEC_MAX];
    uint8_t rbuf[JOB_RESULT_MAX];
    size_t slen = 0;
    size_t rlen = 0;
    struct ax_action a;
    int err = job_spec_encode(spec, sbuf, sizeof(sbuf), &slen);

    if (err != 0) {
        zfmt_snprintf(rep->why, sizeof(rep->why), "the job spec does not encode: %s",
                      zerr_text(err));
        return err;
    }
    blake3_hash(sbuf, slen, rep->spec_hash);
    const char *problem = jobs_outdir_problem(spec);
    if (problem != NULL) {
        zfmt_snprintf(rep->why, sizeof(rep->why), "output directory %.64s: %s", spec->outdir,
                      problem);
        return ZERR_INVAL;
    }
    job_result_encode(&rep->run.r, rbuf, sizeof(rbuf), &rlen); /* an empty exit: fits */
    jobs_draft(js, proposer, spec, rep->spec_hash, rbuf, rlen, &a);
    err = jobs_precheck(js, &a, rep->why, sizeof(rep->why));
    if (err != 0) {
        return err;
    }
    uint8_t stored[JOB_HASH];
    err = cas_put(js->cas, sbuf, slen, stored, NULL);
    if (err == 0) {
        err = jobs_execute(js->cas, spec, true, &rep->run, rep->why, sizeof(rep->why));
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
    jobs_draft(js, proposer, spec, rep->spec_hash, rbuf, rlen, &a);
    err = jobs_propose(js, &a, &rep->commit);
    if (err != 0) {
        zfmt_snprintf(rep->why, sizeof(rep->why), "%s", rep->commit.why);
        return err;
    }
    jobs_effects(js, proposer, spec, rep);
    return 0;
}

/* SHOW and VERIFY: the entry, its recorded result, and for VERIFY the verdict. */
static int jobs_lookup(struct jobs_svc *js, uint64_t seq, bool verify, struct jobs_work *rep)
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

/* The reply to op from what w holds. */
static void jobs_reply_of(uint32_t op, uint64_t seq, int err, const struct jobs_work *w,
                          struct jobs_reply *r)
{
    memset(r, 0, sizeof(*r));
    r->err = err;
    memcpy(r->why, w->why, sizeof(r->why));
    r->why[sizeof(r->why) - 1] = '\0';
    memcpy(r->spec_hash, w->spec_hash, JOB_HASH);
    if (op == JOBS_OP_RUN) {
        r->seq = w->commit.seq;
        memcpy(r->hash, w->commit.hash, AX_HASH_LEN);
        r->result = w->run.r;
        return;
    }
    r->seq = seq;
    r->found = w->entry.a.kind == AX_JOB_RESULT;
    if (r->found) {
        memcpy(r->proposer, w->entry.a.proposer, sizeof(r->proposer));
        memcpy(r->program, w->entry.a.job_program, JOB_HASH);
        r->fuel = w->entry.a.job_fuel;
        r->result = w->recorded;
    }
}

/* RUN, SHOW and VERIFY: decode, do, reply; the result is the job reply's
 * err.  A request that does not decode is refused before anything runs,
 * with no reply. */
static int jobs_job(struct jobs_svc *js, struct rt_msg *m)
{
    static struct jobs_work w;
    static struct job_spec spec;
    static struct jobs_reply r;
    char proposer[AXIOM_NAME_FIELD];
    uint64_t seq = 0;
    int err;

    if (m->op == JOBS_OP_RUN) {
        err = jobs_run_decode(m->in, m->in_len, proposer, &spec);
    } else {
        struct wire_in in;
        wire_in_init(&in, m->in, m->in_len);
        seq = wire_get_u64(&in);
        err = wire_in_end(&in);
    }
    if (err != 0) {
        return err;
    }
    if (m->out_cap < JOBS_REPLY_MAX) {
        return ZERR_RANGE;
    }
    memset(&w, 0, sizeof(w));
    err = m->op == JOBS_OP_RUN ? jobs_run_one(js, proposer, &spec, &w)
                               : jobs_lookup(js, seq, m->op == JOBS_OP_VERIFY, &w);
    jobs_reply_of(m->op, seq, err, &w, &r);
    int e = jobs_reply_encode(&r, m->out, m->out_cap, &m->out_len);
    return err != 0 ? err : e; /* the reply says why either way */
}

int jobs_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct jobs_svc *js = self;

    (void)badge;
    switch (m->op) {
    case JOBS_OP_READ:
        return jobs_read(js, m);
    case JOBS_OP_IMPORT:
        return jobs_import(js, m);
    case JOBS_OP_RUN:
    case JOBS_OP_SHOW:
    case JOBS_OP_VERIFY:
        return jobs_job(js, m);
    default:
        return ZERR_UNSUPPORTED;
    }
}
