/*
 * The boot manifest (docs/boot.md, docs/formats.md "Boot manifest"): what
 * a Zero OS image may start.  For every program its name, the boot module
 * holding its image, the image's BLAKE3 hash, the spawn argument, the
 * programs it depends on, the capabilities it gets, its resource limits and
 * whether it may be restarted; and the kernel image's hash.  The build
 * signs it with a release key; init checks the signature and every image's
 * hash before it starts anything.  Deterministic CBOR; the decoder accepts
 * exactly one encoding of a manifest and no dependency cycle.  Portable,
 * freestanding, no allocation.
 */
#ifndef ZERO_SERVICES_INIT_MANIFEST_MANIFEST_H
#define ZERO_SERVICES_INIT_MANIFEST_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MF_VERSION 1
#define MF_MAGIC "zero boot manifest"
#define MF_DOMAIN "Zero OS boot manifest v1" /* signatures cover it, a NUL, then the body */
#define MF_HASH_LEN 32
#define MF_PUB_LEN 32
#define MF_SIG_LEN 64
#define MF_NAME_MAX 15 /* program names: a-z, 0-9, '-', '.', 1..15 bytes */
#define MF_FILE_MAX 31 /* image (boot module) names, same characters */
#define MF_CAP_MAX 23  /* capability names, same characters */
#define MF_PROGRAMS_MAX 16
#define MF_DEPS_MAX 8
#define MF_CAPS_MAX 12
#define MF_BODY_MAX 4096                     /* largest encoded body */
#define MF_FILE_SIZE_MAX (MF_BODY_MAX + 160) /* largest signed manifest file */

struct mf_program {
    char name[MF_NAME_MAX + 1];
    char image[MF_FILE_MAX + 1];
    uint8_t hash[MF_HASH_LEN];
    uint64_t arg; /* spawn argument (the program's role) */
    uint32_t ndeps;
    char deps[MF_DEPS_MAX][MF_NAME_MAX + 1];
    uint32_t ncaps;
    char caps[MF_CAPS_MAX][MF_CAP_MAX + 1];
    uint64_t mem_pages; /* limit: pages of memory */
    uint32_t threads;   /* limit: threads */
    bool restartable;
};

struct mf_manifest {
    char kernel[MF_FILE_MAX + 1];
    uint8_t kernel_hash[MF_HASH_LEN];
    uint32_t nprograms;
    struct mf_program p[MF_PROGRAMS_MAX];
    uint8_t order[MF_PROGRAMS_MAX]; /* start order: dependencies first (filled by decode) */
};

/* A signed manifest file: the body bytes (into the file) and who signed them. */
struct mf_signed {
    const uint8_t *body;
    size_t body_len;
    uint8_t pub[MF_PUB_LEN];
    uint8_t sig[MF_SIG_LEN];
};

/* True if s (n bytes) is a valid name of at most max bytes. */
bool mf_name_valid(const char *s, size_t n, size_t max);

/* Index of the program called name, or -1. */
int mf_find(const struct mf_manifest *m, const char *name);

/*
 * Computes m->order (dependencies before their dependents, manifest order
 * among equals).  0, ZERR_NOENT (a dependency names no program; *bad is
 * its dependent) or ZERR_INVAL (a cycle or a duplicate name).
 */
int mf_order(struct mf_manifest *m, int *bad);

/* Encodes the body of m.  0 with *len, ZERR_FULL or ZERR_INVAL (bad names, a cycle). */
int mf_encode(const struct mf_manifest *m, uint8_t *buf, size_t cap, size_t *len);

/* Decodes a body of exactly len bytes into *m (order included).  0 or ZERR_*. */
int mf_decode(const uint8_t *buf, size_t len, struct mf_manifest *m);

/* The bytes a release key signs: MF_DOMAIN, NUL, body.  0 with *len or ZERR_FULL. */
int mf_message(const uint8_t *body, size_t body_len, uint8_t *buf, size_t cap, size_t *len);

/* Encodes a signed manifest file. 0 with *len or ZERR_FULL / ZERR_INVAL. */
int mf_signed_encode(const struct mf_signed *s, uint8_t *buf, size_t cap, size_t *len);

/*
 * Decodes a signed manifest file of exactly len bytes (s->body points into
 * buf).  Checks the shape only: mf_signed_verify checks the signature.
 */
int mf_signed_decode(const uint8_t *buf, size_t len, struct mf_signed *s);

/*
 * Length of the signed manifest that starts at buf (at most cap bytes
 * available): for finding one inside an ISO image.  0 with *len, or ZERR_*.
 */
int mf_signed_measure(const uint8_t *buf, size_t cap, size_t *len);

/*
 * Checks s's signature under the release key pub (not under s->pub: the
 * caller decides which key it trusts) and decodes the body into *m.
 * 0, ZERR_PERM (signed by another key), ZERR_BADSIG, or a decode error.
 */
int mf_signed_verify(const struct mf_signed *s, const uint8_t pub[MF_PUB_LEN],
                     struct mf_manifest *m);

#endif
