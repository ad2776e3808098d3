/*
 * The effects outbox of the jobs service (docs/jobs.md "Outputs in the
 * filesystem"): a job.result committed without its effect (what a crash
 * right after the commit leaves) has its outputs placed by the next
 * start; placing again changes nothing; a placement the filesystem
 * refuses is passed over and does not hold the cursor back.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/init/node.h"
#include "services/jobs/jobs.h"
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

static uint64_t entries(void)
{
    return node.axiom.ax.st->applied;
}

/* Stores a spec naming outdir and commits its job.result straight to the
 * Axiom, one output out_path holding content: the entry is durable, its
 * effect has not run. */
static int commit_without_effects(const char *outdir, const char *out_path, const char *content,
                                  uint8_t hash[JOB_HASH])
{
    static struct job_spec spec;
    static struct job_result r;
    static struct ax_action a;
    static uint8_t sbuf[JOB_SPEC_MAX];
    static uint8_t rbuf[JOB_RESULT_MAX];
    struct jobs_svc *js = node_jobs_svc(&node);
    struct axiom_result res;
    size_t slen = 0;
    size_t rlen = 0;

    memset(&spec, 0, sizeof(spec));
    memset(spec.program, 0x5a, JOB_HASH);
    spec.argc = 1;
    strcpy(spec.argv[0], "p");
    spec.fuel = 1000;
    spec.mem_pages = 1;
    strcpy(spec.outdir, outdir);
    memset(&r, 0, sizeof(r));
    r.noutputs = 1;
    strcpy(r.outputs[0].path, out_path);
    int err = cas_put(js->cas, content, strlen(content), hash, NULL);
    memcpy(r.outputs[0].hash, hash, JOB_HASH);
    err = err != 0 ? err : job_spec_encode(&spec, sbuf, sizeof(sbuf), &slen);
    err = err != 0 ? err : job_result_encode(&r, rbuf, sizeof(rbuf), &rlen);
    memset(&a, 0, sizeof(a));
    err = err != 0 ? err : cas_put(js->cas, sbuf, slen, a.job_spec, NULL);
    err = err != 0 ? err : js->cas_commit(js->cas_ctx);
    if (err != 0) {
        return err;
    }
    a.kind = AX_JOB_RESULT;
    strcpy(a.proposer, "root");
    memcpy(a.job_program, spec.program, JOB_HASH);
    a.job_fuel = spec.fuel;
    a.data = rbuf;
    a.data_len = rlen;
    return axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res);
}

static int stat_path(const char *path, struct fs_node *n)
{
    return axiom_fs_stat(&node.rt, node.sid_term, node.shell.h_axiom, path, n);
}

int main(void)
{
    uint8_t hash[JOB_HASH];
    uint8_t other[JOB_HASH];
    struct fs_node n;
    char why[JOBS_WHY_FIELD] = "";
    uint32_t placed = 0;

    tap_no_plan();
    mem = calloc(1, DISK);
    start("a node starts on a blank disk");
    ok(node_jobs_svc(&node) != NULL, "it runs the jobs service");
    is_int(commit_without_effects("/out", "sub/r.txt", "result\n", hash), 0,
           "a job.result commits without its effect");
    is_int(stat_path("/out/sub/r.txt", &n), ZERR_NOENT, "its output is not in the filesystem yet");
    node_stop(&node);

    start("the node starts again");
    is_int(stat_path("/out/sub/r.txt", &n), 0, "the start placed the output");
    ok(n.kind == FS_FILE && n.size == 7 && memcmp(n.hash, hash, JOB_HASH) == 0,
       "with the output's content");
    ok(strcmp(n.owner, "root") == 0, "owned by the job's proposer");
    is_int(stat_path("/out/sub", &n), 0, "the directories above it were made");
    uint64_t after = entries();
    is_int((int)after, 5, "job.result, two fs.mkdir and one fs.put are in the log");
    ok(node_jobs_svc(&node)->fx_done == after, "the cursor is at the log's end");
    node_jobs_svc(&node)->fx_done = 0;
    is_int(jobs_drive(node_jobs_svc(&node), NULL, &placed, why, sizeof(why)), 0,
           "driving the whole log again succeeds");
    is_int((int)placed, 0, "and places nothing");
    is_int((int)entries(), (int)after, "and commits nothing");
    node_stop(&node);

    start("a third start");
    is_int((int)entries(), (int)after, "finds the cursor durable: nothing is placed again");
    /* an output directory that is a file: the filesystem refuses, the
     * cursor moves on, and a later job is placed */
    is_int(commit_without_effects("/out/sub/r.txt", "x", "x\n", other), 0,
           "a job naming a file as its output directory commits");
    is_int(commit_without_effects("/later", "y", "y\n", other), 0, "and a later job");
    why[0] = '\0';
    is_int(jobs_drive(node_jobs_svc(&node), NULL, &placed, why, sizeof(why)), 0,
           "the drive passes the refused placement over");
    ok(strstr(why, "not a directory") != NULL, "and names it (%s)", why);
    is_int(stat_path("/later/y", &n), 0, "the later job's output is placed");
    ok(node_jobs_svc(&node)->fx_done == entries(), "the cursor is at the log's end");
    node_stop(&node);
    free(mem);
    return tap_done();
}
