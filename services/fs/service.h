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

/*
 * Operations, numbered from 0x101 so that one endpoint can serve them
 * beside the Axiom's (x86_64: the Axiom's process holds the store).  Every
 * request and reply is bytes in the encoding of svcrt/wire.h; the layouts
 * are in docs/services.md and in the encoders below, the only code that
 * writes or reads them.
 */
enum fssvc_op {
    FSSVC_OP_PUT = 0x101,     /* in: put; out: result (services/axiom/service.h) */
    FSSVC_OP_READ = 0x102,    /* in: read; out: the bytes, or on ZERR_CORRUPT str[640] why */
    FSSVC_OP_GC = 0x103,      /* in: empty; out: usage (after the sweep) */
    FSSVC_OP_DF = 0x104,      /* in: empty; out: usage */
    FSSVC_OP_EFFECTS = 0x105, /* runs the effects of committed entries not yet done; out: usage */
    FSSVC_OP_PART = 0x106,    /* in: part (content staged for a put); out: u64 stream token */
    FSSVC_OP_PUT_STAGED = 0x107, /* in: staged put; out: result, as FSSVC_OP_PUT */
};

#define FSSVC_PUT_MAX (1024u * 1024u * 1024u) /* bytes of content one put carries */
#define FSSVC_PUT_FIXED (AXIOM_NAME_FIELD + AXIOM_PATH_FIELD + 4u + 1u + 4u) /* 554 */
#define FSSVC_READ_LEN (AXIOM_PATH_FIELD + 8u)                               /* 520 */
#define FSSVC_USAGE_LEN 56u
#define FSSVC_READ_WINDOW (1024u * 1024u)
/* A put whose message would pass FSSVC_MSG_MAX (what one message through
 * the x86_64 transport's shared buffer holds) streams its content in parts
 * of at most FSSVC_PART_MAX bytes, then names them by the token. */
#define FSSVC_MSG_MAX 16384u
#define FSSVC_PART_FIXED (8u + 8u + 8u + 4u)    /* 28 */
#define FSSVC_PART_MAX (FSSVC_MSG_MAX - 64u)    /* 16320 */
#define FSSVC_STAGED_LEN (8u + FSSVC_PUT_FIXED) /* 562 */
#define FSSVC_WHY_MAX (FS_PATH_MAX + 129)       /* str[640] */

/* A put, decoded: data points into the request (or the caller's bytes). */
struct fssvc_put {
    char proposer[ID_NAME_MAX + 1];
    char path[FS_PATH_MAX + 1];
    uint32_t mode;
    bool append; /* add to the end of the file instead of replacing it */
    const void *data;
    uint64_t len;
};

/* One part of a staged put's content: token 0 with offset 0 starts a stream
 * of total bytes (the service answers its token); the others continue it. */
struct fssvc_part {
    uint64_t token;
    uint64_t total;
    uint64_t offset;
    const void *data;
    uint32_t len;
};

struct fssvc_read {
    char path[FS_PATH_MAX + 1];
    uint64_t off;
};

struct fssvc_usage {
    uint64_t region_bytes; /* the store's region */
    uint64_t used_bytes;   /* blocks in use */
    uint64_t objects;      /* chunks, lists and files in the index */
    uint64_t files, dirs;  /* in the namespace */
    uint64_t file_bytes;   /* sum of the file sizes */
    uint64_t swept;        /* FSSVC_OP_GC: objects dropped */
};

/* ---- the encodings (services/fs/msg.c); encoders: 0 with *len or ZERR_RANGE ---- */

int fssvc_put_encode(const struct fssvc_put *rq, void *buf, size_t cap, size_t *len);
/* Decodes a put (a path that fs_path_problem refuses is ZERR_INVAL). */
int fssvc_put_decode(const void *buf, size_t len, struct fssvc_put *rq);
int fssvc_part_encode(const struct fssvc_part *p, void *buf, size_t cap, size_t *len);
int fssvc_part_decode(const void *buf, size_t len, struct fssvc_part *p);
/* A staged put: the token, then a put whose content is empty (the staged
 * bytes are the content). */
int fssvc_staged_encode(uint64_t token, const struct fssvc_put *rq, void *buf, size_t cap,
                        size_t *len);
int fssvc_staged_decode(const void *buf, size_t len, uint64_t *token, struct fssvc_put *rq);
int fssvc_read_encode(const struct fssvc_read *rq, void *buf, size_t cap, size_t *len);
int fssvc_read_decode(const void *buf, size_t len, struct fssvc_read *rq);
int fssvc_usage_encode(const struct fssvc_usage *u, void *buf, size_t cap, size_t *len);
int fssvc_usage_decode(const void *buf, size_t len, struct fssvc_usage *u);

/* ---- a client's calls (services/fs/msg.c), through handle h of caller ---- */

/* Puts rq; res gets the outcome.  Content that fits one message goes in
 * one FSSVC_OP_PUT (its bytes encoded in pages from the HAL); more is
 * streamed in FSSVC_OP_PART messages and committed by one
 * FSSVC_OP_PUT_STAGED, so the file is one entry either way. */
int fssvc_put_call(struct rt *rt, uint32_t caller, uint32_t h, const struct fssvc_put *rq,
                   struct axiom_result *res);
/* Reads from off of path into buf (at most cap bytes; *got came); on
 * ZERR_CORRUPT why (FSSVC_WHY_MAX bytes) names the damaged chunk. */
int fssvc_read_call(struct rt *rt, uint32_t caller, uint32_t h, const char *path, uint64_t off,
                    void *buf, size_t cap, size_t *got, char *why);
/* FSSVC_OP_GC or FSSVC_OP_DF. */
int fssvc_usage_call(struct rt *rt, uint32_t caller, uint32_t h, uint32_t op,
                     struct fssvc_usage *u);

struct fssvc {
    struct rt *rt;
    uint32_t self;
    uint32_t h_axiom; /* propose and read */
    struct store st;
    struct store_mem mem;
    size_t mem_pages[7];
    bool open;
    /* the effects outbox cursor (docs/axiom.md "Effects"): the effects of
     * the first fx_done entries, the last of them fx_head, are done */
    uint64_t fx_done;
    uint8_t fx_head[AX_HASH_LEN];
    /* the one staged put (FSSVC_OP_PART): its token, pages and bytes so far */
    uint64_t stage_token, stage_next;
    uint8_t *stage;
    size_t stage_pages;
    uint64_t stage_total, stage_len;
    /* the last window a read verified (FSSVC_READ_WINDOW bytes of one
     * content from win_off): the next reads of it copy from here instead
     * of verifying the chunks around each message's bytes again */
    uint8_t *win;
    uint8_t win_hash[CAS_HASH];
    uint64_t win_off, win_len;
};

/* Opens (formatting if blank) the store on [base, base+len) of dev with
 * memory from the HAL, then re-drives the effects of committed entries not
 * yet done (the Axiom must be open and s wired to it).  0 or the store's
 * error. */
int fssvc_open(struct fssvc *s, struct blk *dev, uint64_t base, uint64_t len);

void fssvc_close(struct fssvc *s);

/* Runs the effects of the entries committed since the cursor (garbage
 * collection: content no file of the committed namespace names is
 * reclaimed), then commits the store with the cursor moved to the durable
 * end of the log.  Idempotent: running it twice reclaims once.  force
 * runs it even when the cursor is at the end.  *swept: objects reclaimed. */
int fssvc_drive(struct fssvc *s, bool force, uint64_t *swept);

/* Message handler (enum fssvc_op). */
int fssvc_handle(void *self, uint64_t badge, struct rt_msg *m);

#endif
