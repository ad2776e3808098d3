/*
 * x86_64 user-program entry of Zero OS (the user runtime calls zero_main
 * with the spawn argument).  One boot module plays every role: init (arg 0,
 * see init.h), the key service, the Axiom, the virtio-blk driver, Identity,
 * Policy, the terminal and the jobs service, each in a process of its own
 * (split.h).  Built with ZERO_ROLE defined (services/init/module.mk), it is
 * one role's image: the other roles' code is not linked in, and a spawn
 * argument naming another role is refused.
 */
#include <stdint.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "drivers/virtio-blk/server.h"
#include "drivers/virtio-blk/hal_blk.h"
#include "services/init/node.h"
#include "services/init/x86_64/init.h"
#include "services/init/x86_64/keys_proc.h"
#include "services/init/x86_64/split.h"
#include "drivers/virtio-net/server.h"
#include "services/net/x86_64/netproc.h"
#include "services/listen/x86_64/com2.h"
#include "zero/zero.h"

#define ROLE_INIT 0
#define ROLE_KEYS 1
#define ROLE_AXIOM 2
#define ROLE_DRIVER 3
#define ROLE_IDENTITY 4
#define ROLE_POLICY 5
#define ROLE_TERMINAL 6
#define ROLE_NETDRV 7                       /* the virtio-net driver */
#define ROLE_NET 8                          /* the network service */
#define ROLE_COM2 9                         /* signed proposals on COM2 */
#define ROLE_JOBS 10                        /* the jobs service */
#define DISK_BUF_VA 0x0000500000000000ull   /* the node's and the driver's shared disk buffer */
#define NETDRV_BUF_VA 0x0000510000000000ull /* the network service's and its driver's */
#define NET_BUF_VA 0x0000520000000000ull    /* the terminal's and the network service's */
#define NET_FS_VA 0x0000530000000000ull     /* the network service's channel to the Axiom */
#define COM2_AXIOM_VA 0x0000540000000000ull /* the COM2 server's channel to the Axiom */
#define COM2_TERM_VA 0x0000550000000000ull  /* and to the terminal (log-in answers) */

int zero_main(uint64_t arg);

static int driver_main(void)
{
    struct init_given g;
    int err = node_take_boot_caps(&g);
    if (err != 0) {
        return 2;
    }
    split_report_caps("virtio-blk");
    return vblk_serve(0, ZERO_SLOT_EP, DISK_BUF_VA);
}

static int netdrv_main(void)
{
    struct init_given g;
    int err = node_take_boot_caps(&g);
    return err != 0 ? 2 : vnet_serve(0, ZERO_SLOT_EP, NETDRV_BUF_VA, ZERO_CAP_NONE);
}

static int net_main(void)
{
    struct init_given g;
    int err = node_take_boot_caps(&g);
    if (err != 0 || g.disk == ZERO_CAP_NONE) {
        return 2;
    }
    return netproc_main(g.disk, NETDRV_BUF_VA, ZERO_SLOT_EP, NET_BUF_VA, g.axiom, NET_FS_VA);
}

static void com2_ready(void)
{
    split_report_caps("com2");
}

static int com2_main(void)
{
    struct init_given g;
    int err = node_take_boot_caps(&g);
    lsn_com2_terminal(err != 0 ? ZERO_CAP_NONE : g.terminal, COM2_TERM_VA);
    return err != 0 ? 2
                    : lsn_com2_main(ZERO_SLOT_COM2, ZERO_SLOT_COM2_IRQ, g.axiom, COM2_AXIOM_VA,
                                    com2_ready);
}

int zero_main(uint64_t arg)
{
    static const struct init_roles roles = {ROLE_AXIOM,  ROLE_KEYS,     ROLE_DRIVER, ROLE_IDENTITY,
                                            ROLE_POLICY, ROLE_TERMINAL, ROLE_NETDRV, ROLE_NET,
                                            ROLE_COM2,   ROLE_JOBS};
#ifdef ZERO_ROLE
    if (arg != ZERO_ROLE) {
        zprintf("zero: this image plays role %d only, not %llu\n", ZERO_ROLE,
                (unsigned long long)arg);
        return 2;
    }
    arg = ZERO_ROLE; /* a constant: the switch keeps one case, the link drops the others */
#endif
    switch (arg) {
    case ROLE_KEYS:
        split_report_caps("keys");
        return keys_proc_serve();
    case ROLE_AXIOM:
        return split_axiom_main();
    case ROLE_DRIVER:
        return driver_main();
    case ROLE_IDENTITY:
        return split_identity_main();
    case ROLE_POLICY:
        return split_policy_main();
    case ROLE_TERMINAL:
        return split_terminal_main();
    case ROLE_NETDRV:
        return netdrv_main();
    case ROLE_NET:
        return net_main();
    case ROLE_COM2:
        return com2_main();
    case ROLE_JOBS:
        return split_jobs_main();
    default:
        return node_init_main(&roles);
    }
}
