/*
 * Store: the content-addressed store kept in a space on a disk region.
 *
 * Chunks and lists are extents of the space; the committed root of the
 * space holds the client's own root (for the filesystem, its namespace)
 * and the CAS index, so one space commit makes a new namespace and the
 * content it names durable together (docs/formats.md "Store root").  At
 * open the index is decoded and every extent it names is marked live, so
 * an extent not named is free.
 */
#ifndef ZERO_SERVICES_STORE_H
#define ZERO_SERVICES_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "services/cas/cas.h"
#include "services/space/space.h"

#define STORE_ROOT_HEADER 16

/* Memory the caller lends a store; store_mem_size tells how much. */
struct store_mem {
    struct cas_obj *tab;
    uint32_t tab_cap;   /* a power of two */
    uint8_t *chunk_buf; /* CAS_CHUNK_MAX */
    uint8_t *list_buf;
    size_t list_cap;
    uint8_t *used, *freed; /* SPACE_MAP_BYTES(region blocks) each */
    uint8_t *root;         /* root_cap bytes: the encoded root */
    size_t root_cap;
};

struct store {
    struct space sp;
    struct cas cas;
    struct store_mem mem;
};

/* Opens the store over [base, base+len) of dev, formatting an unformatted
 * region first.  *app and *app_len are the client's committed root (inside
 * mem->root; length 0 after a format).  0, ZERR_CORRUPT (a root or index
 * that does not verify, extents that overlap), ZERR_LIMIT, ZERR_IO. */
int store_open(struct store *st, struct blk *dev, uint64_t base, uint64_t len,
               const struct store_mem *mem, const uint8_t **app, size_t *app_len);

/* Commits the client's root app (app_len bytes; may point into mem->root)
 * with the current index.  On 0 everything put before is durable. */
int store_commit(struct store *st, const uint8_t *app, size_t app_len);

/* The space operations the store gives its CAS. */
extern const struct cas_space_ops store_space_ops;

#endif
