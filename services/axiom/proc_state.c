/*
 * The state machine of the process and capability entries
 * (services/axiom/internal/proc.h; docs/axiom.md "Processes").
 *
 * proc.spawn creates process number spawned + 1, live, running as its
 * principal; proc.exit ends a live process; cap.grant and cap.revoke name
 * a live process.  Root key 12 is [spawned, exited, procs hash] and key 13
 * [grants, revokes, caps hash], each hash chained over its entries'
 * payloads from 32 zero bytes: hash = BLAKE3(hash || BLAKE3(payload map)).
 */
#include "services/axiom/internal/proc.h"

#include "base/assert.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"

/* Index of live process id in s, or -1. */
static int ax_proc_find(const struct ax_procs *ps, uint64_t id)
{
    for (uint32_t i = 0; i < ps->nlive; i++) {
        if (ps->live[i].id == id) {
            return (int)i;
        }
    }
    return -1;
}

const char *ax_proc_principal(const struct ax_state *s, uint64_t id)
{
    int i = ax_proc_find(&s->procs, id);
    return i >= 0 ? s->procs.live[i].as : NULL;
}

/* True if principal `as` is proposer or was issued by it (its parent is proposer). */
static bool ax_proc_may_run_as(const struct ax_state *s, const char *proposer, const char *as)
{
    const struct id_principal *p = id_find(&s->ids, as);
    return p != NULL && (strcmp(as, proposer) == 0 || strcmp(p->parent, proposer) == 0);
}

static int ax_proc_decide_spawn(const struct ax_state *s, const struct ax_action *a, char *why,
                                size_t cap)
{
    const struct id_principal *p = id_find(&s->ids, a->proc.as);

    if (p == NULL || p->revoked) {
        zfmt_snprintf(why, cap, "proc.spawn: no live principal %s to run as", a->proc.as);
        return ZERR_NOPRINCIPAL;
    }
    if (!ax_proc_may_run_as(s, a->proposer, a->proc.as)) {
        zfmt_snprintf(
            why, cap,
            "proc.spawn: %s may run a process only as itself or a principal it issued, not %s",
            a->proposer, a->proc.as);
        return ZERR_PERM;
    }
    if (a->proc.parent != 0 && ax_proc_find(&s->procs, a->proc.parent) < 0) {
        zfmt_snprintf(why, cap, "proc.spawn: parent process %llu is not live",
                      (unsigned long long)a->proc.parent);
        return ZERR_NOENT;
    }
    if (s->procs.nlive == AX_PROCS_LIVE) {
        zfmt_snprintf(why, cap, "proc.spawn: %d processes are live already", AX_PROCS_LIVE);
        return ZERR_LIMIT;
    }
    return 0;
}

int ax_proc_decide(const struct ax_state *s, const struct ax_action *a, char *why, size_t cap)
{
    if (ax_proc_check(a) != 0) {
        zfmt_snprintf(why, cap, "%s: a field is out of range", ax_kind_name(a->kind));
        return ZERR_INVAL;
    }
    if (a->kind == AX_PROC_SPAWN) {
        return ax_proc_decide_spawn(s, a, why, cap);
    }
    if (ax_proc_find(&s->procs, a->proc.id) < 0) {
        zfmt_snprintf(why, cap, "%s: process %llu is not live", ax_kind_name(a->kind),
                      (unsigned long long)a->proc.id);
        return ZERR_NOENT;
    }
    return 0;
}

void ax_proc_request(const struct ax_state *s, const struct ax_action *a, struct policy_request *rq,
                     char *res)
{
    if (a->kind == AX_PROC_SPAWN) {
        zfmt_snprintf(res, AX_PROC_RESOURCE_MAX + 1, "image:%s", a->proc.image_name);
        rq->resource.name = res;
        rq->run_as = a->proc.as;
        rq->image = a->proc.image;
        memcpy(rq->limit, a->proc.limit, sizeof(rq->limit));
        return;
    }
    rq->run_as = ax_proc_principal(s, a->proc.id);
    if (a->kind == AX_PROC_EXIT) {
        zfmt_snprintf(res, AX_PROC_RESOURCE_MAX + 1, "process");
    } else {
        zfmt_snprintf(res, AX_PROC_RESOURCE_MAX + 1, "%s", a->proc.object);
        rq->has_rights = true;
        rq->rights = a->proc.rights;
    }
    rq->resource.name = res;
}

/* hash = BLAKE3(hash || BLAKE3(a's payload map)). */
static void ax_proc_chain(uint8_t hash[AX_HASH_LEN], const struct ax_action *a)
{
    uint8_t buf[AX_PROC_PAYLOAD_MAX];
    uint8_t ph[AX_HASH_LEN];
    size_t len = 0;
    cbor_enc e;
    blake3_hasher h;

    cbor_enc_init(&e, buf, sizeof(buf));
    ax_proc_put_payload(&e, a);
    int err = cbor_enc_finish(&e, &len);
    ZASSERT(err == 0, "a process entry's payload fits its fixed buffer");
    blake3_hash(buf, len, ph);
    blake3_init(&h);
    blake3_update(&h, hash, AX_HASH_LEN);
    blake3_update(&h, ph, AX_HASH_LEN);
    blake3_finalize(&h, hash, AX_HASH_LEN);
}

void ax_proc_perform(struct ax_state *s, const struct ax_action *a)
{
    struct ax_procs *ps = &s->procs;

    if (a->kind == AX_PROC_SPAWN) {
        ZASSERT(ps->nlive < AX_PROCS_LIVE, "a decided spawn has room in the live table");
        ps->spawned++;
        ps->live[ps->nlive].id = ps->spawned;
        memcpy(ps->live[ps->nlive].as, a->proc.as, strlen(a->proc.as) + 1);
        ps->nlive++;
        ax_proc_chain(ps->procs_hash, a);
    } else if (a->kind == AX_PROC_EXIT) {
        int i = ax_proc_find(ps, a->proc.id);
        ZASSERT(i >= 0, "a decided exit names a live process");
        memmove(&ps->live[i], &ps->live[i + 1],
                (ps->nlive - (uint32_t)i - 1) * sizeof(ps->live[0]));
        ps->nlive--;
        ps->exited++;
        ax_proc_chain(ps->procs_hash, a);
    } else {
        if (a->kind == AX_CAP_GRANT) {
            ps->grants++;
        } else {
            ps->revokes++;
        }
        ax_proc_chain(ps->caps_hash, a);
    }
}

unsigned ax_proc_root_keys(const struct ax_state *s)
{
    return (s->procs.spawned > 0 ? 1u : 0u) + (s->procs.grants + s->procs.revokes > 0 ? 1u : 0u);
}

void ax_proc_root_put(const struct ax_state *s, cbor_enc *e)
{
    const struct ax_procs *ps = &s->procs;

    if (ps->spawned > 0) {
        cbor_put_uint(e, AX_PROC_ROOT_KEY);
        cbor_put_array(e, 3);
        cbor_put_uint(e, ps->spawned);
        cbor_put_uint(e, ps->exited);
        cbor_put_bytes(e, ps->procs_hash, AX_HASH_LEN);
    }
    if (ps->grants + ps->revokes > 0) {
        cbor_put_uint(e, AX_CAP_ROOT_KEY);
        cbor_put_array(e, 3);
        cbor_put_uint(e, ps->grants);
        cbor_put_uint(e, ps->revokes);
        cbor_put_bytes(e, ps->caps_hash, AX_HASH_LEN);
    }
}
