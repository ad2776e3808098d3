/*
 * libFuzzer target: any bytes as terminal input to a running node (on a
 * memory disk).  Commands may be refused, but nothing may crash, no entry
 * may be left unacknowledged, and the Axiom must never stop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/init/node.h"
#include "services/terminal/terminal.h"

#define FUZZ_DISK (1024u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct node node;
    static struct term term;
    static struct blk dev;
    static uint8_t *mem;
    static char line[TERM_MAX_LINE + 1];
    char why[200];

    if (mem == NULL) {
        mem = calloc(1, FUZZ_DISK);
        blk_open_mem(&dev, mem, NULL, FUZZ_DISK);
        ZASSERT(node_start(&node, &dev, "root", why, sizeof(why)) == 0, "fuzz node starts");
        term_init(&term, shell_cmds, shell_ncmds, &node.shell);
    }
    /* Each input starts as the node principal (an earlier one may have logged out). */
    memcpy(node.shell.acting, node.axiom.ax.st->node, sizeof(node.shell.acting));
    /* One input is a few lines; each runs as a command. */
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            size_t n = i - start;
            if (n <= TERM_MAX_LINE) {
                memcpy(line, data + start, n);
                line[n] = '\0';
                (void)term_execute(&term, line, n);
            }
            start = i + 1;
        }
    }
    ZASSERT(!node.axiom.ax.broken, "the Axiom keeps running");
    ZASSERT(axiom_durable(&node.axiom.ax) == node.axiom.ax.next_seq,
            "every entry is durable when a command returns");
    return 0;
}
