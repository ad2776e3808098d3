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
#define DISK_BUF_VA 0x0000500000000000ull /* the node's and the driver's shared disk buffer */

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

static int node_main(void)
{
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
    keys_proc_end(&kp);
    return status;
}

static int driver_main(void)
{
    struct init_given g;
    int err = node_take_boot_caps(&g);
    return err != 0 ? 2 : vblk_serve(0, ZERO_SLOT_EP, DISK_BUF_VA);
}

int zero_main(uint64_t arg)
{
    static const struct init_roles roles = {ROLE_NODE, ROLE_KEYS, ROLE_DRIVER};
    switch (arg) {
    case ROLE_KEYS:
        return keys_proc_serve();
    case ROLE_NODE:
        return node_main();
    case ROLE_DRIVER:
        return driver_main();
    default:
        return node_init_main(&roles);
    }
}
