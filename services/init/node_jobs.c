/*
 * The jobs service on a node (docs/jobs.md): the content store on the
 * disk's CAS region and the jobs service over it, registered with the
 * service runtime; the terminal gets a capability to it, and it one to
 * the Axiom (propose, read).  Built where the engine runs (hosted, wasm:
 * ZERO_NODE_JOBS); elsewhere a node has no jobs and the terminal says so.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/init/node.h"

#if ZERO_NODE_JOBS
#include "services/jobs/jobs.h"

struct node_jobs {
    struct jobs_store store;
    struct jobs_svc svc;
};

#define NODE_JOBS_PAGES ((sizeof(struct node_jobs) + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE)

int node_jobs_start(struct node *n, const struct ax_layout *lay, char *why, size_t whycap)
{
    struct node_jobs *j = hal_page_alloc(NODE_JOBS_PAGES);
    int err = j != NULL ? 0 : ZERR_NOMEM;
    int sid = 0;
    int h = 0;

    if (err == 0) {
        err = jobs_store_open(&j->store, n->dev, lay->cas_off, lay->cas_len);
    }
    if (err == 0) {
        sid = rt_register(&n->rt, "jobs", &j->svc, jobs_handle);
        err = sid < 0 ? sid : 0;
    }
    if (err == 0) {
        h = rt_grant(&n->rt, n->sid_axiom, (uint32_t)sid, CAP_RIGHT_WRITE,
                     AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ);
        err = h < 0 ? h : 0;
    }
    if (err == 0) {
        j->svc.h_axiom = (uint32_t)h;
        h = rt_grant(&n->rt, n->sid_fs, (uint32_t)sid, CAP_RIGHT_WRITE, 0);
        err = h < 0 ? h : 0;
    }
    if (err == 0) {
        j->svc.h_fs = (uint32_t)h;
        h = rt_grant(&n->rt, (uint32_t)sid, n->sid_term, CAP_RIGHT_WRITE, 0);
        err = h < 0 ? h : 0;
    }
    if (err != 0) {
        zfmt_snprintf(why, whycap, "cannot start the jobs service: %s", zerr_text(err));
        if (j != NULL) {
            jobs_store_close(&j->store);
            hal_page_free(j, NODE_JOBS_PAGES);
        }
        return err;
    }
    n->shell.h_jobs = (uint32_t)h;
    n->shell.has_jobs = true;
    j->svc.rt = &n->rt;
    j->svc.self = (uint32_t)sid;
    j->svc.cas = &j->store.st.cas;
    j->svc.dev = n->dev;
    j->svc.cas_commit = jobs_store_commit;
    j->svc.cas_ctx = &j->store;
    j->svc.fx_store = &j->store;
    jobs_fx_load(&j->svc);
    n->jobs = j;
    return 0;
}

struct jobs_svc *node_jobs_svc(struct node *n)
{
    return n->jobs != NULL ? &n->jobs->svc : NULL;
}

void node_jobs_drive(struct node *n)
{
    uint32_t placed = 0;
    char why[JOBS_WHY_FIELD];

    if (n->jobs != NULL && n->fs.open) {
        n->jobs->svc.has_fs = true;
        /* what is left over is re-driven after the next job */
        (void)jobs_drive(&n->jobs->svc, NULL, &placed, why, sizeof(why));
    }
}

void node_jobs_stop(struct node *n)
{
    if (n->jobs != NULL) {
        jobs_store_close(&n->jobs->store);
        hal_page_free(n->jobs, NODE_JOBS_PAGES);
        n->jobs = NULL;
    }
}

#else

int node_jobs_start(struct node *n, const struct ax_layout *lay, char *why, size_t whycap)
{
    (void)n;
    (void)lay;
    (void)why;
    (void)whycap;
    return 0;
}

void node_jobs_stop(struct node *n)
{
    (void)n;
}

struct jobs_svc *node_jobs_svc(struct node *n)
{
    (void)n;
    return NULL;
}

void node_jobs_drive(struct node *n)
{
    (void)n;
}

#endif
