/*
 * Group commit under concurrency: 8 proposer threads share one Axiom under
 * a mutex; whoever finds no batch in flight seals and writes the open batch
 * outside the lock (the write is slowed down as a real flush would be).
 * Every proposal must be acknowledged only once durable, batches must
 * hold several entries, and the log must replay and verify.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define DISK (4u * 1024u * 1024u)
#define THREADS 8
#define EACH 40

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct axiom ax;
static bool writing;
static int early_acks; /* acknowledged before durable: must stay 0 */
static int acked;
static int batches;

static void slow_flush(void)
{
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
}

/* Seals and writes the open batch with the lock dropped.  Holds mu. */
static void lead(void)
{
    struct ax_batch *b = NULL;

    if (axiom_seal(&ax, &b) != 0) {
        return;
    }
    writing = true;
    pthread_mutex_unlock(&mu);
    slow_flush();
    int err = axiom_write(&ax, b);
    pthread_mutex_lock(&mu);
    axiom_complete(&ax, b, err);
    batches++;
    writing = false;
    pthread_cond_broadcast(&cv);
}

static void *proposer(void *arg)
{
    char data[32];

    for (int i = 0; i < EACH; i++) {
        struct ax_action a;
        struct policy_decision d;
        uint64_t seq = 0;
        uint8_t h[32];
        memset(&a, 0, sizeof(a));
        a.kind = AX_NOTE;
        strcpy(a.proposer, "root");
        a.data_len = (size_t)snprintf(data, sizeof(data), "t%ld i%d", (long)(intptr_t)arg, i);
        a.data = (const uint8_t *)data;
        pthread_mutex_lock(&mu);
        int err = axiom_propose(&ax, &a, &d, &seq, h, NULL, 0);
        while (err == 0 && axiom_durable(&ax) <= seq && !ax.broken) {
            if (!writing) {
                lead();
            } else {
                pthread_cond_wait(&cv, &mu);
            }
        }
        early_acks += axiom_durable(&ax) <= seq;
        acked += err == 0;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(void)
{
    uint8_t *mem = calloc(1, DISK);
    uint8_t secret[32] = {4}, id[16] = {0};
    struct keys keys;
    struct blk dev;
    struct ax_recovery rec;
    pthread_t t[THREADS];
    static struct ax_state st;
    struct ax_replay r;
    uint64_t tail = 0;

    tap_no_plan();
    blk_open_mem(&dev, mem, NULL, DISK);
    keys_init(&keys, secret);
    ax_format(&dev, secret, id, "root");
    is_int(axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec), 0, "group_axiom_opens");
    for (long i = 0; i < THREADS; i++) {
        pthread_create(&t[i], NULL, proposer, (void *)(intptr_t)i);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
    }
    is_int(acked, THREADS * EACH, "group_every_proposal_acknowledged");
    is_int(early_acks, 0, "group_no_acknowledgement_before_durable");
    is_int(axiom_durable(&ax), 1 + THREADS * EACH, "group_every_entry_durable");
    ok(batches < THREADS * EACH / 2, "group_batches_share_flushes (%d batches for %d entries)",
       batches, THREADS * EACH);
    ax_replay_init(&r, &st, NULL, NULL);
    is_int(axiom_scan(&dev, &ax.lay, &r, &tail), 0, "group_log_verifies");
    is_mem(st.root, ax.st->root, 32, "group_replay_matches_live_state");
    axiom_close(&ax);
    free(mem);
    return tap_done();
}
