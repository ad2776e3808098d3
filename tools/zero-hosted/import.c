/*
 * zero-hosted --import HOSTPATH:ZEROPATH: host files into the node before
 * the terminal starts, each a proposal of the node principal through the
 * filesystem service (content durable first, then the fs.put entry); a
 * directory is copied with everything below it.  One line per change:
 * "committed #SEQ HASH", or the refusal.
 */
#include "tools/zero-hosted/import.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/errors.h"
#include "base/fmt.h"

/* Prints the outcome of one change; returns err. */
static int import_report(const char *path, int err, const struct axiom_result *res)
{
    char hex[2 * AX_HASH_LEN + 1];

    if (err == 0) {
        zfmt_hex(hex, res->hash, AX_HASH_LEN);
        printf("committed #%llu %s\n", (unsigned long long)res->seq, hex);
    } else {
        printf("error: %s: %s\n", path, res->why[0] != '\0' ? res->why : zerr_text(err));
    }
    return err;
}

/* Reads the whole host file into *buf (malloc'd); 0 or ZERR_IO. */
static int import_read(const char *host, uint8_t **buf, size_t *len)
{
    FILE *f = fopen(host, "rb");
    long n = -1;

    *buf = NULL;
    if (f != NULL && fseek(f, 0, SEEK_END) == 0) {
        n = ftell(f);
    }
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        *buf = malloc((size_t)n + 1);
    }
    if (*buf != NULL && fread(*buf, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
        fclose(f);
        return 0;
    }
    free(*buf);
    *buf = NULL;
    if (f != NULL) {
        fclose(f);
    }
    return ZERR_IO;
}

static int import_file(struct node *n, const char *host, const char *path)
{
    static struct fssvc_put rq;
    struct axiom_result res;
    uint8_t *buf = NULL;
    size_t len = 0;

    memset(&res, 0, sizeof(res));
    if (import_read(host, &buf, &len) != 0) {
        printf("error: cannot read %s\n", host);
        return ZERR_IO;
    }
    memset(&rq, 0, sizeof(rq));
    memcpy(rq.proposer, n->axiom.ax.st->node, sizeof(rq.proposer));
    memcpy(rq.path, path, strlen(path) + 1);
    rq.data = buf;
    rq.len = len;
    rq.mode = 0644;
    struct rt_msg m = {FSSVC_OP_PUT, &rq, sizeof(rq), &res, sizeof(res), 0};
    int err = rt_call(&n->rt, n->sid_term, n->shell.h_fs, &m);
    free(buf);
    return import_report(path, err, &res);
}

/* Makes directory path unless it is one already. */
static int import_mkdir(struct node *n, const char *path)
{
    static struct ax_action a;
    struct axiom_result res;
    struct fs view;
    struct fs_node have;

    if (fs_stat(ax_state_fs(n->axiom.ax.st, &view), path, &have) == 0 && have.kind == FS_DIR) {
        return 0;
    }
    memset(&a, 0, sizeof(a));
    memset(&res, 0, sizeof(res));
    a.kind = AX_FS_MKDIR;
    memcpy(a.proposer, n->axiom.ax.st->node, sizeof(a.proposer));
    memcpy(a.fs.path, path, strlen(path) + 1);
    a.fs.mode = 0755;
    return import_report(path, axiom_submit(&n->rt, n->sid_term, n->shell.h_axiom, &a, &res), &res);
}

static int import_tree(struct node *n, const char *host, const char *path);

static int import_dir(struct node *n, const char *host, const char *path)
{
    int err = import_mkdir(n, path);
    DIR *d = err == 0 ? opendir(host) : NULL;
    struct dirent *e;

    if (err != 0 || d == NULL) {
        return err != 0 ? err : ZERR_IO;
    }
    while (err == 0 && (e = readdir(d)) != NULL) {
        char h[4096], p[FS_PATH_MAX + 2];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        if ((size_t)snprintf(h, sizeof(h), "%s/%s", host, e->d_name) >= sizeof(h) ||
            (size_t)snprintf(p, sizeof(p), "%s/%s", strcmp(path, "/") ? path : "", e->d_name) >
                FS_PATH_MAX) {
            printf("error: %s/%s: path too long\n", path, e->d_name);
            err = ZERR_INVAL;
            break;
        }
        err = import_tree(n, h, p);
    }
    closedir(d);
    return err;
}

static int import_tree(struct node *n, const char *host, const char *path)
{
    struct stat sb;

    if (stat(host, &sb) != 0) {
        printf("error: cannot read %s\n", host);
        return ZERR_IO;
    }
    return S_ISDIR(sb.st_mode) ? import_dir(n, host, path) : import_file(n, host, path);
}

int import_run(struct node *n, const char *spec)
{
    char host[4096];
    const char *colon = strrchr(spec, ':');
    size_t hl = colon != NULL ? (size_t)(colon - spec) : 0;

    if (colon == NULL || hl == 0 || hl >= sizeof(host) ||
        fs_path_problem(colon + 1, strlen(colon + 1)) != NULL) {
        printf("error: --import wants HOSTPATH:ZEROPATH (an absolute Zero path), not '%s'\n", spec);
        return ZERR_INVAL;
    }
    memcpy(host, spec, hl);
    host[hl] = '\0';
    int err = import_tree(n, host, colon + 1);
    fflush(stdout);
    return err;
}
