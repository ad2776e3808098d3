/*
 * zero-web: Zero OS as a WebAssembly reactor for a web page.  The page's
 * worker (web/worker.js) instantiates it with its own WASI and drives the
 * terminal one line at a time, so nothing ever blocks on input and the page
 * needs no SharedArrayBuffer:
 *
 *   zero_web_buffer()          where the worker writes a label or a line
 *   zero_web_start(MIB, LEN)   opens /disk.img (created with MIB MiB if it
 *                              does not exist), starts the node, prints the
 *                              banner and the first prompt; the buffer holds
 *                              the disk's label for the banner (LEN bytes)
 *   zero_web_line(LEN)         runs the line in the buffer, then prompts
 *   zero_web_end()             end of input (Ctrl-D), as at a closed stdin
 *
 * zero_web_line and zero_web_end return 0 while the node runs, or 1 + the
 * exit status once it has stopped ("exit" or end of input); the node's
 * disk is closed by then.  Commands, answers and the disk are those of
 * zero-hosted (tools/zero-hosted): the same terminal runs them.
 */
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "hal/hal.h"
#include "services/init/node.h"
#include "services/terminal/terminal.h"

#define WEB_DISK "/disk.img"

static struct node node;
static struct term term;
static struct blk dev;
static bool running;
static int last; /* the last command's result, for the status at end of input */
static char buffer[TERM_MAX_LINE + 1];

__attribute__((export_name("zero_web_buffer"))) char *zero_web_buffer(void);
__attribute__((export_name("zero_web_start"))) int zero_web_start(uint32_t mib, uint32_t len);
__attribute__((export_name("zero_web_line"))) int zero_web_line(uint32_t len);
__attribute__((export_name("zero_web_end"))) int zero_web_end(void);

char *zero_web_buffer(void)
{
    return buffer;
}

static int stop(int status)
{
    node_stop(&node);
    blk_close(&dev);
    running = false;
    fflush(stdout);
    return 1 + status;
}

int zero_web_start(uint32_t mib, uint32_t len)
{
    char label[128];
    char why[200] = "";

    if (running || mib < 1 || mib > 65536) {
        return ZERR_INVAL;
    }
    len = len < sizeof(label) - 1 ? len : (uint32_t)sizeof(label) - 1;
    memcpy(label, buffer, len);
    label[len] = '\0';
    int err = blk_open(&dev, WEB_DISK, (uint64_t)mib * 1024u * 1024u);
    if (err != 0) {
        printf("zero-web: cannot open disk %s: %s\n", label, zerr_text(err));
        fflush(stdout);
        return err;
    }
    err = node_start(&node, &dev, "root", why, sizeof(why));
    if (err != 0) {
        printf("zero-web: cannot start on %s: %s (%s)\n", label, why, zerr_name(err));
        fflush(stdout);
        blk_close(&dev);
        return err;
    }
    const struct ax_state *st = node.axiom.ax.st;
    printf("Zero OS %s (%s)\n", ZERO_VERSION, HAL_PLATFORM_NAME);
    printf("disk %s%s: %llu entries, node %s\n", label, node.formatted ? " (new, formatted)" : "",
           (unsigned long long)st->applied, st->node);
    if (node.rec.cut_bytes != 0) {
        printf("recovery: %s\n", node.rec.why);
    }
    fflush(stdout); /* the terminal writes to the console directly */
    term_init(&term, shell_cmds, shell_ncmds, &node.shell);
    running = true;
    last = 0;
    term_printf(&term, TERM_PROMPT);
    return 0;
}

int zero_web_line(uint32_t len)
{
    if (!running) {
        return ZERR_INVAL;
    }
    if (len > TERM_MAX_LINE) {
        term_printf(&term, "error: line longer than %d bytes ignored\n", TERM_MAX_LINE);
        last = ZERR_LIMIT;
    } else {
        buffer[len] = '\0';
        last = term_execute(&term, buffer, len);
    }
    if (term.done) {
        return stop(term.status);
    }
    term_printf(&term, TERM_PROMPT);
    return 0;
}

int zero_web_end(void)
{
    if (!running) {
        return ZERR_INVAL;
    }
    term_printf(&term, "\n");
    return stop(last == 0 ? 0 : 1);
}
