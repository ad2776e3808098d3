/*
 * The filesystem as a service of a node: file bytes in a store on the
 * disk's CAS region, the namespace in the Axiom's state.  A write puts the
 * content into the store and commits the store (the content is durable)
 * before it proposes the fs.put entry that names it: the entry is the
 * commit point, and content a crash left unnamed is garbage that `fs gc`
 * reclaims.  Namespace changes that carry no content (mkdir, rm, mv, ...)
 * go to the Axiom directly.  docs/storage.md.
 */
#ifndef ZERO_SERVICES_FS_SERVICE_H
#define ZERO_SERVICES_FS_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "services/axiom/service.h"
#include "services/fs/fs.h"
#include "services/store/store.h"
#include "svcrt/runtime.h"

enum fssvc_op {
    FSSVC_OP_PUT = 1,  /* in: struct fssvc_put; out: struct axiom_result */
    FSSVC_OP_READ = 2, /* in: struct fssvc_read; out: the bytes (out_len of them) */
    FSSVC_OP_GC = 3,   /* out: struct fssvc_usage (after the sweep) */
    FSSVC_OP_DF = 4,   /* out: struct fssvc_usage */
};

struct fssvc_put {
    char proposer[ID_NAME_MAX + 1];
    char path[FS_PATH_MAX + 1];
    const void *data;
    uint64_t len;
    uint32_t mode;
    bool append; /* add to the end of the file instead of replacing it */
};

#define FSSVC_WHY_MAX (FS_PATH_MAX + 128)

struct fssvc_read {
    char path[FS_PATH_MAX + 1];
    uint64_t off;
    char *why; /* FSSVC_WHY_MAX bytes of the caller's: why a read failed (a damaged chunk) */
};

struct fssvc_usage {
    uint64_t region_bytes; /* the store's region */
    uint64_t used_bytes;   /* blocks in use */
    uint64_t objects;      /* chunks, lists and files in the index */
    uint64_t files, dirs;  /* in the namespace */
    uint64_t file_bytes;   /* sum of the file sizes */
    uint64_t swept;        /* FSSVC_OP_GC: objects dropped */
};

struct fssvc {
    struct rt *rt;
    uint32_t self;
    uint32_t h_axiom; /* propose and read */
    struct store st;
    struct store_mem mem;
    size_t mem_pages[7];
    bool open;
};

/* Opens (formatting if blank) the store on [base, base+len) of dev with
 * memory from the HAL.  0 or the store's error. */
int fssvc_open(struct fssvc *s, struct blk *dev, uint64_t base, uint64_t len);

void fssvc_close(struct fssvc *s);

/* Message handler (enum fssvc_op). */
int fssvc_handle(void *self, uint64_t badge, struct rt_msg *m);

/* The usage figures of s under the namespace ns. */
void fssvc_usage(const struct fssvc *s, const struct fs *ns, struct fssvc_usage *u);

#endif
