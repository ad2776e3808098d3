/*
 * Chunk lists: the encoding of a file of two or more chunks
 * (docs/formats.md "Chunk list").  The decoder accepts exactly one encoding
 * per list, so a list's hash names it.
 */
#include "base/endian.h"
#include "base/errors.h"
#include "base/string.h"
#include "services/cas/cas.h"

static const uint8_t list_magic[8] = {'Z', 'C', 'H', 'U', 'N', 'K', 'S', 1};

void cas_list_put_header(uint8_t *out, uint64_t size, const uint8_t file_hash[CAS_HASH],
                         uint32_t count)
{
    memcpy(out, list_magic, sizeof(list_magic));
    le64_put(out + 8, size);
    memcpy(out + 16, file_hash, CAS_HASH);
    le32_put(out + 48, count);
    le32_put(out + 52, 0);
}

void cas_list_put_entry(uint8_t *out, uint32_t i, const uint8_t hash[CAS_HASH], uint32_t len)
{
    uint8_t *e = out + CAS_LIST_HEADER + (size_t)i * CAS_LIST_ENTRY;

    memcpy(e, hash, CAS_HASH);
    le32_put(e + CAS_HASH, len);
}

const uint8_t *cas_list_chunk(const struct cas_list *l, uint32_t i, uint32_t *len)
{
    const uint8_t *e = l->entries + (size_t)i * CAS_LIST_ENTRY;

    *len = le32_get(e + CAS_HASH);
    return e;
}

/* Checks the chunk lengths: each in [1, MAX], all but the last at least MIN
 * (as the chunker cuts), summing to the file size. */
static int list_check_lengths(const struct cas_list *l)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < l->count; i++) {
        uint32_t len;
        (void)cas_list_chunk(l, i, &len);
        if (len == 0 || len > CAS_CHUNK_MAX || (i + 1 < l->count && len < CAS_CHUNK_MIN)) {
            return ZERR_CORRUPT;
        }
        sum += len;
    }
    return sum == l->size ? 0 : ZERR_CORRUPT;
}

int cas_list_decode(const uint8_t *p, size_t n, struct cas_list *out)
{
    if (n < CAS_LIST_HEADER) {
        return ZERR_TRUNCATED;
    }
    if (memcmp(p, list_magic, sizeof(list_magic)) != 0) {
        return ZERR_CORRUPT;
    }
    out->size = le64_get(p + 8);
    memcpy(out->file_hash, p + 16, CAS_HASH);
    out->count = le32_get(p + 48);
    out->entries = p + CAS_LIST_HEADER;
    if (le32_get(p + 52) != 0) {
        return ZERR_NONCANONICAL;
    }
    if (out->count < 2 || out->count > CAS_LIST_MAX_CHUNKS) {
        return ZERR_CORRUPT;
    }
    size_t want = CAS_LIST_HEADER + (size_t)out->count * CAS_LIST_ENTRY;
    if (n < want) {
        return ZERR_TRUNCATED;
    }
    if (n > want) {
        return ZERR_CORRUPT;
    }
    return list_check_lengths(out);
}
