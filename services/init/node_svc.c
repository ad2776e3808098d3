/*
 * The in-process supervisor (node_svc.h): stop and start each service of a
 * node, carry out the portable supervisor's decisions, record them.
 */
#include "services/init/node_svc.h"

#include <stdarg.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "hal/hal.h"
#include "services/axiom/svc.h"

enum { NS_KEYS, NS_AXIOM, NS_IDENTITY, NS_POLICY, NS_FS, NS_TERMINAL, NS_COUNT };

static const char *const ns_names[NS_COUNT] = {"keys",   "axiom", "identity",
                                               "policy", "fs",    "terminal"};

static uint64_t ns_now_ms(void)
{
    return hal_clock_ns() / 1000000u;
}

/* Appends to out (cap bytes). */
static void ns_say(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void ns_say(char *out, size_t cap, const char *fmt, ...)
{
    size_t used = strlen(out);
    va_list ap;

    if (used + 1 >= cap) {
        return;
    }
    va_start(ap, fmt);
    (void)zfmt_vsnprintf(out + used, cap - used, fmt, ap);
    va_end(ap);
}

/* True if the Axiom can commit: it runs, and so does the key service that
 * signs its checkpoints. */
static bool ns_axiom_up(const struct node_svc *s)
{
    return s->sv.s[NS_AXIOM].state == SV_RUNNING && s->sv.s[NS_KEYS].state == SV_RUNNING;
}

/* Commits a as the node, or keeps it for when the Axiom is back. */
static void ns_record(struct node_svc *s, struct ax_action *a, char *out, size_t cap)
{
    struct policy_decision d;
    uint64_t seq = 0;
    uint8_t hash[AX_HASH_LEN];
    char why[128] = "";
    if (!ns_axiom_up(s)) {
        if (s->npending < NODE_SVC_PENDING) {
            s->pending[s->npending++] = *a;
        }
        return;
    }
    memcpy(a->proposer, s->n->axiom.ax.st->node, sizeof(a->proposer));
    int err = axiom_propose(&s->n->axiom.ax, a, &d, &seq, hash, why, sizeof(why));
    err = err != 0 ? err : axiom_commit(&s->n->axiom.ax);
    if (err != 0) {
        ns_say(out, cap, "svc: %s %s not recorded: %s\n", ax_kind_name(a->kind), a->name,
               why[0] != '\0' ? why : zerr_text(err));
    } else if (out != NULL) {
        ns_say(out, cap, "svc: %s %s recorded #%llu\n", ax_kind_name(a->kind), a->name,
               (unsigned long long)seq);
    }
}

static void ns_flush(struct node_svc *s, char *out, size_t cap)
{
    struct ax_action pending[NODE_SVC_PENDING];
    uint32_t n = s->npending;

    if (!ns_axiom_up(s)) {
        return;
    }
    memcpy(pending, s->pending, sizeof(pending[0]) * n);
    s->npending = 0;
    for (uint32_t i = 0; i < n; i++) {
        ns_record(s, &pending[i], out, cap);
    }
}

static void ns_action(struct ax_action *a, uint8_t kind, const char *name)
{
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    memcpy(a->name, name, strlen(name) + 1);
}

static void ns_record_start(struct node_svc *s, uint32_t i, uint64_t delay, char *out, size_t cap)
{
    struct ax_action a;

    ns_action(&a, AX_SVC_START, ns_names[i]);
    a.svc.pid = s->sv.s[i].pid;
    a.svc.delay_ms = delay;
    ns_record(s, &a, out, cap);
}

static void ns_record_exit(struct node_svc *s, uint32_t i, uint64_t pid, const struct sv_exit *x,
                           char *out, size_t cap)
{
    struct ax_action a;

    ns_action(&a, AX_SVC_EXIT, ns_names[i]);
    a.svc.pid = pid;
    a.svc.how = x->kind == SV_EXIT_STATUS  ? AX_SVC_EXITED
                : x->kind == SV_EXIT_FAULT ? AX_SVC_FAULTED
                                           : AX_SVC_KILLED;
    a.svc.status = (uint64_t)x->status;
    a.svc.fault_kind = x->fault_kind;
    a.svc.fault_addr = x->fault_addr;
    ns_record(s, &a, out, cap);
}

/* Re-reads the root secret from an unsealed key slot into the key service. */
static int ns_keys_start(struct node *n)
{
    struct ax_layout lay;
    uint8_t root[KEYS_SECRET_LEN];
    int err = ax_read_super(n->dev, &lay, root, NULL, 0);

    if (err == 0) {
        keys_init(&n->keys, root);
    }
    secure_zero(root, sizeof(root));
    return err;
}

static int ns_fs_start(struct node *n)
{
    struct ax_layout lay;
    int err = ax_read_super(n->dev, &lay, NULL, NULL, 0);

    err = err != 0 ? err : fssvc_open(&n->fs, n->dev, lay.fs_off, lay.fs_len);
    return err == ZERR_NOMEM ? 0 : err; /* as at start: a node without memory for files runs */
}

/* Stops service i: what a kill leaves of an instance inside the node. */
static void ns_stop(struct node_svc *s, uint32_t i)
{
    struct node *n = s->n;

    switch (i) {
    case NS_KEYS:
        keys_wipe(&n->keys);
        break;
    case NS_AXIOM:
        s->sign = n->axiom.ax.sign;
        s->sign_ctx = n->axiom.ax.sign_ctx;
        axiom_close(&n->axiom.ax);
        break;
    case NS_FS:
        fssvc_close(&n->fs);
        break;
    case NS_TERMINAL:
        memset(n->shell.challenge_for, 0, sizeof(n->shell.challenge_for));
        memset(n->shell.acting, 0, sizeof(n->shell.acting));
        break;
    default: /* identity, policy: no state of their own (the Axiom's is theirs) */
        break;
    }
}

/* Starts service i again from what the disk records; 0 or why it cannot. */
static int ns_start(struct node_svc *s, uint32_t i)
{
    struct node *n = s->n;

    switch (i) {
    case NS_KEYS:
        return ns_keys_start(n);
    case NS_AXIOM:
        return axiom_open(&n->axiom.ax, n->dev, s->sign, s->sign_ctx, &n->rec);
    case NS_FS:
        return ns_fs_start(n);
    case NS_TERMINAL:
        memcpy(n->shell.acting, s->acting, sizeof(n->shell.acting));
        return 0;
    default:
        return 0;
    }
}

/* Service i (running) has ended as x says: records it and what follows. */
static void ns_end(struct node_svc *s, uint32_t i, const struct sv_exit *x, char *out, size_t cap)
{
    struct ax_action a;
    uint64_t pid = s->sv.s[i].pid, delay = 0;
    enum sv_decision d = sv_exited(&s->sv, i, x, ns_now_ms(), &delay);

    ns_record_exit(s, i, pid, x, out, cap);
    if (d == SV_HOLD) {
        ns_action(&a, AX_SVC_HOLD, ns_names[i]);
        memcpy(a.svc.reason, s->sv.s[i].reason, sizeof(a.svc.reason));
        ns_record(s, &a, out, cap);
        ns_say(out, cap, "svc: %s held: %s (svc restart %s releases it)\n", ns_names[i],
               s->sv.s[i].reason, ns_names[i]);
    } else if (d == SV_STOP) {
        ns_say(out, cap, "svc: %s stopped: %s\n", ns_names[i], s->sv.s[i].reason);
    } else {
        ns_say(out, cap, "svc: %s restarts in %llu ms\n", ns_names[i], (unsigned long long)delay);
    }
}

/* Carries out what the supervisor says until nothing is due, waiting out back-offs. */
static void ns_run(struct node_svc *s, char *out, size_t cap)
{
    struct sv_action act;

    for (;;) {
        uint64_t now = ns_now_ms();
        sv_next(&s->sv, now, &act);
        if (act.kind == SV_ACT_NOTIFY) {
            ns_say(out, cap, "svc: %s told that %s is back\n", ns_names[act.svc],
                   ns_names[act.about]);
            continue;
        }
        if (act.kind == SV_ACT_START) {
            uint32_t i = act.svc;
            int err = ns_start(s, i);
            sv_started(&s->sv, i, ++s->next_pid, ns_now_ms());
            ns_flush(s, out, cap);
            ns_record_start(s, i, act.waited_ms, out, cap);
            if (err != 0) {
                struct sv_exit x = {.kind = SV_EXIT_STATUS, .status = -err};
                ns_say(out, cap, "svc: %s cannot start: %s\n", ns_names[i], zerr_text(err));
                ns_end(s, i, &x, out, cap);
            } else {
                ns_say(out, cap, "svc: %s back as pid %llu after %llu ms\n", ns_names[i],
                       (unsigned long long)s->sv.s[i].pid, (unsigned long long)act.waited_ms);
            }
            continue;
        }
        uint64_t due = sv_deadline(&s->sv);
        if (due == UINT64_MAX) {
            return;
        }
        if (s->wait != NULL) {
            s->wait(s->wait_ctx, due * 1000000u);
        } else {
            hal_wait_until(due * 1000000u);
        }
    }
}

/* Records every service's start, once (node_svc.h); a service held in an
 * earlier run of the node is released first: this run started it. */
static void ns_record_starts(struct node_svc *s, char *out, size_t cap)
{
    struct ax_action a;

    if (s->recorded) {
        return;
    }
    s->recorded = true;
    for (uint32_t i = 0; i < NS_COUNT; i++) {
        const struct ax_svc_row *r = ax_svc_find(s->n->axiom.ax.st, ns_names[i]);
        if (r != NULL && r->state == AX_SVC_HELD) {
            ns_action(&a, AX_SVC_RESTART, ns_names[i]);
            ns_record(s, &a, out, cap);
        }
        ns_record_start(s, i, 0, out, cap);
    }
}

static int ns_list(void *ctx, struct shell_svc_row *rows, size_t cap, size_t *n)
{
    struct node_svc *s = ctx;

    *n = 0;
    for (uint32_t i = 0; i < s->sv.n && *n < cap; i++) {
        const struct sv_service *v = &s->sv.s[i];
        struct shell_svc_row *r = &rows[(*n)++];
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
    return 0;
}

static int ns_prepare(void *ctx, const char *name, char *why, size_t cap)
{
    struct node_svc *s = ctx;
    int i = sv_find(&s->sv, name);

    if (i < 0) {
        zfmt_snprintf(why, cap, "no service called '%s' (svc list)", name);
        return ZERR_NOENT;
    }
    if (!s->sv.s[i].restartable) {
        zfmt_snprintf(why, cap, "%s cannot start again here: %s", name,
                      s->n->sealed ? "its key slot is sealed" : "its keys are in another process");
        return ZERR_UNSUPPORTED;
    }
    static char out[256];
    out[0] = '\0';
    ns_record_starts(s, out, sizeof(out));
    return 0;
}

static int ns_act(void *ctx, uint8_t kind, const char *name, char *out, size_t cap)
{
    struct node_svc *s = ctx;
    int i = sv_find(&s->sv, name);
    const struct sv_exit killed = {.kind = SV_EXIT_KILLED};

    if (i < 0) {
        return ZERR_NOENT;
    }
    bool running = s->sv.s[i].state == SV_RUNNING;
    if (kind == AX_SVC_RESTART ? sv_restart(&s->sv, (uint32_t)i, ns_now_ms()) == 1 : running) {
        ns_stop(s, (uint32_t)i);
        ns_say(out, cap, "svc: %s killed (pid %llu)\n", name, (unsigned long long)s->sv.s[i].pid);
        ns_end(s, (uint32_t)i, &killed, out, cap);
    }
    ns_run(s, out, cap);
    return 0;
}

void node_svc_attach(struct node_svc *s, struct node *n)
{
    static const char *const on_keys[] = {"keys"};
    static const char *const on_keys_axiom[] = {"keys", "axiom"};
    static const char *const on_axiom[] = {"axiom"};
    static const char *const on_all[] = {"identity", "policy", "axiom", "fs"};
    const char *const *deps[NS_COUNT] = {NULL, on_keys, on_keys_axiom, on_axiom, on_axiom, on_all};
    const uint32_t ndeps[NS_COUNT] = {0, 1, 2, 1, 1, 4};
    struct sv_policy p;

    memset(s, 0, sizeof(*s));
    s->n = n;
    memcpy(s->acting, n->shell.acting, sizeof(s->acting));
    sv_policy_default(&p);
    (void)sv_init(&s->sv, &p);
    for (uint32_t i = 0; i < NS_COUNT; i++) {
        bool restartable = i != NS_KEYS || (!n->sealed && n->keys_remote == NULL);
        int k = sv_add(&s->sv, ns_names[i], restartable, deps[i], ndeps[i]);
        sv_started(&s->sv, (uint32_t)k, ++s->next_pid, ns_now_ms());
    }
    s->backend.ctx = s;
    s->backend.list = ns_list;
    s->backend.prepare = ns_prepare;
    s->backend.act = ns_act;
    shell_svc_attach(&s->backend);
}
