/*
 * bench_restart: restart latency of a node's services under the hosted
 * supervisor (services/init/node_svc.c): from svc kill (the fault) to the
 * first answered request after the service is back (a note submitted
 * through the terminal's capability to the Axiom), in milliseconds, for
 * each service; the median of RUNS.  The figure includes the first
 * back-off delay (100 ms) the supervisor waits before a restart; the
 * "work" figure leaves it out.  Prints "bench:" lines.
 */
#include <stdio.h>

#include "base/string.h"
#include "bench/median.h"
#include "hal/hal.h"
#include "services/init/node.h"
#include "services/init/node_svc.h"

#define RUNS 5
#define DISK_BYTES (8u * 1024u * 1024u)

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

int main(void)
{
    static struct node n;
    static struct blk dev;
    static struct node_svc s;
    static char out[2048];
    static const char *const names[] = {"keys", "axiom", "identity", "policy", "fs", "terminal"};
    char why[200];
    uint8_t *mem = hal_page_alloc(DISK_BYTES / HAL_PAGE_SIZE);

    if (mem == NULL) {
        return 2;
    }
    blk_open_mem(&dev, mem, NULL, DISK_BYTES);
    if (node_start(&n, &dev, "root", why, sizeof(why)) != 0) {
        fprintf(stderr, "bench_restart: %s\n", why);
        return 2;
    }
    node_svc_attach(&s, &n);
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        uint64_t total[RUNS], work[RUNS];
        for (int r = 0; r < RUNS; r++) {
            out[0] = '\0';
            if (s.backend.prepare(&s, names[k], why, sizeof(why)) != 0) {
                fprintf(stderr, "bench_restart: %s\n", why);
                return 1;
            }
            s.sv.s[k].nrecent = 0; /* a benchmark, not a crash loop: never hold */
            s.sv.s[k].backoff_ms = SV_BACKOFF_MIN_MS;
            uint64_t t0 = hal_clock_ns();
            int err = s.backend.act(&s, AX_SVC_KILL, names[k], out, sizeof(out));
            err = err != 0 ? err : note(&n);
            uint64_t t1 = hal_clock_ns();
            if (err != 0) {
                fprintf(stderr, "bench_restart: %s: %s\n", names[k], out);
                return 1;
            }
            total[r] = t1 - t0;
            work[r] = total[r] - SV_BACKOFF_MIN_MS * 1000000ull;
        }
        printf("bench: restart_latency_%s %.2f ms (fault to first answered request; "
               "restart work without the 100 ms back-off %.2f ms)\n",
               names[k], (double)bench_median(total, RUNS) / 1e6,
               (double)bench_median(work, RUNS) / 1e6);
    }
    node_stop(&n);
    return 0;
}
