/*
 * x86_64 user-program entry of the console node (the user runtime calls
 * zero_main): the node on the first virtio-blk disk, or on a memory disk
 * (lost at power-off) when the machine has none.
 */
#include <stdint.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/node/node.h"

#define MEMORY_DISK_BYTES (8u * 1024u * 1024u)

int zero_main(uint64_t arg);

int zero_main(uint64_t arg)
{
    static struct blk dev;
    (void)arg;
    int err = blk_open(&dev, "disk0", 0);
    if (err == 0) {
        int status = node_console_run(&dev, "disk0 (virtio-blk)", "root");
        blk_close(&dev);
        return status;
    }
    char line[160];
    zfmt_snprintf(line, sizeof(line),
                  "zero-node: no disk0 (%s): running on a memory disk, "
                  "nothing survives power-off\n",
                  zerr_name(err));
    hal_console_write(line, strlen(line));
    return node_console_main(MEMORY_DISK_BYTES, "root");
}
