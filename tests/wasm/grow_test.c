/*
 * Memory that grows in many steps while the program keeps calling its host,
 * the way an engine arena of tens of MB is taken: 130 allocations of 1 MiB,
 * each followed by a TAP line and 5 ms of clock reads.  Under Node 20 with
 * WASI fast API calls on, this run segfaulted after main returned (every
 * assertion passed, exit status 139); build/bin/zero-wasm turns fast calls
 * off, so the wasm build of this test must end with status 0.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

enum { STEPS = 130, STEP_BYTES = 1 << 20, SPIN_MS = 5 };

/* Reads the clock until ms milliseconds have passed (host calls, no sleep). */
static void spin(long ms)
{
    struct timespec a;
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do {
        clock_gettime(CLOCK_MONOTONIC, &b);
    } while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

int main(void)
{
    static unsigned char *blocks[STEPS];
    tap_plan(STEPS + 1);
    for (int i = 0; i < STEPS; i++) {
        blocks[i] = malloc(STEP_BYTES);
        if (blocks[i] != NULL) {
            memset(blocks[i], i, 4096);
            blocks[i][STEP_BYTES - 1] = (unsigned char)i;
        }
        ok(blocks[i] != NULL, "grow_step_%d_allocates_1_mib", i);
        spin(SPIN_MS);
    }
    int intact = 1;
    for (int i = 0; i < STEPS; i++) {
        intact &= blocks[i] != NULL && blocks[i][0] == (unsigned char)i &&
                  blocks[i][4095] == (unsigned char)i &&
                  blocks[i][STEP_BYTES - 1] == (unsigned char)i;
        free(blocks[i]);
    }
    ok(intact, "grow_blocks_keep_their_contents");
    return tap_done();
}
