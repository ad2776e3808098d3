/*
 * Re-verifying a committed job (docs/jobs.md): find its job.result entry
 * by replaying the log, read its spec back from the CAS, check that the
 * spec is the one the entry names (program and fuel limit), run it again,
 * and compare every field of the result; then check that each recorded
 * output, stdout and stderr is in the store intact.  The first difference
 * is named.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/log.h"
#include "services/jobs/jobs.h"

struct jobs_find_ctx {
    uint64_t seq;
    bool found;
    struct ax_entry *e;
    uint8_t *rbuf;
};

static void jobs_found(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct jobs_find_ctx *f = arg;

    (void)hash;
    if (e->seq != f->seq) {
        return;
    }
    *f->e = *e;
    if (e->a.kind == AX_JOB_RESULT && e->a.data_len <= JOB_RESULT_MAX) {
        memcpy(f->rbuf, e->a.data, e->a.data_len);
        f->e->a.data = f->rbuf; /* the replay's buffer goes away */
    }
    f->found = true;
}

int jobs_find(struct blk *dev, uint64_t seq, struct ax_entry *e, uint8_t *rbuf, char *why,
              size_t whycap)
{
    size_t pages = (sizeof(struct ax_state) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    struct ax_state *st = hal_page_alloc(pages);
    struct jobs_find_ctx f = {seq, false, e, rbuf};
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int err;

    if (st == NULL) {
        zfmt_snprintf(why, whycap, "out of memory");
        return ZERR_NOMEM;
    }
    ax_replay_init(&r, st, jobs_found, &f);
    err = axiom_replay_device(dev, &r, &kind, &tail);
    hal_page_free(st, pages);
    if (err != 0 && err != ZERR_TRUNCATED) {
        zfmt_snprintf(why, whycap, "the log does not verify: entry #%llu: %s",
                      (unsigned long long)r.bad_seq, r.why);
        return err;
    }
    if (!f.found) {
        zfmt_snprintf(why, whycap, "no entry #%llu", (unsigned long long)seq);
        return ZERR_NOENT;
    }
    if (e->a.kind != AX_JOB_RESULT) {
        zfmt_snprintf(why, whycap, "entry #%llu is %s, not job.result", (unsigned long long)seq,
                      ax_kind_name(e->a.kind));
        return ZERR_INVAL;
    }
    return 0;
}

int jobs_read_spec(struct cas *cas, const struct ax_entry *e, struct job_spec *spec, char *why,
                   size_t cap)
{
    static uint8_t buf[JOB_SPEC_MAX];
    char hex[2 * JOB_HASH + 1];
    struct cas_fault f;
    uint64_t size = 0;
    size_t got = 0;
    int err = cas_size(cas, e->a.job_spec, &size, &f);

    zfmt_hex(hex, e->a.job_spec, JOB_HASH);
    if (err == 0 && size > sizeof(buf)) {
        err = ZERR_LIMIT;
    }
    if (err == 0) {
        err = cas_read(cas, e->a.job_spec, 0, buf, (size_t)size, &got, &f);
    }
    if (err == 0) {
        err = job_spec_decode(buf, got, spec);
    }
    if (err != 0) {
        zfmt_snprintf(why, cap, "spec %.16s: %s", hex,
                      err == ZERR_NOENT ? "not in the store" : zerr_text(err));
        return err;
    }
    if (memcmp(spec->program, e->a.job_program, JOB_HASH) != 0 || spec->fuel != e->a.job_fuel) {
        zfmt_snprintf(why, cap, "the entry's program or fuel limit is not its spec's");
        return ZERR_CORRUPT;
    }
    return 0;
}

/* Names the first field where a (recorded) and b (re-run) differ. */
static int jobs_compare(const struct job_result *a, const struct job_result *b, char *why,
                        size_t cap)
{
    char x[2 * JOB_HASH + 1];
    char y[2 * JOB_HASH + 1];

    if (a->end != b->end || a->code != b->code) {
        zfmt_snprintf(why, cap, "end: recorded %s %u, re-run %s %u", job_end_name(a->end),
                      (unsigned)a->code, job_end_name(b->end), (unsigned)b->code);
        return ZERR_CORRUPT;
    }
    if (a->fuel_used != b->fuel_used) {
        zfmt_snprintf(why, cap, "fuel used: recorded %llu, re-run %llu",
                      (unsigned long long)a->fuel_used, (unsigned long long)b->fuel_used);
        return ZERR_CORRUPT;
    }
    if (memcmp(a->stdout_hash, b->stdout_hash, JOB_HASH) != 0 ||
        memcmp(a->stderr_hash, b->stderr_hash, JOB_HASH) != 0) {
        bool out = memcmp(a->stdout_hash, b->stdout_hash, JOB_HASH) != 0;
        zfmt_hex(x, out ? a->stdout_hash : a->stderr_hash, JOB_HASH);
        zfmt_hex(y, out ? b->stdout_hash : b->stderr_hash, JOB_HASH);
        zfmt_snprintf(why, cap, "%s: recorded %.16s, re-run %.16s", out ? "stdout" : "stderr", x,
                      y);
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < a->noutputs || i < b->noutputs; i++) {
        const struct job_file *fa = i < a->noutputs ? &a->outputs[i] : NULL;
        const struct job_file *fb = i < b->noutputs ? &b->outputs[i] : NULL;
        if (fa == NULL || fb == NULL || strcmp(fa->path, fb->path) != 0) {
            zfmt_snprintf(why, cap, "outputs: recorded %s, re-run %s", fa ? fa->path : "none",
                          fb ? fb->path : "none");
            return ZERR_CORRUPT;
        }
        if (memcmp(fa->hash, fb->hash, JOB_HASH) != 0) {
            zfmt_hex(x, fa->hash, JOB_HASH);
            zfmt_hex(y, fb->hash, JOB_HASH);
            zfmt_snprintf(why, cap, "output %s: recorded %.16s, re-run %.16s", fa->path, x, y);
            return ZERR_CORRUPT;
        }
    }
    return 0;
}

/* Reads the whole content named hash, verifying it; names what for a failure. */
static int jobs_check_stored(struct cas *cas, const uint8_t hash[JOB_HASH], const char *what,
                             char *why, size_t cap)
{
    static uint8_t buf[4096];
    struct cas_fault f;
    uint64_t size = 0;
    uint64_t off = 0;
    size_t got = 0;
    int err = cas_size(cas, hash, &size, &f);

    while (err == 0 && off < size) {
        err = cas_read(cas, hash, off, buf, sizeof(buf), &got, &f);
        off += got;
        err = err == 0 && got == 0 ? ZERR_CORRUPT : err;
    }
    if (err != 0) {
        zfmt_snprintf(why, cap, "%s: %s", what,
                      err == ZERR_NOENT     ? "missing from the store"
                      : err == ZERR_CORRUPT ? "the store's copy does not match its hash"
                                            : zerr_text(err));
    }
    return err;
}

int jobs_verify(struct cas *cas, const struct ax_entry *e, struct jobs_run *rerun, char *why,
                size_t cap)
{
    static struct job_spec spec;
    static struct job_result rec;
    char what[JOB_STR_MAX + 16];
    int err = jobs_read_spec(cas, e, &spec, why, cap);

    if (err == 0 && job_result_decode(e->a.data, e->a.data_len, &rec) != 0) {
        zfmt_snprintf(why, cap, "the recorded result does not decode");
        err = ZERR_CORRUPT;
    }
    if (err == 0) {
        err = jobs_execute(cas, &spec, false, rerun, why, cap);
    }
    if (err == 0) {
        err = jobs_compare(&rec, &rerun->r, why, cap);
    }
    if (err == 0) {
        err = jobs_check_stored(cas, rec.stdout_hash, "stdout", why, cap);
    }
    if (err == 0) {
        err = jobs_check_stored(cas, rec.stderr_hash, "stderr", why, cap);
    }
    for (uint32_t i = 0; err == 0 && i < rec.noutputs; i++) {
        zfmt_snprintf(what, sizeof(what), "output %s", rec.outputs[i].path);
        err = jobs_check_stored(cas, rec.outputs[i].hash, what, why, cap);
    }
    return err;
}
