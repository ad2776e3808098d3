/*
 * The supervisor's decisions: restart with back-off, hold after the
 * intensity, dependencies before dependents (supervisor.h).
 */
#include "services/init/supervisor/supervisor.h"

#include "base/assert.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"

void sv_policy_default(struct sv_policy *p)
{
    p->backoff_min_ms = SV_BACKOFF_MIN_MS;
    p->backoff_max_ms = SV_BACKOFF_MAX_MS;
    p->healthy_ms = SV_HEALTHY_MS;
    p->period_ms = SV_PERIOD_MS;
    p->intensity = SV_INTENSITY;
}

int sv_init(struct sv *sv, const struct sv_policy *p)
{
    memset(sv, 0, sizeof(*sv));
    if (p->intensity == 0 || p->intensity > SV_INTENSITY_MAX || p->backoff_min_ms == 0 ||
        p->backoff_max_ms < p->backoff_min_ms || p->period_ms == 0) {
        return ZERR_INVAL;
    }
    sv->pol = *p;
    return 0;
}

int sv_find(const struct sv *sv, const char *name)
{
    for (uint32_t i = 0; i < sv->n; i++) {
        if (strcmp(sv->s[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int sv_add(struct sv *sv, const char *name, bool restartable, const char *const *deps,
           uint32_t ndeps)
{
    size_t len = strlen(name);
    struct sv_service *s;

    if (sv->n >= SV_MAX) {
        return ZERR_FULL;
    }
    if (len == 0 || len > SV_NAME_MAX || ndeps > SV_DEPS_MAX) {
        return ZERR_INVAL;
    }
    if (sv_find(sv, name) >= 0) {
        return ZERR_EXIST;
    }
    s = &sv->s[sv->n];
    memset(s, 0, sizeof(*s));
    for (uint32_t d = 0; d < ndeps; d++) {
        int j = sv_find(sv, deps[d]);
        if (j < 0) {
            return ZERR_NOENT;
        }
        s->deps[d] = (uint8_t)j;
    }
    memcpy(s->name, name, len + 1);
    s->ndeps = ndeps;
    s->restartable = restartable;
    s->backoff_ms = sv->pol.backoff_min_ms;
    return (int)sv->n++;
}

void sv_started(struct sv *sv, uint32_t i, uint64_t pid, uint64_t now_ms)
{
    struct sv_service *s = &sv->s[i];

    ZASSERT(i < sv->n && s->state != SV_RUNNING, "sv_started names a service not running");
    s->state = SV_RUNNING;
    s->pid = pid;
    s->started_ms = now_ms;
    s->reason[0] = '\0';
    if (!s->ended) {
        return;
    }
    for (uint32_t j = i + 1; j < sv->n; j++) { /* only later services depend on i */
        for (uint32_t d = 0; d < sv->s[j].ndeps; d++) {
            if (sv->s[j].deps[d] == i && sv->s[j].state == SV_RUNNING) {
                sv->s[j].notify |= 1u << i;
            }
        }
    }
}

/* Forgets the restarts of s older than the period. */
static void sv_prune(const struct sv *sv, struct sv_service *s, uint64_t now_ms)
{
    uint32_t keep = 0;

    for (uint32_t k = 0; k < s->nrecent; k++) {
        if (now_ms - s->recent[k] < sv->pol.period_ms) {
            s->recent[keep++] = s->recent[k];
        }
    }
    s->nrecent = keep;
}

enum sv_decision sv_exited(struct sv *sv, uint32_t i, const struct sv_exit *x, uint64_t now_ms,
                           uint64_t *delay_ms)
{
    struct sv_service *s = &sv->s[i];

    ZASSERT(i < sv->n && s->state == SV_RUNNING, "only a running service ends");
    s->ended = true;
    s->last = *x;
    s->last_end_ms = now_ms;
    s->pid = 0;
    s->notify = 0;
    *delay_ms = 0;
    if (s->manual) {
        s->state = SV_WAITING;
        s->due_ms = now_ms;
        return SV_RESTART;
    }
    if (!s->restartable) {
        s->state = SV_STOPPED;
        zfmt_snprintf(s->reason, sizeof(s->reason), "not restartable");
        return SV_STOP;
    }
    if (now_ms - s->started_ms >= sv->pol.healthy_ms) {
        s->backoff_ms = sv->pol.backoff_min_ms; /* it ran healthy: a fresh start */
    }
    sv_prune(sv, s, now_ms);
    if (s->nrecent >= sv->pol.intensity) {
        s->state = SV_HELD;
        zfmt_snprintf(s->reason, sizeof(s->reason), "%u restarts in %llu s", (unsigned)s->nrecent,
                      (unsigned long long)(sv->pol.period_ms / 1000));
        return SV_HOLD;
    }
    s->state = SV_WAITING;
    *delay_ms = s->backoff_ms;
    s->due_ms = now_ms + s->backoff_ms;
    s->backoff_ms =
        s->backoff_ms * 2 > sv->pol.backoff_max_ms ? sv->pol.backoff_max_ms : s->backoff_ms * 2;
    return SV_RESTART;
}

/* True if every dependency of s runs. */
static bool sv_deps_run(const struct sv *sv, const struct sv_service *s)
{
    for (uint32_t d = 0; d < s->ndeps; d++) {
        if (sv->s[s->deps[d]].state != SV_RUNNING) {
            return false;
        }
    }
    return true;
}

/* Fills act for the start of service i. */
static void sv_take_start(struct sv *sv, uint32_t i, uint64_t now_ms, struct sv_action *act)
{
    struct sv_service *s = &sv->s[i];

    act->kind = SV_ACT_START;
    act->svc = (uint8_t)i;
    act->restart = s->ended;
    act->manual = s->manual;
    act->waited_ms = s->ended && now_ms > s->last_end_ms ? now_ms - s->last_end_ms : 0;
    if (s->ended && !s->manual) {
        if (s->nrecent == SV_INTENSITY_MAX) {
            memmove(&s->recent[0], &s->recent[1], sizeof(s->recent[0]) * (SV_INTENSITY_MAX - 1));
            s->nrecent--;
        }
        s->recent[s->nrecent++] = now_ms;
    }
    if (s->ended) {
        s->restarts++;
    }
    s->manual = false;
    s->state = SV_STARTING;
}

void sv_next(struct sv *sv, uint64_t now_ms, struct sv_action *act)
{
    memset(act, 0, sizeof(*act));
    for (uint32_t i = 0; i < sv->n; i++) {
        const struct sv_service *s = &sv->s[i];
        bool due = (s->state == SV_WAITING && s->due_ms <= now_ms) || s->state == SV_NEW;
        if (due && sv_deps_run(sv, s)) {
            sv_take_start(sv, i, now_ms, act);
            return;
        }
    }
    for (uint32_t j = 0; j < sv->n; j++) {
        struct sv_service *s = &sv->s[j];
        for (uint32_t i = 0; s->notify != 0 && i < j; i++) {
            if ((s->notify & (1u << i)) == 0) {
                continue;
            }
            s->notify &= ~(1u << i);
            if (s->state == SV_RUNNING && sv->s[i].state == SV_RUNNING) {
                act->kind = SV_ACT_NOTIFY;
                act->svc = (uint8_t)j;
                act->about = (uint8_t)i;
                return;
            }
        }
    }
}

uint64_t sv_deadline(const struct sv *sv)
{
    uint64_t t = UINT64_MAX;

    for (uint32_t i = 0; i < sv->n; i++) {
        if (sv->s[i].state == SV_WAITING && sv->s[i].due_ms < t) {
            t = sv->s[i].due_ms;
        }
    }
    return t;
}

int sv_restart(struct sv *sv, uint32_t i, uint64_t now_ms)
{
    struct sv_service *s = &sv->s[i];

    ZASSERT(i < sv->n, "sv_restart names a service");
    s->backoff_ms = sv->pol.backoff_min_ms;
    s->nrecent = 0;
    s->reason[0] = '\0';
    if (s->state == SV_NEW || s->state == SV_STARTING) {
        return 0; /* it is about to start anyway */
    }
    s->manual = true;
    if (s->state == SV_RUNNING) {
        return 1;
    }
    s->state = SV_WAITING;
    s->due_ms = now_ms;
    return 0;
}

const char *sv_state_name(uint8_t state)
{
    switch (state) {
    case SV_NEW:
        return "new";
    case SV_STARTING:
        return "starting";
    case SV_RUNNING:
        return "running";
    case SV_WAITING:
        return "waiting";
    case SV_HELD:
        return "held";
    case SV_STOPPED:
        return "stopped";
    default:
        return "?";
    }
}

void sv_exit_describe(const struct sv_exit *x, char *buf, size_t cap)
{
    switch (x->kind) {
    case SV_EXIT_STATUS:
        zfmt_snprintf(buf, cap, "exit %lld", (long long)x->status);
        break;
    case SV_EXIT_FAULT:
        zfmt_snprintf(buf, cap, "fault %u at 0x%llx", (unsigned)x->fault_kind,
                      (unsigned long long)x->fault_addr);
        break;
    case SV_EXIT_KILLED:
        zfmt_snprintf(buf, cap, "killed");
        break;
    default:
        zfmt_snprintf(buf, cap, "?");
        break;
    }
}
