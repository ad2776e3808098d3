/*
 * The hosted node's process manager (node_proc.h).
 */
#include "services/init/node_proc.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"

#if ZERO_NODE_JOBS
#include "services/jobs/jobs.h"

/* The image's name from a path: its last component up to the first '.', if a valid name. */
static bool np_name_of(const char *path, char name[AX_IMAGE_NAME_MAX + 1])
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    size_t n = 0;
    while (base[n] != '\0' && base[n] != '.') {
        n++;
    }
    if (n == 0 || n > AX_IMAGE_NAME_MAX || !id_name_valid(base, n)) {
        return false;
    }
    memcpy(name, base, n);
    name[n] = '\0';
    return true;
}

static int np_resolve(void *ctx, const char *image, uint8_t hash[AX_HASH_LEN],
                      char name[AX_IMAGE_NAME_MAX + 1], char *why, size_t cap)
{
    struct node_proc *p = ctx;
    struct fs view;
    struct fs_node node;

    if (strlen(image) == 2 * AX_HASH_LEN &&
        zfmt_unhex(hash, AX_HASH_LEN, image, strlen(image)) == 0) {
        memcpy(name, "wasm", 5);
        return 0;
    }
    if (image[0] != '/' || fs_stat(ax_state_fs(p->n->axiom.ax.st, &view), image, &node) != 0 ||
        node.kind != FS_FILE) {
        zfmt_snprintf(why, cap, "no image %s: give a file of the namespace or 64 hex digits",
                      image);
        return ZERR_NOENT;
    }
    if (!np_name_of(image, name)) {
        zfmt_snprintf(why, cap, "%s: the file name does not make an image name", image);
        return ZERR_INVAL;
    }
    memcpy(hash, node.hash, AX_HASH_LEN);
    return 0;
}

/* The row of a new process (the oldest goes when the table is full). */
static struct shell_proc_row *np_row(struct node_proc *p)
{
    if (p->nrows == SHELL_PROC_MAX) {
        memmove(&p->rows[0], &p->rows[1], (SHELL_PROC_MAX - 1) * sizeof(p->rows[0]));
        p->nrows--;
    }
    struct shell_proc_row *r = &p->rows[p->nrows++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* The job spec of spawn a with its arguments. */
static int np_spec(const struct ax_action *a, int argc, char **argv, struct job_spec *spec)
{
    memset(spec, 0, sizeof(*spec));
    if (argc + 1 > JOB_MAX_ARGS) {
        return ZERR_LIMIT;
    }
    memcpy(spec->program, a->proc.image, AX_HASH_LEN);
    spec->argc = (uint32_t)argc + 1;
    memcpy(spec->argv[0], a->proc.image_name, strlen(a->proc.image_name) + 1);
    for (int i = 0; i < argc; i++) {
        if (strlen(argv[i]) > JOB_STR_MAX) {
            return ZERR_LIMIT;
        }
        memcpy(spec->argv[i + 1], argv[i], strlen(argv[i]) + 1);
    }
    uint64_t pages = a->proc.limit[0] / 16u;
    spec->mem_pages =
        (uint32_t)(pages == 0 ? 1 : (pages > JOBS_MEM_PAGES_MAX ? JOBS_MEM_PAGES_MAX : pages));
    spec->fuel = NODE_PROC_FUEL;
    return 0;
}

static int np_run(void *ctx, const struct ax_action *a, int argc, char **argv, uint64_t *pid,
                  int *ended, uint8_t *how, uint32_t *code, char *out, size_t cap)
{
    struct node_proc *p = ctx;
    static struct job_spec spec;
    static struct jobs_run run;
    char why[128] = "";
    struct shell_proc_row *r = np_row(p);

    *pid = p->n->axiom.ax.st->procs.spawned; /* the process the committed spawn created */
    r->pid = *pid;
    memcpy(r->name, a->proc.image_name, sizeof(r->name));
    memcpy(r->as, a->proc.as, sizeof(r->as));
    memcpy(r->image, a->proc.image, AX_HASH_LEN);
    r->frames = a->proc.limit[0];
    r->threads = 1;
    zfmt_snprintf(r->state, sizeof(r->state), "failed");
    int err = np_spec(a, argc, argv, &spec);
    if (err == 0) {
        err = jobs_execute(node_jobs_svc(p->n)->cas, &spec, false, &run, why, sizeof(why));
    }
    if (err != 0) {
        zfmt_snprintf(out, cap, "spawn: %s\n", why[0] != '\0' ? why : zerr_text(err));
        return err;
    }
    *ended = 1;
    *how = run.r.end == JOB_END_EXIT ? AX_PROC_EXITED : AX_PROC_FAULTED;
    *code = run.r.code;
    r->cpu = run.r.fuel_used;
    zfmt_snprintf(r->state, sizeof(r->state), "%s", *how == AX_PROC_EXITED ? "exited" : "faulted");
    zfmt_snprintf(out, cap, "process %llu %s %d after %llu units of fuel\n",
                  (unsigned long long)*pid, r->state, (int)run.r.code,
                  (unsigned long long)run.r.fuel_used);
    return 0;
}

static int np_list(void *ctx, struct shell_proc_row *rows, size_t cap, size_t *n)
{
    struct node_proc *p = ctx;

    *n = p->nrows < cap ? p->nrows : cap;
    memcpy(rows, p->rows, *n * sizeof(rows[0]));
    return 0;
}

static int np_kill(void *ctx, uint64_t pid, char *why, size_t cap)
{
    struct node_proc *p = ctx;

    for (size_t i = 0; i < p->nrows; i++) {
        if (p->rows[i].pid == pid) {
            zfmt_snprintf(why, cap, "process %llu is not running: it has %s",
                          (unsigned long long)pid, p->rows[i].state);
            return ZERR_NOENT;
        }
    }
    zfmt_snprintf(why, cap, "no process %llu", (unsigned long long)pid);
    return ZERR_NOENT;
}

void node_proc_attach(struct node_proc *p, struct node *n)
{
    memset(p, 0, sizeof(*p));
    if (node_jobs_svc(n) == NULL) {
        return;
    }
    p->n = n;
    p->backend.ctx = p;
    memcpy(p->backend.node, n->axiom.ax.st->node, sizeof(p->backend.node));
    p->backend.resolve = np_resolve;
    p->backend.run = np_run;
    p->backend.list = np_list;
    p->backend.kill = np_kill;
    shell_proc_attach(&p->backend);
}

#else

void node_proc_attach(struct node_proc *p, struct node *n)
{
    memset(p, 0, sizeof(*p));
    (void)n;
}

#endif
