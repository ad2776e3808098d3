/*
 * A deterministic WASI (preview1) for the WebAssembly engine: the calls a
 * C program built with clang --target=wasm32-wasi and wasi-libc needs,
 * with every source of nondeterminism pinned (docs/jobs.md).  Files go
 * through the embedder's struct wasi_files, rooted at the job's sandbox
 * directory; paths never leave it.  Freestanding: no allocation, no libc.
 *
 *     wasi_init()       arguments, environment, pinned time and seed, files
 *     wasi_bind()       host functions for a module's imports
 *     wasi_run()        instantiate-time memory lookup, then _start
 */
#ifndef ZERO_WASI_WASI_H
#define ZERO_WASI_WASI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasm/wasm.h"

/* WASI errno values used here (preview1). */
enum {
    WASI_ESUCCESS = 0,
    WASI_EACCES = 2,
    WASI_EBADF = 8,
    WASI_EEXIST = 20,
    WASI_EFAULT = 21,
    WASI_EINVAL = 28,
    WASI_EIO = 29,
    WASI_EISDIR = 31,
    WASI_ENAMETOOLONG = 37,
    WASI_ENOENT = 44,
    WASI_ENOSYS = 52,
    WASI_ENOTDIR = 54,
    WASI_ENOTSUP = 58,
    WASI_ESPIPE = 70,
    WASI_ENOTCAPABLE = 76,
};

/* path_open's oflags */
#define WASI_O_CREAT 1u
#define WASI_O_DIRECTORY 2u
#define WASI_O_EXCL 4u
#define WASI_O_TRUNC 8u

#define WASI_MAX_FDS 64
#define WASI_MAX_PATH 1024

/*
 * The sandbox's files, provided by the embedder.  Handles 0, 1 and 2 are
 * standard input, output and error; open returns others.  path is relative
 * to the sandbox root, normalized ("a/b", "." for the root itself), never
 * with "..", and NUL-terminated.  Every function returns a WASI errno
 * (0 on success).
 */
struct wasi_files {
    void *ctx;
    int (*open)(void *ctx, const char *path, uint32_t oflags, bool write, bool append, bool *is_dir,
                int64_t *handle);
    int (*read)(void *ctx, int64_t handle, uint8_t *buf, size_t n, size_t *got);
    int (*write)(void *ctx, int64_t handle, const uint8_t *buf, size_t n);
    /* whence: 0 set, 1 current, 2 end */
    int (*seek)(void *ctx, int64_t handle, int64_t offset, uint8_t whence, uint64_t *pos);
    int (*close)(void *ctx, int64_t handle);
};

struct wasi_config {
    uint32_t argc;
    const char *const *argv;
    uint32_t envc;
    const char *const *env; /* "NAME=VALUE" */
    uint64_t time_ns;       /* what clock_time_get returns, for every clock */
    uint64_t seed;          /* random_get's stream */
    const struct wasi_files *files;
};

struct wasi_fd {
    bool used;
    bool is_dir;
    int64_t handle;
    char path[WASI_MAX_PATH]; /* a directory's path from the root */
};

struct wasi {
    struct wasi_config cfg;
    struct wasi_fd fds[WASI_MAX_FDS];
    struct wasm_memory *memory;
    uint64_t random_pos;
    bool exited;
    uint32_t exit_code;
    uint32_t unsupported; /* calls answered ENOSYS */
};

void wasi_init(struct wasi *w, const struct wasi_config *cfg);

/*
 * Prepares one import binding per import of m in funcs[] and imports[]:
 * the calls of wasi_snapshot_preview1 it implements, and for any other
 * name of that module a function of the declared type answering ENOSYS.
 * Returns 0, or ZERR_NOENT (an import from another module, or not a
 * function) / ZERR_INVAL (a known call with the wrong type) with *bad the
 * index of the import.
 */
int wasi_bind(struct wasi *w, const struct wasm_module *m, struct wasm_func *funcs,
              struct wasm_extern *imports, uint32_t *bad);

/*
 * Calls WASI function name directly, with memory w->memory (set by
 * wasi_run, or by the caller): args one per parameter, results[0] the
 * errno.  Returns what the host function returns (WASM_TRAP_HOST after
 * proc_exit).  wasi_call_name(i) lists the implemented calls, NULL past
 * the last.  For tests and fuzzing.
 */
int wasi_call(struct wasi *w, const char *name, const uint64_t *args, uint64_t *results);
const char *wasi_call_name(uint32_t i);

/*
 * Runs the instance's _start on ex: 0 when it returned or called
 * proc_exit (*status: its exit code, 0 for a return), ZERR_TRAP with
 * ex->trap when it trapped, ZERR_NOENT without a _start or a memory.
 */
int wasi_run(struct wasi *w, struct wasm_instance *inst, struct wasm_exec *ex, uint32_t *status);

#endif
