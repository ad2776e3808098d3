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
#include "services/init/x86_64/boot_plan.h"
#include "services/init/x86_64/grant.h"
#include "services/init/x86_64/restart.h"
#include "services/init/x86_64/split.h"
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
    P_JOBS,
    P_COUNT
};

static const char *const split_names[P_COUNT] = {
    "keys", "virtio-blk", "axiom", "identity", "policy", "terminal", "virtio-net", "net", "jobs"};

struct split_proc {
    int64_t ep;     /* init's original endpoint to the process */
    int64_t thread; /* its thread capability */
    bool gone;
    uint64_t mod; /* its boot module (restart.h) */
};

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
    r = r != 0 ? r : split_give_slot(&p[P_NET], ZERO_SLOT_CONSOLE);
    r = r != 0 ? r : split_give_ep(&p[P_NET], &p[P_NETDRV], 0, GIVE_DISK);
    /* httpd DIR reads the filesystem: the Axiom's endpoint, read badge only (channel 4) */
    r = r != 0 ? r
               : split_give_ep(&p[P_NET], &p[P_AXIOM], RTX_BADGE(4, AXIOM_BADGE_READ), GIVE_AXIOM);
    return r != 0 ? r : split_done(&p[P_NET]);
}

/* The jobs service (docs/jobs.md), when it started: the disk driver (channel 1), for the
 * jobs' store on the disk's CAS region and the log it re-reads; the Axiom (channel 5,
 * propose and read), also its way to the filesystem. */
static int64_t split_wire_jobs(struct split_proc *p, bool driver)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    if (p[P_JOBS].gone) {
        return 0;
    }
    int64_t r = driver ? split_give_ep(&p[P_JOBS], &p[P_DRIVER], RTX_BADGE(1, 0), GIVE_DISK) : 0;
    r = r != 0 ? r : split_give_ep(&p[P_JOBS], &p[P_AXIOM], RTX_BADGE(5, rw), GIVE_AXIOM);
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

/*
 * Starts process i again (restart.h): on a fresh set-up endpoint, wired
 * as at boot, then given its service endpoint to serve.  Only Identity
 * for now.  The new thread capability, or ZERR_*.
 */
static int64_t split_restart(struct split_proc *p, int i, uint64_t role, int64_t ntfn)
{
    if (i != P_IDENTITY) {
        return ZERR_UNSUPPORTED;
    }
    struct split_proc set = p[i];
    int64_t bit = zsys4(SYS_CAP_DERIVE, (uint64_t)ntfn, ZERO_SLOT_ANY, CAP_RIGHTS_ALL, 1ull << i);
    set.ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t r = set.ep < 0 ? set.ep : bit < 0 ? bit : 0;
    int64_t th = r != 0 ? r : split_spawn(p[i].mod, role, (uint64_t)set.ep, (uint64_t)bit);
    r = th < 0 ? th : split_wire_identity(p, &set);
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
    }
    return r != 0 ? r : th;
}

/* Hands every process what docs/boot.md's table lists, servers first. */
static int64_t split_wire(struct split_proc *p, bool driver, int64_t boot_record)
{
    const uint64_t rw = AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ;
    int64_t r = 0;

    if (driver) {
        r = split_give_slot(&p[P_DRIVER], ZERO_SLOT_PCI_CFG);
        r = r != 0 ? r : split_give_slot(&p[P_DRIVER], ZERO_SLOT_PCI_IO);
        r = r != 0 ? r : split_done(&p[P_DRIVER]);
    }
    /* The Axiom: the key service (sign, channel 0) and the disk. */
    if (r == 0 && !driver) {
        r = split_give_slot(&p[P_AXIOM], ZERO_SLOT_PCI_CFG);
        r = r != 0 ? r : split_give_slot(&p[P_AXIOM], ZERO_SLOT_PCI_IO);
    }
    r = r != 0
            ? r
            : split_give_ep(&p[P_AXIOM], &p[P_KEYS], RTX_BADGE(0, KEYS_BADGE_SIGN), GIVE_KEYS_SIGN);
    if (r == 0 && driver) {
        r = split_give_ep(&p[P_AXIOM], &p[P_DRIVER], 0, GIVE_DISK);
    }
    if (r == 0 && boot_record >= 0) {
        r = split_give((uint64_t)p[P_AXIOM].ep, (uint64_t)boot_record, GIVE_BOOT_RECORD, 0);
    }
    r = r != 0 ? r : split_done(&p[P_AXIOM]);
    r = r != 0 ? r : split_wire_identity(p, &p[P_IDENTITY]);
    r = r != 0 ? r : split_done(&p[P_IDENTITY]);
    /* Policy: the Axiom (channel 2). */
    r = r != 0 ? r : split_give_ep(&p[P_POLICY], &p[P_AXIOM], RTX_BADGE(2, rw), GIVE_AXIOM);
    r = r != 0 ? r : split_done(&p[P_POLICY]);
    /* The network: its driver (the PCI ports), the service (the driver as its "disk"). */
    r = r != 0 ? r : split_wire_net(p);
    r = r != 0 ? r : split_wire_jobs(p, driver);
    /* The terminal: the console with input, COM1's interrupt, and the three services. */
    r = r != 0 ? r : split_give_slot(&p[P_TERMINAL], ZERO_SLOT_CONSOLE);
    r = r != 0 ? r : split_give_slot(&p[P_TERMINAL], ZERO_SLOT_COM1_IRQ);
    r = r != 0 ? r : split_give_ep(&p[P_TERMINAL], &p[P_AXIOM], RTX_BADGE(3, rw), GIVE_AXIOM);
    r = r != 0 ? r : split_give_ep(&p[P_TERMINAL], &p[P_IDENTITY], RTX_BADGE(0, 0), GIVE_IDENTITY);
    r = r != 0 ? r : split_give_ep(&p[P_TERMINAL], &p[P_POLICY], RTX_BADGE(0, 0), GIVE_POLICY);
    if (r == 0 && !p[P_NET].gone) {
        r = split_give_ep(&p[P_TERMINAL], &p[P_NET], 0, GIVE_NET);
    }
    if (r == 0 && !p[P_JOBS].gone) {
        r = split_give_ep(&p[P_TERMINAL], &p[P_JOBS], RTX_BADGE(0, 0), GIVE_JOBS);
    }
    return r != 0 ? r : split_done(&p[P_TERMINAL]);
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
    return pr->thread < 0 ? pr->thread : 0;
}

/* The supervisor over every process started: Identity may restart (split_restart). */
static void split_sup_start(struct split_sup *sup, const struct split_proc *p, int64_t ntfn)
{
    bool can[P_COUNT] = {false};
    int64_t th[P_COUNT];
    for (int i = 0; i < P_COUNT; i++) {
        th[i] = p[i].gone ? ZERR_NOENT : p[i].thread;
    }
    can[P_IDENTITY] = true;
    split_sup_init(sup, ntfn, split_names, can, th, P_COUNT);
}

int node_init_split(const struct init_roles *roles)
{
    static struct boot_plan plan;
    static struct split_proc p[P_COUNT];
    const uint64_t role[P_COUNT] = {roles->keys,     roles->driver, roles->node,
                                    roles->identity, roles->policy, roles->terminal,
                                    roles->netdrv,   roles->net,    roles->jobs};
    int64_t ntfn = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    bool driver = roles->driver != 0;
    const struct mf_program *prog, *last = NULL;
    int last_i = P_COUNT;

    for (int i = 0; i < P_COUNT; i++) {
        p[i] = (struct split_proc){ZERR_UNSUPPORTED, ZERR_UNSUPPORTED, true, 0};
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
        if (p[i].gone && (i != P_DRIVER || driver) && i != P_NETDRV && i != P_NET && i != P_JOBS) {
            zprintf("init: the %s service did not start\n", split_names[i]);
            r = ZERR_PERM;
        }
    }
    r = r != 0 ? r : split_wire(p, driver, record);
    if (r != 0) {
        zprintf("init: cannot start the services: %s\n", zerr_name((int)r));
    }
    int status = r != 0 ? 2 : 0;
    static struct split_sup sup;
    split_sup_start(&sup, p, ntfn);
    while (r == 0 && !p[P_TERMINAL].gone) {
        uint64_t bits = 0;
        zero_wait((uint64_t)ntfn, &bits, 1);
        for (int i = 0; i < P_COUNT; i++) {
            if ((bits & (1ull << i)) == 0 || p[i].gone) {
                continue;
            }
            struct zsys info = {SYS_CAP_INFO, (uint64_t)p[i].thread, 0, 0, 0, 0, 0};
            zsys_raw(&info);
            int st = (int)(int64_t)info.r8;
            p[i].gone = true;
            if (i == P_TERMINAL) {
                status = st;
                break;
            }
            if (split_sup_ended(&sup, i, st)) {
                continue; /* started again after its back-off, on the same endpoint */
            }
            /* Its clients' capabilities go: their calls fail at once with ZERR_BADCAP. */
            zsys3(SYS_CAP_REVOKE, (uint64_t)p[i].ep, 0, 0);
            zprintf("init: the %s service ended (%s); its capabilities are revoked\n",
                    split_names[i], st < 0 ? zerr_name(st) : "exit");
        }
        int due = (bits & SPLIT_SUP_TIMER_BIT) != 0 ? split_sup_due(&sup) : -1;
        while (due >= 0) {
            split_sup_started(&sup, due, split_restart(p, due, role[due], ntfn));
            due = split_sup_due(&sup);
        }
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
