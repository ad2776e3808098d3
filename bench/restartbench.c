/*
 * restartbench: restart latency in instructions of the in-process
 * supervisor (services/init/node_svc.c) on the Zero OS kernel: from svc
 * kill (the fault) to the first answered request after the service is
 * back (a note submitted through the terminal's capability), for each
 * service of a node on a memory disk.  Run under QEMU with -icount
 * shift=0 (bench/restart_icount.sh), where rdtsc advances by one per
 * retired guest instruction; the back-off wait (1 ms here) is left out,
 * so the figure is the restart's work: stop, re-init, the records, the
 * request.  Median of RUNS; prints "zero: restart_NAME INSTRUCTIONS".
 */
#include "base/string.h"
#include "bench/median.h"
#include "hal/hal.h"
#include "services/init/node.h"
#include "services/init/node_svc.h"
#include "zero/zero.h"

#define RUNS 5
#define DISK_BYTES (4u * 1024u * 1024u)

int zero_main(uint64_t arg);

static uint64_t waited; /* instructions spent in back-off waits */

static void bench_wait(void *ctx, uint64_t deadline_ns)
{
    uint64_t t0 = zero_rdtsc();

    (void)ctx;
    hal_wait_until(deadline_ns);
    waited += zero_rdtsc() - t0;
}

static int note(struct node *n)
{
    struct ax_action a;
    struct axiom_result res;

    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    memcpy(a.proposer, "root", 5);
    a.data = (const uint8_t *)"after the restart";
    a.data_len = strlen((const char *)a.data);
    return axiom_submit(&n->rt, n->sid_term, n->shell.h_axiom, &a, &res);
}

/* Median instructions from killing service k to the first answered request. */
static uint64_t bench_one(struct node *n, struct node_svc *s, uint32_t k)
{
    static char out[2048];
    char why[160];
    uint64_t samples[RUNS];

    for (int r = 0; r < RUNS; r++) {
        out[0] = '\0';
        if (s->backend.prepare(s, s->sv.s[k].name, why, sizeof(why)) != 0) {
            zprintf("restartbench: %s\n", why);
            return 0;
        }
        s->sv.s[k].nrecent = 0; /* a benchmark, not a crash loop: never hold */
        s->sv.s[k].backoff_ms = s->sv.pol.backoff_min_ms;
        waited = 0;
        uint64_t t0 = zero_rdtsc();
        int err = s->backend.act(s, AX_SVC_KILL, s->sv.s[k].name, out, sizeof(out));
        err = err != 0 ? err : note(n);
        samples[r] = zero_rdtsc() - t0 - waited;
        if (err != 0) {
            zprintf("restartbench: %s: %s\n", s->sv.s[k].name, out);
            return 0;
        }
    }
    return bench_median(samples, RUNS);
}

int zero_main(uint64_t arg)
{
    static struct node n;
    static struct blk dev;
    static struct node_svc s;
    char why[200];
    uint8_t *mem = hal_page_alloc(DISK_BYTES / HAL_PAGE_SIZE);

    (void)arg;
    if (mem == NULL) {
        return 2;
    }
    blk_open_mem(&dev, mem, NULL, DISK_BYTES);
    if (node_start(&n, &dev, "root", why, sizeof(why)) != 0) {
        zprintf("restartbench: %s\n", why);
        return 2;
    }
    node_svc_attach(&s, &n);
    s.sv.pol.backoff_min_ms = 1;
    s.wait = bench_wait;
    for (uint32_t k = 0; k < s.sv.n; k++) {
        zprintf("zero: restart_%s %llu\n", s.sv.s[k].name,
                (unsigned long long)bench_one(&n, &s, k));
    }
    node_stop(&n);
    return 0;
}
