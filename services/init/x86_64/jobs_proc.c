/*
 * The jobs service as a process of its own (docs/jobs.md, "On x86_64"):
 * the engine and the deterministic WASI run here, away from the Axiom and
 * the disk driver.  It holds the disk driver (channel 1), for the jobs'
 * store on the disk's CAS region (the same region and format as hosted
 * and wasm nodes, so `zero cas` and `zero job verify` read it on the host)
 * and for re-reading the committed log; and the Axiom (channel 7, propose
 * and read), which also serves the filesystem.  It serves the terminal.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "drivers/virtio-blk/hal_blk.h"
#include "hal/hal.h"
#include "services/axiom/log.h"
#include "services/init/x86_64/init.h"
#include "services/init/x86_64/split.h"
#include "services/jobs/jobs.h"
#include "zero/zero.h"

#define JOBS_PROC_DISK_VA 0x0000500000000000ull /* this process's channel to the driver */

struct jobs_proc {
    struct rt rt;
    struct rtx_chan chan;
    struct rtx_proxy px;
    struct blk dev;
    struct jobs_store store;
    struct jobs_svc svc;
    char why[JOBS_WHY_FIELD]; /* why no jobs run here, when they do not */
};

static void jobs_proc_say(const char *s)
{
    hal_console_write(s, strlen(s));
}

/* Serves every operation with the reason the node runs no jobs. */
static int jobs_proc_none(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self;
    (void)badge;
    (void)m;
    return ZERR_UNSUPPORTED;
}

/* Opens the disk and the jobs' store on its CAS region once the Axiom serves. */
static int jobs_proc_open(struct jobs_proc *j, uint64_t disk)
{
    struct axiom_head h;
    struct ax_layout lay;
    char why[120] = "";

    /* the Axiom answers once it has opened (or formatted) the disk */
    int err = axiom_get_head(&j->rt, j->svc.self, j->svc.h_axiom, &h);
    if (err == 0 && disk == ZERO_CAP_NONE) {
        err = ZERR_NOENT;
    }
    if (err == 0) {
        hal_blk_use_driver(disk, JOBS_PROC_DISK_VA);
        err = blk_open(&j->dev, "disk0", 0);
    }
    if (err == 0) {
        err = ax_read_super(&j->dev, &lay, NULL, why, sizeof(why));
    }
    if (err == 0) {
        err = jobs_store_open(&j->store, &j->dev, lay.cas_off, lay.cas_len);
    }
    if (err != 0) {
        zfmt_snprintf(j->why, sizeof(j->why), "zero-jobs: no jobs on this node: %s%s%s\n",
                      disk == ZERO_CAP_NONE || err == ZERR_IO ? "no disk0 " : "", why,
                      zerr_name(err));
    }
    return err;
}

/* Wires the runtime: the Axiom's proxy registered as "axiom" and "fs", the service. */
static int jobs_proc_wire(struct jobs_proc *j, uint64_t axiom)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;

    if (axiom == ZERO_CAP_NONE) {
        return ZERR_BADCAP;
    }
    rt_init(&j->rt);
    int err = rtx_open(&j->chan, axiom, SPLIT_CLIENT_VA);
    j->px = (struct rtx_proxy){&j->chan, axiom};
    int ax = err != 0 ? err : rt_register(&j->rt, "axiom", &j->px, rtx_forward);
    int fs = ax < 0 ? ax : rt_register(&j->rt, "fs", &j->px, rtx_forward);
    int me = fs < 0 ? fs : rt_register(&j->rt, "jobs", &j->svc, jobs_handle);
    int ha = me < 0 ? me : rt_grant(&j->rt, (uint32_t)ax, (uint32_t)me, CAP_RIGHT_WRITE, rw);
    int hf = ha < 0 ? ha : rt_grant(&j->rt, (uint32_t)fs, (uint32_t)me, CAP_RIGHT_WRITE, 0);
    if (hf < 0) {
        return hf;
    }
    j->svc.rt = &j->rt;
    j->svc.self = (uint32_t)me;
    j->svc.h_axiom = (uint32_t)ha;
    j->svc.h_fs = (uint32_t)hf;
    return 0;
}

int split_jobs_main(void)
{
    static struct init_given g;
    struct jobs_proc *j = hal_page_alloc((sizeof(*j) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE);
    uint32_t placed = 0;
    char why[JOBS_WHY_FIELD];

    if (node_take_boot_caps(&g) != 0 || j == NULL) {
        return 2;
    }
    memset(j, 0, sizeof(*j));
    int err = jobs_proc_wire(j, g.axiom);
    if (err != 0) {
        zfmt_snprintf(why, sizeof(why), "zero-jobs: cannot start: %s\n", zerr_name(err));
        jobs_proc_say(why);
        return 2;
    }
    err = jobs_proc_open(j, g.disk);
    split_report_caps("jobs");
    if (err != 0) {
        jobs_proc_say(j->why);
        return rtx_serve_rt(ZERO_SLOT_EP, SPLIT_SERVE_VA, jobs_proc_none, j) == 0 ? 0 : 1;
    }
    j->svc.cas = &j->store.st.cas;
    j->svc.dev = &j->dev;
    j->svc.cas_commit = jobs_store_commit;
    j->svc.cas_ctx = &j->store;
    j->svc.fx_store = &j->store;
    j->svc.has_fs = true;
    jobs_fx_load(&j->svc);
    /* outputs of jobs committed before a crash are placed now; what is left is re-driven
     * after the next job */
    (void)jobs_drive(&j->svc, NULL, &placed, why, sizeof(why));
    err = rtx_serve_rt(ZERO_SLOT_EP, SPLIT_SERVE_VA, jobs_handle, &j->svc);
    jobs_store_close(&j->store);
    return err == 0 ? 0 : 1;
}
