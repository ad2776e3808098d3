/*
 * The `boot` entry (boot.h): its payload codec, its decide and perform
 * steps, and its part of the state root (key 8).  Payload, a CBOR map:
 *   {0: boot number, 1: CPU count, 2: kernel hash, 3: manifest hash,
 *    4: [[image name, hash], ...]}
 * The action carries the encoded payload in data/data_len, so the entry's
 * bytes are exactly the payload's.
 */
#include "services/axiom/boot.h"

#include <stdarg.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "cbor/cbor.h"
#include "crypto/blake3.h"
#include "services/axiom/entry.h"
#include "services/axiom/internal/codec.h"
#include "services/axiom/state.h"

static bool ax_boot_name_valid(const char *s, size_t n)
{
    if (n == 0 || n > AX_BOOT_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) {
            return false;
        }
    }
    return true;
}

int ax_boot_encode(const struct ax_boot *b, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    if (b->number == 0 || b->cpus == 0 || b->nimages > AX_BOOT_IMAGES_MAX) {
        return ZERR_INVAL;
    }
    for (uint32_t i = 0; i < b->nimages; i++) {
        if (!ax_boot_name_valid(b->images[i].name, strlen(b->images[i].name))) {
            return ZERR_INVAL;
        }
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 5);
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, b->number);
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, b->cpus);
    cbor_put_uint(&e, 2);
    cbor_put_bytes(&e, b->kernel, 32);
    cbor_put_uint(&e, 3);
    cbor_put_bytes(&e, b->manifest, 32);
    cbor_put_uint(&e, 4);
    cbor_put_array(&e, b->nimages);
    for (uint32_t i = 0; i < b->nimages; i++) {
        cbor_put_array(&e, 2);
        cbor_put_cstr(&e, b->images[i].name);
        cbor_put_bytes(&e, b->images[i].hash, 32);
    }
    return cbor_enc_finish(&e, len);
}

/* One [name, hash] pair of key 4. */
static int ax_boot_get_image(cbor_dec *d, struct ax_boot_image *im)
{
    uint64_t n = 0;
    const char *s = NULL;
    size_t len = 0;
    int err = cbor_get_array(d, &n);

    if (err == 0 && n != 2) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : cbor_get_text(d, &s, &len);
    if (err == 0 && !ax_boot_name_valid(s, len)) {
        err = ZERR_CORRUPT;
    }
    if (err != 0) {
        return err;
    }
    memcpy(im->name, s, len);
    im->name[len] = '\0';
    return ax_get_fixed(d, im->hash, 32);
}

/* Keys 0 and 1: the boot number (at least 1) and the CPU count (1 to 2^32-1). */
static int ax_boot_get_counts(cbor_dec *d, struct ax_boot *b)
{
    uint64_t cpus = 0;
    int err = ax_get_key(d, 0);

    err = err != 0 ? err : cbor_get_uint(d, &b->number);
    err = err != 0 ? err : ax_get_key(d, 1);
    err = err != 0 ? err : cbor_get_uint(d, &cpus);
    if (err == 0 && (b->number == 0 || cpus == 0 || cpus > UINT32_MAX)) {
        err = ZERR_CORRUPT;
    }
    b->cpus = (uint32_t)cpus;
    return err;
}

int ax_boot_decode(const uint8_t *buf, size_t len, struct ax_boot *b)
{
    cbor_dec d;
    uint64_t n = 0;
    int err = len > AX_BOOT_PAYLOAD_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 3);

    if (err != 0) {
        return err;
    }
    memset(b, 0, sizeof(*b));
    cbor_dec_init(&d, buf, len);
    err = cbor_get_map(&d, &n);
    if (err == 0 && n != 5) {
        err = ZERR_CORRUPT;
    }
    err = err != 0 ? err : ax_boot_get_counts(&d, b);
    err = err != 0 ? err : ax_get_fixed_field(&d, 2, b->kernel, 32);
    err = err != 0 ? err : ax_get_fixed_field(&d, 3, b->manifest, 32);
    err = err != 0 ? err : ax_get_key(&d, 4);
    err = err != 0 ? err : cbor_get_array(&d, &n);
    if (err == 0 && n > AX_BOOT_IMAGES_MAX) {
        err = ZERR_CORRUPT;
    }
    for (uint64_t i = 0; err == 0 && i < n; i++) {
        err = ax_boot_get_image(&d, &b->images[i]);
    }
    b->nimages = err == 0 ? (uint32_t)n : 0;
    return err != 0 ? err : cbor_dec_finish(&d);
}

int ax_boot_get_payload(cbor_dec *d, struct ax_action *a)
{
    struct ax_boot b;
    const uint8_t *start = d->p;
    int err = cbor_skip(d);

    if (err != 0) {
        return err;
    }
    a->data = start;
    a->data_len = (size_t)(d->p - start);
    return ax_boot_decode(a->data, a->data_len, &b);
}

int ax_boot_action(const struct ax_boot *b, const char *node, uint8_t *buf, size_t cap,
                   struct ax_action *a)
{
    size_t len = 0;
    size_t n = strlen(node);
    int err = n > ID_NAME_MAX ? ZERR_INVAL : ax_boot_encode(b, buf, cap, &len);

    if (err != 0) {
        return err;
    }
    memset(a, 0, sizeof(*a));
    a->kind = AX_BOOT;
    memcpy(a->proposer, node, n + 1);
    a->data = buf;
    a->data_len = len;
    return 0;
}

static void ax_boot_why(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void ax_boot_why(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || cap == 0) {
        return;
    }
    va_start(ap, fmt);
    (void)zfmt_vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

int ax_boot_decide(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap)
{
    struct ax_boot b;

    if (a->data == NULL || ax_boot_decode(a->data, a->data_len, &b) != 0) {
        ax_boot_why(why, cap, "a boot entry's payload does not decode");
        return ZERR_INVAL;
    }
    if (strcmp(a->proposer, s->node) != 0 || a->has_sig || a->has_nonce) {
        ax_boot_why(why, cap, "only the node %s records its boots, unsigned", s->node);
        return ZERR_PERM;
    }
    uint64_t next = s->boots.count + 1;
    if (b.number != next) {
        ax_boot_why(why, cap, "boot number %llu, expected %llu", (unsigned long long)b.number,
                    (unsigned long long)next);
        return ZERR_INVAL;
    }
    return 0;
}

void ax_boot_perform(struct ax_state *s, const struct ax_action *a)
{
    s->boots.count++;
    blake3_hash(a->data, a->data_len, s->boots.last);
}

void ax_boot_describe(const struct ax_action *a, char *out, size_t cap)
{
    struct ax_boot b;

    if (a->data == NULL || ax_boot_decode(a->data, a->data_len, &b) != 0) {
        zfmt_snprintf(out, cap, "boot (undecodable)");
        return;
    }
    zfmt_snprintf(out, cap, "boot #%llu, %u cpus, %u images", (unsigned long long)b.number,
                  (unsigned)b.cpus, (unsigned)b.nimages);
}

unsigned ax_boot_root_keys(const struct ax_state *s)
{
    return s->boots.count > 0 ? 1u : 0u;
}

void ax_boot_put_root(const struct ax_state *s, cbor_enc *e)
{
    if (s->boots.count == 0) {
        return;
    }
    cbor_put_uint(e, 8);
    cbor_put_array(e, 2);
    cbor_put_uint(e, s->boots.count);
    cbor_put_bytes(e, s->boots.last, 32);
}
