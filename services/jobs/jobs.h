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
#include "services/fs/fs.h"
#include "services/store/store.h"
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

/*
 * Finds entry seq by replaying and verifying the log on dev (a disk or an
 * export); e->a.data is copied into rbuf (JOB_RESULT_MAX bytes).  0, or
 * ZERR_NOENT / ZERR_INVAL (not a job.result) / the replay's error, with why.
 */
int jobs_find(struct blk *dev, uint64_t seq, struct ax_entry *e, uint8_t *rbuf, char *why,
              size_t whycap);

/*
 * Re-runs the job of job.result entry e from cas and compares: the spec
 * must be in the store and name the entry's program and fuel limit, the
 * re-run must give the recorded result field for field, and the recorded
 * outputs, stdout and stderr must be in the store intact.  0, or an error
 * with why naming the first difference.  *rerun gets the re-run.
 */
int jobs_verify(struct cas *cas, const struct ax_entry *e, struct jobs_run *rerun, char *why,
                size_t cap);

/*
 * The service's messages, bytes in the encoding of svcrt/wire.h (layouts
 * in docs/services.md; services/jobs/msg.c is the only code that writes
 * or reads them).
 */
enum jobs_op {
    JOBS_OP_RUN = 1,    /* in: run request; out: job reply */
    JOBS_OP_SHOW = 2,   /* in: u64 seq; out: job reply (the entry and its recorded result) */
    JOBS_OP_VERIFY = 3, /* in: u64 seq; out: job reply (err: the verdict) */
    JOBS_OP_READ = 4,   /* in: bytes[32] hash, u64 offset; out: up to out_cap bytes */
    JOBS_OP_IMPORT = 5, /* in: str[512] path; out: bytes[32] hash, u64 size */
};

#define JOBS_WHY_FIELD 160u
#define JOBS_RUN_FIXED (AXIOM_NAME_FIELD + 4u) /* a run request without its spec: 37 */
#define JOBS_RUN_MAX (JOBS_RUN_FIXED + JOB_SPEC_MAX)
/* i32, why, spec hash, u64 seq, entry hash, bool, proposer, program, u64 fuel, u32 var length */
#define JOBS_REPLY_FIXED \
    (4u + JOBS_WHY_FIELD + JOB_HASH + 8u + AX_HASH_LEN + 1u + AXIOM_NAME_FIELD + JOB_HASH + 8u + 4u)
#define JOBS_REPLY_MAX (JOBS_REPLY_FIXED + JOB_RESULT_MAX)

/* A job reply, decoded.  RUN: the run's result and the committed entry;
 * SHOW and VERIFY: the entry (found: it is a job.result) and the result it
 * records. */
struct jobs_reply {
    int err; /* 0 committed (or verified); ZERR_DENIED refused by policy; other */
    char why[JOBS_WHY_FIELD];
    uint8_t spec_hash[JOB_HASH];
    uint64_t seq;              /* the entry */
    uint8_t hash[AX_HASH_LEN]; /* its hash (RUN) */
    bool found;
    char proposer[AXIOM_NAME_FIELD];
    uint8_t program[JOB_HASH];
    uint64_t fuel; /* the fuel limit */
    struct job_result result;
};

int jobs_run_encode(const char *proposer, const struct job_spec *spec, void *buf, size_t cap,
                    size_t *len);
/* Decodes a run request: a proposer that is no principal name or a spec
 * that job_spec_decode refuses is ZERR_INVAL. */
int jobs_run_decode(const void *buf, size_t len, char proposer[AXIOM_NAME_FIELD],
                    struct job_spec *spec);
int jobs_reply_encode(const struct jobs_reply *r, void *buf, size_t cap, size_t *len);
int jobs_reply_decode(const void *buf, size_t len, struct jobs_reply *r);

/* A client's calls through handle h of caller: RUN, and SHOW or VERIFY of
 * entry seq.  The call's error, else rep->err. */
int jobs_run_call(struct rt *rt, uint32_t caller, uint32_t h, const char *proposer,
                  const struct job_spec *spec, struct jobs_reply *rep);
int jobs_lookup_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op, uint64_t seq,
                     struct jobs_reply *rep);
/* IMPORT: the file at path into the jobs' store; its content hash and size.
 * 0, or ZERR_NOENT (no such file), ZERR_PERM (a directory), ZERR_LIMIT
 * (above JOBS_FILE_MAX), ZERR_CORRUPT (its bytes do not hash to its node's
 * hash), ZERR_UNSUPPORTED (the service has no filesystem), the call's error. */
int jobs_import_call(struct rt *rt, uint32_t caller, uint32_t h, const char *path,
                     uint8_t hash[JOB_HASH], uint64_t *size);

struct jobs_store;

struct jobs_svc {
    struct rt *rt;
    uint32_t self;
    uint32_t h_axiom; /* propose and read */
    struct cas *cas;
    struct blk *dev; /* the node's disk: its log, for SHOW and VERIFY */
    /* makes what was put into cas durable (the node's store commit) */
    int (*cas_commit)(void *ctx);
    void *cas_ctx;
    /* The effects outbox (services/jobs/place.c): outputs are put into the
     * filesystem through h_fs (has_fs) once their job.result is committed;
     * the effects of the first fx_done entries are done.  fx_store, when
     * not NULL, keeps the cursor durably in its client root. */
    bool has_fs;
    uint32_t h_fs;
    struct jobs_store *fx_store;
    uint64_t fx_done;
};

int jobs_handle(void *self, uint64_t badge, struct rt_msg *m);

/* JOBS_OP_IMPORT (services/jobs/import.c): decode, import, reply. */
int jobs_import(struct jobs_svc *js, struct rt_msg *m);

/*
 * Reads the spec that job.result entry e names from cas into *spec and
 * checks that it names the entry's program and fuel limit.  0, or an error
 * with why.
 */
int jobs_read_spec(struct cas *cas, const struct ax_entry *e, struct job_spec *spec, char *why,
                   size_t cap);

/* The longest output directory a spec may name: with '/' and the longest
 * sandbox path it is still a filesystem path. */
#define JOBS_OUTDIR_MAX (FS_PATH_MAX - 1 - JOB_STR_MAX)

/* Why spec's output directory cannot receive outputs, or NULL ("" or an
 * absolute filesystem path of at most JOBS_OUTDIR_MAX bytes). */
const char *jobs_outdir_problem(const struct job_spec *spec);

/* A job.result just committed, so the outbox need not read it back. */
struct jobs_known {
    uint64_t seq;
    const char *proposer;
    const struct job_spec *spec;
    const struct job_result *result;
};

/*
 * The effects outbox (docs/jobs.md "Outputs in the filesystem"): places
 * the outputs of every job.result committed past the cursor into the
 * filesystem (each output at OUTDIR/PATH, missing directories made, for
 * the job's proposer), then moves the cursor; known, when not NULL, is
 * one of those entries.  A placement the filesystem or policy refuses is
 * named in why and passed over (it is the same on every try); any other
 * failure stops the drive with the cursor before that entry, to be
 * re-driven later.  Idempotent: an output already at its place with its
 * content is not put again.  *placed counts the files put.
 */
int jobs_drive(struct jobs_svc *js, const struct jobs_known *known, uint32_t *placed, char *why,
               size_t cap);

/* Reads the cursor from fx_store's client root (none there: 0). */
void jobs_fx_load(struct jobs_svc *js);

/* The store on a disk's CAS region (services/jobs/store.c), with memory
 * from hal_page_alloc; the client root found there is kept and written
 * back unchanged by every commit. */
#define JOBS_APP_MAX (64u << 10)
struct jobs_store {
    struct store st;
    struct store_mem mem;
    uint64_t len;
    size_t app_len;
    uint8_t app[JOBS_APP_MAX];
};

int jobs_store_open(struct jobs_store *s, struct blk *dev, uint64_t base, uint64_t len);
/* store_commit with the kept client root; ctx is the struct jobs_store. */
int jobs_store_commit(void *ctx);
void jobs_store_close(struct jobs_store *s);

#endif
