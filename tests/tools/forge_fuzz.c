/*
 * Structured mutations of valid logs, for the differential run of
 * tests/tools/forged.t: both verifiers must give the same verdict on each.
 * A mutation knows the layout (records, batches, superblock, export
 * header) and recomputes checksums where a plain flip would only test the
 * checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fmt.h"
#include "services/axiom/internal/log.h"
#include "tests/tools/forge.h"

#define FZ_MAX_RECS 512

struct fz {
    uint64_t rng;
    uint8_t *img;
    size_t len;
    size_t log;              /* where the log region starts in the image */
    size_t end;              /* end of the last batch, log offset */
    size_t rec[FZ_MAX_RECS]; /* log offsets of the records */
    size_t nrec;
};

static uint64_t fz_next(struct fz *z)
{
    z->rng ^= z->rng << 13; /* xorshift64 */
    z->rng ^= z->rng >> 7;
    z->rng ^= z->rng << 17;
    return z->rng;
}

static size_t fz_below(struct fz *z, size_t n)
{
    return n == 0 ? 0 : (size_t)(fz_next(z) % n);
}

/* Finds the records of the valid log in the image. */
static void fz_walk(struct fz *z)
{
    const uint8_t *l = z->img + z->log;
    size_t off = 0;

    z->nrec = 0;
    while (z->log + off + AXLOG_HEADER <= z->len && memcmp(l + off, AXLOG_MAGIC, 4) == 0 &&
           z->nrec < FZ_MAX_RECS) {
        z->rec[z->nrec++] = off;
        uint8_t type = l[off + 4];
        off += axlog_rec_size(axlog_get32(l + off + 8));
        if (type == AXLOG_CHECKPOINT) {
            off = (off + HAL_BLK_SECTOR - 1) / HAL_BLK_SECTOR * HAL_BLK_SECTOR;
        }
    }
    z->end = off;
}

/* The payload length of the record at log offset rec, as far as it can reach. */
static size_t fz_len(const struct fz *z, size_t rec)
{
    uint32_t n = axlog_get32(z->img + z->log + rec + 8);

    return n < AX_ENTRY_MAX ? n : AX_ENTRY_MAX;
}

static void fz_resum(struct fz *z, size_t rec)
{
    struct forge f; /* only log is used */

    f.log = z->img + z->log;
    fg_rec_resum(&f, rec);
}

/* One mutation, chosen by the generator. */
static void fz_mutate(struct fz *z)
{
    size_t r = z->nrec > 0 ? z->rec[fz_below(z, z->nrec)] : 0;
    uint8_t *l = z->img + z->log;
    uint8_t bit = (uint8_t)(1u << fz_below(z, 8));

    switch (fz_below(z, 12)) {
    case 0: /* any byte of the used part */
        z->img[fz_below(z, z->log + z->end + 1024 < z->len ? z->log + z->end + 1024 : z->len)] ^=
            bit;
        break;
    case 1: /* a payload byte, checksum made good */
        l[r + AXLOG_HEADER + fz_below(z, fz_len(z, r))] ^= bit;
        fz_resum(z, r);
        break;
    case 2: /* a header byte, checksum made good */
        l[r + fz_below(z, 32)] ^= bit;
        fz_resum(z, r);
        break;
    case 3: { /* cut the file */
        size_t n = fz_below(z, 4) == 0 ? fz_below(z, 512) : fz_below(z, 8) * HAL_BLK_SECTOR;
        z->len -= n < z->len ? n : 0;
        break;
    }
    case 4: { /* grow the file */
        size_t n = fz_below(z, 2) == 0 ? fz_below(z, 600) : fz_below(z, 8) * HAL_BLK_SECTOR;
        if (z->len + n <= FG_IMAGE_CAP) {
            memset(z->img + z->len, fz_below(z, 2) == 0 ? 0 : 0x5a, n);
            z->len += n;
        }
        break;
    }
    case 5: /* a copy of a record somewhere after the log, maybe of a later batch */
    case 6: {
        size_t at = z->end + fz_below(z, 1100) * HAL_BLK_SECTOR + (fz_below(z, 4) == 0 ? 8 : 0);
        size_t n = axlog_rec_size(fz_len(z, r));
        if (z->log + at + n <= z->len && z->nrec > 0) {
            memmove(l + at, l + r, n);
            l[at + 16] = (uint8_t)(l[at + 16] + fz_below(z, 3));
            fz_resum(z, at);
        }
        break;
    }
    case 7: /* zero a sector of the log */
        memset(l + fz_below(z, z->end / HAL_BLK_SECTOR + 1) * HAL_BLK_SECTOR, 0,
               z->log + z->end + HAL_BLK_SECTOR <= z->len ? HAL_BLK_SECTOR : 0);
        break;
    case 8: /* a superblock or key slot byte, resealed (a disk), or the export header */
        if (z->log == AX_EXPORT_HEADER) {
            z->img[fz_below(z, 24)] ^= bit;
        } else {
            size_t blk = fz_below(z, 2) * AX_BLOCK;
            z->img[blk + fz_below(z, 480)] ^= bit;
            fg_reseal(z->img + blk);
        }
        break;
    case 9: /* a length field, checksum made good */
        axlog_le32(l + r + 8, axlog_get32(l + r + 8) + (uint32_t)fz_below(z, 16) - 8u);
        fz_resum(z, r);
        break;
    case 10: /* swap two sectors of the log */
    {
        size_t s = z->end / HAL_BLK_SECTOR + 1;
        uint8_t tmp[HAL_BLK_SECTOR];
        uint8_t *a = l + fz_below(z, s) * HAL_BLK_SECTOR;
        uint8_t *b = l + fz_below(z, s) * HAL_BLK_SECTOR;
        if (z->log + s * HAL_BLK_SECTOR <= z->len) {
            memcpy(tmp, a, sizeof(tmp));
            memcpy(a, b, sizeof(tmp));
            memcpy(b, tmp, sizeof(tmp));
        }
        break;
    }
    default: /* bytes after the last batch, as a torn write leaves */
        if (z->log + z->end + 64 <= z->len) {
            for (size_t i = 0, n = fz_below(z, 64); i < n; i++) {
                l[z->end + i] = (uint8_t)fz_next(z);
            }
        }
        break;
    }
}

/* The valid logs the mutations start from. */
static void fz_seed_log(struct forge *f, unsigned which)
{
    fg_base(f);
    if (which % 3 == 1) {
        const struct fg_opt s = {.signer = "alice"};
        fg_put(f, fg_note("alice", "signed"), &s);
        fg_put(f, fg_rotate(f, FG_NODE, FG_NODE, 1), NULL);
        fg_seal(f, NULL);
        fg_put(f, fg_revoke(FG_NODE, "bob"), NULL);
        fg_seal(f, NULL);
    } else if (which % 3 == 2) {
        fg_put(f, fg_note("alice", "unsealed"), NULL); /* a torn tail on a disk */
    }
}

int fg_fuzz(const char *dir, uint64_t seed, unsigned count)
{
    static uint8_t base[FG_IMAGE_CAP];
    struct fz z;
    char path[512];

    memset(&z, 0, sizeof(z));
    z.rng = seed * 0x9e3779b97f4a7c15ull + 1;
    z.img = malloc(FG_IMAGE_CAP);
    if (z.img == NULL) {
        return 3;
    }
    for (unsigned i = 0; i < count; i++) {
        struct forge f;
        bool disk = (i / 3) % 2 == 1;
        fg_init(&f);
        fz_seed_log(&f, i);
        size_t blen = disk ? fg_disk_image(&f, base) : fg_export_image(&f, base);
        fg_free(&f);
        memcpy(z.img, base, blen);
        z.len = blen;
        z.log = disk ? 2 * AX_BLOCK : AX_EXPORT_HEADER;
        fz_walk(&z);
        for (size_t m = 0, n = 1 + fz_below(&z, 3); m < n; m++) {
            fz_mutate(&z);
        }
        zfmt_snprintf(path, sizeof(path), "%s/m%llu-%u.%s", dir, (unsigned long long)seed, i,
                      disk ? "disk" : "export");
        FILE *out = fopen(path, "wb");
        if (out == NULL || fwrite(z.img, 1, z.len, out) != z.len || fclose(out) != 0) {
            free(z.img);
            return 3;
        }
        printf("%s\n", path);
    }
    free(z.img);
    return 0;
}
