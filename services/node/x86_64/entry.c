/*
 * x86_64 user-program entry of the console node (the user runtime calls
 * zero_main).  As init (arg 0) it starts the key service as a second
 * process (this same boot module with arg ROLE_KEYS), then runs the node on
 * the first virtio-blk disk, or on a memory disk (lost at power-off) when
 * the machine has none.
 */
#include <stdint.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/node/node.h"
#include "services/node/x86_64/keys_proc.h"

#define MEMORY_DISK_BYTES (8u * 1024u * 1024u)
#define ROLE_NODE 0
#define ROLE_KEYS 1

int zero_main(uint64_t arg);

static void say(const char *s)
{
    hal_console_write(s, strlen(s));
}

/* The node on disk0, or on memory if there is no disk0. */
static int run_node(const struct node_keys_remote *kr)
{
    static struct blk dev;
    int err = blk_open(&dev, "disk0", 0);
    if (err == 0) {
        int status = node_console_run(&dev, "disk0 (virtio-blk)", "root", kr);
        blk_close(&dev);
        return status;
    }
    if (kr != NULL) {
        /* node_console_main keeps its keys in this process. */
        say("zero-node: key service in this process (memory disk)\n");
    }
    char line[160];
    zfmt_snprintf(line, sizeof(line),
                  "zero-node: no disk0 (%s): running on a memory disk, "
                  "nothing survives power-off\n",
                  zerr_name(err));
    say(line);
    return node_console_main(MEMORY_DISK_BYTES, "root");
}

int zero_main(uint64_t arg)
{
    static struct keys_proc kp;
    if (arg == ROLE_KEYS) {
        return keys_proc_serve();
    }
    int err = keys_proc_spawn(&kp, ROLE_KEYS);
    if (err != 0) {
        char line[120];
        zfmt_snprintf(line, sizeof(line),
                      "zero-node: key process not started (%s): keys stay in this process\n",
                      zerr_name(err));
        say(line);
    } else {
        say("zero-node: key service in its own process\n");
    }
    int status = run_node(err == 0 ? &kp.remote : NULL);
    keys_proc_end(&kp);
    return status;
}
