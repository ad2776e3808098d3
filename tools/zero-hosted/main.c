/*
 * zero-hosted: Zero OS as one Linux process, with its terminal on stdin and
 * stdout.  Works interactively and piped (scripts).
 *
 *   zero-hosted --disk PATH   creates and formats PATH if it does not exist
 *   zero-hosted               runs on a blank in-memory disk (nothing persists)
 *
 * A disk whose key slot is sealed asks for the passphrase at start, at the
 * terminal (echo off) or from --passphrase-fd N; --seal formats a new disk
 * sealed.  --listen PATH also takes signed proposals and queries on a Unix
 * socket (docs/formats.md, "Socket protocol").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "hal/hal.h"
#include "services/init/node.h"
#include "services/init/node_proc.h"
#include "services/init/node_svc.h"
#include "services/terminal/terminal.h"
#include "tools/passphrase/passphrase.h"
#include "tools/zero-hosted/import.h"
#include "tools/zero-hosted/listen.h"

#define DEFAULT_MIB 64u

static void usage(FILE *f)
{
    fprintf(f,
            "usage: zero-hosted [--disk PATH] [--size MIB] [--node NAME] [--seal]\n"
            "                   [--passphrase-fd N] [--listen PATH] [--login]\n"
            "                   [--import HOSTPATH:ZEROPATH]... [--help]\n\n"
            "Starts Zero OS as a Linux process with its terminal on standard input and\n"
            "output. --disk names the disk image; it is created (--size MiB, default %u)\n"
            "and formatted if it does not exist. Without --disk the system runs on a\n"
            "blank in-memory disk. --node names the node principal of a new disk\n"
            "(default root). --seal seals a new disk's key slot under a passphrase.\n"
            "The passphrase of a sealed disk is asked at the terminal, or read as the\n"
            "first line of file descriptor N with --passphrase-fd N. --listen PATH\n"
            "takes signed proposals and queries on a Unix socket (zero submit).\n"
            "--login starts the terminal as nobody: 'login NAME' proves who you are.\n"
            "--import copies a host file, or a directory and everything below it, to\n"
            "ZEROPATH before the terminal starts, as changes of the node principal\n"
            "(one 'committed #SEQ HASH' line each); it may be given several times.\n"
            "Type 'help' at the zero> prompt for the commands.\n",
            DEFAULT_MIB);
}

struct opts {
    const char *disk;
    const char *node;
    unsigned long mib;
    bool seal;
    int pass_fd;        /* -1: ask at the terminal */
    const char *listen; /* Unix socket path, or NULL */
    bool login;         /* the terminal starts as nobody */
    const char *imports[32];
    int nimports;
};

/* Parses argv; returns -1 to exit 0 (help), 0 to run, 2 on a usage error. */
static int parse(int argc, char **argv, struct opts *o)
{
    o->disk = NULL;
    o->node = "root";
    o->mib = DEFAULT_MIB;
    o->seal = false;
    o->pass_fd = -1;
    o->listen = NULL;
    o->login = false;
    o->nimports = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return -1;
        }
        if (i + 1 < argc && strcmp(argv[i], "--disk") == 0) {
            o->disk = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--node") == 0) {
            o->node = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--import") == 0 && o->nimports < 32) {
            o->imports[o->nimports++] = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--listen") == 0) {
            o->listen = argv[++i];
        } else if (strcmp(argv[i], "--login") == 0) {
            o->login = true;
        } else if (strcmp(argv[i], "--seal") == 0) {
            o->seal = true;
        } else if (i + 1 < argc && strcmp(argv[i], "--passphrase-fd") == 0) {
            o->pass_fd = pass_parse_fd(argv[++i]);
            if (o->pass_fd < 0) {
                fprintf(stderr, "zero-hosted: --passphrase-fd needs a file descriptor number\n");
                return 2;
            }
        } else if (i + 1 < argc && strcmp(argv[i], "--size") == 0) {
            char *end = NULL;
            o->mib = strtoul(argv[++i], &end, 10);
            if (*end != '\0' || o->mib < 1 || o->mib > 65536) {
                fprintf(stderr, "zero-hosted: --size must be 1..65536 (MiB)\n");
                return 2;
            }
        } else {
            fprintf(stderr, "zero-hosted: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (!id_name_valid(o->node, strlen(o->node))) {
        fprintf(stderr, "zero-hosted: invalid node name '%s'\n", o->node);
        return 2;
    }
    return 0;
}

static int open_disk(const struct opts *o, struct blk *dev, uint8_t **mem)
{
    uint64_t bytes = (uint64_t)o->mib * 1024u * 1024u;

    *mem = NULL;
    if (o->disk == NULL) {
        *mem = calloc(1, (size_t)bytes);
        if (*mem == NULL) {
            return ZERR_NOMEM;
        }
        blk_open_mem(dev, *mem, NULL, bytes);
        return 0;
    }
    return blk_open(dev, o->disk, bytes);
}

/* The node's passphrase source: --passphrase-fd or the terminal. */
static long ask_passphrase(void *ctx, bool is_new, char *buf, size_t cap)
{
    const struct opts *o = ctx;
    long len =
        pass_read(o->pass_fd, is_new ? "new passphrase: " : "passphrase: ", is_new, buf, cap);
    if (len == ZERR_UNSUPPORTED) {
        fprintf(stderr, "zero-hosted: no terminal to ask the passphrase at; use --passphrase-fd\n");
    } else if (len < 0) {
        fprintf(stderr, "zero-hosted: no passphrase read: %s\n",
                len == ZERR_INVAL ? "empty, too long, or the two differ" : zerr_text((int)len));
    }
    return len;
}

static void banner(const struct opts *o, const struct node *n)
{
    const struct ax_state *st = n->axiom.ax.st;

    printf("Zero OS %s (%s)\n", ZERO_VERSION, HAL_PLATFORM_NAME);
    printf("disk %s%s%s: %llu entries, node %s\n", o->disk != NULL ? o->disk : "(memory)",
           n->formatted ? " (new, formatted)" : "", n->sealed ? " (sealed)" : "",
           (unsigned long long)st->applied, st->node);
    if (n->rec.cut_bytes != 0) {
        printf("recovery: %s\n", n->rec.why);
    }
    if (o->login) {
        printf("who are you? log in with: login NAME\n");
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static struct term term;
    static struct node node;
    static struct node_svc supervisor;
    static struct node_proc procs;
    struct opts o;
    struct blk dev;
    uint8_t *mem = NULL;
    char why[200] = "";
    int r = parse(argc, argv, &o);

    if (r != 0) {
        return r < 0 ? 0 : r;
    }
    int err = open_disk(&o, &dev, &mem);
    if (err != 0) {
        fprintf(stderr, "zero-hosted: cannot open disk %s: %s\n", o.disk ? o.disk : "(memory)",
                zerr_text(err));
        return 2;
    }
    struct node_unlock unlock = {ask_passphrase, &o, o.seal, NULL};
    err = node_start_unlock(&node, &dev, o.node, NULL, &unlock, why, sizeof(why));
    if (err != 0) {
        fprintf(stderr, "zero-hosted: cannot start on %s: %s (%s)\n", o.disk ? o.disk : "(memory)",
                why, zerr_name(err));
        blk_close(&dev);
        free(mem);
        return 2;
    }
    banner(&o, &node);
    for (int i = 0; i < o.nimports; i++) {
        if (import_run(&node, o.imports[i]) != 0) {
            node_stop(&node);
            blk_close(&dev);
            free(mem);
            return 1;
        }
    }
    if (o.login) {
        node.shell.acting[0] = '\0'; /* after the imports, which the node principal makes */
    }
    node_svc_attach(&supervisor, &node);
    node_proc_attach(&procs, &node);
    if (o.listen != NULL) {
#if ZERO_PLATFORM_HOSTED
        size_t ncmds = 0;
        const struct term_cmd *cmds = listen_locked_cmds(&ncmds);
        term_init(&term, cmds, ncmds, &node.shell);
        err = listen_start(&node, &term, o.listen);
#else
        fprintf(stderr, "zero-hosted: --listen needs Unix sockets, which this platform lacks\n");
        err = ZERR_UNSUPPORTED;
#endif
    } else {
        term_init(&term, shell_cmds, shell_ncmds, &node.shell);
    }
    term.echo = pass_stdin_echo;
    r = err == 0 ? term_run(&term) : 2;
#if ZERO_PLATFORM_HOSTED
    listen_stop();
#endif
    node_stop(&node);
    blk_close(&dev);
    free(mem);
    return r;
}
