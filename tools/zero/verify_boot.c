/* zero verify's boots (verify_boot.h). */
#include "tools/zero/verify_boot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/blake3.h"
#include "services/init/manifest/manifest.h"
#include "tools/zero/manifest_io.h"
#include "tools/zero/zero.h"

#define ISO_SECTOR 2048

void verify_boots_entry(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct verify_boots *vb = arg;
    (void)hash;
    if (e->a.kind != AX_BOOT || vb->oom) {
        return;
    }
    if (vb->n == vb->cap) {
        size_t cap = vb->cap ? vb->cap * 2 : 16;
        struct verify_boot *v = realloc(vb->v, cap * sizeof(*v));
        if (v == NULL) {
            vb->oom = 1;
            return;
        }
        vb->v = v;
        vb->cap = cap;
    }
    struct verify_boot *b = &vb->v[vb->n];
    b->seq = e->seq;
    if (ax_boot_decode(e->a.data, e->a.data_len, &b->b) == 0) { /* replay decoded it already */
        vb->n++;
    }
}

static void short_hex(const uint8_t *h, char out[17])
{
    zfmt_hex(out, h, 8);
}

static int is_zero(const uint8_t *h)
{
    static const uint8_t zero[32];
    return memcmp(h, zero, 32) == 0;
}

void verify_boots_print(const struct verify_boots *vb)
{
    for (size_t i = 0; i < vb->n; i++) {
        const struct verify_boot *b = &vb->v[i];
        char k[17], m[17];
        short_hex(b->b.kernel, k);
        short_hex(b->b.manifest, m);
        printf("boot #%llu (entry %llu): %u cpus, %u images", (unsigned long long)b->b.number,
               (unsigned long long)b->seq, (unsigned)b->b.cpus, (unsigned)b->b.nimages);
        if (is_zero(b->b.manifest)) {
            printf(", no boot manifest");
        } else {
            printf(", kernel b3:%s, manifest b3:%s", k, m);
        }
        for (uint32_t j = 0; j < b->b.nimages; j++) {
            short_hex(b->b.images[j].hash, k);
            printf("%s%s b3:%s", j == 0 ? ": " : ", ", b->b.images[j].name, k);
        }
        printf("\n");
    }
    if (vb->oom) {
        printf("(out of memory: not every boot listed)\n");
    }
}

/* Finds the signed manifest in the ISO image buf (a file starts on a sector). */
static int iso_manifest(const uint8_t *buf, size_t len, const uint8_t **mf, size_t *mlen)
{
    static const uint8_t head[] = {0xa5, 0x00, 0x60 | (sizeof(MF_MAGIC) - 1)};
    for (size_t off = 0; off + sizeof(head) + sizeof(MF_MAGIC) <= len; off += ISO_SECTOR) {
        if (memcmp(buf + off, head, sizeof(head)) == 0 &&
            memcmp(buf + off + sizeof(head), MF_MAGIC, sizeof(MF_MAGIC) - 1) == 0 &&
            mf_signed_measure(buf + off, len - off, mlen) == 0) {
            *mf = buf + off;
            return 0;
        }
    }
    return ZERR_NOENT;
}

/* Why boot b did not run exactly the images of manifest m (hash mh), or NULL if it did. */
static const char *boot_differs(const struct ax_boot *b, const struct mf_manifest *m,
                                const uint8_t mh[32], char *why, size_t cap)
{
    if (is_zero(b->manifest)) {
        return "no boot manifest";
    }
    if (memcmp(b->manifest, mh, 32) != 0) {
        return "another boot manifest";
    }
    if (memcmp(b->kernel, m->kernel_hash, 32) != 0) {
        return "another kernel";
    }
    for (uint32_t j = 0; j < b->nimages; j++) {
        int i = mf_find(m, b->images[j].name);
        if (i < 0 || memcmp(m->p[i].hash, b->images[j].hash, 32) != 0) {
            snprintf(why, cap, "image %s is not the ISO's", b->images[j].name);
            return why;
        }
    }
    for (uint32_t i = 0; i < m->nprograms; i++) {
        uint32_t j = 0;
        while (j < b->nimages && strcmp(b->images[j].name, m->p[i].name) != 0) {
            j++;
        }
        if (j == b->nimages) {
            snprintf(why, cap, "program %s did not start", m->p[i].name);
            return why;
        }
    }
    return b->nimages == m->nprograms ? NULL : "an image started twice";
}

/* Reads the ISO's manifest, verified, into *m and its hash into mh; exit status. */
static int load_iso_manifest(const char *iso, const uint8_t *release_key, struct mf_manifest *m,
                             uint8_t mh[32])
{
    size_t len = 0, mlen = 0;
    const uint8_t *mf = NULL;
    struct mf_signed s;
    uint8_t *buf = mio_read_file(iso, MIO_IMAGE_MAX, &len);
    if (buf == NULL) {
        return ZERO_EXIT_USAGE;
    }
    if (iso_manifest(buf, len, &mf, &mlen) != 0) {
        printf("FAILED: %s holds no boot manifest\n", iso);
        free(buf);
        return ZERO_EXIT_USAGE;
    }
    blake3_hash(mf, mlen, mh);
    int err = mf_signed_decode(mf, mlen, &s);
    err = err != 0 ? err : mf_signed_verify(&s, release_key != NULL ? release_key : s.pub, m);
    char key[65], h[65];
    zfmt_hex(key, s.pub, 32);
    zfmt_hex(h, mh, 32);
    if (err != 0) {
        printf("FAILED: %s: boot manifest b3:%s signed by %s does not verify (%s)\n", iso, h, key,
               zerr_text(err));
    } else {
        printf("image %s: boot manifest b3:%s, signature good (key %s%s), %u programs\n", iso, h,
               key, release_key != NULL ? ", the release key" : ", not pinned: --release-key",
               (unsigned)m->nprograms);
    }
    free(buf);
    return err == 0 ? 0 : ZERO_EXIT_NO;
}

int verify_boots_image(const struct verify_boots *vb, const char *iso, const uint8_t *release_key)
{
    static struct mf_manifest m;
    uint8_t mh[32];
    char why[96];
    int status = load_iso_manifest(iso, release_key, &m, mh);
    if (status != 0) {
        return status;
    }
    for (size_t i = 0; i < vb->n; i++) {
        const struct verify_boot *b = &vb->v[i];
        const char *bad = boot_differs(&b->b, &m, mh, why, sizeof(why));
        printf("boot #%llu (entry %llu): %s the images of %s%s%s\n",
               (unsigned long long)b->b.number, (unsigned long long)b->seq,
               bad == NULL ? "ran" : "did not run", iso, bad == NULL ? "" : ": ",
               bad == NULL ? "" : bad);
        status = bad == NULL ? status : ZERO_EXIT_NO;
    }
    if (vb->n == 0) {
        printf("no boot entries to check against %s\n", iso);
    }
    return vb->oom ? ZERO_EXIT_USAGE : status;
}

void verify_boots_free(struct verify_boots *vb)
{
    free(vb->v);
    memset(vb, 0, sizeof(*vb));
}
