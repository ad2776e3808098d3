/*
 * The terminal's job commands (docs/jobs.md), through the terminal's
 * capability to the jobs service:
 *   job run PROGRAM [--in PATH=HASH | PATH=FILE | FILE]... [--out DIR] [--fuel N]
 *           [--mem PAGES] [--seed N] [--time NS] [-- ARGS...]
 *   job show SEQ      job verify SEQ
 * PROGRAM and the inputs are content hashes of the jobs' store (zero cas
 * put) or absolute filesystem paths, imported into the store first.
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/fs/service.h"
#include "services/jobs/jobs.h"
#include "services/terminal/shell.h"
#include "services/terminal/job.h"

#define JOB_USAGE                                                                         \
    "job run PROGRAM [--in [PATH=]HASH-OR-FILE]... [--out DIR] [--fuel N] [--mem PAGES] " \
    "[--seed N] [--time NS] [-- ARGS...] | job show SEQ | job verify SEQ"

static bool job_number(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (s[0] == '\0' || strlen(s) > 20) {
        return false;
    }
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) {
            return false;
        }
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return true;
}

static bool job_hash(const char *s, uint8_t out[JOB_HASH])
{
    return strlen(s) == 2 * JOB_HASH && zfmt_unhex(out, JOB_HASH, s, 2 * JOB_HASH) == 0;
}

/* Files named by filesystem path, imported into the jobs' store before the
 * run (JOBS_OP_IMPORT): the program (prog_path) and inputs. */
struct job_imports {
    char prog_path[AXIOM_PATH_FIELD];
    uint32_t n;
    struct {
        char path[JOB_STR_MAX + 1]; /* in the sandbox */
        char fs[AXIOM_PATH_FIELD];  /* in the filesystem */
    } in[JOB_MAX_FILES];
};

static struct job_imports job_pending;

/* Inserts input path -> hash in path order; false on a duplicate or too many. */
static bool job_insert_input(struct job_spec *s, const char *path, const uint8_t hash[JOB_HASH])
{
    struct job_file f;

    if (s->ninputs == JOB_MAX_FILES) {
        return false;
    }
    memcpy(f.path, path, strlen(path) + 1);
    memcpy(f.hash, hash, JOB_HASH);
    uint32_t k = s->ninputs++;
    while (k > 0 && strcmp(s->inputs[k - 1].path, f.path) > 0) {
        s->inputs[k] = s->inputs[k - 1];
        k--;
    }
    s->inputs[k] = f;
    return k == 0 || strcmp(s->inputs[k - 1].path, f.path) != 0;
}

/* --in PATH=HASH, --in PATH=/FS/PATH, or --in /FS/PATH (in the sandbox as
 * its last component).  A filesystem path is imported before the run. */
static bool job_add_input(struct job_spec *s, const char *v)
{
    const char *eq = strchr(v, '=');
    const char *fs = eq != NULL ? eq + 1 : v;
    const char *name = v;
    size_t n = eq != NULL ? (size_t)(eq - v) : strlen(v);
    uint8_t hash[JOB_HASH];

    if (eq == NULL) {
        if (v[0] != '/') {
            return false;
        }
        for (const char *c = v; *c != '\0'; c++) {
            name = *c == '/' ? c + 1 : name; /* the last component */
        }
        n = strlen(name);
    }
    if (n == 0 || n > JOB_STR_MAX || !job_path_valid(name, n)) {
        return false;
    }
    char path[JOB_STR_MAX + 1];
    memcpy(path, name, n);
    path[n] = '\0';
    if (fs[0] != '/') {
        return eq != NULL && job_hash(fs, hash) && job_insert_input(s, path, hash);
    }
    if (strlen(fs) >= AXIOM_PATH_FIELD || job_pending.n == JOB_MAX_FILES) {
        return false;
    }
    memcpy(job_pending.in[job_pending.n].path, path, n + 1);
    memcpy(job_pending.in[job_pending.n].fs, fs, strlen(fs) + 1);
    job_pending.n++;
    return true;
}

/* Imports what the spec names by filesystem path and fills in its hashes;
 * prints why and returns the error if one cannot be. */
static int job_import_all(struct term *t, struct shell *sh, struct job_spec *s)
{
    uint8_t hash[JOB_HASH];
    uint64_t size = 0;
    int err = 0;

    for (uint32_t i = 0; err == 0 && i <= job_pending.n; i++) {
        bool prog = i == job_pending.n;
        const char *fs = prog ? job_pending.prog_path : job_pending.in[i].fs;
        if (fs[0] == '\0') {
            continue;
        }
        err = jobs_import_call(sh->rt, sh->self, sh->h_jobs, fs, hash, &size);
        if (err != 0) {
            term_printf(t, "error: %s: %s\n", fs,
                        err == ZERR_NOENT  ? "no such file"
                        : err == ZERR_PERM ? "is a directory"
                                           : zerr_text(err));
        } else if (prog) {
            memcpy(s->program, hash, JOB_HASH);
        } else if (!job_insert_input(s, job_pending.in[i].path, hash)) {
            term_printf(t, "error: input %s named twice\n", job_pending.in[i].path);
            err = ZERR_INVAL;
        }
    }
    return err;
}

/* One option and its value; false if either is bad. */
static bool job_option(struct job_spec *s, const char *opt, const char *v)
{
    uint64_t n = 0;

    if (strcmp(opt, "--in") == 0) {
        return job_add_input(s, v);
    }
    if (strcmp(opt, "--out") == 0) {
        return v[0] == '/' && strlen(v) <= JOB_OUTDIR_MAX &&
               (memcpy(s->outdir, v, strlen(v) + 1), true);
    }
    if (!job_number(v, &n)) {
        return false;
    }
    if (strcmp(opt, "--fuel") == 0 && n > 0) {
        s->fuel = n;
    } else if (strcmp(opt, "--mem") == 0 && n > 0 && n <= JOB_MAX_PAGES) {
        s->mem_pages = (uint32_t)n;
    } else if (strcmp(opt, "--seed") == 0) {
        s->seed = n;
    } else if (strcmp(opt, "--time") == 0) {
        s->time_ns = n;
    } else {
        return false;
    }
    return true;
}

/* Builds the spec from the words after "job run". */
static bool job_parse(int argc, char **argv, struct job_spec *s)
{
    int i = 3;

    memset(s, 0, sizeof(*s));
    memset(&job_pending, 0, sizeof(job_pending));
    if (argc < 3 || strlen(argv[2]) > JOB_STR_MAX) {
        return false;
    }
    if (argv[2][0] == '/') {
        memcpy(job_pending.prog_path, argv[2], strlen(argv[2]) + 1);
    } else if (!job_hash(argv[2], s->program)) {
        return false;
    }
    s->fuel = 1000000000;
    s->mem_pages = 256;
    memcpy(s->argv[0], argv[2], strlen(argv[2]) + 1);
    s->argc = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i += 2) {
        if (i + 1 >= argc || !job_option(s, argv[i], argv[i + 1])) {
            return false;
        }
    }
    for (i++; i < argc; i++) {
        if (s->argc == JOB_MAX_ARGS || strlen(argv[i]) > JOB_STR_MAX) {
            return false;
        }
        memcpy(s->argv[s->argc++], argv[i], strlen(argv[i]) + 1);
    }
    return true;
}

static void job_print_result(struct term *t, const struct job_result *r)
{
    char hex[2 * JOB_HASH + 1];

    if (r->end == JOB_END_REFUSED) {
        term_printf(t, "refused: %s\n", job_refusal_text(r->code));
    } else {
        term_printf(t, "%s %u, fuel used %llu\n", job_end_name(r->end), (unsigned)r->code,
                    (unsigned long long)r->fuel_used);
    }
    zfmt_hex(hex, r->stdout_hash, JOB_HASH);
    term_printf(t, "stdout %s\n", hex);
    zfmt_hex(hex, r->stderr_hash, JOB_HASH);
    term_printf(t, "stderr %s\n", hex);
    for (uint32_t i = 0; i < r->noutputs; i++) {
        zfmt_hex(hex, r->outputs[i].hash, JOB_HASH);
        term_printf(t, "output %s %s\n", hex, r->outputs[i].path);
    }
}

/* Prints stored content (stdout) through the jobs service, at most 4 KiB. */
static void job_print_content(struct term *t, struct shell *sh, const uint8_t hash[JOB_HASH])
{
    static char buf[4097];
    uint8_t in[JOB_HASH + 8];
    memcpy(in, hash, JOB_HASH);
    le64_put(in + JOB_HASH, 0);
    struct rt_msg m = {JOBS_OP_READ, in, sizeof(in), buf, sizeof(buf) - 1, 0};

    if (rt_call(sh->rt, sh->self, sh->h_jobs, &m) == 0 && m.out_len > 0) {
        buf[m.out_len] = '\0';
        term_printf(t, "%s%s", buf, buf[m.out_len - 1] == '\n' ? "" : "\n");
    }
}

/* Where the outputs went in the filesystem, or why they did not. */
static void job_print_placed(struct term *t, const struct job_spec *spec,
                             const struct jobs_reply *rep)
{
    bool root = strcmp(spec->outdir, "/") == 0;

    if (rep->why[0] != '\0') {
        term_printf(t, "%s\n", rep->why);
        return;
    }
    for (uint32_t i = 0; spec->outdir[0] != '\0' && i < rep->result.noutputs; i++) {
        term_printf(t, "placed %s/%s\n", root ? "" : spec->outdir, rep->result.outputs[i].path);
    }
}

static int job_run(struct term *t, struct shell *sh, int argc, char **argv)
{
    static struct job_spec spec;
    static struct jobs_reply rep;
    char hex[2 * JOB_HASH + 1];

    if (!job_parse(argc, argv, &spec)) {
        term_printf(t, "usage: %s\n", JOB_USAGE);
        return ZERR_INVAL;
    }
    int err = job_import_all(t, sh, &spec);
    if (err != 0) {
        return err;
    }
    err = jobs_run_call(sh->rt, sh->self, sh->h_jobs, sh->acting, &spec, &rep);
    if (err != 0) {
        term_printf(t, "%s: %s\n", err == ZERR_DENIED ? "denied" : "error",
                    rep.why[0] ? rep.why : zerr_text(err));
        return err;
    }
    zfmt_hex(hex, rep.spec_hash, JOB_HASH);
    term_printf(t, "job %s\n", hex);
    job_print_result(t, &rep.result);
    job_print_content(t, sh, rep.result.stdout_hash);
    zfmt_hex(hex, rep.hash, AX_HASH_LEN);
    term_printf(t, "committed #%llu %s\n", (unsigned long long)rep.seq, hex);
    job_print_placed(t, &spec, &rep);
    return 0;
}

static int job_lookup(struct term *t, struct shell *sh, const char *seqs, bool verify)
{
    static struct jobs_reply rep;
    char hex[2 * JOB_HASH + 1];
    uint64_t seq = 0;

    if (!job_number(seqs, &seq)) {
        term_printf(t, "usage: %s\n", JOB_USAGE);
        return ZERR_INVAL;
    }
    int err = jobs_lookup_call(sh->rt, sh->self, sh->h_jobs, verify ? JOBS_OP_VERIFY : JOBS_OP_SHOW,
                               seq, &rep);
    if (err != 0 && !rep.found) {
        term_printf(t, "error: %s\n", rep.why[0] ? rep.why : zerr_text(err));
        return err;
    }
    zfmt_hex(hex, rep.spec_hash, JOB_HASH);
    term_printf(t, "#%llu job %s by %s\n", (unsigned long long)seq, hex, rep.proposer);
    zfmt_hex(hex, rep.program, JOB_HASH);
    term_printf(t, "program %s, fuel limit %llu\n", hex, (unsigned long long)rep.fuel);
    job_print_result(t, &rep.result);
    if (verify) {
        term_printf(t, "%s\n", err == 0 ? "verified: the re-run gives the recorded result" : "");
        if (err != 0) {
            term_printf(t, "verify FAILED: %s\n", rep.why);
        }
    }
    return err;
}

int shell_cmd_job(struct term *t, int argc, char **argv)
{
    struct shell *sh = t->ctx;

    if (!sh->has_jobs) {
        term_printf(t, "error: this node runs no jobs\n");
        return ZERR_UNSUPPORTED;
    }
    if (argc >= 3 && strcmp(argv[1], "run") == 0) {
        return job_run(t, sh, argc, argv);
    }
    if (argc == 3 && (strcmp(argv[1], "show") == 0 || strcmp(argv[1], "verify") == 0)) {
        return job_lookup(t, sh, argv[2], strcmp(argv[1], "verify") == 0);
    }
    term_printf(t, "usage: %s\n", JOB_USAGE);
    return ZERR_INVAL;
}

/* Puts the receipt's bytes at path, as a file of the acting principal. */
static int job_receipt_file(struct term *t, struct shell *sh, const char *path,
                            const uint8_t *receipt, size_t len)
{
    static struct fssvc_put rq;
    struct axiom_result res;
    const char *problem = fs_path_problem(path, strlen(path));

    if (problem != NULL) {
        term_printf(t, "error: %s: %s\n", path, problem);
        return ZERR_INVAL;
    }
    memset(&rq, 0, sizeof(rq));
    memset(&res, 0, sizeof(res));
    memcpy(rq.proposer, sh->acting, sizeof(rq.proposer));
    memcpy(rq.path, path, strlen(path) + 1);
    rq.mode = 0644;
    rq.data = receipt;
    rq.len = len;
    return shell_report(t, fssvc_put_call(sh->rt, sh->self, sh->h_fs, &rq, &res), &res);
}

/* receipt SEQ [FILE]: the receipt of entry SEQ, as hex (zero receipt verify
 * checks it), and with FILE also as that file in the filesystem. */
int shell_cmd_receipt(struct term *t, int argc, char **argv)
{
    static uint8_t receipt[AX_RECEIPT_MAX];
    static char hex[2 * AX_RECEIPT_MAX + 1];
    struct shell *sh = t->ctx;
    uint64_t seq = 0;
    uint8_t in[8];

    if (argc < 2 || argc > 3 || !job_number(argv[1], &seq)) {
        term_printf(t, "usage: receipt SEQ [FILE]\n");
        return ZERR_INVAL;
    }
    le64_put(in, seq);
    struct rt_msg m = {AXIOM_OP_RECEIPT, in, sizeof(in), receipt, sizeof(receipt), 0};
    int err = rt_call(sh->rt, sh->self, sh->h_axiom, &m);
    if (err != 0) {
        term_printf(t, "error: %s\n",
                    err == ZERR_NOENT ? "no entry with that number under a checkpoint"
                                      : zerr_text(err));
        return err;
    }
    zfmt_hex(hex, receipt, m.out_len);
    term_printf(t, "receipt #%llu ", (unsigned long long)seq);
    for (size_t i = 0; i < 2 * m.out_len; i += 512) { /* the console formats at most 1 KiB */
        term_printf(t, "%.512s", hex + i);
    }
    term_printf(t, "\n");
    return argc == 3 ? job_receipt_file(t, sh, argv[2], receipt, m.out_len) : 0;
}
