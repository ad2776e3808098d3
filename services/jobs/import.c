/*
 * JOBS_OP_IMPORT (docs/jobs.md "Programs and inputs from the filesystem"):
 * a file of the filesystem into the jobs' store, so that a job can name
 * it by content hash.  The file's node (its hash and size) comes from the
 * Axiom's committed namespace, its bytes from the filesystem service in
 * pieces that fit one message on every platform; the bytes must hash to
 * the node's hash, and the store is committed before the hash is answered.
 */
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "hal/hal.h"
#include "services/fs/service.h"
#include "services/jobs/jobs.h"
#include "svcrt/wire.h"

#define JOBS_IMPORT_PIECE 8192u /* bytes a read asks for: fits any channel */

/* Reads the size bytes of path from the filesystem into buf. */
static int jobs_import_read(struct jobs_svc *js, const char *path, uint8_t *buf, uint64_t size)
{
    static char why[FSSVC_WHY_MAX];
    uint64_t off = 0;

    while (off < size) {
        size_t want = size - off < JOBS_IMPORT_PIECE ? (size_t)(size - off) : JOBS_IMPORT_PIECE;
        size_t got = 0;
        int err =
            fssvc_read_call(js->rt, js->self, js->h_fs, path, off, buf + off, want, &got, why);
        if (err != 0) {
            return err;
        }
        if (got == 0) {
            return ZERR_TRUNCATED; /* the file shrank under us */
        }
        off += got;
    }
    return 0;
}

/* Puts the file at path into the store; its hash and size into *n. */
static int jobs_import_file(struct jobs_svc *js, const char *path, struct fs_node *n)
{
    uint8_t check[JOB_HASH];
    int err = axiom_fs_stat(js->rt, js->self, js->h_axiom, path, n);

    if (err != 0) {
        return err;
    }
    if (n->kind != FS_FILE) {
        return ZERR_PERM; /* a directory */
    }
    if (n->size > JOBS_FILE_MAX) {
        return ZERR_LIMIT;
    }
    if (cas_has(js->cas, n->hash)) {
        return 0;
    }
    size_t pages = (size_t)(n->size + HAL_PAGE_SIZE) / HAL_PAGE_SIZE;
    uint8_t *buf = hal_page_alloc(pages);
    err = buf == NULL ? ZERR_NOMEM : jobs_import_read(js, path, buf, n->size);
    if (err == 0) {
        blake3_hash(buf, (size_t)n->size, check);
        err = memcmp(check, n->hash, JOB_HASH) == 0 ? 0 : ZERR_CORRUPT;
    }
    if (err == 0) {
        err = cas_put(js->cas, buf, n->size, check, NULL);
    }
    if (err == 0 && js->cas_commit != NULL) {
        err = js->cas_commit(js->cas_ctx);
    }
    if (buf != NULL) {
        hal_page_free(buf, pages);
    }
    return err;
}

int jobs_import(struct jobs_svc *js, struct rt_msg *m)
{
    static struct fs_node n;
    char path[AXIOM_PATH_FIELD];
    struct wire_in in;
    struct wire_out w;

    wire_in_init(&in, m->in, m->in_len);
    wire_get_str(&in, path, sizeof(path));
    int err = wire_in_end(&in);
    if (err != 0 || fs_path_problem(path, strlen(path)) != NULL) {
        return ZERR_INVAL;
    }
    if (!js->has_fs) {
        return ZERR_UNSUPPORTED;
    }
    err = jobs_import_file(js, path, &n);
    if (err != 0) {
        return err;
    }
    wire_out_init(&w, m->out, m->out_cap);
    wire_bytes(&w, n.hash, JOB_HASH);
    wire_u64(&w, n.size);
    return wire_out_end(&w, &m->out_len);
}
