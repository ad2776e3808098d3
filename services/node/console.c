/*
 * A node with its terminal on the platform console, on a blank disk held in
 * memory: how Zero OS runs where no block device driver exists yet (the
 * x86_64 kernel until virtio-blk arrives).  Portable: HAL only.
 */
#include "services/node/node.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/terminal/terminal.h"

static void console_say(const char *s)
{
    hal_console_write(s, strlen(s));
}

int node_console_main(uint64_t disk_bytes, const char *node_name)
{
    static struct node node;
    static struct term term;
    static struct blk dev;
    char line[256];
    char why[200] = "";
    size_t pages = (size_t)(disk_bytes / HAL_PAGE_SIZE);
    uint8_t *mem = hal_page_alloc(pages);

    if (mem == NULL) {
        console_say("zero-node: no memory for the disk\n");
        return 2;
    }
    blk_open_mem(&dev, mem, NULL, (uint64_t)pages * HAL_PAGE_SIZE);
    int err = node_start(&node, &dev, node_name, why, sizeof(why));
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line), "zero-node: cannot start: %s (%s)\n", why,
                      zerr_name(err));
        console_say(line);
        hal_page_free(mem, pages);
        return 2;
    }
    zfmt_snprintf(line, sizeof(line),
                  "Zero OS %s (%s)\ndisk (memory, %u KiB): %llu entries, node %s\n", ZERO_VERSION,
                  HAL_PLATFORM_NAME, (unsigned)(disk_bytes / 1024),
                  (unsigned long long)node.axiom.ax.st->applied, node.axiom.ax.st->node);
    console_say(line);
    term_init(&term, shell_cmds, shell_ncmds, &node.shell);
    int status = term_run(&term);
    node_stop(&node);
    hal_page_free(mem, pages);
    return status;
}
