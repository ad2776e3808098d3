/* Log segment headers (docs/formats.md "Log segments"). */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_SEGMENT_H
#define ZERO_SERVICES_AXIOM_INTERNAL_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#define AXSEG_MAGIC "ZLOGSEG1"
#define AXSEG_HEADER 512u
#define AXSEG_SUM_AT 480u

#define AXSEG_LOG 0u
#define AXSEG_SNAPSHOT 1u

struct axseg_hdr {
    uint64_t kind;    /* AXSEG_LOG or AXSEG_SNAPSHOT */
    uint64_t k;       /* log: the segment number; snapshot: the entries it covers */
    uint64_t len;     /* snapshot: the snapshot file's length (0 for a log segment) */
    uint8_t hash[32]; /* snapshot: BLAKE3 of the snapshot file (zero for a log segment) */
};

/* Writes the header sector h describes. */
void axseg_header_encode(uint8_t out[AXSEG_HEADER], const struct axseg_hdr *h);

/*
 * Decodes a header sector (n bytes, at least AXSEG_HEADER): 0 with *h,
 * ZERR_NOENT if the sector is all zero (a free slot), or ZERR_CORRUPT.
 */
int axseg_header_decode(const uint8_t *p, size_t n, struct axseg_hdr *h);

#endif
