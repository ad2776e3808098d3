/*
 * Formatter cost: zfmt_snprintf against the C library's snprintf on the
 * same format and arguments, in the same run.
 */
#include <stdio.h>
#include <time.h>

#include "base/fmt.h"

#define ROUNDS 7
#define CALLS 200000

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best-of-ROUNDS nanoseconds per call; which = 0 for zfmt, 1 for libc. */
static double measure(int which)
{
    char buf[128];
    double best = 1e30;
    volatile size_t sink = 0;

    for (int r = 0; r < ROUNDS; r++) {
        double t0 = now_ns();
        for (int i = 0; i < CALLS; i++) {
            if (which == 0) {
                sink +=
                    zfmt_snprintf(buf, sizeof(buf), "committed #%llu %s %08x %-6d|",
                                  (unsigned long long)i, "entry", (unsigned)i * 2654435761u, -i);
            } else {
                sink +=
                    (size_t)snprintf(buf, sizeof(buf), "committed #%llu %s %08x %-6d|",
                                     (unsigned long long)i, "entry", (unsigned)i * 2654435761u, -i);
            }
        }
        double per = (now_ns() - t0) / CALLS;
        best = per < best ? per : best;
    }
    (void)sink;
    return best;
}

int main(void)
{
    double zero = measure(0);
    double libc = measure(1);

    printf("bench: zfmt_snprintf %.1f ns/call vs libc_snprintf %.1f ratio %.2f\n", zero, libc,
           zero / libc);
    return 0;
}
