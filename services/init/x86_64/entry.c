/*
 * x86_64 user-program entry of Zero OS (the user runtime calls zero_main
 * with the spawn argument).  One boot module plays four roles: init (arg 0,
 * see init.h), the node (its services and the terminal on the console), the
 * key service and the virtio-blk driver, each in a process of its own.
 */
#include <stdint.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "drivers/virtio-blk/server.h"
#include "drivers/virtio-blk/hal_blk.h"
#include "services/init/boot_entry.h"
#include "drivers/virtio-net/server.h"
#include "services/net/netsvc.h"
#include "services/net/x86_64/netproc.h"
#include "services/terminal/net.h"
#include "svcrt/x86_64/rtx.h"
#include "services/init/node.h"
#include "services/init/x86_64/boot_plan.h"
#include "services/init/x86_64/init.h"
#include "services/init/x86_64/keys_proc.h"
#include "zero/zero.h"

#define MEMORY_DISK_BYTES (8u * 1024u * 1024u)
#define ROLE_INIT 0
#define ROLE_KEYS 1
#define ROLE_NODE 2
#define ROLE_DRIVER 3
#define ROLE_NETDRV 4                       /* the virtio-net driver */
#define ROLE_NET 5                          /* the network service */
#define DISK_BUF_VA 0x0000500000000000ull   /* the node's and the driver's shared disk buffer */
#define NETDRV_BUF_VA 0x0000510000000000ull /* the network service's and its driver's */
#define NET_BUF_VA 0x0000520000000000ull    /* the node's and the network service's */

int zero_main(uint64_t arg);

static void say(const char *s)
{
    hal_console_write(s, strlen(s));
}

/* The node on disk0, or on memory (keys in this process) if there is no disk0. */
static int run_node(const struct node_keys_remote *kr)
{
    static struct blk dev;
    int err = blk_open(&dev, "disk0", 0);
    if (err == 0) {
        int status = node_console_run(&dev, "disk0 (virtio-blk)", "root", kr);
        blk_close(&dev);
        return status;
    }
    char line[160];
    zfmt_snprintf(line, sizeof(line),
                  "zero-node: no disk0 (%s): running on a memory disk, "
                  "nothing survives power-off\n",
                  zerr_name(err));
    say(line);
    return node_console_main(MEMORY_DISK_BYTES, "root");
}

/* The terminal's network commands reach the network service process. */
struct net_remote {
    uint64_t ep;
    struct rtx_chan chan;
    bool open;
};

static int net_remote_call(void *ctx, uint32_t op, uint64_t a0, uint64_t a1, const void *in,
                           size_t in_len, void *out, size_t cap, size_t *out_len)
{
    struct net_remote *nr = ctx;
    size_t got = 0;
    int err = nr->open ? 0 : rtx_open(&nr->chan, nr->ep, NET_BUF_VA);
    nr->open = err == 0;
    if (err != 0 || in_len > RTX_BUF_LEN) {
        return err != 0 ? err : ZERR_RANGE;
    }
    memcpy(nr->chan.buf, in, in_len);
    err = rtx_call(&nr->chan, nr->ep, op, a0, a1, in_len, &got);
    got = got < cap ? got : cap;
    if (out != NULL) {
        memcpy(out, nr->chan.buf, got);
    }
    if (out_len != NULL) {
        *out_len = got;
    }
    return err;
}

static int node_main(void)
{
    static struct net_remote nr;
    static struct shell_net_backend net_backend = {&nr, net_remote_call};
    static struct keys_proc kp;
    struct init_given g;
    int err = node_take_boot_caps(&g);
    if (err != 0) {
        return 2;
    }
    static struct ax_boot boot;
    if (g.boot_record != ZERO_CAP_NONE && boot_record_take(g.boot_record, &boot) == 0) {
        node_console_set_boot(&boot);
    }
    if (g.disk != ZERO_CAP_NONE) {
        hal_blk_use_driver(g.disk, DISK_BUF_VA);
        say("zero-node: virtio-blk driver in its own process\n");
    }
    if (g.net != ZERO_CAP_NONE) {
        nr.ep = g.net;
        shell_net_attach(&net_backend);
    }
    err = g.keys_public == ZERO_CAP_NONE ? ZERR_NOENT
                                         : keys_proc_attach(&kp, g.keys_public, g.keys_sign);
    if (err != 0) {
        char line[120];
        zfmt_snprintf(line, sizeof(line),
                      "zero-node: no key process (%s): keys stay in this process\n",
                      zerr_name(err));
        say(line);
    } else {
        say("zero-node: key service in its own process\n");
    }
    int status = run_node(err == 0 ? &kp.remote : NULL);
    if (g.net != ZERO_CAP_NONE) {
        (void)net_remote_call(&nr, NETSVC_OP_STOP, 0, 0, NULL, 0, NULL, 0, NULL);
    }
    keys_proc_end(&kp);
    return status;
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
    return netproc_main(g.disk, NETDRV_BUF_VA, ZERO_SLOT_EP, NET_BUF_VA);
}

static int driver_main(void)
{
    struct init_given g;
    int err = node_take_boot_caps(&g);
    return err != 0 ? 2 : vblk_serve(0, ZERO_SLOT_EP, DISK_BUF_VA);
}

int zero_main(uint64_t arg)
{
    static const struct init_roles roles = {ROLE_NODE, ROLE_KEYS, ROLE_DRIVER, ROLE_NETDRV,
                                            ROLE_NET};
    switch (arg) {
    case ROLE_KEYS:
        return keys_proc_serve();
    case ROLE_NODE:
        return node_main();
    case ROLE_DRIVER:
        return driver_main();
    case ROLE_NETDRV:
        return netdrv_main();
    case ROLE_NET:
        return net_main();
    default:
        return node_init_main(&roles);
    }
}
