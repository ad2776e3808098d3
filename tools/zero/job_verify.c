/*
 * zero job verify DISK [SEQ]: re-executes the job of job.result entry SEQ
 * (without SEQ: of every job.result, in one replay of the log)
 * from the disk's content store on the host and compares every field of
 * the result, the fuel included (services/jobs/verify.c), naming the
 * first mismatch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/log.h"
#include "services/jobs/jobs.h"
#include "tools/zero/zero.h"

/* zero job verify DISK: every job.result of the log, in one replay. */
struct verify_all {
    struct cas *cas;
    uint64_t jobs, failed;
};

static void verify_one(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    static struct jobs_run rerun;
    struct verify_all *v = arg;
    char why[200] = "";

    (void)hash;
    if (e->a.kind != AX_JOB_RESULT) {
        return;
    }
    v->jobs++;
    if (jobs_verify(v->cas, e, &rerun, why, sizeof(why)) != 0) {
        printf("job #%llu FAILED: %s\n", (unsigned long long)e->seq, why);
        v->failed++;
    }
}

static int verify_all(struct blk *dev)
{
    static struct jobs_store s;
    static struct ax_state st;
    struct verify_all v = {NULL, 0, 0};
    struct ax_layout lay;
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    char why[160] = "";
    int err = ax_read_super(dev, &lay, NULL, why, sizeof(why));

    if (err == 0) {
        err = jobs_store_open(&s, dev, lay.cas_off, lay.cas_len);
    }
    if (err != 0) {
        printf("jobs FAILED: the content store: %s\n", why[0] ? why : zerr_text(err));
        return ZERO_EXIT_NO;
    }
    v.cas = &s.st.cas;
    ax_replay_init(&r, &st, verify_one, &v);
    err = axiom_replay_device(dev, &r, &kind, &tail);
    jobs_store_close(&s);
    if (err != 0 && err != ZERR_TRUNCATED) {
        printf("jobs FAILED: the log does not verify: entry #%llu: %s\n",
               (unsigned long long)r.bad_seq, r.why);
        return ZERO_EXIT_NO;
    }
    printf("%s: %llu jobs re-run, %llu failed\n", v.failed ? "FAILED" : "ok",
           (unsigned long long)v.jobs, (unsigned long long)v.failed);
    return v.failed ? ZERO_EXIT_NO : ZERO_EXIT_OK;
}

int zero_job_verify(int argc, char **argv)
{
    static struct jobs_store s;
    static struct ax_entry e;
    static uint8_t rbuf[JOB_RESULT_MAX];
    static struct jobs_run rerun;
    struct ax_layout lay;
    struct blk dev;
    char why[200] = "";
    char *end = NULL;

    if (argc == 3) {
        int err = blk_open(&dev, argv[2], HAL_BLK_READ_ONLY);
        if (err != 0) {
            fprintf(stderr, "zero job verify: %s: %s\n", argv[2], zerr_text(err));
            return ZERO_EXIT_USAGE;
        }
        int rc = verify_all(&dev);
        blk_close(&dev);
        return rc;
    }
    if (argc != 4) {
        fprintf(stderr, "usage: zero job verify DISK [SEQ]\n");
        return ZERO_EXIT_USAGE;
    }
    unsigned long long seq = strtoull(argv[3], &end, 10);
    if (argv[3][0] < '0' || argv[3][0] > '9' || *end != '\0') {
        fprintf(stderr, "zero job verify: SEQ is an entry number\n");
        return ZERO_EXIT_USAGE;
    }
    int err = blk_open(&dev, argv[2], HAL_BLK_READ_ONLY);
    if (err != 0) {
        fprintf(stderr, "zero job verify: %s: %s\n", argv[2], zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    err = jobs_find(&dev, seq, &e, rbuf, why, sizeof(why));
    if (err == 0) {
        err = ax_read_super(&dev, &lay, NULL, why, sizeof(why));
    }
    if (err == 0) {
        err = jobs_store_open(&s, &dev, lay.cas_off, lay.cas_len);
        if (err != 0) {
            zfmt_snprintf(why, sizeof(why), "the content store: %s", zerr_text(err));
        } else {
            err = jobs_verify(&s.st.cas, &e, &rerun, why, sizeof(why));
            jobs_store_close(&s);
        }
    }
    blk_close(&dev);
    if (err != 0) {
        printf("job #%llu FAILED: %s\n", seq, why);
        return ZERO_EXIT_NO;
    }
    char hex[2 * JOB_HASH + 1];
    zfmt_hex(hex, e.a.job_spec, JOB_HASH);
    printf("ok: job #%llu %s re-run: %s %u, fuel used %llu, %u outputs, as recorded\n", seq, hex,
           job_end_name(rerun.r.end), (unsigned)rerun.r.code, (unsigned long long)rerun.r.fuel_used,
           (unsigned)rerun.r.noutputs);
    return ZERO_EXIT_OK;
}
