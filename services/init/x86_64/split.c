/*
 * init with one process per service (see init.h and docs/boot.md, "One
 * process per service"): the key service, the virtio-blk driver, the Axiom
 * (with the block device behind it), Identity, Policy, the jobs service
 * and the terminal.
 * init makes one endpoint per server, derives each client's copy with the
 * client's channel and badge (RTX_BADGE), hands every process only what the
 * table in docs/boot.md lists, and then supervises: when a service other
 * than the terminal ends, init says so and revokes every capability to it,
 * so its clients get ZERR_BADCAP at once instead of waiting forever; when
 * the terminal ends, init ends the others and itself.
 */
#include "services/init/x86_64/init.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/service.h"
#include "services/listen/frame.h"
#include "services/init/x86_64/boot_plan.h"
#include "services/init/x86_64/grant.h"
#include "services/init/x86_64/restart.h"
#include "services/init/x86_64/split.h"
#include "services/init/x86_64/svcd.h"
#include "services/axiom/svc.h"
#include "base/string.h"
#include "services/keys/keys.h"
#include "zero/zero.h"

enum {
    P_KEYS,
    P_DRIVER,
    P_AXIOM,
    P_IDENTITY,
    P_POLICY,
    P_TERMINAL,
    P_NETDRV,
    P_NET,
    P_COM2,
    P_JOBS,
    P_COUNT
};

static const char *const split_names[P_COUNT] = {"keys",   "virtio-blk", "axiom",      "identity",
                                                 "policy", "terminal",   "virtio-net", "net",
                                                 "com2",   "jobs"};

struct split_proc {
    int64_t ep;     /* init's original endpoint to the process */
    int64_t thread; /* its thread capability */
    bool gone;
    bool killed;  /* init killed it (svc kill, svc restart) */
    uint64_t mod; /* its boot module (restart.h) */
};

static struct init_rec split_rec;
static bool split_revoked[P_COUNT]; /* its clients' capabilities were revoked (held) */

static int64_t split_init_axiom_cap(const struct split_proc *p);

extern const int zero_fault_test __attribute__((weak));
static int64_t split_svc_ep = ZERR_NOENT; /* init's svc endpoint (svcd.h) */

static int64_t split_spawn(uint64_t module, uint64_t role, uint64_t ep, uint64_t ntfn)
{
    return grant_spawn(module, role, ep, ntfn); /* the manifest's limits */
}

static int64_t split_give(uint64_t ep, uint64_t cap, uint64_t op, uint64_t arg)
{
    struct zmsg m = {.w = {op, arg, 0, 0}};
    int64_t r = grant_check(ep, op, arg); /* only what the manifest lists */
    r = r != 0 ? r : zero_call(ep, cap, &m);
    return r != 0 ? r : (int64_t)m.w[0];
}

/* A copy of server's endpoint for a client: may call and pass frames, with badge. */
static int64_t split_derive(const struct split_proc *server, uint64_t badge)
{
    return zsys4(SYS_CAP_DERIVE, (uint64_t)server->ep, ZERO_SLOT_ANY,
                 CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, badge);
}

/* Gives client a derived endpoint to server under op; the copy in init is deleted after. */
static int64_t split_give_ep(const struct split_proc *client, const struct split_proc *server,
                             uint64_t badge, uint64_t op)
{
    int64_t cap = split_derive(server, badge);
    int64_t r = cap < 0 ? cap : split_give((uint64_t)client->ep, (uint64_t)cap, op, 0);
    if (cap >= 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)cap, 0, 0);
    }
    return r;
}

static int64_t split_give_slot(const struct split_proc *p, uint32_t slot)
{
    return split_give((uint64_t)p->ep, slot, GIVE_SLOT, slot);
}

static int64_t split_done(const struct split_proc *p)
{
    return split_give((uint64_t)p->ep, ZERO_CAP_NONE, GIVE_DONE, 0);
}

/* The virtio-net driver and the network service (docs/net.md), when both started. */
static int64_t split_wire_net(struct split_proc *p)
{
    if (p[P_NETDRV].gone || p[P_NET].gone) {
        return 0;
    }
    int64_t r = split_give_slot(&p[P_NETDRV], ZERO_SLOT_PCI_CFG);
    r = r != 0 ? r : split_give_slot(&p[P_NETDRV], ZERO_SLOT_PCI_IO);
    r = r != 0 ? r : split_done(&p[P_NETDRV]);
    /* The network service writes to the console through the write-only one every
     * process gets at spawn; input is the terminal's alone. */
    r = r != 0 ? r : split_give_ep(&p[P_NET], &p[P_NETDRV], 0, GIVE_DISK);
    /* httpd DIR reads the filesystem and records the connections it accepts: the
     * Axiom's endpoint, read and net.accept badges only (channel 4) */
    const uint64_t net_badge = AXIOM_BADGE_READ | AXIOM_BADGE_NET_ACCEPT;
    r = r != 0 ? r : split_give_ep(&p[P_NET], &p[P_AXIOM], RTX_BADGE(4, net_badge), GIVE_AXIOM);
    return r != 0 ? r : split_done(&p[P_NET]);
}

/* The COM2 server (services/listen), when it started: the port, its interrupt, the Axiom
 * (channel 5, signed proposals and read; init has channel 6, the jobs service 7). */
static int64_t split_wire_com2(const struct split_proc *p)
{
    const uint64_t rw = AXIOM_BADGE_SIGNED | AXIOM_BADGE_READ;
    if (p[P_COM2].gone) {
        return 0;
    }
    int64_t r = split_give_slot(&p[P_COM2], ZERO_SLOT_COM2);
    r = r != 0 ? r : split_give_slot(&p[P_COM2], ZERO_SLOT_COM2_IRQ);
    r = r != 0 ? r : split_give_ep(&p[P_COM2], &p[P_AXIOM], RTX_BADGE(5, rw), GIVE_AXIOM);
    /* log-in answers from the host: the terminal's endpoint, that operation only */
    r = r != 0 ? r : split_give_ep(&p[P_COM2], &p[P_TERMINAL], LSN_TERM_BADGE_LOGIN, GIVE_TERMINAL);
    return r != 0 ? r : split_done(&p[P_COM2]);
}

/* The jobs service (docs/jobs.md), when it started: the disk driver (channel 1), for the
 * jobs' store on the disk's CAS region and the log it re-reads; the Axiom (channel 7,
 * propose and read), also its way to the filesystem. */
static int64_t split_wire_jobs(struct split_proc *p, bool driver)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    if (p[P_JOBS].gone) {
        return 0;
    }
    int64_t r = driver ? split_give_ep(&p[P_JOBS], &p[P_DRIVER], RTX_BADGE(1, 0), GIVE_DISK) : 0;
    r = r != 0 ? r : split_give_ep(&p[P_JOBS], &p[P_AXIOM], RTX_BADGE(7, rw), GIVE_AXIOM);
    return r != 0 ? r : split_done(&p[P_JOBS]);
}

/* Identity (at set-up endpoint id): the key service (public keys, channel 1), the Axiom
 * (channel 1). */
static int64_t split_wire_identity(const struct split_proc *p, const struct split_proc *id)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    int64_t r = split_give_ep(id, &p[P_KEYS], RTX_BADGE(1, KEYS_BADGE_PUBLIC), GIVE_KEYS_PUBLIC);
    return r != 0 ? r : split_give_ep(id, &p[P_AXIOM], RTX_BADGE(1, rw), GIVE_AXIOM);
}

/* The driver: the PCI ports. */
static int64_t split_wire_driver(const struct split_proc *p, const struct split_proc *me)
{
    (void)p;
    int64_t r = split_give_slot(me, ZERO_SLOT_PCI_CFG);
    return r != 0 ? r : split_give_slot(me, ZERO_SLOT_PCI_IO);
}

/* The Axiom: the key service (sign, channel 0) and the disk (or the PCI ports). */
static int64_t split_wire_axiom(const struct split_proc *p, const struct split_proc *me,
                                bool driver)
{
    int64_t r = 0;
    if (!driver) {
        r = split_give_slot(me, ZERO_SLOT_PCI_CFG);
        r = r != 0 ? r : split_give_slot(me, ZERO_SLOT_PCI_IO);
    }
    r = r != 0 ? r : split_give_ep(me, &p[P_KEYS], RTX_BADGE(0, KEYS_BADGE_SIGN), GIVE_KEYS_SIGN);
    if (r == 0 && driver) {
        r = split_give_ep(me, &p[P_DRIVER], 0, GIVE_DISK);
    }
    return r;
}

/* Policy: the Axiom (channel 2). */
static int64_t split_wire_policy(const struct split_proc *p, const struct split_proc *me)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    return split_give_ep(me, &p[P_AXIOM], RTX_BADGE(2, rw), GIVE_AXIOM);
}

/* The terminal: the console with input, COM1's interrupt, the services and init's svc
 * endpoint. */
static int64_t split_wire_terminal(const struct split_proc *p, const struct split_proc *me)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    int64_t r = split_give_slot(me, ZERO_SLOT_CONSOLE);
    r = r != 0 ? r : split_give_slot(me, ZERO_SLOT_COM1_IRQ);
    /* the key service (channel 2): the operator's passphrase for a sealed key slot */
    r = r != 0 ? r
               : split_give_ep(me, &p[P_KEYS], RTX_BADGE(2, KEYS_BADGE_UNLOCK), GIVE_KEYS_UNLOCK);
    r = r != 0 ? r : split_give_ep(me, &p[P_AXIOM], RTX_BADGE(3, rw), GIVE_AXIOM);
    r = r != 0 ? r : split_give_ep(me, &p[P_IDENTITY], RTX_BADGE(0, 0), GIVE_IDENTITY);
    r = r != 0 ? r : split_give_ep(me, &p[P_POLICY], RTX_BADGE(0, 0), GIVE_POLICY);
    if (r == 0 && !p[P_NET].gone) {
        r = split_give_ep(me, &p[P_NET], 0, GIVE_NET);
    }
    if (r == 0 && !p[P_JOBS].gone) {
        r = split_give_ep(me, &p[P_JOBS], RTX_BADGE(0, 0), GIVE_JOBS);
    }
    if (r == 0 && split_svc_ep >= 0) {
        int64_t cap = zsys4(SYS_CAP_DERIVE, (uint64_t)split_svc_ep, ZERO_SLOT_ANY,
                            CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 0);
        r = cap < 0 ? cap : split_give((uint64_t)me->ep, (uint64_t)cap, GIVE_SVC, 0);
        if (cap >= 0) {
            zsys3(SYS_CAP_DELETE, (uint64_t)cap, 0, 0);
        }
    }
    return r;
}

/* Hands process i (at set-up endpoint me->ep) what the table in docs/boot.md lists. */
static int64_t split_wire_one(const struct split_proc *p, int i, const struct split_proc *me,
                              bool driver)
{
    switch (i) {
    case P_DRIVER:
        return split_wire_driver(p, me);
    case P_AXIOM:
        return split_wire_axiom(p, me, driver);
    case P_IDENTITY:
        return split_wire_identity(p, me);
    case P_POLICY:
        return split_wire_policy(p, me);
    case P_TERMINAL:
        return split_wire_terminal(p, me);
    default:
        return 0;
    }
}

/*
 * Starts process i again (restart.h): on a fresh set-up endpoint, wired
 * as at boot (without the boot record), then given its service endpoint
 * to serve.  The key process takes nothing: it is spawned on its service
 * endpoint.  The new thread capability, or ZERR_*.
 */
static int64_t split_restart(struct split_proc *p, int i, uint64_t role, int64_t ntfn, bool driver)
{
    struct split_proc set = p[i];
    int64_t bit = zsys4(SYS_CAP_DERIVE, (uint64_t)ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL, 1ull << i);
    if (i == P_KEYS) {
        int64_t th = bit < 0 ? bit : split_spawn(p[i].mod, role, (uint64_t)p[i].ep, (uint64_t)bit);
        if (th >= 0) {
            zsys3(SYS_CAP_DELETE, (uint64_t)p[i].thread, 0, 0);
            p[i] = (struct split_proc){p[i].ep, th, false, false, p[i].mod};
        }
        return th;
    }
    set.ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t r = set.ep < 0 ? set.ep : bit < 0 ? bit : 0;
    int64_t th = r != 0 ? r : split_spawn(p[i].mod, role, (uint64_t)set.ep, (uint64_t)bit);
    r = th < 0 ? th : split_wire_one(p, i, &set, driver);
    int64_t serve = r != 0 ? r
                           : zsys4(SYS_CAP_DERIVE, (uint64_t)p[i].ep, ZERO_SLOT_ANY,
                                   CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 0);
    r = serve < 0 ? serve : split_give((uint64_t)set.ep, (uint64_t)serve, GIVE_SERVE, 0);
    r = r != 0 ? r : split_done(&set);
    if (serve >= 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)serve, 0, 0);
    }
    if (set.ep >= 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)set.ep, 0, 0);
    }
    if (r != 0 && th >= 0) {
        zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0);
    }
    if (r == 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)p[i].thread, 0, 0); /* the ended one */
        p[i].thread = th;
        p[i].gone = false;
        p[i].killed = false;
    }
    return r != 0 ? r : th;
}

/* Hands every process what docs/boot.md's table lists, servers first. */
static int64_t split_wire(struct split_proc *p, bool driver, int64_t boot_record)
{
    int64_t r = 0;

    if (driver) {
        r = split_wire_driver(p, &p[P_DRIVER]);
        r = r != 0 ? r : split_done(&p[P_DRIVER]);
    }
    r = r != 0 ? r : split_wire_axiom(p, &p[P_AXIOM], driver);
    if (r == 0 && boot_record >= 0) {
        r = split_give((uint64_t)p[P_AXIOM].ep, (uint64_t)boot_record, GIVE_BOOT_RECORD, 0);
    }
    r = r != 0 ? r : split_done(&p[P_AXIOM]);
    r = r != 0 ? r : split_wire_identity(p, &p[P_IDENTITY]);
    r = r != 0 ? r : split_done(&p[P_IDENTITY]);
    r = r != 0 ? r : split_wire_policy(p, &p[P_POLICY]);
    r = r != 0 ? r : split_done(&p[P_POLICY]);
    /* The network: its driver (the PCI ports), the service (the driver as its "disk"). */
    r = r != 0 ? r : split_wire_net(p);
    r = r != 0 ? r : split_wire_com2(p);
    r = r != 0 ? r : split_wire_jobs(p, driver);
    if (r == 0 && &zero_fault_test != NULL && zero_fault_test) {
        init_rec_probe(&split_rec); /* before the terminal can propose: the count is exact */
    }
    r = r != 0 ? r : split_wire_terminal(p, &p[P_TERMINAL]);
    return r != 0 ? r : split_done(&p[P_TERMINAL]);
}

/* ---- what each process holds, as the kernel says ---------------------------------- */

/* An I/O port range by what it reaches. */
static const char *split_port_name(uint64_t what)
{
    uint32_t base = (uint32_t)what;
    return base == 0x3f8    ? "console"
           : base == 0x2f8  ? "com2"
           : base == 0xcf8  ? "pci-cfg"
           : base == 0x1000 ? "pci-io"
                            : "?";
}

/*
 * Prints "kcaps NAME: ..." for every running service process from the
 * kernel's own record of its capability space (SYS_CAP_LIST on init's
 * thread capability), in slot order: the type, an endpoint's or a
 * notification's badge in hex (the process's own endpoint, slot 2,
 * without), an I/O port range by what it reaches (+in: with READ), an
 * IRQ's number; frames counted.  Then "kcaps: end".
 */
static void split_list_caps(const struct split_proc *p)
{
    static const char *const types[] = {"null",   "endpoint", "notification", "aspace",
                                        "thread", "frame",    "irq",          "ioport"};
    for (int i = 0; i < P_COUNT; i++) {
        if (p[i].gone || p[i].thread < 0) {
            continue;
        }
        char line[640];
        size_t at = (size_t)zfmt_snprintf(line, sizeof(line), "kcaps %s:", split_names[i]);
        unsigned frames = 0;
        struct zsys c = {SYS_CAP_LIST, (uint64_t)p[i].thread, 0, 0, 0, 0, 0};
        for (zsys_raw(&c); (int64_t)c.rax >= 0 && at < sizeof(line); zsys_raw(&c)) {
            uint64_t slot = c.rax, type = c.rdi, rights = c.rsi, badge = c.rdx, what = c.r10;
            c = (struct zsys){SYS_CAP_LIST, (uint64_t)p[i].thread, slot + 1, 0, 0, 0, 0};
            if (type == CAP_FRAME) {
                frames++;
                continue;
            }
            at +=
                (size_t)zfmt_snprintf(line + at, sizeof(line) - at, " %s",
                                      type < sizeof(types) / sizeof(types[0]) ? types[type] : "?");
            if ((type == CAP_ENDPOINT && slot != ZERO_SLOT_EP) || type == CAP_NOTIFICATION) {
                at += (size_t)zfmt_snprintf(line + at, sizeof(line) - at, "/%llx",
                                            (unsigned long long)badge);
            } else if (type == CAP_IOPORT) {
                at += (size_t)zfmt_snprintf(
                    line + at, sizeof(line) - at, "/%s%s", split_port_name(what),
                    (uint32_t)what == 0x3f8 && (rights & CAP_RIGHT_READ) != 0 ? "+in" : "");
            } else if (type == CAP_IRQ) {
                at += (size_t)zfmt_snprintf(line + at, sizeof(line) - at, "/%llu",
                                            (unsigned long long)what);
            }
        }
        if (at < sizeof(line)) {
            zfmt_snprintf(line + at, sizeof(line) - at, " frame*%u", frames);
        }
        zprintf("%s\n", line);
    }
    zprintf("kcaps: end\n");
}

/* The process of role arg, or P_COUNT. */
static int split_index(const uint64_t *role, uint64_t arg)
{
    for (int i = 0; i < P_COUNT; i++) {
        if (role[i] == arg && arg != 0) {
            return i;
        }
    }
    return P_COUNT;
}

/* Starts process i from boot module mod; 0 or ZERR_*. */
static int64_t split_start(struct split_proc *pr, int i, uint64_t mod, uint64_t role, int64_t ntfn)
{
    /* The exit notification carries one bit per process: init knows which ended. */
    int64_t bit = zsys4(SYS_CAP_DERIVE, (uint64_t)ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL, 1ull << i);
    pr->ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t r = pr->ep < 0 ? pr->ep : bit < 0 ? bit : 0;
    pr->mod = mod;
    pr->thread = r != 0 ? r : split_spawn(mod, role, (uint64_t)pr->ep, (uint64_t)bit);
    pr->gone = pr->thread < 0;
    pr->killed = false;
    return pr->thread < 0 ? pr->thread : 0;
}

/* The supervisor over every process started: the node's services are restarted
 * (split_restart), dependencies first; the network processes are not. */
static void split_sup_start(struct split_sup *sup, const struct split_proc *p, int64_t ntfn)
{
    static const char *const on_none[] = {NULL};
    static const char *const on_axiom_deps[] = {"keys", "virtio-blk"};
    static const char *const on_keys_axiom[] = {"keys", "axiom"};
    static const char *const on_axiom[] = {"axiom"};
    static const char *const on_all[] = {"axiom", "identity", "policy"};
    const char *const *const deps[P_COUNT] = {on_none,  on_none, on_axiom_deps, on_keys_axiom,
                                              on_axiom, on_all,  on_none,       on_none,
                                              on_none,  on_none};
    const uint32_t ndeps[P_COUNT] = {0, 0, 2, 2, 1, 3, 0, 0, 0, 0};
    /* the network processes, the COM2 listener and the jobs process are not restarted */
    bool can[P_COUNT] = {true, true, true, true, true, true, false, false, false, false};
    int64_t th[P_COUNT];
    uint32_t nd[P_COUNT];
    for (int i = 0; i < P_COUNT; i++) {
        th[i] = p[i].gone ? ZERR_NOENT : p[i].thread;
        nd[i] = ndeps[i];
    }
    if (p[P_DRIVER].gone) { /* no driver process: the Axiom drives the disk */
        nd[P_AXIOM] = 1;
    }
    split_sup_init(sup, ntfn, split_names, can, th, P_COUNT, deps, nd, &split_rec);
}

/* Kills process i for svc kill or svc restart: its end is then a kill. */
static void split_kill(struct split_proc *p, int i)
{
    if (p[i].gone || p[i].thread < 0) {
        return;
    }
    p[i].killed = true;
    zsys3(SYS_THREAD_KILL, (uint64_t)p[i].thread, 0, 0);
}

/* A request of the terminal's svc commands (svcd.h), on init's main thread. */
static void split_answer(struct split_sup *sup, struct split_proc *p)
{
    struct svcd_box *b = svcd_pending();
    if (b == NULL) {
        return;
    }
    if (b->op == SVCD_OP_CAPS) {
        split_list_caps(p);
        b->result = 0;
    } else if (!split_sup_answer(sup, b)) {
        int i = sv_find(&sup->sv, b->name);
        uint64_t pid = sup->sv.s[i].pid;
        if (b->kind == AX_SVC_KILL && sup->sv.s[i].state != SV_RUNNING) {
            zfmt_snprintf(b->out, sizeof(b->out), "svc: %s is not running (%s)\n", b->name,
                          sv_state_name(sup->sv.s[i].state));
        } else if (b->kind == AX_SVC_KILL ||
                   sv_restart(&sup->sv, (uint32_t)i, zero_ticks() * 10u) == 1) {
            zfmt_snprintf(b->out, sizeof(b->out), "svc: %s killed (pid %llu)\n", b->name,
                          (unsigned long long)pid);
            split_kill(p, i);
        } else {
            zfmt_snprintf(b->out, sizeof(b->out), "svc: %s starts again now\n", b->name);
        }
    }
    svcd_done();
}

/* init's own capabilities: to the Axiom (bound to the node) and its svc endpoint. */
static void split_init_caps(const struct split_proc *p, int64_t ntfn)
{
    int64_t ax = p[P_AXIOM].gone ? ZERR_NOENT : split_init_axiom_cap(p);
    init_rec_init(&split_rec, ax >= 0 ? (uint64_t)ax : ZERO_CAP_NONE);
    split_svc_ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t wake =
        zsys4(SYS_CAP_DERIVE, (uint64_t)ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL, SVCD_WAKE_BIT);
    int err = split_svc_ep < 0 ? (int)split_svc_ep
              : wake < 0       ? (int)wake
                               : svcd_start((uint64_t)split_svc_ep, (uint64_t)wake);
    if (err != 0) {
        zprintf("init: no svc commands: %s\n", zerr_name(err));
        split_svc_ep = err;
    }
}

/* A capability for init to the Axiom, bound to the node principal (record.h). */
static int64_t split_init_axiom_cap(const struct split_proc *p)
{
    const uint64_t bits =
        AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ | AXIOM_BADGE_INIT | AXIOM_BADGE_AS(AXIOM_BIND_NODE);
    return zsys4(SYS_CAP_DERIVE, (uint64_t)p[P_AXIOM].ep, ZERO_SLOT_ANY,
                 CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, RTX_BADGE(REC_CHANNEL, bits));
}

/*
 * Service i, held and revoked, runs again (svc restart): its clients get
 * capabilities to it again the only way they take them, at their start,
 * so each running service that depends on it starts again at once (the
 * terminal too: a new session); init derives its own again.
 */
static void split_regrant(struct split_sup *sup, struct split_proc *p, int i)
{
    split_revoked[i] = false;
    if (i == P_AXIOM) {
        int64_t ax = split_init_axiom_cap(p);
        init_rec_set_ep(&split_rec, ax >= 0 ? (uint64_t)ax : ZERO_CAP_NONE);
    }
    for (uint32_t j = 0; j < sup->sv.n; j++) {
        const struct sv_service *v = &sup->sv.s[j];
        bool client = false;
        for (uint32_t k = 0; k < v->ndeps; k++) {
            client = client || v->deps[k] == (uint8_t)i;
        }
        if (client && v->state == SV_RUNNING && sv_restart(&sup->sv, j, zero_ticks() * 10u) == 1) {
            zprintf("init: the %s service starts again for new capabilities to %s\n", v->name,
                    split_names[i]);
            split_kill(p, (int)j);
        }
    }
}

int node_init_split(const struct init_roles *roles)
{
    static struct boot_plan plan;
    static struct split_proc p[P_COUNT];
    const uint64_t role[P_COUNT] = {roles->keys,   roles->driver,   roles->node,   roles->identity,
                                    roles->policy, roles->terminal, roles->netdrv, roles->net,
                                    roles->com2,   roles->jobs};
    int64_t ntfn = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    bool driver = roles->driver != 0;
    const struct mf_program *prog, *last = NULL;
    int last_i = P_COUNT;

    for (int i = 0; i < P_COUNT; i++) {
        p[i] = (struct split_proc){ZERR_UNSUPPORTED, ZERR_UNSUPPORTED, true, false, 0};
    }
    /* The boot plan (boot_plan.h): the manifest checked, programs in dependency order. */
    int64_t r = boot_plan_load(&plan, roles) != 0 ? ZERR_BADSIG : ntfn < 0 ? ntfn : 0;
    for (uint32_t k = 0; r == 0 && (prog = boot_plan_next(&plan, k)) != NULL; k++) {
        if (last != NULL) { /* the one before: started, so what needs it may start */
            boot_plan_started(&plan, last, (uint64_t)p[last_i].thread);
            last = NULL;
        }
        int64_t mod = boot_plan_module(&plan, prog);
        int i = split_index(role, prog->arg);
        if (mod < 0 || (prog->arg != 0 && i == P_COUNT)) {
            continue; /* refused (boot_plan_module said why), or no role of ours */
        }
        if (prog->arg == 0) { /* init itself: measured, running already */
            boot_plan_started(&plan, prog, ZERO_CAP_NONE);
            continue;
        }
        grant_bind(&plan, prog);
        int64_t e = split_start(&p[i], i, (uint64_t)mod, prog->arg, ntfn);
        if (e != 0) {
            zprintf("init: %s (role %llu): cannot start: %s\n", prog->name,
                    (unsigned long long)prog->arg, zerr_name((int)e));
        } else {
            last = prog;
            last_i = i;
        }
    }
    /* The boot record names every image started, the last one too (boot_plan_record_cap
     * adds it); the Axiom records it as the boot entry. */
    int64_t record = last != NULL ? boot_plan_record_cap(&plan, last) : ZERR_NOENT;
    if (last != NULL) {
        boot_plan_started(&plan, last, (uint64_t)p[last_i].thread);
    }
    for (int i = 0; r == 0 && i < P_COUNT; i++) {
        if (p[i].gone && (i != P_DRIVER || driver) && i != P_NETDRV && i != P_NET && i != P_COM2 &&
            i != P_JOBS) {
            zprintf("init: the %s service did not start\n", split_names[i]);
            r = ZERR_PERM;
        }
    }
    if (r == 0) {
        split_init_caps(p, ntfn);
    }
    r = r != 0 ? r : split_wire(p, driver, record);
    if (r != 0) {
        zprintf("init: cannot start the services: %s\n", zerr_name((int)r));
    }
    int status = r != 0 ? 2 : 0;
    static struct split_sup sup;
    split_sup_start(&sup, p, ntfn);
    while (r == 0) {
        uint64_t bits = 0;
        zero_wait((uint64_t)ntfn, &bits, 1);
        bool stop = false;
        for (int i = 0; i < P_COUNT; i++) {
            if ((bits & (1ull << i)) == 0 || p[i].gone) {
                continue;
            }
            struct zsys info = {SYS_CAP_INFO, (uint64_t)p[i].thread, 0, 0, 0, 0, 0};
            zsys_raw(&info);
            int st = (int)(int64_t)info.r8;
            p[i].gone = true;
            if (i == P_TERMINAL && !p[i].killed && st >= 0) {
                status = st; /* exit, poweroff: the node stops */
                stop = true;
                break;
            }
            if (split_sup_ended(&sup, i, p[i].thread, st, p[i].killed)) {
                continue; /* started again after its back-off, on the same endpoint */
            }
            status = i == P_TERMINAL ? st : status; /* a held terminal stops the node */
            /* Its clients' capabilities go: their calls fail at once with ZERR_BADCAP. */
            zsys3(SYS_CAP_REVOKE, (uint64_t)p[i].ep, 0, 0);
            split_revoked[i] = true;
            zprintf("init: the %s service ended (%s); its capabilities are revoked\n",
                    split_names[i], st < 0 ? zerr_name(st) : "exit");
        }
        if (stop || (p[P_TERMINAL].gone && sup.sv.s[P_TERMINAL].state != SV_WAITING &&
                     sup.sv.s[P_TERMINAL].state != SV_STARTING)) {
            break;
        }
        if ((bits & SVCD_WAKE_BIT) != 0) {
            split_answer(&sup, p);
        }
        int due = (bits & (SPLIT_SUP_TIMER_BIT | SVCD_WAKE_BIT)) != 0 ? split_sup_due(&sup) : -1;
        while (due >= 0) {
            uint64_t t0 = zero_rdtsc();
            int64_t th = split_restart(p, due, role[due], ntfn, driver);
            /* the restart's own cost: under QEMU -icount shift=0 a tsc tick is one
             * instruction (docs/boot.md "Restarts") */
            zprintf("init: the %s service: spawned and handed over in %llu tsc\n", split_names[due],
                    (unsigned long long)(zero_rdtsc() - t0));
            split_sup_started(&sup, due, th);
            if (th >= 0 && split_revoked[due]) {
                split_regrant(&sup, p, due);
            }
            due = split_sup_due(&sup);
        }
        split_sup_flush(&sup);
    }
    for (int i = 0; i < P_COUNT; i++) {
        if (p[i].thread >= 0 && !p[i].gone) {
            zsys3(SYS_THREAD_KILL, (uint64_t)p[i].thread, 0, 0);
        }
    }
    boot_plan_end(&plan);
    if (r == 0 && status != 0) {
        zprintf("init: the terminal ended with status %d (%s); powering off\n", status,
                status < 0 ? zerr_name(status) : "exit status");
    }
    return status;
}
