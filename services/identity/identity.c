#include "services/identity/identity.h"

#include "base/errors.h"
#include "base/string.h"

static const char *const id_kind_names[ID_KIND_COUNT] = {"none", "node", "service", "user",
                                                         "agent"};

static bool id_name_char(char c, bool first)
{
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        return true;
    }
    return !first && (c == '.' || c == '_' || c == '-');
}

bool id_name_valid(const char *s, size_t n)
{
    if (n == 0 || n > ID_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!id_name_char(s[i], i == 0)) {
            return false;
        }
    }
    return true;
}

uint8_t id_kind_parse(const char *s, size_t n)
{
    for (unsigned k = ID_KIND_NODE; k < ID_KIND_COUNT; k++) {
        if (strlen(id_kind_names[k]) == n && memcmp(id_kind_names[k], s, n) == 0) {
            return (uint8_t)k;
        }
    }
    return ID_KIND_NONE;
}

const char *id_kind_name(uint8_t kind)
{
    return kind < ID_KIND_COUNT ? id_kind_names[kind] : "none";
}

bool id_kind_may_issue(uint8_t parent, uint8_t child)
{
    switch (parent) {
    case ID_KIND_NODE:
        return child == ID_KIND_NODE || child == ID_KIND_SERVICE || child == ID_KIND_USER;
    case ID_KIND_USER:
        return child == ID_KIND_AGENT;
    default:
        return false;
    }
}

void id_table_init(struct id_table *t)
{
    t->n = 0;
    memset(t->p, 0, sizeof(t->p));
}

/* Binary search: index of name, or the insertion point with *found false. */
static uint32_t id_search(const struct id_table *t, const char *name, bool *found)
{
    uint32_t lo = 0;
    uint32_t hi = t->n;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->p[mid].name, name);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    *found = false;
    return lo;
}

const struct id_principal *id_find(const struct id_table *t, const char *name)
{
    bool found;
    uint32_t i = id_search(t, name, &found);

    return found ? &t->p[i] : NULL;
}

static struct id_principal *id_find_mut(struct id_table *t, const char *name)
{
    bool found;
    uint32_t i = id_search(t, name, &found);

    return found ? &t->p[i] : NULL;
}

int id_check_create(const struct id_table *t, const char *parent, const char *name, uint8_t kind)
{
    if (t == NULL || !id_name_valid(name, strlen(name)) || kind == ID_KIND_NONE ||
        kind >= ID_KIND_COUNT) {
        return ZERR_INVAL;
    }
    if (id_find(t, name) != NULL) {
        return ZERR_EXIST;
    }
    if (t->n == ID_MAX_PRINCIPALS) {
        return ZERR_FULL;
    }
    if (parent[0] == '\0') {
        return t->n == 0 && kind == ID_KIND_NODE ? 0 : ZERR_INVAL;
    }
    const struct id_principal *p = id_find(t, parent);
    if (p == NULL) {
        return ZERR_NOENT;
    }
    if (p->revoked || !id_kind_may_issue(p->kind, kind)) {
        return ZERR_PERM;
    }
    return 0;
}

void id_do_create(struct id_table *t, const char *parent, const char *name, uint8_t kind,
                  const uint8_t pub[ID_PUB_LEN], uint64_t seq)
{
    bool found;
    uint32_t i = id_search(t, name, &found);
    struct id_principal *p;

    if (found || t->n == ID_MAX_PRINCIPALS) {
        return; /* id_check_create refused this; performing it is a caller bug */
    }
    memmove(&t->p[i + 1], &t->p[i], (size_t)(t->n - i) * sizeof(t->p[0]));
    t->n++;
    p = &t->p[i];
    memset(p, 0, sizeof(*p));
    memcpy(p->name, name, strlen(name));
    memcpy(p->parent, parent, strlen(parent));
    p->kind = kind;
    memcpy(p->pub, pub, ID_PUB_LEN);
    p->created_seq = seq;
}

int id_check_live(const struct id_table *t, const char *name)
{
    const struct id_principal *p = id_find(t, name);

    if (p == NULL) {
        return ZERR_NOENT;
    }
    return p->revoked ? ZERR_PERM : 0;
}

void id_do_rotate(struct id_table *t, const char *name, const uint8_t pub[ID_PUB_LEN])
{
    struct id_principal *p = id_find_mut(t, name);

    if (p != NULL) {
        memcpy(p->pub, pub, ID_PUB_LEN);
        p->key_gen++;
    }
}

void id_set_external(struct id_table *t, const char *name, bool external)
{
    struct id_principal *p = id_find_mut(t, name);

    if (p != NULL) {
        p->external = external ? 1 : 0;
    }
}

void id_do_proposal(struct id_table *t, const char *name, uint64_t n)
{
    struct id_principal *p = id_find_mut(t, name);

    if (p != NULL) {
        p->proposals = n;
    }
}

bool id_descends_from(const struct id_table *t, const char *name, const char *anc)
{
    const struct id_principal *p = id_find(t, name);

    /* Depth is bounded by the table size: every step moves to an older principal. */
    for (uint32_t steps = 0; p != NULL && steps <= t->n; steps++) {
        if (strcmp(p->name, anc) == 0) {
            return true;
        }
        p = p->parent[0] != '\0' ? id_find(t, p->parent) : NULL;
    }
    return false;
}

uint32_t id_do_revoke(struct id_table *t, const char *name)
{
    uint32_t count = 0;

    for (uint32_t i = 0; i < t->n; i++) {
        if (!t->p[i].revoked && id_descends_from(t, t->p[i].name, name)) {
            t->p[i].revoked = 1;
            count++;
        }
    }
    return count;
}

void id_encode_principal(const struct id_principal *p, unsigned format, cbor_enc *e)
{
    bool ext = format >= 2 && p->external;

    cbor_put_array(e, format >= 2 ? 8u + ext : 7u);
    cbor_put_cstr(e, p->name);
    cbor_put_cstr(e, p->parent);
    cbor_put_uint(e, p->kind);
    cbor_put_bool(e, p->revoked != 0);
    cbor_put_uint(e, p->key_gen);
    cbor_put_bytes(e, p->pub, ID_PUB_LEN);
    cbor_put_uint(e, p->created_seq);
    if (format >= 2) {
        cbor_put_uint(e, p->proposals);
    }
    if (ext) {
        cbor_put_bool(e, true);
    }
}
