/*
 * The job's sandbox: its files in memory.  Inputs are loaded from the CAS
 * before the run; the directories are those their paths imply.  Files
 * opened for writing are counted against JOBS_WRITTEN_MAX and
 * JOBS_WRITTEN_PATH_BYTES, so a result always fits its record.
 */
#include "services/jobs/internal/sandbox.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"

#define SB_EFBIG 22
#define SB_ENOSPC 51
#define SB_HANDLE0 16 /* handles of open files start here */

static size_t sb_pages(size_t cap)
{
    return (cap + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
}

/* Makes room for need bytes in b; a WASI errno. */
static int sb_reserve(struct sb_buf *b, uint64_t need)
{
    if (need > JOBS_FILE_MAX) {
        return SB_EFBIG;
    }
    if (need <= b->cap) {
        return 0;
    }
    size_t cap = b->cap ? b->cap : HAL_PAGE_SIZE;
    while (cap < need) {
        cap *= 2;
    }
    uint8_t *p = hal_page_alloc(sb_pages(cap));
    if (p == NULL) {
        return WASI_EIO;
    }
    if (b->len > 0) {
        memcpy(p, b->p, b->len);
    }
    if (b->p != NULL) {
        hal_page_free(b->p, sb_pages(b->cap));
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

const uint8_t *sb_bytes(const struct sb_buf *b)
{
    static const uint8_t none[1];

    return b->p != NULL ? b->p : none;
}

void sb_buf_free(struct sb_buf *b)
{
    if (b->p != NULL) {
        hal_page_free(b->p, sb_pages(b->cap));
    }
    memset(b, 0, sizeof(*b));
}

static struct sb_file *sb_find(struct sandbox *s, const char *path)
{
    for (uint32_t i = 0; i < s->nfiles; i++) {
        if (strcmp(s->files[i].path, path) == 0) {
            return &s->files[i];
        }
    }
    return NULL;
}

/* True if path is a directory: the root, or a proper prefix of a file's path
 * ending at a '/'. */
static bool sb_is_dir(const struct sandbox *s, const char *path)
{
    size_t n = strlen(path);

    if (strcmp(path, ".") == 0) {
        return true;
    }
    for (uint32_t i = 0; i < s->nfiles; i++) {
        const char *f = s->files[i].path;
        if (strlen(f) > n && strncmp(f, path, n) == 0 && f[n] == '/') {
            return true;
        }
    }
    return false;
}

/* True if the parent directory of path exists. */
static bool sb_parent_exists(const struct sandbox *s, const char *path)
{
    char dir[JOB_STR_MAX + 1];
    const char *slash = NULL;

    for (const char *p = path; *p != '\0'; p++) {
        slash = *p == '/' ? p : slash;
    }
    if (slash == NULL) {
        return true;
    }
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
    return sb_is_dir(s, dir);
}

int sb_add(struct sandbox *s, const char *path, const uint8_t *data, uint64_t len)
{
    struct sb_file *f;

    if (s->nfiles == SB_MAX_FILES) {
        return ZERR_FULL;
    }
    f = &s->files[s->nfiles];
    memset(f, 0, sizeof(*f));
    memcpy(f->path, path, strlen(path) + 1);
    if (sb_reserve(&f->data, len) != 0) {
        return ZERR_NOMEM;
    }
    if (len > 0) {
        memcpy(f->data.p, data, len);
    }
    f->data.len = len;
    blake3_hash(len > 0 ? data : f->input_hash, len, f->input_hash);
    f->is_input = true;
    s->nfiles++;
    return 0;
}

/* Marks f written, within the limits; a WASI errno. */
static int sb_mark_written(struct sandbox *s, struct sb_file *f)
{
    size_t n = strlen(f->path);

    if (f->written) {
        return 0;
    }
    if (s->nwritten == JOBS_WRITTEN_MAX || s->written_bytes + n > JOBS_WRITTEN_PATH_BYTES) {
        return SB_ENOSPC;
    }
    s->nwritten++;
    s->written_bytes += n;
    f->written = true;
    return 0;
}

/* Creates an empty file at path (its parent exists); a WASI errno. */
static int sb_create(struct sandbox *s, const char *path, struct sb_file **out)
{
    struct sb_file *f;

    if (strlen(path) > JOB_STR_MAX) {
        return WASI_ENAMETOOLONG;
    }
    if (!sb_parent_exists(s, path)) {
        return WASI_ENOENT;
    }
    if (s->nfiles == SB_MAX_FILES || s->nwritten == JOBS_WRITTEN_MAX ||
        s->written_bytes + strlen(path) > JOBS_WRITTEN_PATH_BYTES) {
        return SB_ENOSPC;
    }
    f = &s->files[s->nfiles++];
    memset(f, 0, sizeof(*f));
    memcpy(f->path, path, strlen(path) + 1);
    *out = f;
    return sb_mark_written(s, f);
}

static int sb_open_slot(struct sandbox *s, struct sb_file *f, bool write, bool append,
                        int64_t *handle)
{
    for (uint32_t i = 0; i < SB_MAX_OPEN; i++) {
        if (s->open[i].file == NULL) {
            s->open[i].file = f;
            s->open[i].pos = 0;
            s->open[i].write = write;
            s->open[i].append = append;
            *handle = SB_HANDLE0 + i;
            return 0;
        }
    }
    return WASI_EIO; /* more open files than fds: cannot happen with WASI_MAX_FDS */
}

static int sb_open(void *ctx, const char *path, uint32_t oflags, bool write, bool append,
                   bool *is_dir, int64_t *handle)
{
    struct sandbox *s = ctx;
    struct sb_file *f = sb_find(s, path);
    int err;

    *is_dir = false;
    *handle = -1;
    if (f == NULL && sb_is_dir(s, path)) {
        if ((oflags & WASI_O_CREAT) && (oflags & WASI_O_EXCL)) {
            return WASI_EEXIST;
        }
        *is_dir = true;
        return write ? WASI_EISDIR : 0;
    }
    if (f != NULL && (oflags & WASI_O_CREAT) && (oflags & WASI_O_EXCL)) {
        return WASI_EEXIST;
    }
    if (f != NULL && (oflags & WASI_O_DIRECTORY)) {
        return WASI_ENOTDIR;
    }
    if (f == NULL) {
        if (!(oflags & WASI_O_CREAT)) {
            return WASI_ENOENT;
        }
        err = sb_create(s, path, &f);
        if (err != 0) {
            return err;
        }
    }
    if (write || (oflags & WASI_O_TRUNC)) {
        err = sb_mark_written(s, f);
        if (err != 0) {
            return err;
        }
    }
    if (oflags & WASI_O_TRUNC) {
        f->data.len = 0;
    }
    return sb_open_slot(s, f, write, append, handle);
}

static struct sb_open *sb_handle(struct sandbox *s, int64_t handle)
{
    int64_t i = handle - SB_HANDLE0;

    return i >= 0 && i < SB_MAX_OPEN && s->open[i].file != NULL ? &s->open[i] : NULL;
}

static int sb_read(void *ctx, int64_t handle, uint8_t *buf, size_t n, size_t *got)
{
    struct sandbox *s = ctx;
    struct sb_open *o = sb_handle(s, handle);

    *got = 0;
    if (handle == 0) {
        return 0; /* stdin is empty */
    }
    if (o == NULL) {
        return WASI_EBADF;
    }
    if (o->pos < o->file->data.len) {
        uint64_t left = o->file->data.len - o->pos;
        *got = left < n ? (size_t)left : n;
        memcpy(buf, o->file->data.p + o->pos, *got);
        o->pos += *got;
    }
    return 0;
}

/* Writes n bytes at pos of b, growing it; a WASI errno. */
static int sb_put(struct sb_buf *b, uint64_t pos, const uint8_t *p, size_t n)
{
    int err = n == 0 ? 0 : sb_reserve(b, pos + n);

    if (err != 0 || n == 0) {
        return err; /* writing nothing changes nothing, even past the end */
    }
    if (pos > b->len) {
        memset(b->p + b->len, 0, pos - b->len);
    }
    memcpy(b->p + pos, p, n);
    if (pos + n > b->len) {
        b->len = pos + n;
    }
    return 0;
}

static int sb_write(void *ctx, int64_t handle, const uint8_t *buf, size_t n)
{
    struct sandbox *s = ctx;
    struct sb_open *o = sb_handle(s, handle);

    if (handle == 1 || handle == 2) {
        struct sb_buf *b = handle == 1 ? &s->out : &s->err;
        return sb_put(b, b->len, buf, n);
    }
    if (o == NULL || !o->write) {
        return WASI_EBADF;
    }
    if (o->append) {
        o->pos = o->file->data.len;
    }
    int err = sb_put(&o->file->data, o->pos, buf, n);
    if (err == 0) {
        o->pos += n;
    }
    return err;
}

static int sb_seek(void *ctx, int64_t handle, int64_t offset, uint8_t whence, uint64_t *pos)
{
    struct sandbox *s = ctx;
    struct sb_open *o = sb_handle(s, handle);
    int64_t base;

    if (o == NULL) {
        return WASI_EBADF;
    }
    base = whence == 0 ? 0 : (whence == 1 ? (int64_t)o->pos : (int64_t)o->file->data.len);
    if ((offset < 0 && base + offset < 0) || (offset > 0 && base > INT64_MAX - offset)) {
        return WASI_EINVAL;
    }
    o->pos = (uint64_t)(base + offset);
    *pos = o->pos;
    return 0;
}

static int sb_close(void *ctx, int64_t handle)
{
    struct sandbox *s = ctx;
    struct sb_open *o = sb_handle(s, handle);

    if (o == NULL) {
        return WASI_EBADF;
    }
    o->file = NULL;
    return 0;
}

void sb_init(struct sandbox *s)
{
    memset(s, 0, sizeof(*s));
    s->ops.ctx = s;
    s->ops.open = sb_open;
    s->ops.read = sb_read;
    s->ops.write = sb_write;
    s->ops.seek = sb_seek;
    s->ops.close = sb_close;
}

void sb_free(struct sandbox *s)
{
    for (uint32_t i = 0; i < s->nfiles; i++) {
        sb_buf_free(&s->files[i].data);
    }
    sb_buf_free(&s->out);
    sb_buf_free(&s->err);
    s->nfiles = 0;
}
