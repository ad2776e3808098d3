/* init on x86_64 (see init.h). */
#include "services/init/x86_64/init.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "services/init/x86_64/boot_plan.h"
#include "services/init/x86_64/restart.h"
#include "services/keys/keys.h"
#include "zero/zero.h"

/* init's capabilities the node and the driver need, in their slots of the same number. */
static const uint32_t node_slots[] = {ZERO_SLOT_CONSOLE, ZERO_SLOT_COM1_IRQ};
static const uint32_t driver_slots[] = {ZERO_SLOT_PCI_CFG, ZERO_SLOT_PCI_IO};
/* Without a driver process the node drives the disk itself. */
static const uint32_t node_slots_with_pci[] = {ZERO_SLOT_CONSOLE, ZERO_SLOT_COM1_IRQ,
                                               ZERO_SLOT_PCI_CFG, ZERO_SLOT_PCI_IO};

/* Endpoints init hands the node (a negative ZERR_* where there is none). */
struct init_eps {
    int64_t keys_pub;
    int64_t keys_sign;
    int64_t disk;
    int64_t boot; /* a read-only frame: the boot record (boot_plan.h) */
};

static int64_t spawn(uint64_t module, uint64_t role, uint64_t ep, uint64_t ntfn)
{
    struct zsys r = {SYS_SPAWN, module, role, ep, ntfn, 0, 0};
    zsys_raw(&r);
    return (int64_t)r.rax;
}

static int64_t give(uint64_t ep, uint64_t cap, uint64_t op, uint64_t arg)
{
    struct zmsg m = {.w = {op, arg, 0, 0}};
    int64_t r = zero_call(ep, cap, &m);
    return r != 0 ? r : (int64_t)m.w[0];
}

/* Starts the key process; stores badged endpoints to it.  Thread cap or ZERR_*. */
static int64_t start_keys(int64_t mod, uint64_t role, int64_t *pub, int64_t *sign)
{
    int64_t ep = mod < 0 ? mod : zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t th = ep < 0 ? ep : spawn((uint64_t)mod, role, (uint64_t)ep, ZERO_CAP_NONE);
    if (th < 0) {
        return th;
    }
    uint64_t rights = CAP_RIGHT_WRITE | CAP_RIGHT_GRANT;
    *pub = zsys4(SYS_CAP_DERIVE, (uint64_t)ep, ZERO_SLOT_ANY, rights, KEYS_BADGE_PUBLIC);
    *sign = zsys4(SYS_CAP_DERIVE, (uint64_t)ep, ZERO_SLOT_ANY, rights, KEYS_BADGE_SIGN);
    return th;
}

/* Hands over the slots and, where they exist, the key and disk endpoints; 0 or an error. */
static int64_t hand_over(uint64_t ep, const uint32_t *slots, size_t nslots,
                         const struct init_eps *e)
{
    int64_t r = 0;
    for (size_t i = 0; r == 0 && i < nslots; i++) {
        r = give(ep, slots[i], GIVE_SLOT, slots[i]);
    }
    if (r == 0 && e != NULL && e->keys_pub >= 0 && e->keys_sign >= 0) {
        r = give(ep, (uint64_t)e->keys_pub, GIVE_KEYS_PUBLIC, 0);
        r = r != 0 ? r : give(ep, (uint64_t)e->keys_sign, GIVE_KEYS_SIGN, 0);
    }
    if (r == 0 && e != NULL && e->disk >= 0) {
        r = give(ep, (uint64_t)e->disk, GIVE_DISK, 0);
    }
    if (r == 0 && e != NULL && e->boot >= 0) {
        r = give(ep, (uint64_t)e->boot, GIVE_BOOT_RECORD, 0);
    }
    return r != 0 ? r : give(ep, ZERO_CAP_NONE, GIVE_DONE, 0);
}

/*
 * Starts the block driver process and hands it the PCI ports; stores an
 * endpoint to it for the node.  Thread capability or ZERR_*.
 */
static int64_t start_driver(int64_t mod, uint64_t role, int64_t *disk)
{
    int64_t ep = mod < 0 ? mod : zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t th = ep < 0 ? ep : spawn((uint64_t)mod, role, (uint64_t)ep, ZERO_CAP_NONE);
    int64_t r = th < 0 ? th : hand_over((uint64_t)ep, driver_slots, 2, NULL);
    if (r != 0) {
        if (th >= 0) {
            zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0);
        }
        return r;
    }
    *disk =
        zsys4(SYS_CAP_DERIVE, (uint64_t)ep, ZERO_SLOT_ANY, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 0);
    return th;
}

/* Waits until thread th is dead; returns its exit status. */
static int wait_dead(uint64_t th, uint64_t ntfn)
{
    for (;;) {
        struct zsys r = {SYS_CAP_INFO, th, 0, 0, 0, 0, 0};
        zsys_raw(&r);
        if ((int64_t)r.rax != 0 || r.r10 == ZERO_THREAD_DEAD) {
            return (int64_t)r.rax != 0 ? (int)(int64_t)r.rax : (int)(int64_t)r.r8;
        }
        uint64_t bits;
        zero_wait(ntfn, &bits, 1);
    }
}

/* Starts the node and hands it its capabilities; its thread capability or ZERR_*. */
static int64_t start_node(int64_t mod, uint64_t role, const struct init_eps *e, int64_t ntfn,
                          int64_t *r)
{
    int64_t ep = mod < 0 ? mod : zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t node = ep < 0     ? ep
                   : ntfn < 0 ? ntfn
                              : spawn((uint64_t)mod, role, (uint64_t)ep, (uint64_t)ntfn);
    const uint32_t *slots = e->disk >= 0 ? node_slots : node_slots_with_pci;
    size_t nslots = e->disk >= 0 ? 2 : 4;
    *r = node < 0 ? node : hand_over((uint64_t)ep, slots, nslots, e);
    return node;
}

/* Starts the programs of the boot plan in its order; the node's thread or ZERR_*. */
static int64_t start_all(struct boot_plan *plan, const struct init_roles *roles, struct init_eps *e,
                         int64_t ntfn, int64_t *keys, int64_t *driver, int64_t *r)
{
    int64_t node = ZERR_PERM;
    const struct mf_program *prog;
    for (uint32_t k = 0; (prog = boot_plan_next(plan, k)) != NULL; k++) {
        int64_t mod = boot_plan_module(plan, prog);
        int64_t th = ZERR_NOENT;
        if (prog->arg == 0) { /* init itself: measured, running already */
            th = mod < 0 ? mod : ZERO_CAP_NONE;
        } else if (prog->arg == roles->keys) {
            th = *keys = start_keys(mod, prog->arg, &e->keys_pub, &e->keys_sign);
        } else if (prog->arg == roles->driver && roles->driver != 0) {
            th = *driver = start_driver(mod, prog->arg, &e->disk);
        } else if (prog->arg == roles->node) {
            e->boot = mod < 0 ? mod : boot_plan_record_cap(plan, prog);
            th = node = start_node(mod, prog->arg, e, ntfn, r);
        }
        if (th >= 0) {
            boot_plan_started(plan, prog, (uint64_t)th);
        } else if (mod >= 0) {
            zprintf("init: %s (role %llu): cannot start: %s\n", prog->name,
                    (unsigned long long)prog->arg, zerr_name((int)th));
        }
    }
    *r = node < 0 ? node : *r;
    return node;
}

int node_init_main(const struct init_roles *roles)
{
    if (roles->terminal != 0) {
        return node_init_split(roles);
    }
    static struct boot_plan plan;
    struct init_eps e = {ZERR_UNSUPPORTED, ZERR_UNSUPPORTED, ZERR_UNSUPPORTED, ZERR_UNSUPPORTED};
    int64_t keys = ZERR_PERM, driver = ZERR_PERM, r = ZERR_PERM;
    int64_t ntfn = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t node = boot_plan_load(&plan, roles) != 0
                       ? ZERR_BADSIG
                       : start_all(&plan, roles, &e, ntfn, &keys, &driver, &r);
    int status = r != 0 ? 2 : wait_dead((uint64_t)node, (uint64_t)ntfn);
    boot_plan_end(&plan);
    /* Gone already after a clean stop of the node. */
    for (int i = 0; i < 2; i++) {
        int64_t th = i == 0 ? keys : driver;
        if (th >= 0) {
            zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0);
        }
    }
    if (r != 0) {
        zprintf("init: cannot start the node: %s\n", zerr_name((int)r));
        if (node >= 0) {
            zsys3(SYS_THREAD_KILL, (uint64_t)node, 0, 0);
        }
    } else if (status != 0) {
        zprintf("init: the node ended with status %d (%s); powering off\n", status,
                status < 0 ? zerr_name(status) : "exit status");
    }
    return status;
}

/* Puts the received capability into slot (replacing what is there). */
static int64_t take_slot(const struct zmsg *m)
{
    uint64_t slot = m->w[1];
    if (m->cap == ZERO_CAP_NONE || slot > ZERO_SLOT_COM2_IRQ) {
        return ZERR_INVAL;
    }
    if (m->cap == slot) {
        return 0; /* the kernel put it in the free slot it belongs in */
    }
    zsys3(SYS_CAP_DELETE, slot, 0, 0); /* the write-only console given at spawn */
    int64_t r = zsys4(SYS_CAP_DERIVE, m->cap, slot, CAP_RIGHTS_ALL, 0);
    zsys3(SYS_CAP_DELETE, m->cap, 0, 0);
    return r < 0 ? r : 0;
}

int node_take_boot_caps(struct init_given *g)
{
    struct zmsg m = {0};
    g->keys_public = ZERO_CAP_NONE;
    g->keys_sign = ZERO_CAP_NONE;
    g->disk = ZERO_CAP_NONE;
    g->boot_record = ZERO_CAP_NONE;
    g->axiom = ZERO_CAP_NONE;
    g->identity = ZERO_CAP_NONE;
    g->policy = ZERO_CAP_NONE;
    g->net = ZERO_CAP_NONE;
    g->svc = ZERO_CAP_NONE;
    g->keys_unlock = ZERO_CAP_NONE;
    g->jobs = ZERO_CAP_NONE;
    g->terminal = ZERO_CAP_NONE;
    uint64_t serve = ZERO_CAP_NONE;
    int64_t r = zero_recv(ZERO_SLOT_EP, &m);
    while (r == 0) {
        int64_t res = 0;
        uint64_t op = m.w[0];
        if (op == GIVE_SLOT) {
            res = take_slot(&m);
        } else if (op == GIVE_KEYS_PUBLIC && m.cap != ZERO_CAP_NONE) {
            g->keys_public = m.cap;
        } else if (op == GIVE_KEYS_SIGN && m.cap != ZERO_CAP_NONE) {
            g->keys_sign = m.cap;
        } else if (op == GIVE_DISK && m.cap != ZERO_CAP_NONE) {
            g->disk = m.cap;
        } else if (op == GIVE_BOOT_RECORD && m.cap != ZERO_CAP_NONE) {
            g->boot_record = m.cap;
        } else if (op == GIVE_AXIOM && m.cap != ZERO_CAP_NONE) {
            g->axiom = m.cap;
        } else if (op == GIVE_IDENTITY && m.cap != ZERO_CAP_NONE) {
            g->identity = m.cap;
        } else if (op == GIVE_POLICY && m.cap != ZERO_CAP_NONE) {
            g->policy = m.cap;
        } else if (op == GIVE_NET && m.cap != ZERO_CAP_NONE) {
            g->net = m.cap;
        } else if (op == GIVE_SVC && m.cap != ZERO_CAP_NONE) {
            g->svc = m.cap;
        } else if (op == GIVE_KEYS_UNLOCK && m.cap != ZERO_CAP_NONE) {
            g->keys_unlock = m.cap;
        } else if (op == GIVE_JOBS && m.cap != ZERO_CAP_NONE) {
            g->jobs = m.cap;
        } else if (op == GIVE_TERMINAL && m.cap != ZERO_CAP_NONE) {
            g->terminal = m.cap;
        } else if (op == GIVE_SERVE && m.cap != ZERO_CAP_NONE) {
            serve = m.cap;
        } else if (op != GIVE_DONE) {
            res = ZERR_INVAL;
        }
        m = (struct zmsg){.w = {(uint64_t)res, 0, 0, 0}};
        if (op == GIVE_DONE) {
            r = zsys4(SYS_REPLY, 0, 0, 0, 0);
            return (int)(r != 0 ? r : split_take_serve(serve));
        }
        r = zero_reply_recv(ZERO_SLOT_EP, &m);
    }
    return (int)r;
}
