/*
 * ps, spawn, kill, caps, cpus, poweroff (see proc.h).
 */
#include "services/terminal/proc.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/service.h"
#include "services/terminal/terminal.h"

#define PROC_USAGE "spawn IMAGE [--as P] [--frames N] [--threads N] [ARG...]"

/* The node's process manager, attached at start-up (like the supervisor). */
static const struct shell_proc_backend *shell_proc;

void shell_proc_attach(const struct shell_proc_backend *b)
{
    shell_proc = b;
}

/* `caps` without a PID (x86_64: init's listing from the kernel). */
static int (*proc_caps_list)(struct term *t);

void shell_proc_caps_attach(int (*list)(struct term *t))
{
    proc_caps_list = list;
}

/* A decimal number of at most 20 digits that fits 64 bits. */
static bool proc_number(const char *s, uint64_t *out)
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

static int proc_ps(struct term *t)
{
    static struct shell_proc_row rows[SHELL_PROC_MAX];
    size_t n = 0;
    int err = shell_proc->list(shell_proc->ctx, rows, SHELL_PROC_MAX, &n);
    char img[9];

    if (err != 0) {
        term_printf(t, "error: %s\n", zerr_text(err));
        return err;
    }
    term_printf(t, "%5s %-12s %-12s %-8s %-8s %7s %7s %10s\n", "PID", "NAME", "PRINCIPAL", "IMAGE",
                "STATE", "FRAMES", "THREADS", "CPU");
    for (size_t i = 0; i < n; i++) {
        zfmt_hex(img, rows[i].image, 4);
        term_printf(t, "%5llu %-12s %-12s %-8s %-8s %7llu %7llu %10llu\n",
                    (unsigned long long)rows[i].pid, rows[i].name, rows[i].as, img, rows[i].state,
                    (unsigned long long)rows[i].frames, (unsigned long long)rows[i].threads,
                    (unsigned long long)rows[i].cpu);
    }
    return 0;
}

/* Commits a (proposer set) and prints the outcome; 0 or the refusal. */
static int proc_commit(struct term *t, struct ax_action *a)
{
    struct shell *sh = t->ctx;
    struct axiom_result res;

    memset(&res, 0, sizeof(res));
    return shell_report(t, axiom_submit(sh->rt, sh->self, sh->h_axiom, a, &res), &res);
}

/* Records how process pid ended, as the node. */
static int proc_record_exit(struct term *t, uint64_t pid, uint8_t how, uint32_t code)
{
    struct ax_action a;
    int err = ax_proc_exit_action(&a, shell_proc->node, pid, how, code);

    return err != 0 ? err : proc_commit(t, &a);
}

/* Reads the options of spawn into a's limits and as; *first gets the first argument. */
static int proc_spawn_options(struct term *t, int argc, char **argv, struct ax_action *a,
                              int *first)
{
    int i = 2;

    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] == '-'; i += 2) {
        uint64_t v = 0;
        bool num = proc_number(argv[i + 1], &v);
        if (strcmp(argv[i], "--as") == 0 && strlen(argv[i + 1]) <= ID_NAME_MAX) {
            memcpy(a->proc.as, argv[i + 1], strlen(argv[i + 1]) + 1);
        } else if (strcmp(argv[i], "--frames") == 0 && num) {
            a->proc.limit[0] = v;
        } else if (strcmp(argv[i], "--threads") == 0 && num) {
            a->proc.limit[1] = v;
        } else {
            term_printf(t, "usage: %s\n", PROC_USAGE);
            return ZERR_INVAL;
        }
    }
    *first = i;
    return 0;
}

static int proc_spawn(struct term *t, int argc, char **argv)
{
    struct shell *sh = t->ctx;
    struct ax_action a;
    const uint64_t lim[3] = {256, 1, 64};
    char name[AX_IMAGE_NAME_MAX + 1];
    uint8_t hash[AX_HASH_LEN];
    char why[128] = "";
    int first = 0;

    if (sh->acting[0] == '\0') {
        term_printf(t, "error: nobody is logged in: a process runs as a principal\n");
        return ZERR_NOPRINCIPAL;
    }
    int err = shell_proc->resolve(shell_proc->ctx, argv[1], hash, name, why, sizeof(why));
    if (err == 0) {
        err = ax_proc_spawn_action(&a, sh->acting, hash, name, sh->acting, lim, 0);
    }
    if (err != 0) {
        term_printf(t, "error: %s\n", why[0] != '\0' ? why : zerr_text(err));
        return err;
    }
    err = proc_spawn_options(t, argc, argv, &a, &first);
    if (err == 0 && ax_proc_check(&a) != 0) {
        term_printf(t, "error: frames and threads must be at least 1, the principal a name\n");
        err = ZERR_INVAL;
    }
    err = err != 0 ? err : proc_commit(t, &a);
    if (err != 0) {
        return err; /* refused: nothing runs */
    }
    static char out[1024];
    uint64_t pid = 0;
    int ended = 0;
    uint8_t how = AX_PROC_EXITED;
    uint32_t code = 0;
    out[0] = '\0';
    err = shell_proc->run(shell_proc->ctx, &a, argc - first, argv + first, &pid, &ended, &how,
                          &code, out, sizeof(out));
    if (err != 0) {
        term_printf(t, "%serror: process %llu did not start: %s\n", out, (unsigned long long)pid,
                    zerr_text(err));
        return proc_record_exit(t, pid, AX_PROC_FAULTED, (uint32_t)err);
    }
    term_printf(t, "process %llu started\n%s", (unsigned long long)pid, out);
    return ended ? proc_record_exit(t, pid, how, code) : 0;
}

static int proc_kill(struct term *t, const char *arg)
{
    uint64_t pid = 0;
    char why[128] = "";

    if (!proc_number(arg, &pid)) {
        term_printf(t, "usage: kill PID\n");
        return ZERR_INVAL;
    }
    int err = shell_proc->kill(shell_proc->ctx, pid, why, sizeof(why));
    if (err != 0) {
        term_printf(t, "error: %s\n", why[0] != '\0' ? why : zerr_text(err));
        return err;
    }
    return proc_record_exit(t, pid, AX_PROC_KILLED, (uint32_t)ZERR_DENIED);
}

static int proc_cpus(struct term *t)
{
    unsigned n = hal_cpu_count();

    term_printf(t, "%d CPU%s; this one is %d. Per-CPU load is not measured on this platform.\n",
                (int)n, n == 1 ? "" : "s", (int)hal_cpu_id());
    return 0;
}

int shell_cmd_proc(struct term *t, int argc, char **argv)
{
    if (strcmp(argv[0], "poweroff") == 0) {
        term_printf(t, "powering off\n");
        t->done = true;
        return 0;
    }
    if (strcmp(argv[0], "cpus") == 0) {
        return proc_cpus(t);
    }
    if (strcmp(argv[0], "caps") == 0 && argc == 1) {
        if (proc_caps_list == NULL) {
            term_printf(t, "caps: no listing of the service processes here; caps PID\n");
            return ZERR_UNSUPPORTED;
        }
        return proc_caps_list(t);
    }
    if (shell_proc == NULL) {
        term_printf(t, "error: this node has no process manager\n");
        return ZERR_UNSUPPORTED;
    }
    if (strcmp(argv[0], "ps") == 0) {
        return proc_ps(t);
    }
    if (strcmp(argv[0], "spawn") == 0 && argc >= 2) {
        return proc_spawn(t, argc, argv);
    }
    if (strcmp(argv[0], "kill") == 0 && argc == 2) {
        return proc_kill(t, argv[1]);
    }
    if (strcmp(argv[0], "caps") == 0 && argc == 2) {
        uint64_t pid = 0;
        if (!proc_number(argv[1], &pid)) {
            term_printf(t, "usage: caps PID\n");
            return ZERR_INVAL;
        }
        term_printf(t,
                    "process %llu holds no kernel capabilities here: a hosted process reaches "
                    "only its WASI sandbox\n",
                    (unsigned long long)pid);
        return 0;
    }
    term_printf(t, "usage: ps | %s | kill PID | caps [PID] | cpus | poweroff\n", PROC_USAGE);
    return ZERR_INVAL;
}
