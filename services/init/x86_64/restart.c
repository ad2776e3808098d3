/* Restarting service processes on x86_64: see restart.h. */
#include "services/init/x86_64/restart.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "zero/zero.h"

static uint64_t sup_now_ms(void)
{
    return zero_ticks() * 10u; /* 10 ms ticks */
}

/* Arms the timer for the earliest pending start, if none is armed. */
static void sup_arm(struct split_sup *s)
{
    uint64_t due = sv_deadline(&s->sv);
    uint64_t now = sup_now_ms();
    if (s->armed || s->timer < 0 || due == UINT64_MAX) {
        return;
    }
    uint64_t ms = due > now ? due - now : 1u;
    s->armed = zsys3(SYS_TIMER, (uint64_t)s->timer, ms * 1000000ull, 0) == 0;
}

void split_sup_init(struct split_sup *s, int64_t ntfn, const char *const *names,
                    const bool *can_restart, const int64_t *threads, int n)
{
    struct sv_policy pol;
    sv_policy_default(&pol);
    sv_init(&s->sv, &pol);
    s->armed = false;
    s->timer =
        zsys4(SYS_CAP_DERIVE, (uint64_t)ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL, SPLIT_SUP_TIMER_BIT);
    for (int i = 0; i < n; i++) {
        /* A process that did not start (no network card) stays down. */
        int k = sv_add(&s->sv, names[i], can_restart[i] && threads[i] >= 0, NULL, 0);
        if (k != i) {
            continue;
        }
        sv_started(&s->sv, (uint32_t)i, threads[i] >= 0 ? (uint64_t)threads[i] : 0, sup_now_ms());
        if (threads[i] < 0) {
            struct sv_exit x = {SV_EXIT_STATUS, threads[i], 0, 0};
            uint64_t delay = 0;
            sv_exited(&s->sv, (uint32_t)i, &x, sup_now_ms(), &delay);
        }
    }
}

bool split_sup_ended(struct split_sup *s, int i, int st)
{
    if (i < 0 || (uint32_t)i >= s->sv.n || s->sv.s[i].state != SV_RUNNING) {
        return false;
    }
    struct sv_exit x = {0};
    x.kind = st < 0 ? SV_EXIT_FAULT : SV_EXIT_STATUS;
    x.status = st;
    uint64_t delay = 0;
    enum sv_decision d = sv_exited(&s->sv, (uint32_t)i, &x, sup_now_ms(), &delay);
    if (d != SV_RESTART) {
        if (s->sv.s[i].restartable) {
            zprintf("init: the %s service is held: %s\n", s->sv.s[i].name, s->sv.s[i].reason);
        }
        return false;
    }
    zprintf("init: the %s service ended (%s); restarting in %llu ms\n", s->sv.s[i].name,
            st < 0 ? zerr_name(st) : "exit", (unsigned long long)delay);
    sup_arm(s);
    return true;
}

int split_sup_due(struct split_sup *s)
{
    struct sv_action act;
    s->armed = false; /* called when the timer (or an end) fired; re-armed below */
    for (;;) {
        sv_next(&s->sv, sup_now_ms(), &act);
        if (act.kind == SV_ACT_START) {
            return act.svc;
        }
        if (act.kind == SV_ACT_NONE) {
            sup_arm(s);
            return -1;
        }
        /* SV_ACT_NOTIFY: nothing to tell, clients keep the same endpoint */
    }
}

void split_sup_started(struct split_sup *s, int i, int64_t th)
{
    if (th >= 0) {
        sv_started(&s->sv, (uint32_t)i, (uint64_t)th, sup_now_ms());
        zprintf("init: the %s service started again (restart %u)\n", s->sv.s[i].name,
                s->sv.s[i].restarts);
        return;
    }
    zprintf("init: the %s service cannot start again: %s\n", s->sv.s[i].name, zerr_name((int)th));
    sv_started(&s->sv, (uint32_t)i, 0, sup_now_ms());
    struct sv_exit x = {SV_EXIT_STATUS, th, 0, 0};
    uint64_t delay = 0;
    if (sv_exited(&s->sv, (uint32_t)i, &x, sup_now_ms(), &delay) == SV_RESTART) {
        sup_arm(s);
    }
}

int64_t split_take_serve(uint64_t serve)
{
    if (serve == ZERO_CAP_NONE) {
        return 0;
    }
    zsys3(SYS_CAP_DELETE, ZERO_SLOT_EP, 0, 0); /* the set-up endpoint */
    int64_t r = zsys4(SYS_CAP_DERIVE, serve, ZERO_SLOT_EP, CAP_RIGHTS_ALL, 0);
    zsys3(SYS_CAP_DELETE, serve, 0, 0);
    return r < 0 ? r : 0;
}
