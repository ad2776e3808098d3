/*
 * Reading files by path, and naming the paths a damaged object breaks.
 */
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/fs/fs.h"

int fs_read(struct fs *fs, const char *path, uint64_t off, void *buf, size_t n, size_t *got,
            struct fs_fault *f)
{
    struct fs_node node;
    struct cas_fault cf;
    int err = fs_stat(fs, path, &node);

    *got = 0;
    if (err != 0) {
        return err;
    }
    if (node.kind != FS_FILE) {
        return ZERR_PERM;
    }
    err = cas_read(fs->cas, node.hash, off, buf, n, got, &cf);
    if (err == ZERR_CORRUPT && f != NULL) {
        memset(f, 0, sizeof(*f));
        memcpy(f->path, node.path, sizeof(f->path));
        f->cas = cf;
    }
    return err;
}

size_t fs_fault_text(const struct fs_fault *f, char *out, size_t cap)
{
    char hex[2 * CAS_HASH + 1];

    zfmt_hex(hex, f->cas.object, CAS_HASH);
    if (f->cas.is_list) {
        return zfmt_snprintf(out, cap, "%s: its chunk list %s is damaged", f->path, hex);
    }
    return zfmt_snprintf(out, cap, "%s: chunk %u at offset %llu (%s) is damaged", f->path,
                         (unsigned)f->cas.chunk, (unsigned long long)f->cas.offset, hex);
}

struct fs_scrub_ctx {
    const struct fs *fs;
    fs_damage_fn fn;
    void *ctx;
    uint64_t reports;
};

/* A damaged object and a content name that uses it: every path whose
 * content is that name is damaged. */
static void fs_on_damage(void *arg, const uint8_t object[CAS_HASH], const uint8_t *file)
{
    struct fs_scrub_ctx *x = arg;

    for (uint32_t i = 0; i < x->fs->count; i++) {
        const struct fs_node *n = &x->fs->nodes[i];
        if (n->kind == FS_FILE && file != NULL && memcmp(n->hash, file, CAS_HASH) == 0) {
            x->fn(x->ctx, n->path, object);
            x->reports++;
        }
    }
}

int fs_scrub(struct fs *fs, fs_damage_fn fn, void *ctx, uint64_t *damaged_paths)
{
    struct fs_scrub_ctx x = {fs, fn, ctx, 0};
    int err = cas_scrub(fs->cas, fs_on_damage, &x, NULL);

    *damaged_paths = x.reports;
    return err;
}
