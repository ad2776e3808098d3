/*
 * Process and capability entries: payload codec and shape checks
 * (services/axiom/proc.h, docs/formats.md "Process and capability
 * entries").  Every payload map has all its keys, in order.
 */
#include "services/axiom/proc.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/internal/codec.h"

bool ax_proc_kind(uint8_t kind)
{
    return kind == AX_PROC_SPAWN || kind == AX_PROC_EXIT || kind == AX_CAP_GRANT ||
           kind == AX_CAP_REVOKE;
}

/* Copies a name of at most max bytes into out; false if too long. */
static bool ax_proc_copy(char *out, const char *in, size_t max)
{
    size_t n = strlen(in);
    if (n > max) {
        return false;
    }
    memcpy(out, in, n + 1);
    return true;
}

/* Starts a (zeroed) as kind by proposer; false if the name is too long. */
static bool ax_proc_start(struct ax_action *a, uint8_t kind, const char *proposer)
{
    memset(a, 0, sizeof(*a));
    a->kind = kind;
    return ax_proc_copy(a->proposer, proposer, ID_NAME_MAX);
}

int ax_proc_spawn_action(struct ax_action *a, const char *proposer, const uint8_t image[32],
                         const char *image_name, const char *as, const uint64_t limit[3],
                         uint64_t parent)
{
    if (!ax_proc_start(a, AX_PROC_SPAWN, proposer) ||
        !ax_proc_copy(a->proc.image_name, image_name, AX_IMAGE_NAME_MAX) ||
        !ax_proc_copy(a->proc.as, as, ID_NAME_MAX)) {
        return ZERR_INVAL;
    }
    memcpy(a->proc.image, image, AX_HASH_LEN);
    memcpy(a->proc.limit, limit, sizeof(a->proc.limit));
    a->proc.parent = parent;
    return ax_proc_check(a);
}

int ax_proc_exit_action(struct ax_action *a, const char *proposer, uint64_t id, uint8_t how,
                        uint32_t code)
{
    if (!ax_proc_start(a, AX_PROC_EXIT, proposer)) {
        return ZERR_INVAL;
    }
    a->proc.id = id;
    a->proc.how = how;
    a->proc.code = code;
    return ax_proc_check(a);
}

int ax_cap_action(struct ax_action *a, uint8_t kind, const char *proposer, uint64_t id,
                  const char *object, uint32_t rights)
{
    if ((kind != AX_CAP_GRANT && kind != AX_CAP_REVOKE) || !ax_proc_start(a, kind, proposer) ||
        !ax_proc_copy(a->proc.object, object, ID_NAME_MAX)) {
        return ZERR_INVAL;
    }
    a->proc.id = id;
    a->proc.rights = rights;
    return ax_proc_check(a);
}

void ax_proc_put_payload(cbor_enc *e, const struct ax_action *a)
{
    const struct ax_proc_fields *p = &a->proc;

    if (a->kind == AX_PROC_SPAWN) {
        cbor_put_map(e, 7);
        cbor_put_uint(e, 0);
        cbor_put_bytes(e, p->image, AX_HASH_LEN);
        cbor_put_uint(e, 1);
        cbor_put_cstr(e, p->image_name);
        cbor_put_uint(e, 2);
        cbor_put_cstr(e, p->as);
        for (unsigned k = 0; k < 3; k++) {
            cbor_put_uint(e, 3 + k);
            cbor_put_uint(e, p->limit[k]);
        }
        cbor_put_uint(e, 6);
        cbor_put_uint(e, p->parent);
        return;
    }
    cbor_put_map(e, 3);
    cbor_put_uint(e, 0);
    cbor_put_uint(e, p->id);
    cbor_put_uint(e, 1);
    if (a->kind == AX_PROC_EXIT) {
        cbor_put_uint(e, p->how);
        cbor_put_uint(e, 2);
        cbor_put_uint(e, p->code);
    } else {
        cbor_put_cstr(e, p->object);
        cbor_put_uint(e, 2);
        cbor_put_uint(e, p->rights);
    }
}

/* Reads key, then a name (id_name_valid) of at most max bytes into out. */
static int ax_proc_get_name(cbor_dec *d, uint64_t key, char *out, size_t max)
{
    const char *s = NULL;
    size_t n = 0;
    int err = ax_get_key(d, key);

    err = err != 0 ? err : cbor_get_text(d, &s, &n);
    if (err != 0) {
        return err;
    }
    if (n > max || !id_name_valid(s, n)) {
        return ZERR_CORRUPT;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* Reads key, then an unsigned integer of at most max. */
static int ax_proc_get_uint(cbor_dec *d, uint64_t key, uint64_t max, uint64_t *out)
{
    int err = ax_get_key(d, key);

    err = err != 0 ? err : cbor_get_uint(d, out);
    return err != 0 ? err : (*out > max ? ZERR_CORRUPT : 0);
}

static int ax_proc_decode_spawn(cbor_dec *d, struct ax_proc_fields *p)
{
    int err = ax_get_fixed_field(d, 0, p->image, AX_HASH_LEN);

    err = err != 0 ? err : ax_proc_get_name(d, 1, p->image_name, AX_IMAGE_NAME_MAX);
    err = err != 0 ? err : ax_proc_get_name(d, 2, p->as, ID_NAME_MAX);
    for (unsigned k = 0; k < 3 && err == 0; k++) {
        err = ax_proc_get_uint(d, 3 + k, UINT32_MAX, &p->limit[k]);
    }
    return err != 0 ? err : ax_proc_get_uint(d, 6, UINT64_MAX, &p->parent);
}

int ax_proc_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n)
{
    struct ax_proc_fields *p = &a->proc;
    uint64_t v = 0;
    int err;

    if (n != (a->kind == AX_PROC_SPAWN ? 7u : 3u)) {
        return ZERR_CORRUPT;
    }
    if (a->kind == AX_PROC_SPAWN) {
        err = ax_proc_decode_spawn(d, p);
    } else {
        err = ax_proc_get_uint(d, 0, UINT64_MAX, &p->id);
        if (err == 0 && a->kind == AX_PROC_EXIT) {
            err = ax_proc_get_uint(d, 1, AX_PROC_KILLED, &v);
            p->how = (uint8_t)v;
            err = err != 0 ? err : ax_proc_get_uint(d, 2, UINT32_MAX, &v);
            p->code = (uint32_t)v;
        } else if (err == 0) {
            err = ax_proc_get_name(d, 1, p->object, ID_NAME_MAX);
            err = err != 0 ? err : ax_proc_get_uint(d, 2, UINT32_MAX, &v);
            p->rights = (uint32_t)v;
        }
    }
    return err != 0 ? err : (ax_proc_check(a) != 0 ? ZERR_CORRUPT : 0);
}

int ax_proc_check(const struct ax_action *a)
{
    const struct ax_proc_fields *p = &a->proc;

    switch (a->kind) {
    case AX_PROC_SPAWN:
        if (!id_name_valid(p->image_name, strlen(p->image_name)) ||
            strlen(p->image_name) > AX_IMAGE_NAME_MAX || !id_name_valid(p->as, strlen(p->as)) ||
            p->limit[0] == 0 || p->limit[1] == 0 || p->limit[2] < 3 || p->limit[0] > UINT32_MAX ||
            p->limit[1] > UINT32_MAX || p->limit[2] > UINT32_MAX) {
            return ZERR_INVAL;
        }
        return 0;
    case AX_PROC_EXIT:
        return p->id == 0 || p->how > AX_PROC_KILLED ? ZERR_INVAL : 0;
    case AX_CAP_GRANT:
    case AX_CAP_REVOKE:
        return p->id == 0 || p->rights == 0 || p->rights > 15 ||
                       !id_name_valid(p->object, strlen(p->object))
                   ? ZERR_INVAL
                   : 0;
    default:
        return ZERR_INVAL;
    }
}

void ax_proc_describe(const struct ax_action *a, char *out, size_t cap)
{
    const struct ax_proc_fields *p = &a->proc;
    static const char *const how[] = {"exited", "faulted", "killed"};

    if (a->kind == AX_PROC_SPAWN) {
        zfmt_snprintf(out, cap, "%s %02x%02x%02x%02x as %s (frames %llu threads %llu slots %llu)",
                      p->image_name, p->image[0], p->image[1], p->image[2], p->image[3], p->as,
                      (unsigned long long)p->limit[0], (unsigned long long)p->limit[1],
                      (unsigned long long)p->limit[2]);
    } else if (a->kind == AX_PROC_EXIT) {
        zfmt_snprintf(out, cap, "process %llu %s %d", (unsigned long long)p->id,
                      how[p->how <= AX_PROC_KILLED ? p->how : 0], (int)(int32_t)p->code);
    } else {
        zfmt_snprintf(out, cap, "%s to process %llu rights %u", p->object,
                      (unsigned long long)p->id, (unsigned)p->rights);
    }
}
