/* Restarting service processes on x86_64: see restart.h. */
#include "services/init/x86_64/restart.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/svc.h"
#include "zero/zero.h"

static uint64_t sup_now_ms(void)
{
    return zero_ticks() * 10u; /* 10 ms ticks */
}

uint64_t split_pid(int64_t th)
{
    if (th < 0) {
        return 0;
    }
    struct zsys r = {SYS_CAP_INFO, (uint64_t)th, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax == 0 ? r.r9 : 0;
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

static void sup_action(struct ax_action *a, uint8_t kind, const char *name)
{
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    memcpy(a->name, name, strlen(name) + 1);
}

static void sup_record_start(struct split_sup *s, uint32_t i, uint64_t delay)
{
    struct ax_action a;
    sup_action(&a, AX_SVC_START, s->sv.s[i].name);
    a.svc.pid = s->sv.s[i].pid;
    a.svc.delay_ms = delay;
    init_rec_put(s->rec, &a);
}

/* The starts of every running service, once, before the first other svc.* entry. */
static void sup_record_starts(struct split_sup *s)
{
    if (s->recorded) {
        return;
    }
    s->recorded = true;
    for (uint32_t i = 0; i < s->sv.n; i++) {
        if (s->sv.s[i].state == SV_RUNNING) {
            sup_record_start(s, i, 0);
        }
    }
}

static bool sup_up(const struct split_sup *s, int i)
{
    return i >= 0 && s->sv.s[i].state == SV_RUNNING;
}

void split_sup_flush(struct split_sup *s)
{
    bool up = sup_up(s, s->keys) && sup_up(s, s->axiom) && (s->disk < 0 || sup_up(s, s->disk));
    if (up && s->keys_back) {
        int err = init_rec_keys_back(s->rec);
        zprintf("init: the key service has the root secret again: %s\n",
                err == 0 ? "ok" : zerr_name(err));
        s->keys_back = false;
    }
    init_rec_flush(s->rec, up);
}

void split_sup_init(struct split_sup *s, int64_t ntfn, const char *const *names,
                    const bool *can_restart, const int64_t *threads, int n,
                    const char *const *const *deps, const uint32_t *ndeps, struct init_rec *rec)
{
    struct sv_policy pol;
    sv_policy_default(&pol);
    sv_init(&s->sv, &pol);
    s->armed = false;
    s->rec = rec;
    s->recorded = false;
    s->keys_back = false;
    s->timer =
        zsys4(SYS_CAP_DERIVE, (uint64_t)ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL, SPLIT_SUP_TIMER_BIT);
    for (int i = 0; i < n; i++) {
        /* A process that did not start (no network card) stays down. */
        int k = sv_add(&s->sv, names[i], can_restart[i] && threads[i] >= 0, deps[i], ndeps[i]);
        if (k != i) {
            zprintf("init: the %s service is not supervised: %s\n", names[i], zerr_name(k));
            continue;
        }
        sv_started(&s->sv, (uint32_t)i, split_pid(threads[i]), sup_now_ms());
        if (threads[i] < 0) {
            struct sv_exit x = {SV_EXIT_STATUS, threads[i], 0, 0};
            uint64_t delay = 0;
            sv_exited(&s->sv, (uint32_t)i, &x, sup_now_ms(), &delay);
        }
    }
    s->keys = sv_find(&s->sv, "keys");
    s->axiom = sv_find(&s->sv, "axiom");
    s->disk = sv_find(&s->sv, "virtio-blk");
}

static void sup_record_exit(struct split_sup *s, uint32_t i, uint64_t pid, const struct sv_exit *x)
{
    struct ax_action a;
    sup_action(&a, AX_SVC_EXIT, s->sv.s[i].name);
    a.svc.pid = pid;
    a.svc.how = x->kind == SV_EXIT_STATUS  ? AX_SVC_EXITED
                : x->kind == SV_EXIT_FAULT ? AX_SVC_FAULTED
                                           : AX_SVC_KILLED;
    a.svc.status = (uint64_t)x->status;
    a.svc.fault_kind = x->fault_kind;
    a.svc.fault_addr = x->fault_addr;
    init_rec_put(s->rec, &a);
}

bool split_sup_ended(struct split_sup *s, int i, int64_t th, int st, bool killed)
{
    if (i < 0 || (uint32_t)i >= s->sv.n || s->sv.s[i].state != SV_RUNNING) {
        return false;
    }
    struct sv_exit x = {0};
    struct zsys f = {SYS_THREAD_FAULT, (uint64_t)th, 0, 0, 0, 0, 0};
    zsys_raw(&f);
    bool faulted = !killed && (int64_t)f.rax == 0;
    x.kind = killed ? SV_EXIT_KILLED : faulted ? SV_EXIT_FAULT : SV_EXIT_STATUS;
    x.status = st;
    x.fault_kind = faulted ? (uint32_t)f.rdi : 0;
    x.fault_addr = faulted ? f.rsi : 0;
    uint64_t delay = 0, pid = s->sv.s[i].pid;
    /* The end of a process that is not restarted (on a development boot, the network
     * service stopped by the terminal's exit) starts no recording of its own: a node
     * whose services never restart keeps the log it had. */
    bool record = s->recorded || s->sv.s[i].restartable;
    if (record) {
        sup_record_starts(s);
    }
    enum sv_decision d = sv_exited(&s->sv, (uint32_t)i, &x, sup_now_ms(), &delay);
    if (record) {
        sup_record_exit(s, (uint32_t)i, pid, &x);
    }
    if (d != SV_RESTART) {
        if (d == SV_HOLD) {
            struct ax_action a;
            sup_action(&a, AX_SVC_HOLD, s->sv.s[i].name);
            memcpy(a.svc.reason, s->sv.s[i].reason, sizeof(a.svc.reason));
            init_rec_put(s->rec, &a);
        }
        if (s->sv.s[i].restartable) {
            zprintf("init: the %s service is held: %s\n", s->sv.s[i].name, s->sv.s[i].reason);
        }
        return false;
    }
    zprintf("init: the %s service ended (%s); restarting in %llu ms\n", s->sv.s[i].name,
            killed   ? "killed"
            : st < 0 ? zerr_name(st)
                     : "exit",
            (unsigned long long)delay);
    sup_arm(s);
    return true;
}

void split_sup_stopped(struct split_sup *s, int i)
{
    if (i < 0 || (uint32_t)i >= s->sv.n || s->sv.s[i].state != SV_RUNNING) {
        return;
    }
    struct sv_service *v = &s->sv.s[i];
    v->state = SV_STOPPED; /* svc restart starts it again, as any stopped service */
    v->ended = true;
    v->last_end_ms = sup_now_ms();
    v->last = (struct sv_exit){SV_EXIT_STATUS, 0, 0, 0};
    zfmt_snprintf(v->reason, sizeof(v->reason), "stopped (exit 0)");
}

int split_sup_due(struct split_sup *s)
{
    struct sv_action act;
    s->armed = false; /* called when the timer (or an end) fired; re-armed below */
    for (;;) {
        sv_next(&s->sv, sup_now_ms(), &act);
        if (act.kind == SV_ACT_START) {
            s->waited[act.svc] = act.waited_ms; /* for the svc.start entry */
            return act.svc;
        }
        if (act.kind == SV_ACT_NONE) {
            sup_arm(s);
            return -1;
        }
        /* SV_ACT_NOTIFY: clients keep the same endpoint; only the Axiom acts on one */
        if ((int)act.svc == s->axiom && (int)act.about == s->keys) {
            s->keys_back = true;
        }
    }
}

void split_sup_started(struct split_sup *s, int i, int64_t th)
{
    uint64_t waited = s->waited[i];
    if (th >= 0) {
        sv_started(&s->sv, (uint32_t)i, split_pid(th), sup_now_ms());
        zprintf("init: the %s service started again (restart %u)\n", s->sv.s[i].name,
                s->sv.s[i].restarts);
        sup_record_start(s, (uint32_t)i, waited);
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

bool split_sup_answer(struct split_sup *s, struct svcd_box *b)
{
    if (b->op == SVCD_OP_LIST) {
        b->nrows = 0;
        for (uint32_t i = 0; i < s->sv.n && b->nrows < SHELL_SVC_MAX; i++) {
            const struct sv_service *v = &s->sv.s[i];
            struct shell_svc_row *r = &b->rows[b->nrows++];
            memset(r, 0, sizeof(*r));
            memcpy(r->name, v->name, sizeof(r->name));
            r->pid = v->state == SV_RUNNING ? v->pid : 0;
            zfmt_snprintf(r->state, sizeof(r->state), "%s", sv_state_name(v->state));
            r->restarts = v->restarts;
            if (v->reason[0] != '\0') {
                zfmt_snprintf(r->last, sizeof(r->last), "%s", v->reason);
            } else if (v->ended) {
                sv_exit_describe(&v->last, r->last, sizeof(r->last));
            }
        }
        return true;
    }
    int i = sv_find(&s->sv, b->name);
    if (i < 0 || !s->sv.s[i].restartable) {
        zfmt_snprintf(b->why, sizeof(b->why),
                      i < 0 ? "no service called '%s' (svc list)"
                            : "%s is not restarted on this node",
                      b->name);
        b->result = i < 0 ? ZERR_NOENT : ZERR_UNSUPPORTED;
        return true;
    }
    if (b->op == SVCD_OP_PREPARE) {
        sup_record_starts(s); /* so that the request can commit */
        split_sup_flush(s);
        return true;
    }
    return false;
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
