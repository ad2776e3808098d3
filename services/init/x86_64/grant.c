/* What the boot manifest grants, enforced by init (see grant.h). */
#include "services/init/x86_64/grant.h"

#include "base/errors.h"
#include "base/string.h"
#include "services/init/x86_64/init.h"
#include "zero/zero.h"

#define GRANT_SLOTS 256 /* capability slots a program may hold: the kernel's per process */

/* One program bound by role: its manifest entry and, once spawned, the
 * set-up endpoint of its latest start (a restart replaces it). */
struct grant_prog {
    const struct mf_program *prog;
    uint64_t role;
    uint64_t ep;
    bool spawned;
};

static struct grant_prog grants[MF_PROGRAMS_MAX];
static uint32_t ngrants;

void grant_bind(const struct boot_plan *p, const struct mf_program *prog)
{
    if (!p->measured || ngrants >= MF_PROGRAMS_MAX) {
        return; /* a development boot: nothing declared, nothing enforced */
    }
    grants[ngrants++] = (struct grant_prog){prog, prog->arg, 0, false};
}

static struct grant_prog *grant_by_role(uint64_t role)
{
    for (uint32_t i = 0; i < ngrants; i++) {
        if (grants[i].role == role) { /* a restart finds the entry of the first start */
            return &grants[i];
        }
    }
    return NULL;
}

static struct grant_prog *grant_by_ep(uint64_t ep)
{
    for (uint32_t i = 0; i < ngrants; i++) {
        if (grants[i].spawned && grants[i].ep == ep) {
            return &grants[i];
        }
    }
    return NULL;
}

int64_t grant_spawn(uint64_t module, uint64_t role, uint64_t ep, uint64_t ntfn)
{
    struct grant_prog *g = grant_by_role(role);
    struct zsys r = {SYS_SPAWN, module, role, ep, ntfn, 0, 0};
    if (g != NULL) {
        r = (struct zsys){SYS_SPAWN_LIMITED,
                          module,
                          role,
                          ep,
                          ntfn,
                          g->prog->mem_pages,
                          (uint64_t)g->prog->threads | ((uint64_t)GRANT_SLOTS << 32)};
    }
    zsys_raw(&r);
    if (g != NULL && (int64_t)r.rax >= 0) {
        g->ep = ep;
        g->spawned = true;
    }
    return (int64_t)r.rax;
}

const char *grant_cap_name(uint64_t op, uint64_t arg)
{
    switch (op) {
    case GIVE_SLOT:
        return arg == ZERO_SLOT_CONSOLE    ? "console"
               : arg == ZERO_SLOT_COM1_IRQ ? "com1-irq"
               : arg == ZERO_SLOT_PCI_CFG  ? "pci-cfg"
               : arg == ZERO_SLOT_PCI_IO   ? "pci-io"
               : arg == ZERO_SLOT_COM2     ? "com2"
               : arg == ZERO_SLOT_COM2_IRQ ? "com2-irq"
                                           : NULL;
    case GIVE_KEYS_PUBLIC:
        return "keys.public";
    case GIVE_KEYS_SIGN:
        return "keys.sign";
    case GIVE_KEYS_UNLOCK:
        return "keys.unlock";
    case GIVE_DISK:
        return "disk";
    case GIVE_BOOT_RECORD:
        return "boot-record";
    case GIVE_AXIOM:
        return "axiom";
    case GIVE_IDENTITY:
        return "identity";
    case GIVE_POLICY:
        return "policy";
    case GIVE_NET:
        return "net";
    case GIVE_JOBS:
        return "jobs";
    case GIVE_TERMINAL:
        return "terminal";
    case GIVE_SERVE:
        return "endpoint"; /* a restarted program's own service endpoint */
    case GIVE_SVC:
        return "svc"; /* init's svc endpoint (svcd.h) */
    default:
        return NULL;
    }
}

static bool grant_lists(const struct mf_program *prog, const char *cap)
{
    for (uint32_t i = 0; i < prog->ncaps; i++) {
        if (strcmp(prog->caps[i], cap) == 0) {
            return true;
        }
    }
    return false;
}

int64_t grant_check(uint64_t ep, uint64_t op, uint64_t arg)
{
    struct grant_prog *g = grant_by_ep(ep);
    if (g == NULL || op == GIVE_DONE) {
        return 0; /* a development boot, or the end of the hand-over */
    }
    const char *cap = grant_cap_name(op, arg);
    /* the network service's "disk" is its driver, listed by the driver's name */
    bool ok = cap != NULL &&
              (grant_lists(g->prog, cap) || (op == GIVE_DISK && grant_lists(g->prog, "netdrv")));
    if (!ok) {
        zprintf("init: %s: the manifest does not grant it %s; not handed over\n", g->prog->name,
                cap != NULL ? cap : "an unknown capability");
        return ZERR_PERM;
    }
    return 0;
}
