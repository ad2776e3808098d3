/*
 * libFuzzer target: any bytes as a service message to a running node (on a
 * memory disk).  The first byte picks the operation of one service
 * (keys, Axiom, identity, policy, filesystem, jobs) reached through a capability its caller
 * holds, the rest is the request.  Requests may be refused or may commit
 * (a well-formed one is a real proposal), but nothing may crash, every
 * reply must fit the room given, and the Axiom must never stop.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/assert.h"
#include "base/string.h"
#include "services/init/node.h"
#include "services/jobs/jobs.h"

#define FUZZ_DISK (1024u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct node node;
    static struct blk dev;
    static uint8_t *mem;
    static uint8_t out[16384];
    char why[200];

    if (mem == NULL) {
        mem = calloc(1, FUZZ_DISK);
        blk_open_mem(&dev, mem, NULL, FUZZ_DISK);
        ZASSERT(node_start(&node, &dev, "root", why, sizeof(why)) == 0, "fuzz node starts");
    }
    if (size == 0) {
        return 0;
    }
    const struct {
        uint32_t caller, handle, op;
    } ops[] = {
        {node.sid_ident, node.ident.h_keys, KEYS_OP_PUBLIC},
        {node.sid_axiom, node.h_axiom_keys, KEYS_OP_SIGN},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_SUBMIT},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_HEAD},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_LOG},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_PRINCIPAL},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_PRINCIPALS},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_RULES},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_CHECK},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_DECIDE},
        {node.sid_term, node.shell.h_ident, IDSVC_OP_CREATE},
        {node.sid_term, node.shell.h_ident, IDSVC_OP_ROTATE},
        {node.sid_term, node.shell.h_ident, IDSVC_OP_REVOKE},
        {node.sid_term, node.shell.h_policy, POLSVC_OP_ADD},
        {node.sid_term, node.shell.h_policy, POLSVC_OP_REMOVE},
        {node.sid_term, node.shell.h_policy, POLSVC_OP_CHECK},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_FS_STAT},
        {node.sid_term, node.shell.h_axiom, AXIOM_OP_FS_LIST},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_PUT},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_READ},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_GC},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_DF},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_EFFECTS},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_PART},
        {node.sid_term, node.shell.h_fs, FSSVC_OP_PUT_STAGED},
        {node.sid_term, node.shell.h_jobs, JOBS_OP_RUN},
        {node.sid_term, node.shell.h_jobs, JOBS_OP_SHOW},
        {node.sid_term, node.shell.h_jobs, JOBS_OP_VERIFY},
        {node.sid_term, node.shell.h_jobs, JOBS_OP_READ},
        {node.sid_term, node.shell.h_jobs, JOBS_OP_IMPORT},
    };
    size_t pick = data[0] % (sizeof(ops) / sizeof(ops[0]));
    size_t room = (size_t)(data[0] >> 4) * 1024u; /* from no room at all to 15 KiB */
    struct rt_msg m = {ops[pick].op, data + 1, size - 1, out, room, 0};
    (void)rt_call(&node.rt, ops[pick].caller, ops[pick].handle, &m);
    ZASSERT(m.out_len <= room, "a reply fits the room given");
    ZASSERT(!node.axiom.ax.broken, "the Axiom keeps running");
    ZASSERT(axiom_durable(&node.axiom.ax) == node.axiom.ax.next_seq,
            "every entry is durable when a call returns");
    return 0;
}
