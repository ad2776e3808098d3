/*
 * Job spec and job result: the deterministic CBOR records that name a job
 * and what running it gave (docs/jobs.md, byte layout in docs/formats.md
 * "Job spec" and "Job result").  A spec's BLAKE3 hash names the job; each
 * record has exactly one encoding, so decoding is strict: a decoder accepts
 * only what the encoder would write.  Freestanding: no allocation.
 */
#ifndef ZERO_LIB_JOB_JOB_H
#define ZERO_LIB_JOB_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JOB_HASH 32
#define JOB_FORMAT 1
#define JOB_MAX_ARGS 32 /* argv[0] included */
#define JOB_MAX_ENV 16
#define JOB_MAX_FILES 32 /* inputs of a spec, outputs of a result */
#define JOB_STR_MAX 255  /* an argument, a NAME=VALUE, a sandbox path */
#define JOB_OUTDIR_MAX 511
#define JOB_MAX_PAGES 65536u
#define JOB_SPEC_MAX 16384  /* largest encoded spec */
#define JOB_RESULT_MAX 1536 /* largest encoded result (it travels in an Axiom entry) */

/* A file of the sandbox: its path (relative, normalized) and content hash. */
struct job_file {
    char path[JOB_STR_MAX + 1];
    uint8_t hash[JOB_HASH];
};

struct job_spec {
    uint8_t program[JOB_HASH]; /* the module's content hash */
    uint32_t argc;             /* 1..JOB_MAX_ARGS */
    char argv[JOB_MAX_ARGS][JOB_STR_MAX + 1];
    uint32_t envc;
    char env[JOB_MAX_ENV][JOB_STR_MAX + 1]; /* NAME=VALUE */
    uint32_t ninputs;
    struct job_file inputs[JOB_MAX_FILES]; /* paths strictly increasing */
    uint64_t time_ns;                      /* what every clock reads */
    uint64_t seed;                         /* random_get's stream */
    uint64_t fuel;                         /* fuel limit, at least 1 */
    uint32_t mem_pages;                    /* memory limit, 1..JOB_MAX_PAGES 64 KiB pages */
    char outdir[JOB_OUTDIR_MAX + 1];       /* where outputs appear in the filesystem; "" none */
};

/* How a run ended. */
enum job_end {
    JOB_END_EXIT = 0,    /* code: the exit status */
    JOB_END_TRAP = 1,    /* code: enum wasm_trap (fuel exhausted is WASM_TRAP_FUEL) */
    JOB_END_REFUSED = 2, /* code: enum job_refusal; the program never ran */
};

enum job_refusal {
    JOB_REFUSED_MODULE = 1, /* not a valid module (or too big for the limits) */
    JOB_REFUSED_IMPORT = 2, /* imports something not granted (docs/jobs.md) */
    JOB_REFUSED_ENTRY = 3,  /* no _start or no memory export */
    JOB_REFUSED_MEMORY = 4, /* needs more memory than the memory limit */
    JOB_REFUSED_START = 5,  /* instantiation failed (a segment out of bounds) */
};

struct job_result {
    uint8_t end;   /* enum job_end */
    uint32_t code; /* see enum job_end */
    uint64_t fuel_used;
    uint8_t stdout_hash[JOB_HASH];
    uint8_t stderr_hash[JOB_HASH];
    uint32_t noutputs;
    struct job_file outputs[JOB_MAX_FILES]; /* paths strictly increasing */
};

/* True if s (n bytes) is a sandbox path: components of [^/\0] separated by
 * single '/', none "." or "..", no leading or trailing '/', 1..255 bytes. */
bool job_path_valid(const char *s, size_t n);

/* Encodes; 0, ZERR_INVAL (a field out of its range, paths not increasing)
 * or ZERR_FULL (cap too small). */
int job_spec_encode(const struct job_spec *s, uint8_t *buf, size_t cap, size_t *len);
int job_result_encode(const struct job_result *r, uint8_t *buf, size_t cap, size_t *len);

/* Decodes exactly len bytes of one canonical record.  0, ZERR_TRUNCATED,
 * ZERR_NONCANONICAL, ZERR_CORRUPT or ZERR_LIMIT; *out is undefined on error. */
int job_spec_decode(const uint8_t *buf, size_t len, struct job_spec *out);
int job_result_decode(const uint8_t *buf, size_t len, struct job_result *out);

/* The spec hash (the job's name): BLAKE3 of its encoding. */
int job_spec_hash(const struct job_spec *s, uint8_t hash[JOB_HASH]);

/* "exit", "trap", "refused" */
const char *job_end_name(uint8_t end);
/* One line for a refusal code ("import not granted"). */
const char *job_refusal_text(uint32_t code);

#endif
