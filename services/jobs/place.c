/*
 * The effects of job.result (docs/jobs.md "Outputs in the filesystem"):
 * once a job's entry is committed, its outputs are put into the
 * filesystem under the spec's output directory, as fs.put entries of the
 * job's proposer after the job.result.  The log is the outbox
 * (docs/axiom.md "Effects"): the cursor counts the entries whose effects
 * are done and lives in the jobs store's client root; after each run and
 * at every start the entries past it are looked at (their kinds, from the
 * Axiom's log listing), and a job.result among them has its outputs
 * placed.  Placing is idempotent: a file already holding the output's
 * content is left alone, so an effect re-driven after a crash changes
 * nothing.
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/fs/service.h"
#include "services/jobs/jobs.h"

#define JOBS_FX_LEN 16u
#define JOBS_FX_PAGE 64u /* log items looked at per Axiom call */

static const uint8_t jobs_fx_magic[8] = {'Z', 'J', 'O', 'B', 'F', 'X', 0, 1};

void jobs_fx_load(struct jobs_svc *js)
{
    const struct jobs_store *s = js->fx_store;

    js->fx_done = 0;
    if (s != NULL && s->app_len == JOBS_FX_LEN && memcmp(s->app, jobs_fx_magic, 8) == 0) {
        js->fx_done = le64_get(s->app + 8);
    }
}

/* Records the cursor in the store's client root; the next commit makes it durable. */
static void jobs_fx_keep(struct jobs_svc *js)
{
    struct jobs_store *s = js->fx_store;

    if (s != NULL) {
        memcpy(s->app, jobs_fx_magic, 8);
        le64_put(s->app + 8, js->fx_done);
        s->app_len = JOBS_FX_LEN;
    }
}

const char *jobs_outdir_problem(const struct job_spec *spec)
{
    size_t n = strlen(spec->outdir);

    if (n == 0) {
        return NULL;
    }
    if (n > JOBS_OUTDIR_MAX) {
        return "longer than 255 bytes";
    }
    return fs_path_problem(spec->outdir, n);
}

/* Makes every missing directory above dest (a file path) for proposer. */
static int jobs_mkdirs(struct jobs_svc *js, const char *proposer, const char *dest, char *why,
                       size_t cap)
{
    static struct ax_action a;
    struct axiom_result res;
    struct fs_node n;

    memset(&res, 0, sizeof(res));
    for (size_t i = 1; dest[i] != '\0'; i++) {
        if (dest[i] != '/') {
            continue;
        }
        memset(&a, 0, sizeof(a));
        memcpy(a.fs.path, dest, i);
        int err = axiom_fs_stat(js->rt, js->self, js->h_axiom, a.fs.path, &n);
        if (err == 0 && n.kind != FS_DIR) {
            zfmt_snprintf(why, cap, "%s is not a directory", a.fs.path);
            return ZERR_PERM;
        }
        if (err == ZERR_NOENT) {
            a.kind = AX_FS_MKDIR;
            a.fs.mode = 0755;
            memcpy(a.proposer, proposer, strlen(proposer) + 1);
            err = axiom_submit(js->rt, js->self, js->h_axiom, &a, &res);
            err = err != 0 ? err : res.err;
            if (err != 0) {
                zfmt_snprintf(why, cap, "mkdir %s: %s", a.fs.path,
                              res.why[0] != '\0' ? res.why : zerr_text(err));
            }
        }
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

#define JOBS_PUT_PIECE 12288u /* content of one fs.put that fits any channel (x86_64: 16 KiB) */

/*
 * fs.put of rq's content; where the channel to the filesystem refuses a
 * message that large (ZERR_RANGE: x86_64's 16 KiB), as a put of the first
 * JOBS_PUT_PIECE bytes and appends of the rest, each its own entry.
 */
static int jobs_put_call(struct jobs_svc *js, struct fssvc_put *rq, struct axiom_result *res)
{
    const uint8_t *data = rq->data;
    uint64_t len = rq->len;
    int err = fssvc_put_call(js->rt, js->self, js->h_fs, rq, res);

    err = err != 0 ? err : res->err;
    for (uint64_t off = 0; err == ZERR_RANGE && off < len; off += JOBS_PUT_PIECE) {
        rq->data = data + off;
        rq->len = len - off < JOBS_PUT_PIECE ? len - off : JOBS_PUT_PIECE;
        rq->append = off > 0;
        memset(res, 0, sizeof(*res));
        err = fssvc_put_call(js->rt, js->self, js->h_fs, rq, res);
        err = err != 0 ? err : res->err;
        err = err == 0 && off + JOBS_PUT_PIECE < len ? ZERR_RANGE : err; /* more to come */
    }
    return err;
}

/* Puts the stored content hash at dest for proposer, unless dest holds it already. */
static int jobs_put(struct jobs_svc *js, const char *proposer, const char *dest,
                    const uint8_t hash[JOB_HASH], uint32_t *placed, char *why, size_t cap)
{
    static struct fssvc_put rq;
    struct axiom_result res;
    struct cas_fault f;
    struct fs_node n;
    uint64_t size = 0;
    size_t got = 0;

    memset(&res, 0, sizeof(res));
    if (axiom_fs_stat(js->rt, js->self, js->h_axiom, dest, &n) == 0 && n.kind == FS_FILE &&
        memcmp(n.hash, hash, JOB_HASH) == 0) {
        return 0;
    }
    int err = cas_size(js->cas, hash, &size, &f);
    size_t pages = (size_t)(size + HAL_PAGE_SIZE) / HAL_PAGE_SIZE;
    uint8_t *buf = err == 0 ? hal_page_alloc(pages) : NULL;
    err = err != 0 ? err : buf == NULL ? ZERR_NOMEM : 0;
    if (err == 0) {
        err = cas_read(js->cas, hash, 0, buf, (size_t)size, &got, &f);
    }
    memset(&rq, 0, sizeof(rq));
    memset(&res, 0, sizeof(res));
    if (err == 0) {
        memcpy(rq.proposer, proposer, strlen(proposer) + 1);
        memcpy(rq.path, dest, strlen(dest) + 1);
        rq.mode = 0644;
        rq.data = buf;
        rq.len = got;
        err = jobs_put_call(js, &rq, &res);
    }
    if (buf != NULL) {
        hal_page_free(buf, pages);
    }
    if (err != 0) {
        zfmt_snprintf(why, cap, "%s: %s", dest, res.why[0] != '\0' ? res.why : zerr_text(err));
        return err;
    }
    (*placed)++;
    return 0;
}

/* Places the outputs of one committed job. */
static int jobs_place(struct jobs_svc *js, const char *proposer, const struct job_spec *spec,
                      const struct job_result *r, uint32_t *placed, char *why, size_t cap)
{
    static char dest[FS_PATH_MAX + 1];
    const char *problem = jobs_outdir_problem(spec);
    bool root = strcmp(spec->outdir, "/") == 0;
    int err = 0;

    if (problem != NULL) {
        zfmt_snprintf(why, cap, "output directory %.64s: %s", spec->outdir, problem);
        return ZERR_INVAL;
    }
    for (uint32_t i = 0; err == 0 && spec->outdir[0] != '\0' && i < r->noutputs; i++) {
        zfmt_snprintf(dest, sizeof(dest), "%s/%s", root ? "" : spec->outdir, r->outputs[i].path);
        err = jobs_mkdirs(js, proposer, dest, why, cap);
        if (err == 0) {
            err = jobs_put(js, proposer, dest, r->outputs[i].hash, placed, why, cap);
        }
    }
    return err;
}

/* Reads committed job.result seq back from the log and the store, then places it. */
static int jobs_place_entry(struct jobs_svc *js, uint64_t seq, uint32_t *placed, char *why,
                            size_t cap)
{
    static struct ax_entry e;
    static uint8_t rbuf[JOB_RESULT_MAX];
    static struct job_spec spec;
    static struct job_result r;
    int err = jobs_find(js->dev, seq, &e, rbuf, why, cap);

    if (err == 0) {
        err = jobs_read_spec(js->cas, &e, &spec, why, cap);
    }
    if (err == 0 && job_result_decode(rbuf, e.a.data_len, &r) != 0) {
        zfmt_snprintf(why, cap, "entry #%llu: the recorded result does not decode",
                      (unsigned long long)seq);
        err = ZERR_CORRUPT;
    }
    return err != 0 ? err : jobs_place(js, e.a.proposer, &spec, &r, placed, why, cap);
}

/* A failure that a later try would meet again: passed over, not retried. */
static bool jobs_fx_final(int err)
{
    return err == ZERR_DENIED || err == ZERR_PERM || err == ZERR_INVAL || err == ZERR_EXIST ||
           err == ZERR_LIMIT || err == ZERR_NOPRINCIPAL || err == ZERR_CORRUPT;
}

/* The effects of entries [fx_done, fx_done + n) of the log listing. */
static int jobs_drive_page(struct jobs_svc *js, const struct jobs_known *known,
                           const struct axiom_log_item *items, uint32_t n, uint32_t *placed,
                           char *why, size_t cap)
{
    for (uint32_t i = 0; i < n; i++) {
        int err = 0;
        if (items[i].kind == AX_JOB_RESULT && known != NULL && items[i].seq == known->seq) {
            err = jobs_place(js, known->proposer, known->spec, known->result, placed, why, cap);
        } else if (items[i].kind == AX_JOB_RESULT) {
            err = jobs_place_entry(js, items[i].seq, placed, why, cap);
        }
        if (err != 0 && !jobs_fx_final(err)) {
            return err;
        }
        js->fx_done = items[i].seq + 1;
    }
    return 0;
}

int jobs_drive(struct jobs_svc *js, const struct jobs_known *known, uint32_t *placed, char *why,
               size_t cap)
{
    static struct axiom_log_item items[JOBS_FX_PAGE];
    struct axiom_head h;
    uint64_t was = js->fx_done;
    uint32_t before = *placed;
    int err = 0;

    while (js->has_fs && err == 0) {
        uint32_t got = 0;
        err = axiom_get_head(js->rt, js->self, js->h_axiom, &h);
        if (err != 0 || js->fx_done >= h.entries) {
            break;
        }
        uint64_t left = h.entries - js->fx_done;
        uint32_t n = left < JOBS_FX_PAGE ? (uint32_t)left : JOBS_FX_PAGE;
        err = axiom_get_log(js->rt, js->self, js->h_axiom, n, (uint32_t)(left - n), items, &got);
        if (err == 0 && (got != n || items[0].seq != js->fx_done)) {
            err = ZERR_CORRUPT; /* the listing is not the part asked for */
        }
        if (err == 0) {
            err = jobs_drive_page(js, known, items, n, placed, why, cap);
        }
    }
    if (js->fx_done != was) {
        jobs_fx_keep(js);
        /* Placing made the filesystem's entries durable; the cursor
         * follows now.  Otherwise it rides on the store's next commit: a
         * cursor that lags only has the drive look at entries again. */
        if (*placed != before && js->cas_commit != NULL) {
            int e = js->cas_commit(js->cas_ctx);
            err = err != 0 ? err : e;
        }
    }
    return err;
}
