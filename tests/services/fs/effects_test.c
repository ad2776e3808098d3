/*
 * The effects outbox of the filesystem: an entry's effect (reclaiming the
 * content it freed) runs after the entry commits; when the node stops
 * before it ran (a crash between the two), the next start re-drives it;
 * running it again reclaims nothing more.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/init/node.h"
#include "tap.h"

#define DISK (8u * 1024u * 1024u)

static struct node node;
static struct blk dev;
static uint8_t *mem;

static void start(const char *what)
{
    char why[200] = "";

    blk_open_mem(&dev, mem, NULL, DISK);
    ok(node_start(&node, &dev, "root", why, sizeof(why)) == 0, "%s (%s)", what, why);
}

static int put(const char *path, const void *data, size_t len)
{
    static struct fssvc_put rq;
    struct axiom_result res;

    memset(&rq, 0, sizeof(rq));
    memset(&res, 0, sizeof(res));
    strcpy(rq.proposer, "root");
    strcpy(rq.path, path);
    rq.data = data;
    rq.len = len;
    return fssvc_put_call(&node.rt, node.sid_term, node.shell.h_fs, &rq, &res);
}

/* Commits fs.rm straight to the Axiom: the entry is durable, its effect
 * has not run (what a crash right after the commit leaves). */
static int rm_without_effects(const char *path)
{
    static struct ax_action a;
    struct axiom_result res;

    memset(&a, 0, sizeof(a));
    a.kind = AX_FS_RM;
    strcpy(a.proposer, "root");
    strcpy(a.fs.path, path);
    return axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res);
}

int main(void)
{
    static uint8_t big[300000];
    uint64_t swept = 0;

    tap_no_plan();
    mem = calloc(1, DISK);
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = (uint8_t)(i * 2654435761u >> 13);
    }
    start("a node starts on a blank disk");
    is_int(put("/keep", "kept", 4), 0, "put /keep commits");
    is_int(put("/big", big, sizeof(big)), 0, "put /big commits");
    uint32_t with_big = node.fs.st.cas.count;
    ok(with_big >= 3, "the store holds /big's chunks and list (%u objects)", with_big);
    ok(node.fs.fx_done == node.axiom.ax.st->applied, "effects are done up to the log's end");
    is_int(rm_without_effects("/big"), 0, "rm /big commits without its effect");
    is_int((int)node.fs.st.cas.count, (int)with_big, "its content is still stored");
    node_stop(&node);

    start("the node starts again");
    ok(node.fs.st.cas.count == 1,
       "the start re-drove the effect: only /keep's content is left (%u)", node.fs.st.cas.count);
    ok(node.fs.fx_done == node.axiom.ax.st->applied, "and moved the cursor to the log's end");
    is_int(fssvc_drive(&node.fs, true, &swept), 0, "driving it again succeeds");
    is_int((int)swept, 0, "and reclaims nothing more");
    node_stop(&node);

    start("a third start");
    is_int((int)node.fs.st.cas.count, 1, "finds the same store");
    node_stop(&node);
    free(mem);
    return tap_done();
}
