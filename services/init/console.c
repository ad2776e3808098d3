/*
 * A node with its terminal on the platform console: on a block device the
 * platform opened (x86_64: virtio-blk "disk0"), or on a blank disk held in
 * memory where there is none; the key service in this process or behind a
 * node_keys_remote.  Portable: HAL only.
 */
#include "services/init/node.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/init/boot_entry.h"
#include "services/terminal/terminal.h"

static void console_say(const char *s)
{
    hal_console_write(s, strlen(s));
}

int node_console_run(struct blk *dev, const char *disk_label, const char *node_name,
                     const struct node_keys_remote *kr)
{
    static struct node node;
    static struct term term;
    char line[320];
    char why[200] = "";

    int err = node_start_remote_keys(&node, dev, node_name, kr, why, sizeof(why));
    if (err != 0) {
        zfmt_snprintf(line, sizeof(line), "zero-node: cannot start on %s: %s (%s)\n", disk_label,
                      why, zerr_name(err));
        console_say(line);
        return 2;
    }
    zfmt_snprintf(line, sizeof(line), "Zero OS %s (%s)\ndisk %s%s: %llu entries, node %s\n",
                  ZERO_VERSION, HAL_PLATFORM_NAME, disk_label,
                  node.formatted ? " (new, formatted)" : "",
                  (unsigned long long)node.axiom.ax.st->applied, node.axiom.ax.st->node);
    console_say(line);
    if (node.rec.cut_bytes != 0) {
        zfmt_snprintf(line, sizeof(line), "recovery: %s\n", node.rec.why);
        console_say(line);
    }
    node_console_record_boot(&node);
    term_init(&term, shell_cmds, shell_ncmds, &node.shell);
    int status = term_run(&term);
    node_stop(&node);
    return status;
}

int node_console_main(uint64_t disk_bytes, const char *node_name)
{
    static struct blk dev;
    char label[64];
    size_t pages = (size_t)(disk_bytes / HAL_PAGE_SIZE);
    uint8_t *mem = hal_page_alloc(pages);

    if (mem == NULL) {
        console_say("zero-node: no memory for the disk\n");
        return 2;
    }
    blk_open_mem(&dev, mem, NULL, (uint64_t)pages * HAL_PAGE_SIZE);
    zfmt_snprintf(label, sizeof(label), "(memory, %u KiB)", (unsigned)(disk_bytes / 1024));
    int status = node_console_run(&dev, label, node_name, NULL);
    hal_page_free(mem, pages);
    return status;
}
