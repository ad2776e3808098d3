/*
 * Content-addressed store (CAS): immutable content named by its BLAKE3 hash.
 *
 * A file's name is the BLAKE3 hash of its whole content, so `b3sum` on a
 * host prints the same name.  Content is cut into chunks by content-defined
 * chunking (FastCDC with fixed parameters, docs/formats.md "Content-defined
 * chunking"); each chunk is stored once under its own hash, so files and
 * versions that share runs of bytes share chunks.  A file of two or more
 * chunks has a chunk list, itself content stored under its own hash, and an
 * index entry from the file's hash to the list's hash.  A file of one chunk
 * (every file up to 16 KiB, many up to 256 KiB) is that chunk.
 *
 * Every read verifies what it returns against its hash before the caller
 * sees a byte; a damaged chunk fails only the reads that touch it, and
 * cas_scrub names each damaged object with the files that use it.
 *
 * Where the bytes live is the space below (struct cas_space_ops): memory in
 * tests, disk extents from services/space on a node.  The index lives in a
 * table the caller provides; no allocation, no global state.
 */
#ifndef ZERO_SERVICES_CAS_H
#define ZERO_SERVICES_CAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CAS_HASH 32

/* Chunking parameters (docs/formats.md): a chunk is at least MIN bytes (only
 * the last chunk of a file may be shorter), at most MAX, about AVG on average. */
#define CAS_CHUNK_MIN (16u * 1024)
#define CAS_CHUNK_AVG (64u * 1024)
#define CAS_CHUNK_MAX (256u * 1024)
/* Normalized chunking, level 2: a cut before AVG needs 18 hash bits zero,
 * after it 14 (the top bits of the 64-bit gear hash). */
#define CAS_MASK_SMALL 0xffffc00000000000ull
#define CAS_MASK_LARGE 0xfffc000000000000ull

/* Chunk list encoding (docs/formats.md "Chunk list"). */
#define CAS_LIST_HEADER 56
#define CAS_LIST_ENTRY 36
#define CAS_LIST_MAX_CHUNKS (1u << 20)
#define CAS_LIST_MAX_BYTES (CAS_LIST_HEADER + CAS_LIST_ENTRY * CAS_LIST_MAX_CHUNKS)

/* The 256 gear values (docs/formats.md gives their derivation). */
const uint64_t *cas_gear_table(void);

/* Returns the length of the first chunk of p[0..n): n itself when n <=
 * CAS_CHUNK_MIN, otherwise a cut in [CAS_CHUNK_MIN, min(n, CAS_CHUNK_MAX)]. */
size_t cas_chunk_cut(const uint8_t *p, size_t n);

/* A decoded chunk list: entries points into the encoded bytes. */
struct cas_list {
    uint64_t size;               /* file size, the sum of the chunk lengths */
    uint8_t file_hash[CAS_HASH]; /* BLAKE3 of the whole file */
    uint32_t count;              /* chunks, 2 .. CAS_LIST_MAX_CHUNKS */
    const uint8_t *entries;      /* count * CAS_LIST_ENTRY bytes */
};

/* Decodes and validates an encoded chunk list: 0, ZERR_TRUNCATED, ZERR_CORRUPT
 * (bad magic, version, count or lengths) or ZERR_NONCANONICAL (non-zero
 * reserved bytes). */
int cas_list_decode(const uint8_t *p, size_t n, struct cas_list *out);

/* Entry i of a decoded list: its chunk hash (32 bytes) and length. */
const uint8_t *cas_list_chunk(const struct cas_list *l, uint32_t i, uint32_t *len);

/* Writes the 56-byte list header for a file of size bytes in count chunks;
 * the entries follow at out + CAS_LIST_HEADER. */
void cas_list_put_header(uint8_t *out, uint64_t size, const uint8_t file_hash[CAS_HASH],
                         uint32_t count);

/* Writes entry i (hash, length) of a list being built in out. */
void cas_list_put_entry(uint8_t *out, uint32_t i, const uint8_t hash[CAS_HASH], uint32_t len);

/* Where the bytes are kept.  write stores n bytes and returns their location;
 * read returns exactly the n bytes stored at loc (n as written); release gives
 * the space of an object back.  Each returns 0 or a ZERR_* code. */
struct cas_space_ops {
    int (*write)(void *space, const void *p, uint32_t n, uint64_t *loc);
    int (*read)(void *space, uint64_t loc, void *p, uint32_t n);
    void (*release)(void *space, uint64_t loc, uint32_t n);
};

enum cas_kind {
    CAS_EMPTY = 0, /* a free index slot */
    CAS_DATA = 1,  /* bytes whose BLAKE3 is the key: a chunk, a one-chunk file, a list */
    CAS_FILE = 2,  /* key: a file's hash; ref: the hash of its chunk list */
};

/* One index slot. */
struct cas_obj {
    uint8_t hash[CAS_HASH];
    uint8_t ref[CAS_HASH]; /* CAS_FILE: the list's hash; zero otherwise */
    uint64_t loc;          /* CAS_DATA: where the space keeps the bytes */
    uint32_t len;          /* CAS_DATA: byte length */
    uint8_t kind;          /* enum cas_kind */
    uint8_t damaged;       /* set by a read or scrub that found the bytes wrong */
    uint8_t mark;          /* garbage collection: reachable from a live file */
    uint8_t pad;
};

struct cas {
    const struct cas_space_ops *ops;
    void *space;
    struct cas_obj *tab; /* open addressing, linear probing */
    uint32_t cap;        /* a power of two */
    uint32_t count;
    uint8_t *chunk_buf; /* CAS_CHUNK_MAX bytes: verified reads of chunks */
    uint8_t *list_buf;  /* list_cap bytes: lists being built or read */
    size_t list_cap;
};

/* Sets up c over a space with caller memory: tab of cap slots (a power of two,
 * at least 16), chunk_buf of CAS_CHUNK_MAX bytes, list_buf of list_cap bytes
 * (a list of n chunks takes CAS_LIST_HEADER + n * CAS_LIST_ENTRY bytes; files
 * of more chunks than fit are refused with ZERR_LIMIT). */
void cas_init(struct cas *c, const struct cas_space_ops *ops, void *space, struct cas_obj *tab,
              uint32_t cap, uint8_t *chunk_buf, uint8_t *list_buf, size_t list_cap);

/* What a put did. */
struct cas_put_stats {
    uint32_t chunks;     /* chunks in the content */
    uint32_t new_chunks; /* chunks not already stored */
    uint64_t new_bytes;  /* bytes written to the space (chunks and list) */
};

/* Stores len bytes of content and returns its hash (BLAKE3 of the bytes).
 * Content already present costs no space.  Returns 0, ZERR_FULL (index or
 * space full), ZERR_LIMIT (more chunks than list_buf holds) or the space's
 * error; after an error the index may hold new chunks that no file uses. */
int cas_put(struct cas *c, const void *data, uint64_t len, uint8_t hash[CAS_HASH],
            struct cas_put_stats *st);

/* Why a read failed, when it was the content's fault. */
struct cas_fault {
    uint8_t object[CAS_HASH]; /* the damaged chunk or list */
    uint32_t chunk;           /* its index in the file (0 for a list or a one-chunk file) */
    uint64_t offset;          /* its first byte in the file */
    bool is_list;
};

/* True when hash names stored content (a file, a chunk or a list). */
bool cas_has(const struct cas *c, const uint8_t hash[CAS_HASH]);

/* Size of the content named hash: 0, ZERR_NOENT, or the list's read error. */
int cas_size(struct cas *c, const uint8_t hash[CAS_HASH], uint64_t *size, struct cas_fault *f);

/* Reads up to n bytes from offset off of the content named hash into buf,
 * verifying each chunk it touches before copying a byte; *got is the number
 * of bytes copied (less than n only at the end of the content).  Returns 0,
 * ZERR_NOENT, ZERR_RANGE (off past the end), ZERR_CORRUPT with *f naming
 * the damaged object (bytes before it were copied), or the space's error. */
int cas_read(struct cas *c, const uint8_t hash[CAS_HASH], uint64_t off, void *buf, size_t n,
             size_t *got, struct cas_fault *f);

/* Reports one damaged object and one file that uses it (file is NULL when no
 * file in the index does); a damaged object used by k files is reported k
 * times. */
typedef void (*cas_damage_fn)(void *ctx, const uint8_t object[CAS_HASH], const uint8_t *file);

struct cas_scrub_stats {
    uint64_t objects; /* data objects read */
    uint64_t bytes;   /* their bytes */
    uint64_t damaged; /* objects that failed to verify or to read */
};

/* Reads and verifies every stored object and every file's whole-content hash;
 * reports each damaged object with the files that use it.  Returns 0 when
 * everything verified, ZERR_CORRUPT when something did not. */
int cas_scrub(struct cas *c, cas_damage_fn fn, void *ctx, struct cas_scrub_stats *st);

/* Garbage collection, mark and sweep.  cas_mark marks the content named
 * hash as live, with its list and chunks (reading and verifying the list).
 * Returns 0, ZERR_NOENT, or the list's read error (then the content's chunks
 * are not marked: a damaged list keeps them only if another file does). */
int cas_mark(struct cas *c, const uint8_t hash[CAS_HASH]);

/* Releases every object not marked since the last sweep to the space and
 * drops it from the index; clears the marks.  Returns the objects dropped. */
uint64_t cas_sweep(struct cas *c);

/* Index encoding (docs/formats.md "CAS index"): a 16-byte header and one
 * 65-byte record per index slot in use. */
#define CAS_INDEX_HEADER 16
#define CAS_INDEX_RECORD 65

/* Bytes cas_index_encode needs for the index as it is. */
size_t cas_index_size(const struct cas *c);

/* Encodes the index into out (cap bytes); *n is the length.  0 or ZERR_LIMIT. */
int cas_index_encode(const struct cas *c, uint8_t *out, size_t cap, size_t *n);

/* Replaces c's index by the decoded one.  0, ZERR_TRUNCATED, ZERR_CORRUPT
 * (bad magic, kind, length or padding, a duplicate, a file whose list is not
 * stored) or ZERR_LIMIT (more records than the table holds); on an error
 * the index is empty. */
int cas_index_decode(struct cas *c, const uint8_t *p, size_t n);

#endif
