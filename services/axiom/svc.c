/*
 * Service entries: svc.start {0: name, 1: pid, 2: delay ms}, svc.exit
 * {0: name, 1: pid, 2: how, 3: status, 4: fault kind, 5: fault address},
 * svc.hold {0: name, 1: reason}, svc.restart {0: name}, svc.kill
 * {0: name} (docs/formats.md "Service entries"), and the service table of
 * the state (root key 11).
 */
#include "services/axiom/svc.h"

#include "base/assert.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/axiom/internal/codec.h"
#include "services/axiom/net.h"
#include "services/axiom/state.h"

bool ax_svc_kind(uint8_t kind)
{
    return kind == AX_SVC_START || kind == AX_SVC_EXIT || kind == AX_SVC_HOLD ||
           kind == AX_SVC_RESTART || kind == AX_SVC_KILL;
}

/* The number of payload keys of each kind. */
static uint64_t ax_svc_keys(uint8_t kind)
{
    switch (kind) {
    case AX_SVC_START:
        return 3;
    case AX_SVC_EXIT:
        return 6;
    case AX_SVC_HOLD:
        return 2;
    default:
        return 1;
    }
}

void ax_svc_put_payload(cbor_enc *e, const struct ax_action *a)
{
    cbor_put_map(e, ax_svc_keys(a->kind));
    cbor_put_uint(e, 0);
    cbor_put_cstr(e, a->name);
    switch (a->kind) {
    case AX_SVC_START:
        cbor_put_uint(e, 1);
        cbor_put_uint(e, a->svc.pid);
        cbor_put_uint(e, 2);
        cbor_put_uint(e, a->svc.delay_ms);
        break;
    case AX_SVC_EXIT:
        cbor_put_uint(e, 1);
        cbor_put_uint(e, a->svc.pid);
        cbor_put_uint(e, 2);
        cbor_put_uint(e, a->svc.how);
        cbor_put_uint(e, 3);
        cbor_put_uint(e, a->svc.status);
        cbor_put_uint(e, 4);
        cbor_put_uint(e, a->svc.fault_kind);
        cbor_put_uint(e, 5);
        cbor_put_uint(e, a->svc.fault_addr);
        break;
    case AX_SVC_HOLD:
        cbor_put_uint(e, 1);
        cbor_put_cstr(e, a->svc.reason);
        break;
    default:
        break;
    }
}

/* Reads key, then text of 1..max bytes without NUL into out. */
static int ax_svc_get_text(cbor_dec *d, uint64_t key, char *out, size_t max)
{
    const char *s = NULL;
    size_t n = 0;
    int err = ax_get_key(d, key);

    err = err != 0 ? err : cbor_get_text(d, &s, &n);
    if (err != 0) {
        return err;
    }
    if (n == 0 || n > max || strnlen(s, n) != n) {
        return ZERR_CORRUPT;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* Reads key, then an unsigned integer of at most max. */
static int ax_svc_get_uint(cbor_dec *d, uint64_t key, uint64_t *out, uint64_t max)
{
    int err = ax_get_key(d, key);

    err = err != 0 ? err : cbor_get_uint(d, out);
    return err != 0 ? err : (*out > max ? ZERR_CORRUPT : 0);
}

static int ax_svc_decode_exit(cbor_dec *d, struct ax_action *a)
{
    uint64_t how = 0, kind = 0;
    int err = ax_svc_get_uint(d, 1, &a->svc.pid, UINT64_MAX);

    err = err != 0 ? err : ax_svc_get_uint(d, 2, &how, AX_SVC_KILLED);
    err = err != 0 ? err : ax_svc_get_uint(d, 3, &a->svc.status, UINT64_MAX);
    err = err != 0 ? err : ax_svc_get_uint(d, 4, &kind, UINT32_MAX);
    err = err != 0 ? err : ax_svc_get_uint(d, 5, &a->svc.fault_addr, UINT64_MAX);
    a->svc.how = (uint8_t)how;
    a->svc.fault_kind = (uint32_t)kind;
    return err;
}

int ax_svc_decode_payload(cbor_dec *d, struct ax_action *a, uint64_t n)
{
    int err;

    if (n != ax_svc_keys(a->kind)) {
        return ZERR_CORRUPT;
    }
    err = ax_svc_get_text(d, 0, a->name, AX_SVC_NAME_MAX);
    if (err != 0) {
        return err;
    }
    switch (a->kind) {
    case AX_SVC_START:
        err = ax_svc_get_uint(d, 1, &a->svc.pid, UINT64_MAX);
        err = err != 0 ? err : ax_svc_get_uint(d, 2, &a->svc.delay_ms, UINT64_MAX);
        break;
    case AX_SVC_EXIT:
        err = ax_svc_decode_exit(d, a);
        break;
    case AX_SVC_HOLD:
        err = ax_svc_get_text(d, 1, a->svc.reason, AX_SVC_REASON_MAX);
        break;
    default:
        break;
    }
    return err != 0 ? err : (ax_svc_check(a) != 0 ? ZERR_CORRUPT : 0);
}

/* True if name is 1..15 bytes of a-z, 0-9, '.', '-'. */
static bool ax_svc_name_ok(const char *name)
{
    size_t n = strnlen(name, AX_SVC_NAME_MAX + 1);

    if (n == 0 || n > AX_SVC_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
            return false;
        }
    }
    return true;
}

int ax_svc_check(const struct ax_action *a)
{
    if (!ax_svc_name_ok(a->name)) {
        return ZERR_INVAL;
    }
    if (a->kind == AX_SVC_EXIT && (a->svc.how < AX_SVC_EXITED || a->svc.how > AX_SVC_KILLED)) {
        return ZERR_INVAL;
    }
    if (a->kind == AX_SVC_HOLD &&
        (a->svc.reason[0] == '\0' ||
         strnlen(a->svc.reason, AX_SVC_REASON_MAX + 1) > AX_SVC_REASON_MAX)) {
        return ZERR_INVAL;
    }
    return 0;
}

const struct ax_svc_row *ax_svc_find(const struct ax_state *s, const char *name)
{
    for (uint32_t i = 0; i < s->svcs.n; i++) {
        if (strcmp(s->svcs.r[i].name, name) == 0) {
            return &s->svcs.r[i];
        }
    }
    return NULL;
}

static void ax_svc_why(char *why, size_t cap, const char *what, const char *name)
{
    if (why != NULL && cap > 0) {
        zfmt_snprintf(why, cap, "service %s %s", name, what);
    }
}

/* svc.start, svc.exit, svc.hold: what the node's supervisor saw. */
static int ax_svc_decide_node(const struct ax_state *s, const struct ax_action *a,
                              const struct ax_svc_row *r, char *why, size_t cap)
{
    if (strcmp(a->proposer, s->node) != 0 || a->has_sig) {
        ax_svc_why(why, cap, "is started, ended and held by the node only", a->name);
        return ZERR_PERM;
    }
    switch (a->kind) {
    case AX_SVC_START:
        if (r == NULL && s->svcs.n >= AX_SVC_MAX) {
            ax_svc_why(why, cap, "is one service too many", a->name);
            return ZERR_LIMIT;
        }
        if (r != NULL && r->state == AX_SVC_HELD) {
            ax_svc_why(why, cap, "is held: only svc.restart releases it", a->name);
            return ZERR_INVAL;
        }
        return 0;
    case AX_SVC_EXIT:
        if (r == NULL || r->state != AX_SVC_RUNNING || r->pid != a->svc.pid) {
            ax_svc_why(why, cap, "does not run as that pid", a->name);
            return ZERR_INVAL;
        }
        return 0;
    default: /* AX_SVC_HOLD */
        if (r == NULL || r->state != AX_SVC_DOWN) {
            ax_svc_why(why, cap, "is not down: only a service that ended is held", a->name);
            return ZERR_INVAL;
        }
        return 0;
    }
}

int ax_svc_decide(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap)
{
    const struct ax_svc_row *r = ax_svc_find(s, a->name);

    if (ax_svc_check(a) != 0) {
        ax_svc_why(why, cap, "is not a valid service entry", a->name);
        return ZERR_INVAL;
    }
    if (a->kind == AX_SVC_START || a->kind == AX_SVC_EXIT || a->kind == AX_SVC_HOLD) {
        return ax_svc_decide_node(s, a, r, why, cap);
    }
    if (r == NULL) {
        ax_svc_why(why, cap, "is not known", a->name);
        return ZERR_NOENT;
    }
    if (a->kind == AX_SVC_KILL && r->state != AX_SVC_RUNNING) {
        ax_svc_why(why, cap, "does not run", a->name);
        return ZERR_INVAL;
    }
    return 0;
}

/* The row of name, inserted in name order if new. */
static struct ax_svc_row *ax_svc_row(struct ax_state *s, const char *name)
{
    uint32_t i = 0;
    struct ax_svcs *t = &s->svcs;

    while (i < t->n && strcmp(t->r[i].name, name) < 0) {
        i++;
    }
    if (i < t->n && strcmp(t->r[i].name, name) == 0) {
        return &t->r[i];
    }
    ZASSERT(t->n < AX_SVC_MAX, "a decided svc.start fits the service table");
    memmove(&t->r[i + 1], &t->r[i], sizeof(t->r[0]) * (t->n - i));
    memset(&t->r[i], 0, sizeof(t->r[i]));
    memcpy(t->r[i].name, name, strlen(name) + 1);
    t->r[i].state = AX_SVC_DOWN;
    t->n++;
    return &t->r[i];
}

void ax_svc_perform(struct ax_state *s, const struct ax_action *a)
{
    bool known = ax_svc_find(s, a->name) != NULL;
    struct ax_svc_row *r = ax_svc_row(s, a->name);

    switch (a->kind) {
    case AX_SVC_START:
        if (known && r->state == AX_SVC_DOWN) {
            r->restarts++; /* it had run and ended */
        }
        r->state = AX_SVC_RUNNING;
        r->pid = a->svc.pid;
        break;
    case AX_SVC_EXIT:
        r->state = AX_SVC_DOWN;
        break;
    case AX_SVC_HOLD:
        r->state = AX_SVC_HELD;
        break;
    case AX_SVC_RESTART:
        if (r->state == AX_SVC_HELD) {
            r->state = AX_SVC_DOWN;
        }
        break;
    default: /* AX_SVC_KILL: the svc.exit that follows records the end */
        break;
    }
}

void ax_svc_resource(const struct ax_action *a, char *buf, size_t cap)
{
    zfmt_snprintf(buf, cap, "svc:%s", a->name);
}

void ax_svc_describe(const struct ax_action *a, char *out, size_t cap)
{
    switch (a->kind) {
    case AX_SVC_START:
        zfmt_snprintf(out, cap, "%s as pid %llu after %llu ms", a->name,
                      (unsigned long long)a->svc.pid, (unsigned long long)a->svc.delay_ms);
        break;
    case AX_SVC_EXIT:
        if (a->svc.how == AX_SVC_EXITED) {
            zfmt_snprintf(out, cap, "%s pid %llu: exit status %llu", a->name,
                          (unsigned long long)a->svc.pid, (unsigned long long)a->svc.status);
        } else if (a->svc.how == AX_SVC_FAULTED) {
            zfmt_snprintf(out, cap, "%s pid %llu: fault %u at 0x%llx", a->name,
                          (unsigned long long)a->svc.pid, (unsigned)a->svc.fault_kind,
                          (unsigned long long)a->svc.fault_addr);
        } else {
            zfmt_snprintf(out, cap, "%s pid %llu: killed", a->name, (unsigned long long)a->svc.pid);
        }
        break;
    case AX_SVC_HOLD:
        zfmt_snprintf(out, cap, "%s: %s", a->name, a->svc.reason);
        break;
    default:
        zfmt_snprintf(out, cap, "%s", a->name);
        break;
    }
}

unsigned ax_svc_root_keys(const struct ax_state *s)
{
    return s->svcs.n > 0 ? 1u : 0u;
}

/* One service row: [name, state, pid, restarts]. */
static void ax_svc_put_row(cbor_enc *e, const struct ax_svc_row *r)
{
    cbor_put_array(e, 4);
    cbor_put_cstr(e, r->name);
    cbor_put_uint(e, r->state);
    cbor_put_uint(e, r->pid);
    cbor_put_uint(e, r->restarts);
}

void ax_svc_snap_put(const struct ax_state *s, cbor_enc *e)
{
    if (s->svcs.n == 0) {
        return;
    }
    cbor_put_array(e, s->svcs.n);
    for (uint32_t i = 0; i < s->svcs.n; i++) {
        ax_svc_put_row(e, &s->svcs.r[i]);
    }
}

static int ax_svc_get_row(cbor_dec *d, struct ax_svc_row *r)
{
    const char *p = NULL;
    size_t len = 0;
    uint64_t n = 0, state = 0;

    if (cbor_get_array(d, &n) != 0 || n != 4 || cbor_get_text(d, &p, &len) != 0 || len == 0 ||
        len > AX_SVC_NAME_MAX || strnlen(p, len) != len) {
        return ZERR_CORRUPT;
    }
    memcpy(r->name, p, len);
    r->name[len] = '\0';
    if (!ax_svc_name_ok(r->name) || cbor_get_uint(d, &state) != 0 || state < AX_SVC_RUNNING ||
        state > AX_SVC_HELD || cbor_get_uint(d, &r->pid) != 0 ||
        cbor_get_uint(d, &r->restarts) != 0) {
        return ZERR_CORRUPT;
    }
    r->state = (uint8_t)state;
    return 0;
}

int ax_svc_snap_get(cbor_dec *d, struct ax_state *s)
{
    uint64_t n = 0;

    if (cbor_get_array(d, &n) != 0 || n == 0 || n > AX_SVC_MAX) {
        return ZERR_CORRUPT;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct ax_svc_row *r = &s->svcs.r[i];
        memset(r, 0, sizeof(*r));
        if (ax_svc_get_row(d, r) != 0 || (i > 0 && strcmp(s->svcs.r[i - 1].name, r->name) >= 0)) {
            s->svcs.n = 0;
            return ZERR_CORRUPT;
        }
    }
    s->svcs.n = (uint32_t)n;
    return 0;
}

void ax_svc_put_root(const struct ax_state *s, cbor_enc *e)
{
    blake3_hasher h;
    uint8_t buf[64];
    uint8_t hash[AX_HASH_LEN];
    cbor_enc row;

    if (s->svcs.n == 0) {
        return;
    }
    blake3_init(&h);
    cbor_enc_init(&row, buf, sizeof(buf));
    cbor_put_array(&row, s->svcs.n);
    blake3_update(&h, buf, row.len);
    for (uint32_t i = 0; i < s->svcs.n; i++) {
        const struct ax_svc_row *r = &s->svcs.r[i];
        cbor_enc_init(&row, buf, sizeof(buf));
        ax_svc_put_row(&row, r);
        ZASSERT(row.len <= sizeof(buf), "a service row fits its buffer");
        blake3_update(&h, buf, row.len);
    }
    blake3_finalize(&h, hash, sizeof(hash));
    cbor_put_uint(e, 11);
    cbor_put_bytes(e, hash, sizeof(hash));
}

_Static_assert(AX_SVC_RESOURCE_MAX <= AX_NET_RESOURCE_MAX,
               "state.c's resource buffer holds svc:NAME");
