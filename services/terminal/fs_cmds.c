/*
 * File commands.  Reads go to the filesystem service (verified reads) or
 * are queries to the Axiom (the namespace); changes are entries: put and append
 * through the filesystem service (content durable first), the others
 * straight to the Axiom.
 */
#include "services/terminal/fs_cmds.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/fs/service.h"
#include "services/terminal/shell.h"

#define FS_CMD_PUT_MAX (4u * 1024u * 1024u) /* bytes a put typed at the terminal holds */
#define FS_CMD_READ 65536u
#define FS_CMD_CP_MAX (64u * 1024u * 1024u) /* bytes cp copies */

static struct shell *fs_shell(struct term *t)
{
    return t->ctx;
}

/* Says why a query to the Axiom about path failed. */
static void fs_query_error(struct term *t, const char *path, int err)
{
    term_printf(t, "error: %s: %s\n", path,
                err == ZERR_NOENT  ? "no such file or directory"
                : err == ZERR_PERM ? "not a directory"
                                   : zerr_text(err));
}

/* Copies a path argument; false (and a message) if it cannot be one. */
static bool fs_arg_path(struct term *t, char *out, const char *arg)
{
    size_t n = strlen(arg);
    const char *why = fs_path_problem(arg, n);

    if (why != NULL) {
        term_printf(t, "error: %s: %s\n", arg, why);
        return false;
    }
    memcpy(out, arg, n + 1);
    return true;
}

static int fs_usage(struct term *t, const char *usage)
{
    term_printf(t, "usage: %s\n", usage);
    return ZERR_INVAL;
}

static void fs_ls_one(void *ctx, const struct fs_node *n)
{
    struct term *t = ctx;
    const char *name = n->path + strlen(n->path);

    while (name > n->path && name[-1] != '/') {
        name--;
    }

    term_printf(t, "%c %10llu %-12s %s%s\n", n->kind == FS_DIR ? 'd' : '-',
                (unsigned long long)n->size, n->owner, name, n->kind == FS_DIR ? "/" : "");
}

int cmd_ls(struct term *t, int argc, char **argv)
{
    struct shell *sh = fs_shell(t);
    static struct fs_node page[AXIOM_FS_LIST_PAGE];
    char path[FS_PATH_MAX + 1] = "/";
    uint32_t got = 0, total = 0;
    int err = 0;

    if (argc > 2) {
        return fs_usage(t, "ls [PATH]");
    }
    if (argc == 2 && !fs_arg_path(t, path, argv[1])) {
        return ZERR_INVAL;
    }
    for (uint32_t first = 0; err == 0 && (first == 0 || first < total); first += got) {
        err = axiom_fs_list(sh->rt, sh->self, sh->h_axiom, path, false, first, page,
                            AXIOM_FS_LIST_PAGE, &got, &total);
        for (uint32_t i = 0; err == 0 && i < got; i++) {
            fs_ls_one(t, &page[i]);
        }
        if (err == 0 && got == 0) {
            break;
        }
    }
    if (err != 0) {
        fs_query_error(t, path, err);
    }
    return err;
}

/* Reads the file at path from offset off into buf; *got bytes came. */
static int fs_read_at(struct term *t, const char *path, uint64_t off, void *buf, size_t cap,
                      size_t *got)
{
    struct shell *sh = fs_shell(t);
    static char why[FSSVC_WHY_MAX];
    int err = fssvc_read_call(sh->rt, sh->self, sh->h_fs, path, off, buf, cap, got, why);

    if (err == ZERR_CORRUPT) {
        term_printf(t, "error: %s\n", why);
    } else if (err != 0) {
        term_printf(t, "error: %s: %s\n", path,
                    err == ZERR_PERM    ? "is a directory"
                    : err == ZERR_NOENT ? "no such file (or its content is missing from the store)"
                                        : zerr_text(err));
    }
    return err;
}

int cmd_cat(struct term *t, int argc, char **argv)
{
    struct shell *sh = fs_shell(t);
    char path[FS_PATH_MAX + 1];
    struct fs_node n;
    size_t pages = FS_CMD_READ / HAL_PAGE_SIZE, got = 0;

    if (argc != 2) {
        return fs_usage(t, "cat PATH");
    }
    if (!fs_arg_path(t, path, argv[1])) {
        return ZERR_INVAL;
    }
    memset(&n, 0, sizeof(n));
    if (axiom_fs_stat(sh->rt, sh->self, sh->h_axiom, path, &n) == 0 && n.kind == FS_FILE &&
        n.size == 0) {
        return 0;
    }
    uint8_t *buf = hal_page_alloc(pages);
    if (buf == NULL) {
        term_printf(t, "error: out of memory\n");
        return ZERR_NOMEM;
    }
    int err = 0;
    for (uint64_t off = 0; err == 0 && (off == 0 || off < n.size); off += got) {
        err = fs_read_at(t, path, off, buf, FS_CMD_READ, &got);
        if (err == 0) {
            hal_console_write((const char *)buf, got);
        }
        if (got == 0) {
            break;
        }
    }
    hal_page_free(buf, pages);
    return err;
}

/* Reads lines up to one holding only "." into buf (cap bytes), each line
 * with its newline; *len is the total. */
static int fs_read_body(struct term *t, uint8_t *buf, size_t cap, size_t *len)
{
    *len = 0;
    for (;;) {
        int r = term_read_line(t);
        if (r <= 0) {
            term_printf(t, "error: input ended before the line '.'\n");
            return ZERR_INVAL;
        }
        if (t->too_long) {
            term_printf(t, "error: a line longer than %d bytes\n", TERM_MAX_LINE);
            return ZERR_LIMIT;
        }
        if (t->len == 1 && t->line[0] == '.') {
            return 0;
        }
        if (*len + t->len + 1 > cap) {
            term_printf(t, "error: more than %u bytes typed; use zero-hosted --import\n",
                        FS_CMD_PUT_MAX);
            return ZERR_LIMIT;
        }
        memcpy(buf + *len, t->line, t->len);
        buf[*len + t->len] = '\n';
        *len += t->len + 1;
    }
}

int cmd_put(struct term *t, int argc, char **argv)
{
    struct shell *sh = fs_shell(t);
    static struct fssvc_put rq;
    struct axiom_result res;
    size_t pages = FS_CMD_PUT_MAX / HAL_PAGE_SIZE, len = 0;
    bool append = strcmp(argv[0], "append") == 0;

    if (argc != 2) {
        return fs_usage(t, append ? "append PATH" : "put PATH");
    }
    memset(&rq, 0, sizeof(rq));
    /* argv dies with the next line read; the body is read even after a bad
     * path, so that its lines are never taken for commands */
    static char arg[FS_PATH_MAX + 2];
    size_t n = strnlen(argv[1], FS_PATH_MAX + 1);
    memcpy(arg, argv[1], n);
    arg[n] = '\0';
    uint8_t *buf = hal_page_alloc(pages);
    if (buf == NULL) {
        term_printf(t, "error: out of memory\n");
        return ZERR_NOMEM;
    }
    int err = fs_read_body(t, buf, FS_CMD_PUT_MAX, &len);
    if (err == 0 && !fs_arg_path(t, rq.path, arg)) {
        err = ZERR_INVAL;
    }
    if (err == 0) {
        memcpy(rq.proposer, sh->acting, sizeof(rq.proposer));
        rq.data = buf;
        rq.len = len;
        rq.mode = 0644;
        rq.append = append;
        err = shell_report(t, fssvc_put_call(sh->rt, sh->self, sh->h_fs, &rq, &res), &res);
    }
    hal_page_free(buf, pages);
    return err;
}

/* Parses a decimal byte count. */
static bool fs_parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;

    if (*s == '\0') {
        return false;
    }
    for (; *s >= '0' && *s <= '9'; s++) {
        if (v > (UINT64_MAX - 9) / 10) {
            return false;
        }
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return *s == '\0';
}

/* Fills a for rm, rmdir, mkdir, mv and quota from argv; false: usage. */
static bool fs_change_action(int argc, char **argv, struct ax_action *a)
{
    static const struct {
        const char *cmd;
        uint8_t kind;
        int argc;
    } kinds[] = {{"rm", AX_FS_RM, 2},
                 {"rmdir", AX_FS_RMDIR, 2},
                 {"mkdir", AX_FS_MKDIR, 2},
                 {"mv", AX_FS_MV, 3},
                 {"quota", AX_FS_QUOTA, 3}};

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(argv[0], kinds[i].cmd) != 0) {
            continue;
        }
        if (argc != kinds[i].argc || strlen(argv[1]) > FS_PATH_MAX ||
            (argc == 3 && strlen(argv[2]) > FS_PATH_MAX)) {
            return false;
        }
        a->kind = kinds[i].kind;
        if (a->kind == AX_FS_QUOTA) {
            return strlen(argv[1]) <= ID_NAME_MAX && fs_parse_u64(argv[2], &a->fs.size) &&
                   memcpy(a->name, argv[1], strlen(argv[1]) + 1) != NULL;
        }
        memcpy(a->fs.path, argv[1], strlen(argv[1]) + 1);
        if (a->kind == AX_FS_MV) {
            memcpy(a->fs.to, argv[2], strlen(argv[2]) + 1);
        }
        a->fs.mode = a->kind == AX_FS_MKDIR ? 0755 : 0;
        return true;
    }
    return false;
}

int cmd_fs_change(struct term *t, int argc, char **argv)
{
    struct shell *sh = fs_shell(t);
    static struct ax_action a;
    struct axiom_result res;

    memset(&a, 0, sizeof(a));
    if (!fs_change_action(argc, argv, &a)) {
        return fs_usage(t, strcmp(argv[0], "mv") == 0      ? "mv FROM TO"
                           : strcmp(argv[0], "quota") == 0 ? "quota PRINCIPAL BYTES"
                                                           : "rm|rmdir|mkdir PATH");
    }
    memcpy(a.proposer, sh->acting, sizeof(a.proposer));
    memset(&res, 0, sizeof(res));
    int err = shell_report(t, axiom_submit(sh->rt, sh->self, sh->h_axiom, &a, &res), &res);
    if (err == 0) {
        /* the entry's effects (reclaiming what it freed) run after its commit;
         * if they fail here the next start re-drives them */
        struct fssvc_usage u;
        (void)fssvc_usage_call(sh->rt, sh->self, sh->h_fs, FSSVC_OP_EFFECTS, &u);
    }
    return err;
}

/* The node at argv[1] into n; 0 or an error already printed. */
static int fs_stat_arg(struct term *t, int argc, char **argv, const char *usage, struct fs_node *n)
{
    struct shell *sh = fs_shell(t);
    char path[FS_PATH_MAX + 1];

    if (argc != 2) {
        return fs_usage(t, usage);
    }
    if (!fs_arg_path(t, path, argv[1])) {
        return ZERR_INVAL;
    }
    int err = axiom_fs_stat(sh->rt, sh->self, sh->h_axiom, path, n);
    if (err != 0) {
        term_printf(t, "error: %s: %s\n", path,
                    err == ZERR_NOENT ? "no such file or directory" : zerr_text(err));
    }
    return err;
}

/* Reads all n.size bytes of file n into *buf (pages the caller frees). */
static int fs_read_all(struct term *t, const struct fs_node *n, uint8_t **buf, size_t *pages)
{
    size_t got = 0;
    int err = 0;

    *pages = (size_t)(n->size + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    *pages = *pages > 0 ? *pages : 1;
    *buf = hal_page_alloc(*pages);
    if (*buf == NULL) {
        term_printf(t, "error: out of memory for %llu bytes\n", (unsigned long long)n->size);
        return ZERR_NOMEM;
    }
    for (uint64_t off = 0; err == 0 && off < n->size; off += got) {
        err = fs_read_at(t, n->path, off, *buf + off, (size_t)(n->size - off), &got);
        if (err == 0 && got == 0) {
            term_printf(t, "error: %s ended at %llu of its %llu bytes\n", n->path,
                        (unsigned long long)off, (unsigned long long)n->size);
            err = ZERR_IO;
        }
    }
    return err;
}

int cmd_cp(struct term *t, int argc, char **argv)
{
    struct shell *sh = fs_shell(t);
    static struct fssvc_put rq;
    struct axiom_result res;
    struct fs_node n;
    uint8_t *buf = NULL;
    size_t pages = 0;

    if (argc != 3) {
        return fs_usage(t, "cp FROM TO");
    }
    memset(&rq, 0, sizeof(rq));
    if (!fs_arg_path(t, rq.path, argv[2])) {
        return ZERR_INVAL;
    }
    int err = fs_stat_arg(t, 2, argv, "cp FROM TO", &n);
    if (err == 0 && n.kind != FS_FILE) {
        term_printf(t, "error: %s: is a directory\n", n.path);
        err = ZERR_PERM;
    } else if (err == 0 && n.size > FS_CMD_CP_MAX) {
        term_printf(t, "error: %s: more than %u bytes to copy\n", n.path, FS_CMD_CP_MAX);
        err = ZERR_LIMIT;
    }
    if (err == 0) {
        err = fs_read_all(t, &n, &buf, &pages);
    }
    if (err == 0) {
        /* one put (streamed in parts when large), one entry */
        memcpy(rq.proposer, sh->acting, sizeof(rq.proposer));
        rq.data = buf;
        rq.len = n.size;
        rq.mode = n.mode;
        err = shell_report(t, fssvc_put_call(sh->rt, sh->self, sh->h_fs, &rq, &res), &res);
    }
    if (buf != NULL) {
        hal_page_free(buf, pages);
    }
    return err;
}

int cmd_stat(struct term *t, int argc, char **argv)
{
    struct fs_node n;
    char hex[2 * CAS_HASH + 1];
    int err = fs_stat_arg(t, argc, argv, "stat PATH", &n);

    if (err != 0) {
        return err;
    }
    zfmt_hex(hex, n.hash, CAS_HASH);
    term_printf(t, "path  %s\nkind  %s\nsize  %llu\nowner %s\nmode  %o\nhash  %s\nentry #%llu\n",
                n.path, n.kind == FS_DIR ? "directory" : "file", (unsigned long long)n.size,
                n.owner[0] != '\0' ? n.owner : "-", (unsigned)n.mode, n.kind == FS_DIR ? "-" : hex,
                (unsigned long long)n.changed);
    return 0;
}

int cmd_hash(struct term *t, int argc, char **argv)
{
    struct fs_node n;
    char hex[2 * CAS_HASH + 1];
    int err = fs_stat_arg(t, argc, argv, "hash PATH", &n);

    if (err == 0 && n.kind != FS_FILE) {
        term_printf(t, "error: %s: is a directory\n", n.path);
        err = ZERR_PERM;
    }
    if (err == 0) {
        zfmt_hex(hex, n.hash, CAS_HASH);
        term_printf(t, "%s  %s\n", hex, n.path);
    }
    return err;
}

static int fs_usage_call(struct term *t, uint32_t op)
{
    struct shell *sh = fs_shell(t);
    struct fssvc_usage u;
    int err = fssvc_usage_call(sh->rt, sh->self, sh->h_fs, op, &u);

    if (err != 0) {
        term_printf(t, "error: %s\n", zerr_text(err));
        return err;
    }
    if (op == FSSVC_OP_GC) {
        term_printf(t, "gc: %llu objects reclaimed\n", (unsigned long long)u.swept);
    }
    term_printf(t,
                "store %llu KiB, %llu KiB used, %llu objects; %llu files (%llu bytes), %llu "
                "directories\n",
                (unsigned long long)(u.region_bytes / 1024),
                (unsigned long long)(u.used_bytes / 1024), (unsigned long long)u.objects,
                (unsigned long long)u.files, (unsigned long long)u.file_bytes,
                (unsigned long long)u.dirs);
    return 0;
}

int cmd_df(struct term *t, int argc, char **argv)
{
    (void)argv;
    return argc == 1 ? fs_usage_call(t, FSSVC_OP_DF) : fs_usage(t, "df");
}

int cmd_fs(struct term *t, int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "gc") == 0) {
        return fs_usage_call(t, FSSVC_OP_GC);
    }
    return fs_usage(t, "fs gc");
}
