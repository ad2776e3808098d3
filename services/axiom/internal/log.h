/* Log record framing shared by the replay and the sequencer (docs/formats.md). */
#ifndef ZERO_SERVICES_AXIOM_INTERNAL_LOG_H
#define ZERO_SERVICES_AXIOM_INTERNAL_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AXLOG_MAGIC "ZLR1"
#define AXLOG_HEADER 48u
#define AXLOG_SUM_LEN 16u
#define AXLOG_ENTRY 1u
#define AXLOG_CHECKPOINT 2u
#define AXLOG_CP_MAX 256u
/* room a batch keeps for its checkpoint record and sector padding */
#define AXLOG_CP_RESERVE (AXLOG_HEADER + AXLOG_CP_MAX + 512u)

struct axlog_rec {
    uint8_t type;
    uint32_t len;
    uint64_t batch;
    uint64_t seq;
    const uint8_t *payload;
    size_t total; /* header + payload + padding */
};

/* Bytes a record with an n-byte payload occupies. */
size_t axlog_rec_size(size_t n);

/*
 * Appends a record at buf + *off (cap bytes in all) and advances *off.
 * Returns 0 or ZERR_FULL.
 */
int axlog_put(uint8_t *buf, size_t cap, size_t *off, uint8_t type, uint64_t batch, uint64_t seq,
              const uint8_t *payload, size_t n);

/*
 * Parses the record at buf (avail bytes): magic, type, reserved bytes,
 * length, checksum and zero padding.  Returns 0, ZERR_TRUNCATED if it runs
 * past avail, or ZERR_CORRUPT; why names the problem.
 */
int axlog_parse(const uint8_t *buf, size_t avail, struct axlog_rec *r, const char **why);

/*
 * True if an intact record (axlog_parse) of a batch numbered after batch
 * starts at a sector boundary of buf before starts; it may run on to avail.
 */
bool axlog_later_batch(const uint8_t *buf, size_t starts, size_t avail, uint64_t batch);

void axlog_le64(uint8_t *p, uint64_t v);
uint64_t axlog_get64(const uint8_t *p);
void axlog_le32(uint8_t *p, uint32_t v);
uint32_t axlog_get32(const uint8_t *p);

/* True if n bytes at p are all zero. */
int axlog_is_zero(const uint8_t *p, size_t n);

#endif
