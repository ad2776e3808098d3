/*
 * Restarting service processes on x86_64 (init's runtime phase; see
 * docs/boot.md "Restarts").  init keeps the endpoint every client's
 * capability was derived from; a restarted process is spawned on a fresh
 * set-up endpoint, handed its capabilities there, then given the service
 * endpoint (GIVE_SERVE) to serve, so its clients' capabilities stay valid
 * and they share their buffers again on their next call (lib/svcrt/x86_64,
 * rtx_call).  When and whether to restart is the portable supervisor's
 * decision (services/init/supervisor): back-off, intensity, hold.
 */
#ifndef ZERO_SERVICES_INIT_X86_64_RESTART_H
#define ZERO_SERVICES_INIT_X86_64_RESTART_H

#include <stdbool.h>
#include <stdint.h>

#include "services/init/supervisor/supervisor.h"

/* The exit notification's bit init's restart timer signals. */
#define SPLIT_SUP_TIMER_BIT (1ull << 62)
/* The exit notification's bit the terminal's `caps` sets (split.c lists every process). */
#define SPLIT_CAPS_BIT (1ull << 61)

struct split_sup {
    struct sv sv;
    int64_t timer; /* the exit notification, badge SPLIT_SUP_TIMER_BIT, or < 0 */
    bool armed;    /* a timer is pending */
};

/*
 * Sets up the supervisor for n processes named names (all started; thread
 * i is process i's), of which those with can_restart[i] are restarted.
 */
void split_sup_init(struct split_sup *s, int64_t ntfn, const char *const *names,
                    const bool *can_restart, const int64_t *threads, int n);

/*
 * Process i ended with status st (the thread's exit status, ZERR_* for a
 * fault).  True when it is restarted later (split_sup_due says when);
 * false when it stays down (held, or not restartable): the caller revokes.
 */
bool split_sup_ended(struct split_sup *s, int i, int st);

/* The next process to start again now, or -1; the caller then calls split_sup_started. */
int split_sup_due(struct split_sup *s);

/* Process i started again as thread th (th < 0: could not; it is retried after back-off). */
void split_sup_started(struct split_sup *s, int i, int64_t th);

/* In a restarted process, after GIVE_DONE: serve is moved to ZERO_SLOT_EP. 0 or ZERR_*. */
int64_t split_take_serve(uint64_t serve);

#endif
