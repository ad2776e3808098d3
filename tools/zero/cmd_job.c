/*
 * zero job run: runs a WASI program (clang --target=wasm32-wasi) on Zero's
 * deterministic engine and WASI (lib/wasi) on the host, its sandbox a host
 * directory.  The same program, arguments, files, seed and time give the
 * same output on every platform (docs/jobs.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/errors.h"
#include "tools/zero/zero.h"
#include "wasi/wasi.h"
#include "wasm/wasm.h"

const char zero_help_job[] = "run a WASI program deterministically, files from a directory";

#define EXIT_TRAP 125

static void usage(FILE *out)
{
    fprintf(out,
            "usage: zero job run [--dir DIR] [--fuel N] [--seed N] [--time NS]\n"
            "                    [--env NAME=VALUE]... MODULE.wasm [ARG...]\n"
            "       zero job verify DISK [SEQ]\n"
            "\n"
            "Runs the WASI program MODULE.wasm (its _start) with arguments MODULE ARG...\n"
            "on the deterministic engine.  Its files are those under DIR (default: the\n"
            "current directory), which it sees as \"/\" and cannot leave.  clock_time_get\n"
            "returns NS (default 0) for every clock, random_get the stream of seed N\n"
            "(default 0); the environment holds only the --env values.  --fuel N stops\n"
            "the program with a trap once N units are used, and reports the fuel used.\n"
            "\n"
            "Exit status: the program's exit status; %d when it trapped (\"zero job: trap:\n"
            "REASON\" on stderr); 2 for bad arguments or a module that cannot run.\n"
            "\n"
            "verify re-runs the job of job.result entry SEQ of DISK from the disk's\n"
            "content store and compares every field of the result, fuel included;\n"
            "exit 0 when all match, 1 naming the first mismatch.  Without SEQ, every\n"
            "job of the log, in one replay.\n",
            EXIT_TRAP);
}

/* ---- the sandbox on a host directory ------------------------------------------------ */

static int wasi_errno(int e)
{
    switch (e) {
    case ENOENT:
        return WASI_ENOENT;
    case EEXIST:
        return WASI_EEXIST;
    case EACCES:
    case EPERM:
        return WASI_EACCES;
    case ENOTDIR:
        return WASI_ENOTDIR;
    case EISDIR:
        return WASI_EISDIR;
    case ELOOP:
        return WASI_ENOTCAPABLE; /* a symbolic link: never followed */
    case ENAMETOOLONG:
        return WASI_ENAMETOOLONG;
    case EINVAL:
        return WASI_EINVAL;
    default:
        return WASI_EIO;
    }
}

/* Opens normalized path under directory root, following no symbolic link. */
static int host_open(void *ctx, const char *path, uint32_t oflags, bool write, bool append,
                     bool *is_dir, int64_t *handle)
{
    int root = *(const int *)ctx;
    char comp[WASI_MAX_PATH];
    int dir = root;
    *is_dir = false;
    *handle = -1;
    if (strcmp(path, ".") == 0) {
        *is_dir = true;
        return 0;
    }
    const char *p = path;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash != NULL ? (size_t)(slash - p) : strlen(p);
        memcpy(comp, p, n);
        comp[n] = 0;
        int fd;
        if (slash != NULL) {
            fd = openat(dir, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        } else {
            int flags = (write ? O_RDWR : O_RDONLY) | O_NOFOLLOW;
            flags |= (oflags & WASI_O_CREAT) ? O_CREAT : 0;
            flags |= (oflags & WASI_O_EXCL) ? O_EXCL : 0;
            flags |= (oflags & WASI_O_TRUNC) ? O_TRUNC : 0;
            flags |= (oflags & WASI_O_DIRECTORY) ? O_DIRECTORY : 0;
            flags |= append ? O_APPEND : 0;
            fd = openat(dir, comp, flags, 0644);
            if (fd < 0 && errno == EISDIR && !write) {
                fd = openat(dir, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
            }
        }
        int e = errno;
        if (dir != root) {
            close(dir);
        }
        if (fd < 0) {
            return wasi_errno(e);
        }
        if (slash == NULL) {
            struct stat st;
            if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
                close(fd); /* directories are paths to the library, not open files */
                *is_dir = true;
                return 0;
            }
            *handle = fd;
            return 0;
        }
        dir = fd;
        p = slash + 1;
    }
}

static int host_read(void *ctx, int64_t handle, uint8_t *buf, size_t n, size_t *got)
{
    (void)ctx;
    ssize_t r = read((int)handle, buf, n);
    *got = r > 0 ? (size_t)r : 0;
    return r < 0 ? wasi_errno(errno) : 0;
}

static int host_write(void *ctx, int64_t handle, const uint8_t *buf, size_t n)
{
    (void)ctx;
    if (handle == 1) {
        return fwrite(buf, 1, n, stdout) == n ? 0 : WASI_EIO;
    }
    if (handle == 2) {
        fflush(stdout);
    }
    while (n > 0) {
        ssize_t r = write((int)handle, buf, n);
        if (r < 0) {
            return wasi_errno(errno);
        }
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

static int host_seek(void *ctx, int64_t handle, int64_t offset, uint8_t whence, uint64_t *pos)
{
    (void)ctx;
    static const int w[3] = {SEEK_SET, SEEK_CUR, SEEK_END};
    off_t r = lseek((int)handle, (off_t)offset, w[whence]);
    if (r < 0) {
        return wasi_errno(errno);
    }
    *pos = (uint64_t)r;
    return 0;
}

static int host_close(void *ctx, int64_t handle)
{
    (void)ctx;
    return close((int)handle) == 0 ? 0 : wasi_errno(errno);
}

/* ---- running ---------------------------------------------------------------------- */

struct opts {
    const char *dir;
    uint64_t fuel;
    uint64_t seed;
    uint64_t time_ns;
    const char *env[64];
    uint32_t envc;
    const char *module;
    char **args;
    int nargs;
};

static bool number(const char *s, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    *out = v;
    return s[0] >= '0' && s[0] <= '9' && errno == 0 && *end == 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->dir = ".";
    o->fuel = UINT64_MAX;
    int i = 2;
    for (; i < argc && argv[i][0] == '-'; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = v != NULL;
        if (ok && strcmp(argv[i], "--dir") == 0) {
            o->dir = v;
        } else if (ok && strcmp(argv[i], "--fuel") == 0) {
            ok = number(v, &o->fuel);
        } else if (ok && strcmp(argv[i], "--seed") == 0) {
            ok = number(v, &o->seed);
        } else if (ok && strcmp(argv[i], "--time") == 0) {
            ok = number(v, &o->time_ns);
        } else if (ok && strcmp(argv[i], "--env") == 0 && strchr(v, '=') != NULL && o->envc < 64) {
            o->env[o->envc++] = v;
        } else {
            ok = false;
        }
        if (!ok) {
            fprintf(stderr, "zero job: bad option '%s'\n", argv[i]);
            return -1;
        }
    }
    if (i >= argc) {
        usage(stderr);
        return -1;
    }
    o->module = argv[i];
    o->args = argv + i; /* the program's argv[0] is the module as named */
    o->nargs = argc - i;
    return 0;
}

/* The whole file at path, or NULL with errno set. */
static uint8_t *read_module(const char *path, size_t *len)
{
    struct stat st;
    uint8_t *buf = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY);
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
        buf = malloc((size_t)st.st_size);
        ssize_t r = 1;
        while (buf != NULL && got < (size_t)st.st_size && r > 0) {
            r = read(fd, buf + got, (size_t)st.st_size - got);
            got += r > 0 ? (size_t)r : 0;
        }
        if (buf != NULL && got != (size_t)st.st_size) {
            free(buf);
            buf = NULL;
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    *len = got;
    return buf;
}

struct job {
    void *mem[3];
    struct wasm_func *funcs;
    struct wasm_extern *imports;
    struct wasi wasi;
    struct wasm_exec ex;
    struct wasm_instance *inst;
};

static void *arena(struct job *j, int k, size_t size, struct wasm_arena *a)
{
    j->mem[k] = calloc(1, size);
    if (j->mem[k] != NULL) {
        wasm_arena_init_zeroed(a, j->mem[k], size);
    }
    return j->mem[k];
}

/* Loads and instantiates the module; prints why and returns -1 on failure. */
static int prepare(struct job *j, const struct opts *o, const uint8_t *bytes, size_t len)
{
    struct wasm_arena a;
    struct wasm_error err;
    struct wasm_module *m;
    if (arena(j, 0, wasm_module_arena_size(bytes, len), &a) == NULL) {
        fprintf(stderr, "zero job: out of memory\n");
        return -1;
    }
    if (wasm_module_load(bytes, len, &a, NULL, &m, &err) < 0) {
        fprintf(stderr, "zero job: cannot load %s: %s\n", o->module,
                err.msg != NULL ? err.msg : "?");
        return -1;
    }
    uint32_t n = wasm_module_import_count(m);
    uint32_t bad = 0;
    j->funcs = calloc(n + 1, sizeof *j->funcs);
    j->imports = calloc(n + 1, sizeof *j->imports);
    if (j->funcs == NULL || j->imports == NULL ||
        wasi_bind(&j->wasi, m, j->funcs, j->imports, &bad) < 0) {
        const char *mod = "";
        const char *name = "";
        uint32_t ml = 0;
        uint32_t nl = 0;
        uint8_t kind;
        wasm_module_import(m, bad, &mod, &ml, &name, &nl, &kind);
        fprintf(stderr, "zero job: cannot grant import %.*s.%.*s\n", (int)ml, mod, (int)nl, name);
        return -1;
    }
    if (arena(j, 1, wasm_exec_arena_size(NULL), &a) == NULL ||
        wasm_exec_init(&j->ex, &a, NULL) < 0 ||
        arena(j, 2, wasm_instance_arena_size(m, NULL), &a) == NULL) {
        fprintf(stderr, "zero job: out of memory\n");
        return -1;
    }
    j->ex.fuel = o->fuel;
    int rc = wasm_instantiate(m, j->imports, n, &a, NULL, &j->ex, &j->inst, &err);
    if (rc < 0) {
        fprintf(stderr, "zero job: cannot instantiate %s: %s\n", o->module,
                rc == ZERR_TRAP   ? wasm_trap_text(j->ex.trap)
                : err.msg != NULL ? err.msg
                                  : "?");
        return -1;
    }
    return 0;
}

int zero_cmd_job(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        usage(stdout);
        return ZERO_EXIT_OK;
    }
    struct opts o;
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
        return zero_job_verify(argc, argv);
    }
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    if (parse(argc, argv, &o) < 0) {
        return ZERO_EXIT_USAGE;
    }
    int root = open(o.dir, O_RDONLY | O_DIRECTORY);
    size_t len = 0;
    uint8_t *bytes = read_module(o.module, &len);
    if (root < 0 || bytes == NULL) {
        fprintf(stderr, "zero job: cannot read %s: %s\n", root < 0 ? o.dir : o.module,
                strerror(errno));
        free(bytes);
        if (root >= 0) {
            close(root);
        }
        return ZERO_EXIT_USAGE;
    }
    struct wasi_files files = {&root, host_open, host_read, host_write, host_seek, host_close};
    struct wasi_config cfg = {
        (uint32_t)o.nargs, (const char *const *)o.args, o.envc, o.env, o.time_ns, o.seed, &files};
    struct job *j = calloc(1, sizeof *j);
    int status = ZERO_EXIT_USAGE;
    wasi_init(&j->wasi, &cfg);
    if (prepare(j, &o, bytes, len) == 0) {
        uint32_t code = 0;
        int rc = wasi_run(&j->wasi, j->inst, &j->ex, &code);
        fflush(stdout);
        if (rc == 0) {
            status = (int)(code & 0xff);
        } else if (rc == ZERR_TRAP) {
            fprintf(stderr, "zero job: trap: %s\n", wasm_trap_text(j->ex.trap));
            status = EXIT_TRAP;
        } else {
            fprintf(stderr, "zero job: %s exports no _start and memory\n", o.module);
        }
        if (o.fuel != UINT64_MAX) {
            fprintf(stderr, "fuel used: %llu of %llu\n", (unsigned long long)(o.fuel - j->ex.fuel),
                    (unsigned long long)o.fuel);
        }
    }
    free(j->funcs);
    free(j->imports);
    for (int k = 0; k < 3; k++) {
        free(j->mem[k]);
    }
    free(j);
    free(bytes);
    close(root);
    return status;
}
