/*
 * The jobs service (docs/jobs.md): runs a job spec whose program and
 * inputs are in the content-addressed store, on the deterministic engine
 * with only the WASI calls granted, in a sandbox held in memory, stores
 * the outputs, stdout and stderr in the store, and proposes the
 * job.result entry to the Axiom.
 *
 *     jobs_execute()   spec + CAS -> result (the deterministic part; also
 *                      what `zero job verify` re-runs)
 *     jobs_handle()    the service: policy first, then run, store, propose
 */
#ifndef ZERO_SERVICES_JOBS_H
#define ZERO_SERVICES_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "job/job.h"
#include "services/axiom/service.h"
#include "services/cas/cas.h"
#include "svcrt/runtime.h"

/* The sandbox's limits (docs/jobs.md): every one gives the same errno on
 * every platform, so a run that reaches one is still deterministic. */
#define JOBS_FILE_MAX (16u << 20)   /* bytes of one file, of stdout, of stderr */
#define JOBS_WRITTEN_MAX 16         /* files opened for writing */
#define JOBS_WRITTEN_PATH_BYTES 768 /* their path bytes together */
#define JOBS_MEM_PAGES_MAX 1024u    /* the largest memory limit this node runs (64 MiB) */

/* What a run gave, beyond the result record: where stdout and stderr are. */
struct jobs_run {
    struct job_result r;
    uint64_t stdout_len, stderr_len;
};

/*
 * Runs spec: reads the program and inputs from cas, runs _start, and, when
 * store is true, puts every output, stdout and stderr into cas.  Fills
 * *out (deterministic: the same spec and store contents give the same
 * result everywhere).  Returns 0 (whatever the program did: exit, trap or
 * refusal are results), or ZERR_NOENT (program or an input missing in the
 * CAS), ZERR_LIMIT (memory limit above JOBS_MEM_PAGES_MAX), ZERR_NOMEM, or
 * a CAS error, with why filled.
 */
int jobs_execute(struct cas *cas, const struct job_spec *spec, bool store, struct jobs_run *out,
                 char *why, size_t whycap);

/* The service's messages. */
enum jobs_op {
    JOBS_OP_RUN = 1, /* in: struct jobs_req; out: struct jobs_reply */
};

struct jobs_req {
    const char *proposer; /* the principal the job runs for */
    const struct job_spec *spec;
};

struct jobs_reply {
    int err; /* 0 committed; ZERR_DENIED refused by policy; other */
    char why[160];
    uint8_t spec_hash[JOB_HASH];
    struct jobs_run run;
    struct axiom_result commit; /* the job.result entry */
};

struct jobs_svc {
    struct rt *rt;
    uint32_t self;
    uint32_t h_axiom; /* propose and read */
    struct cas *cas;
    /* makes what was put into cas durable (the node's store commit) */
    int (*cas_commit)(void *ctx);
    void *cas_ctx;
};

int jobs_handle(void *self, uint64_t badge, struct rt_msg *m);

#endif
