/* The in-memory sandbox of a job run (services/jobs/sandbox.c). */
#ifndef ZERO_SERVICES_JOBS_INTERNAL_SANDBOX_H
#define ZERO_SERVICES_JOBS_INTERNAL_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "services/jobs/jobs.h"
#include "wasi/wasi.h"

#define SB_MAX_FILES (JOB_MAX_FILES + JOBS_WRITTEN_MAX)
#define SB_MAX_OPEN WASI_MAX_FDS

struct sb_buf {
    uint8_t *p;
    uint64_t len, cap;
};

struct sb_file {
    char path[JOB_STR_MAX + 1];
    struct sb_buf data;
    bool is_input, written;
    uint8_t input_hash[JOB_HASH];
};

struct sb_open {
    struct sb_file *file; /* NULL: free */
    uint64_t pos;
    bool write, append;
};

struct sandbox {
    struct wasi_files ops;
    struct sb_file files[SB_MAX_FILES];
    uint32_t nfiles;
    uint32_t nwritten;
    size_t written_bytes;
    struct sb_open open[SB_MAX_OPEN];
    struct sb_buf out, err;
};

void sb_init(struct sandbox *s);
/* Adds an input file (a copy of data); 0, ZERR_FULL or ZERR_NOMEM. */
int sb_add(struct sandbox *s, const char *path, const uint8_t *data, uint64_t len);
void sb_buf_free(struct sb_buf *b);
/* The buffer's bytes, never NULL (for hashing and storing empty content). */
const uint8_t *sb_bytes(const struct sb_buf *b);
void sb_free(struct sandbox *s);

#endif
