/*
 * The supervisor's decisions (docs/services.md "Supervision"): when a
 * service ends, whether and when it starts again, when it is held, and
 * which dependents hear that a dependency is back.  Portable and pure: the
 * caller passes the time (milliseconds on any monotonic clock) and carries
 * the actions out (spawn, kill, record the Axiom entries), so the same
 * logic runs in init on x86_64 and in the hosted node, and its tests drive
 * it with a fake clock.  No allocation, no globals.
 *
 * Policy: a restartable service that ends is started again after a delay
 * that begins at backoff_min_ms and doubles to at most backoff_max_ms; a
 * run of at least healthy_ms resets it.  A service that would start for
 * the (intensity + 1)-th time within period_ms is held instead, with the
 * reason, until sv_restart.  A service waits until every service it
 * depends on runs; when a dependency starts again, its running dependents
 * are told (SV_ACT_NOTIFY), dependencies before dependents.
 */
#ifndef ZERO_SERVICES_INIT_SUPERVISOR_SUPERVISOR_H
#define ZERO_SERVICES_INIT_SUPERVISOR_SUPERVISOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SV_MAX 16
#define SV_NAME_MAX 15
#define SV_DEPS_MAX 8
#define SV_INTENSITY_MAX 16
#define SV_REASON_MAX 63

/* The defaults: 100 ms doubling to 30 s, healthy after 10 s, 5 restarts in 60 s. */
#define SV_BACKOFF_MIN_MS 100
#define SV_BACKOFF_MAX_MS 30000
#define SV_HEALTHY_MS 10000
#define SV_INTENSITY 5
#define SV_PERIOD_MS 60000

struct sv_policy {
    uint64_t backoff_min_ms, backoff_max_ms, healthy_ms, period_ms;
    uint32_t intensity; /* 1..SV_INTENSITY_MAX */
};

enum sv_state {
    SV_NEW = 0,  /* not started yet */
    SV_STARTING, /* sv_next said start, sv_started not called yet */
    SV_RUNNING,  /* started and not ended */
    SV_WAITING,  /* ended, starts again at due_ms once its dependencies run */
    SV_HELD,     /* ended too often: stays down until sv_restart */
    SV_STOPPED,  /* ended and not restartable: stays down until sv_restart */
};

/* How a service ended (the kernel's exit notification, or svc kill). */
enum sv_exit_kind {
    SV_EXIT_STATUS = 1, /* it exited with status */
    SV_EXIT_FAULT,      /* it faulted: fault_kind (vector) at fault_addr */
    SV_EXIT_KILLED,     /* it was killed (svc kill, fault injection) */
};

struct sv_exit {
    uint8_t kind; /* enum sv_exit_kind */
    int64_t status;
    uint32_t fault_kind;
    uint64_t fault_addr;
};

struct sv_service {
    char name[SV_NAME_MAX + 1];
    bool restartable;
    uint32_t ndeps;
    uint8_t deps[SV_DEPS_MAX]; /* indexes of the services it depends on */
    uint8_t state;             /* enum sv_state */
    uint64_t pid;              /* while running (the caller's number) */
    uint64_t started_ms;
    uint64_t due_ms;     /* SV_WAITING: earliest start */
    uint64_t backoff_ms; /* the next delay */
    uint32_t restarts;   /* starts after the first, in all */
    uint32_t nrecent;    /* restart times within the period, oldest first */
    uint64_t recent[SV_INTENSITY_MAX];
    bool ended; /* has ended at least once: last and last_end_ms are valid */
    uint64_t last_end_ms;
    struct sv_exit last;            /* how it last ended */
    bool manual;                    /* the next start is an operator's svc restart */
    uint32_t notify;                /* bit j: tell this service that service j is back */
    char reason[SV_REASON_MAX + 1]; /* SV_HELD, SV_STOPPED: why */
};

struct sv {
    struct sv_policy pol;
    uint32_t n;
    struct sv_service s[SV_MAX]; /* in the order added: dependencies first */
};

/* What the caller does next. */
enum sv_action_kind {
    SV_ACT_NONE = 0,
    SV_ACT_START,  /* start service svc (restart when .restart) */
    SV_ACT_NOTIFY, /* tell service svc that its dependency about is back */
};

struct sv_action {
    uint8_t kind; /* enum sv_action_kind */
    uint8_t svc, about;
    bool restart;       /* SV_ACT_START: not the first start */
    bool manual;        /* SV_ACT_START: asked for by svc restart */
    uint64_t waited_ms; /* SV_ACT_START after an end: the back-off delay it waited */
};

/* What sv_exited decided. */
enum sv_decision {
    SV_RESTART = 1, /* starts again after *delay_ms */
    SV_HOLD,        /* held: the intensity is spent */
    SV_STOP,        /* not restartable */
};

/* The default policy. */
void sv_policy_default(struct sv_policy *p);

/* Empties sv under policy p (checked: 0 or ZERR_INVAL). */
int sv_init(struct sv *sv, const struct sv_policy *p);

/*
 * Adds a service whose dependencies (names) were added before it.  Returns
 * its index, or ZERR_FULL, ZERR_INVAL (bad name, too many dependencies),
 * ZERR_EXIST (a duplicate) or ZERR_NOENT (an unknown dependency).
 */
int sv_add(struct sv *sv, const char *name, bool restartable, const char *const *deps,
           uint32_t ndeps);

/* Index of the service called name, or -1. */
int sv_find(const struct sv *sv, const char *name);

/* Service i has started as pid at now_ms. */
void sv_started(struct sv *sv, uint32_t i, uint64_t pid, uint64_t now_ms);

/*
 * Service i (running) has ended as x says at now_ms.  Returns what happens
 * next: SV_RESTART with the delay in *delay_ms, SV_HOLD or SV_STOP with the
 * reason in sv->s[i].reason.  An end after an sv_restart of a running
 * service restarts at once and is not counted against the intensity.
 */
enum sv_decision sv_exited(struct sv *sv, uint32_t i, const struct sv_exit *x, uint64_t now_ms,
                           uint64_t *delay_ms);

/*
 * The next thing to do at now_ms: a start that is due and whose
 * dependencies run (in dependency order), else a notification; *act is
 * SV_ACT_NONE when nothing is due.  Each action is returned once: the
 * caller reports the start with sv_started.
 */
void sv_next(struct sv *sv, uint64_t now_ms, struct sv_action *act);

/* When the next start falls due (for sleeping), or UINT64_MAX. */
uint64_t sv_deadline(const struct sv *sv);

/*
 * svc restart: a held or stopped service starts again at once, with its
 * back-off and intensity reset.  Returns 1 if i runs (the caller kills it;
 * its end then restarts it at once), 0 if it will start at sv_next.
 */
int sv_restart(struct sv *sv, uint32_t i, uint64_t now_ms);

/* "new", "starting", "running", "waiting", "held", "stopped". */
const char *sv_state_name(uint8_t state);

/* One line about how x ended ("exit 3", "fault 14 at 0x0", "killed"). */
void sv_exit_describe(const struct sv_exit *x, char *buf, size_t cap);

#endif
