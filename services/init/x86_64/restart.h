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
#include "services/init/x86_64/record.h"
#include "services/init/x86_64/svcd.h"

/* The exit notification's bit init's restart timer signals. */
#define SPLIT_SUP_TIMER_BIT (1ull << 62)

struct split_sup {
    struct sv sv;
    int64_t timer; /* the exit notification, badge SPLIT_SUP_TIMER_BIT, or < 0 */
    bool armed;    /* a timer is pending */
    struct init_rec *rec;
    bool recorded;           /* the starts are in the log (at the first end or request) */
    bool keys_back;          /* the key service started again: the Axiom hands it the secret */
    int keys, axiom, disk;   /* indexes of what the Axiom needs to commit (-1: none) */
    uint64_t waited[SV_MAX]; /* the back-off before the start sv_next last returned */
};

/*
 * Sets up the supervisor for n processes named names (all started; thread
 * i is process i's, deps[i] the names it depends on, ndeps[i] of them), of
 * which those with can_restart[i] are restarted; rec records.
 */
void split_sup_init(struct split_sup *s, int64_t ntfn, const char *const *names,
                    const bool *can_restart, const int64_t *threads, int n,
                    const char *const *const *deps, const uint32_t *ndeps, struct init_rec *rec);

/*
 * Process i (thread th) ended with status st (the thread's exit status,
 * ZERR_TRAP for a fault, whose vector and address SYS_THREAD_FAULT gives;
 * killed: init killed it for svc kill).  True when it is restarted
 * later (split_sup_due says when); false when it stays down (held, or not
 * restartable): the caller revokes.
 */
bool split_sup_ended(struct split_sup *s, int i, int64_t th, int st, bool killed);

/*
 * Process i, restartable, ended with status 0: it stopped in order (the
 * network service when the terminal stops it at power-off), which is no
 * crash.  It stays down (state stopped, until svc restart) and nothing is
 * recorded, so an orderly power-off adds no entry to the log.
 */
void split_sup_stopped(struct split_sup *s, int i);

/* Commits what waits, if the Axiom, keys and the disk run (telling the Axiom first
 * when the key service came back). */
void split_sup_flush(struct split_sup *s);

/* Answers the svc list and prepare requests in b; false for an act (the caller's). */
bool split_sup_answer(struct split_sup *s, struct svcd_box *b);

/* The kernel's process id of thread capability th (0 if none). */
uint64_t split_pid(int64_t th);

/* The next process to start again now, or -1; the caller then calls split_sup_started. */
int split_sup_due(struct split_sup *s);

/* Process i started again as thread th (th < 0: could not; it is retried after back-off). */
void split_sup_started(struct split_sup *s, int i, int64_t th);

/* In a restarted process, after GIVE_DONE: serve is moved to ZERO_SLOT_EP. 0 or ZERR_*. */
int64_t split_take_serve(uint64_t serve);

#endif
