/*
 * zero job verify DISK SEQ: re-executes the job of job.result entry SEQ
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

    if (argc != 4) {
        fprintf(stderr, "usage: zero job verify DISK SEQ\n");
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
