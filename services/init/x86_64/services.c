/* The service processes of a node, one per service (see split.h). */
#include "services/init/x86_64/net_client.h"
#include "services/init/x86_64/split.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "drivers/virtio-blk/hal_blk.h"
#include "hal/hal.h"
#include "services/init/boot_entry.h"
#include "services/init/node.h"
#include "services/init/x86_64/boot_plan.h"
#include "services/init/x86_64/init.h"
#include "services/init/x86_64/keys_proc.h"
#include "services/init/x86_64/unlock.h"
#include "services/init/x86_64/record.h"
#include "services/init/x86_64/svcd.h"
#include "services/init/x86_64/term_login.h"
#include "services/terminal/terminal.h"
#include "services/terminal/time_cmd.h"
#include "zero/zero.h"

#define SPLIT_MEMORY_DISK (8u * 1024u * 1024u)

static void split_say(const char *s)
{
    hal_console_write(s, strlen(s));
}

/* ---- what a process holds ---------------------------------------------------- */

static const char *split_type(uint64_t type)
{
    static const char *const names[] = {"null",   "endpoint", "notification", "aspace",
                                        "thread", "frame",    "irq",          "ioport"};
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "?";
}

void split_report_caps(const char *name)
{
    char line[512];
    size_t at = (size_t)zfmt_snprintf(line, sizeof(line), "caps %s:", name);
    unsigned frames = 0;

    for (uint64_t slot = 0; slot < 256; slot++) {
        struct zsys r = {SYS_CAP_INFO, slot, 0, 0, 0, 0, 0};
        zsys_raw(&r);
        if ((int64_t)r.rax != 0) {
            continue;
        }
        if (r.rdi == CAP_FRAME) {
            frames++;
            continue;
        }
        if (at < sizeof(line)) {
            at += (size_t)zfmt_snprintf(line + at, sizeof(line) - at, " %s", split_type(r.rdi));
        }
        if (r.rdi == CAP_ENDPOINT && slot != ZERO_SLOT_EP && at < sizeof(line)) {
            at += (size_t)zfmt_snprintf(line + at, sizeof(line) - at, "/%llx",
                                        (unsigned long long)r.rdx);
        } else if (r.rdi == CAP_IOPORT && at < sizeof(line)) {
            const char *what = slot == ZERO_SLOT_CONSOLE   ? "console"
                               : slot == ZERO_SLOT_PCI_CFG ? "pci-cfg"
                               : slot == ZERO_SLOT_COM2    ? "com2"
                                                           : "pci-io";
            at += (size_t)zfmt_snprintf(
                line + at, sizeof(line) - at, "/%s%s", what,
                slot == ZERO_SLOT_CONSOLE && (r.rsi & CAP_RIGHT_READ) ? "+in" : "");
        }
    }
    if (at < sizeof(line)) {
        zfmt_snprintf(line + at, sizeof(line) - at, " frame*%u\n", frames);
    }
    split_say(line);
}

/* ---- the Axiom -------------------------------------------------------------------- */

/*
 * The Axiom's endpoint also serves the filesystem service, which lives in
 * this process beside the store on the disk: its operations (0x101 on)
 * go to it, to a caller whose capability may read the Axiom.
 */
/* init says the key service was started again: it gets the root secret from the key slot. */
static int split_axiom_keys_back(struct node *n)
{
    struct ax_layout lay;
    uint8_t root[KEYS_SECRET_LEN];

    if (n->sealed || n->keys_remote == NULL) {
        return ZERR_UNSUPPORTED; /* a sealed slot opens only with the operator's passphrase */
    }
    int err = ax_read_super(n->dev, &lay, root, NULL, 0);
    err = err != 0 ? err : n->keys_remote->start(n->keys_remote->self, root);
    secure_zero(root, sizeof(root));
    return err;
}

static int split_axiom_refeed(void *ctx)
{
    return split_axiom_keys_back(ctx);
}

static int split_axiom_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct node *n = self;

    if (m->op == REC_OP_KEYS_BACK) {
        return (badge & AXIOM_BADGE_INIT) != 0 ? split_axiom_keys_back(n) : ZERR_PERM;
    }
    if (m->op > 0x100) {
        return (badge & AXIOM_BADGE_READ) != 0 ? fssvc_handle(&n->fs, badge, m) : ZERR_PERM;
    }
    return axiom_handle(&n->axiom, badge, m);
}

int split_axiom_main(void)
{
    static struct keys_proc kp;
    static struct node node;
    static struct blk dev;
    struct init_given g;
    char line[320];
    char why[200] = "";
    const char *label = "disk0 (virtio-blk)";

    if (node_take_boot_caps(&g) != 0 || g.keys_sign == ZERO_CAP_NONE) {
        return 2;
    }
    if (g.disk != ZERO_CAP_NONE) {
        hal_blk_use_driver(g.disk, SPLIT_DISK_VA);
        split_say("zero-node: virtio-blk driver in its own process\n");
    }
    int err = keys_proc_attach(&kp, ZERO_CAP_NONE, g.keys_sign);
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line), "zero-node: no key process (%s)\n", zerr_name(err));
        split_say(line);
        return 2;
    }
    split_say("zero-node: key service in its own process\n");
    kp.refeed = split_axiom_refeed;
    kp.refeed_ctx = &node;
    err = blk_open(&dev, "disk0", 0);
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line),
                      "zero-node: no disk0 (%s): running on a memory disk, "
                      "nothing survives power-off\n",
                      zerr_name(err));
        split_say(line);
        size_t pages = SPLIT_MEMORY_DISK / HAL_PAGE_SIZE;
        uint8_t *mem = hal_page_alloc(pages);
        if (mem == NULL) {
            split_say("zero-node: no memory for the disk\n");
            return 2;
        }
        blk_open_mem(&dev, mem, NULL, (uint64_t)pages * HAL_PAGE_SIZE);
        label = "(memory, 8192 KiB)";
    }
    err = node_start_remote_keys(&node, &dev, "root", &kp.remote, why, sizeof(why));
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line), "zero-node: cannot start on %s: %s (%s)\n", label, why,
                      zerr_name(err));
        split_say(line);
        keys_proc_end(&kp);
        return 2;
    }
    zfmt_snprintf(line, sizeof(line), "Zero OS %s (%s)\ndisk %s%s: %llu entries, node %s\n",
                  ZERO_VERSION, HAL_PLATFORM_NAME, label, node.formatted ? " (new, formatted)" : "",
                  (unsigned long long)node.axiom.ax.st->applied, node.axiom.ax.st->node);
    split_say(line);
    if (node.rec.cut_bytes != 0) {
        zfmt_snprintf(line, sizeof(line), "recovery: %s\n", node.rec.why);
        split_say(line);
    }
    static struct ax_boot boot;
    if (g.boot_record != ZERO_CAP_NONE && boot_record_take(g.boot_record, &boot) == 0) {
        node_console_set_boot(&boot);
        node_console_record_boot(&node); /* the boot entry: what init started */
    }
    split_report_caps("axiom");
    /* Only the Axiom is served here: Identity, Policy and the terminal have processes of
     * their own, and this process's runtime is the Axiom's way to the key service. */
    err = rtx_serve_rt(ZERO_SLOT_EP, SPLIT_SERVE_VA, split_axiom_handle, &node);
    node_stop(&node);
    return err == 0 ? 0 : 1;
}

/* ---- Identity and Policy ------------------------------------------------------------ */

/* Opens channel i of this process to ep and registers its forwarder as name. */
static int split_proxy(struct rt *rt, const char *name, struct rtx_chan *chan, struct rtx_proxy *px,
                       uint64_t ep, uint32_t i)
{
    if (ep == ZERO_CAP_NONE) {
        return ZERR_BADCAP;
    }
    int err = rtx_open(chan, ep, SPLIT_CLIENT_VA + (uint64_t)i * RTX_BUF_LEN);
    *px = (struct rtx_proxy){chan, ep};
    return err != 0 ? err : rt_register(rt, name, px, rtx_forward);
}

static int split_fail(const char *who, int err)
{
    char line[120];
    zfmt_snprintf(line, sizeof(line), "zero-%s: cannot start: %s\n", who, zerr_name(err));
    split_say(line);
    return 2;
}

extern const int zero_fault_test __attribute__((weak));

/* The test build faults in Identity on "id create crash" (tests/system/restart.t). */
static int split_identity_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct idsvc_req rq;
    if (&zero_fault_test != NULL && zero_fault_test && m->op == IDSVC_OP_CREATE &&
        idsvc_req_decode(m->in, m->in_len, &rq) == 0 && strcmp(rq.name, "crash") == 0) {
        split_say("zero-identity: faulting on purpose (test build)\n");
        __builtin_trap();
    }
    return idsvc_handle(self, badge, m);
}

int split_identity_main(void)
{
    static struct rt rt;
    static struct idsvc ident;
    static struct rtx_chan ch[2];
    static struct rtx_proxy px[2];
    struct init_given g;
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;

    if (node_take_boot_caps(&g) != 0) {
        return 2;
    }
    rt_init(&rt);
    /* a key process started again answers only once the Axiom handed it the secret */
    int keys = g.keys_public == ZERO_CAP_NONE ? ZERR_BADCAP
                                              : rtx_open(&ch[0], g.keys_public, SPLIT_CLIENT_VA);
    px[0] = (struct rtx_proxy){&ch[0], g.keys_public};
    keys = keys < 0 ? keys : rt_register(&rt, "keys", &px[0], keys_proc_forward_patient);
    int axiom = keys < 0 ? keys : split_proxy(&rt, "axiom", &ch[1], &px[1], g.axiom, 1);
    int me = axiom < 0 ? axiom : rt_register(&rt, "identity", &ident, idsvc_handle);
    int hk = me < 0
                 ? me
                 : rt_grant(&rt, (uint32_t)keys, (uint32_t)me, CAP_RIGHT_WRITE, KEYS_BADGE_PUBLIC);
    int ha = hk < 0 ? hk : rt_grant(&rt, (uint32_t)axiom, (uint32_t)me, CAP_RIGHT_WRITE, rw);
    if (ha < 0) {
        return split_fail("identity", ha);
    }
    ident = (struct idsvc){&rt, (uint32_t)me, (uint32_t)hk, (uint32_t)ha};
    split_report_caps("identity");
    return rtx_serve_rt(ZERO_SLOT_EP, SPLIT_SERVE_VA, split_identity_handle, &ident) == 0 ? 0 : 1;
}

/*
 * A test build (zero-node-faulty: tests/system/fault_on.c defines this)
 * makes the policy process fault on purpose when it is asked to add the
 * rule "fault", so a test can watch the other services keep their state.
 */

static int split_policy_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    static const char fault[] = "fault";
    struct polsvc_req rq;
    if (&zero_fault_test != NULL && zero_fault_test && m->op == POLSVC_OP_ADD &&
        polsvc_req_decode(m->in, m->in_len, &rq) == 0 && strcmp(rq.text, fault) == 0) {
        split_say("zero-policy: faulting on purpose (test build)\n");
        __builtin_trap();
    }
    return polsvc_handle(self, badge, m);
}

int split_policy_main(void)
{
    static struct rt rt;
    static struct polsvc pol;
    static struct rtx_chan ch;
    static struct rtx_proxy px;
    struct init_given g;
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;

    if (node_take_boot_caps(&g) != 0) {
        return 2;
    }
    rt_init(&rt);
    int axiom = split_proxy(&rt, "axiom", &ch, &px, g.axiom, 0);
    int me = axiom < 0 ? axiom : rt_register(&rt, "policy", &pol, polsvc_handle);
    int ha = me < 0 ? me : rt_grant(&rt, (uint32_t)axiom, (uint32_t)me, CAP_RIGHT_WRITE, rw);
    if (ha < 0) {
        return split_fail("policy", ha);
    }
    pol = (struct polsvc){&rt, (uint32_t)me, (uint32_t)ha};
    split_report_caps("policy");
    return rtx_serve_rt(ZERO_SLOT_EP, SPLIT_SERVE_VA, split_policy_handle, &pol) == 0 ? 0 : 1;
}

/* ---- the terminal ------------------------------------------------------------------- */

/* A forwarder that names its service when the service is gone. */
struct split_named {
    struct rtx_proxy px;
    const char *name;
    bool noent; /* ZERR_NOENT is an answer of every operation (the jobs service) */
};

/* True for the queries whose answer may be ZERR_NOENT (no such principal,
 * path or content), which a caller cannot tell from a gone server. */
static bool split_noent_answers(uint32_t op)
{
    return op == AXIOM_OP_PRINCIPAL || op == AXIOM_OP_RECEIPT || op == AXIOM_OP_FS_STAT ||
           op == AXIOM_OP_FS_LIST || op == FSSVC_OP_READ || op == FSSVC_OP_PUT ||
           op == FSSVC_OP_PUT_STAGED;
}

static int split_named_forward(void *self, uint64_t badge, struct rt_msg *m)
{
    struct split_named *n = self;
    int err = rtx_forward(&n->px, badge, m);
    if (err == ZERR_BADCAP || (err == ZERR_NOENT && !n->noent && !split_noent_answers(m->op))) {
        char line[120];
        zfmt_snprintf(line, sizeof(line), "terminal: the %s service is gone (%s)\n", n->name,
                      zerr_name(err));
        split_say(line);
    }
    return err;
}

static int split_term_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self;
    (void)badge;
    (void)m;
    return ZERR_UNSUPPORTED; /* nobody calls the terminal */
}

/* One operation of a service the terminal holds a capability to, and a valid request. */
struct split_hostile {
    uint32_t h, op;
    uint8_t valid[AXIOM_ACTION_MAX];
    size_t len;
};

/* Sends len bytes of in to op through h; the result. */
static int split_send(struct shell *sh, const struct split_hostile *o, const void *in, size_t len)
{
    static uint8_t out[RTX_BUF_LEN];
    struct rt_msg m = {o->op, in, len, out, sizeof(out), 0};
    return rt_call(sh->rt, sh->self, o->h, &m);
}

/*
 * The test build's hostile sweep (zero-node-faulty, tests/system/isolation.t):
 * truncated, one byte too long, garbage and buffer-sized garbage requests
 * for every operation of the Axiom, Identity and Policy processes, over
 * the same capabilities the terminal uses.  Prints how many were refused
 * and the entries before and after.
 */
static void split_hostile_sweep(struct shell *sh)
{
    static struct split_hostile ops[14];
    static uint8_t junk[RTX_BUF_LEN];
    struct ax_action a;
    struct axiom_check c;
    struct idsvc_req ir;
    struct polsvc_req pr;
    struct axiom_head before, after;
    size_t n = 0;

    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    memcpy(a.proposer, sh->acting, sizeof(a.proposer));
    a.data = (const uint8_t *)"hostile";
    a.data_len = 7;
    memset(&c, 0, sizeof(c));
    memcpy(c.proposer, sh->acting, sizeof(c.proposer));
    memcpy(c.action, "note", 5);
    memcpy(c.resource, "note", 5);
    memset(&ir, 0, sizeof(ir));
    memcpy(ir.proposer, sh->acting, sizeof(ir.proposer));
    memcpy(ir.name, "hostile", 8);
    ir.kind = ID_KIND_USER;
    memset(&pr, 0, sizeof(pr));
    memcpy(pr.proposer, sh->acting, sizeof(pr.proposer));
    pr.effect = POLICY_ALLOW;
    pr.rule_id = 1;
    memcpy(pr.text, "root note *", 12);
    const uint32_t axops[] = {AXIOM_OP_SUBMIT,     AXIOM_OP_DECIDE, AXIOM_OP_HEAD,
                              AXIOM_OP_VERIFY,     AXIOM_OP_LOG,    AXIOM_OP_PRINCIPAL,
                              AXIOM_OP_PRINCIPALS, AXIOM_OP_RULES,  AXIOM_OP_CHECK};
    for (size_t i = 0; i < sizeof(axops) / sizeof(axops[0]); i++) {
        struct split_hostile *o = &ops[n++];
        *o = (struct split_hostile){sh->h_axiom, axops[i], {0}, 0};
        if (o->op == AXIOM_OP_SUBMIT || o->op == AXIOM_OP_DECIDE) {
            axiom_action_encode(&a, o->valid, sizeof(o->valid), &o->len);
        } else if (o->op == AXIOM_OP_LOG) {
            o->valid[0] = 1;
            o->len = 8;
        } else if (o->op == AXIOM_OP_PRINCIPAL) {
            memcpy(o->valid, sh->acting, strlen(sh->acting));
            o->len = AXIOM_NAME_FIELD;
        } else if (o->op == AXIOM_OP_PRINCIPALS || o->op == AXIOM_OP_RULES) {
            o->len = 4;
        } else if (o->op == AXIOM_OP_CHECK) {
            axiom_check_encode(&c, o->valid, sizeof(o->valid), &o->len);
        }
    }
    for (uint32_t op = IDSVC_OP_CREATE; op <= IDSVC_OP_REVOKE; op++) {
        struct split_hostile *o = &ops[n++];
        *o = (struct split_hostile){sh->h_ident, op, {0}, 0};
        idsvc_req_encode(&ir, o->valid, sizeof(o->valid), &o->len);
    }
    ops[n] = (struct split_hostile){sh->h_policy, POLSVC_OP_ADD, {0}, 0};
    polsvc_req_encode(&pr, ops[n].valid, sizeof(ops[n].valid), &ops[n].len);
    n++;
    ops[n] = (struct split_hostile){sh->h_policy, POLSVC_OP_CHECK, {0}, 0};
    axiom_check_encode(&c, ops[n].valid, sizeof(ops[n].valid), &ops[n].len);
    n++;

    int herr = axiom_get_head(sh->rt, sh->self, sh->h_axiom, &before);
    unsigned sent = 0, refused = 0;
    for (size_t i = 0; i < n; i++) {
        const struct split_hostile *o = &ops[i];
        memcpy(junk, o->valid, o->len);
        int e[4];
        e[0] = o->len > 0 ? split_send(sh, o, junk, o->len - 1) : ZERR_INVAL; /* truncated */
        e[1] = split_send(sh, o, junk, o->len + 1);                           /* a byte more */
        memset(junk, 0xa5, sizeof(junk));
        e[2] = split_send(sh, o, junk, o->len > 0 ? o->len : 1); /* garbage */
        e[3] = split_send(sh, o, junk, sizeof(junk));            /* the whole buffer */
        for (int k = 0; k < 4; k++) {
            sent++;
            refused += e[k] != 0 ? 1u : 0u;
        }
    }
    int aerr = axiom_get_head(sh->rt, sh->self, sh->h_axiom, &after);
    char line[160];
    zfmt_snprintf(line, sizeof(line),
                  "hostile: %u of %u messages to %u operations refused; entries %llu before, %llu "
                  "after%s\n",
                  refused, sent, (unsigned)n, (unsigned long long)before.entries,
                  (unsigned long long)after.entries,
                  herr != 0 || aerr != 0 ? " (the Axiom did not answer)" : "");
    split_say(line);
}

/*
 * Prints the time-stamp counter just before the first prompt: guest time
 * since reset (firmware and loader included), and under QEMU -icount
 * shift=0 virtual nanoseconds, one per instruction plus the idle time it
 * skips (bench/boot.sh, docs/boot.md "Where boot time goes").
 */
static uint64_t split_tsc(void)
{
    return zero_rdtsc();
}

static void split_report_ready(void)
{
    char line[64];
    zfmt_snprintf(line, sizeof(line), "terminal: ready at tsc %llu\n",
                  (unsigned long long)zero_rdtsc());
    split_say(line);
}

/* The jobs service's channel (index 4: 3 is init's svc endpoint) and the terminal's handle
 * to it; 0 without one. */
static int split_terminal_jobs(struct rt *rt, uint32_t me, struct rtx_chan *ch,
                               struct split_named *px, uint64_t ep)
{
    if (ep == ZERO_CAP_NONE) {
        return 0;
    }
    int err = rtx_open(ch, ep, SPLIT_CLIENT_VA + 4ull * RTX_BUF_LEN);
    px->px = (struct rtx_proxy){ch, ep};
    int sid = err < 0 ? err : rt_register(rt, px->name, px, split_named_forward);
    return sid < 0 ? sid : rt_grant(rt, (uint32_t)sid, me, CAP_RIGHT_WRITE, 0);
}

int split_terminal_main(void)
{
    static struct rt rt;
    static struct shell sh;
    static struct term term;
    static struct rtx_chan ch[4];
    static struct split_named px[4] = {{{0}, "axiom", false},
                                       {{0}, "identity", false},
                                       {{0}, "policy", false},
                                       {{0}, "jobs", true}};
    struct init_given g;
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    int sid[3];

    if (node_take_boot_caps(&g) != 0) {
        return 2;
    }
    /* A sealed key slot first: the Axiom serves nobody until its keys are ready. */
    term_init(&term, shell_cmds, shell_ncmds, &sh);
    if (unlock_at_start(&term, g.keys_unlock) != 0) {
        return 2;
    }
    const uint64_t eps[3] = {g.axiom, g.identity, g.policy};
    rt_init(&rt);
    int err = 0;
    for (int i = 0; i < 3 && err >= 0; i++) {
        err = eps[i] == ZERO_CAP_NONE
                  ? ZERR_BADCAP
                  : rtx_open(&ch[i], eps[i], SPLIT_CLIENT_VA + (uint64_t)i * RTX_BUF_LEN);
        px[i].px = (struct rtx_proxy){&ch[i], eps[i]};
        err = err < 0 ? err : rt_register(&rt, px[i].name, &px[i], split_named_forward);
        sid[i] = err;
    }
    int me = err < 0 ? err : rt_register(&rt, "terminal", &sh, split_term_handle);
    int ha = me < 0 ? me : rt_grant(&rt, (uint32_t)sid[0], (uint32_t)me, CAP_RIGHT_WRITE, rw);
    int hi = ha < 0 ? ha : rt_grant(&rt, (uint32_t)sid[1], (uint32_t)me, CAP_RIGHT_WRITE, 0);
    int hp = hi < 0 ? hi : rt_grant(&rt, (uint32_t)sid[2], (uint32_t)me, CAP_RIGHT_WRITE, 0);
    /* the filesystem: the Axiom's endpoint, its own operation numbers */
    int fs = hp < 0 ? hp : rt_register(&rt, "fs", &px[0], split_named_forward);
    int hf = fs < 0 ? fs : rt_grant(&rt, (uint32_t)fs, (uint32_t)me, CAP_RIGHT_WRITE, 0);
    int hj = hf < 0 ? hf : split_terminal_jobs(&rt, (uint32_t)me, &ch[3], &px[3], g.jobs);
    if (hj < 0) {
        return split_fail("terminal", hj);
    }
    memset(&sh, 0, sizeof(sh));
    sh.rt = &rt;
    sh.self = (uint32_t)me;
    sh.h_axiom = (uint32_t)ha;
    sh.h_ident = (uint32_t)hi;
    sh.h_policy = (uint32_t)hp;
    sh.h_fs = (uint32_t)hf;
    sh.has_jobs = g.jobs != ZERO_CAP_NONE;
    sh.h_jobs = (uint32_t)hj;
    struct axiom_head h;
    err = axiom_get_head(&rt, sh.self, sh.h_axiom, &h);
    if (err != 0) {
        return split_fail("terminal", err);
    }
    memcpy(sh.acting, h.node, sizeof(sh.acting));
    split_report_caps("terminal");
    shell_time_clock(split_tsc, "tsc"); /* `time`: instructions under QEMU -icount */
    split_report_ready();
    net_client_attach(g.net);
    svcd_attach_terminal(g.svc, SPLIT_CLIENT_VA + 3u * RTX_BUF_LEN);
    if (&zero_fault_test != NULL && zero_fault_test) {
        split_hostile_sweep(&sh);
    }
    sh.check_pass = unlock_check_pass; /* login as a derived-key principal */
    size_t ncmds = 0;
    const struct term_cmd *cmds = term_login_cmds(&ncmds); /* each under the log-in lock */
    term_init(&term, cmds, ncmds, &sh);
    err = term_login_start(&term); /* log-in answers relayed by the COM2 server */
    if (err != 0) {
        return split_fail("terminal", err);
    }
    term.echo = hal_console_echo;
    int status = term_run(&term);
    net_client_stop();
    return status;
}
