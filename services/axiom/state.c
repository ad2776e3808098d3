/*
 * The control-plane state machine: state_n = apply(state_n-1, entry_n).
 *
 * Everything here is pure: no clock, no randomness, no pointer values, no
 * unordered iteration.  The state root is
 *   BLAKE3(CBOR {0: version, 1: entries applied, 2: node name,
 *                3: identities hash, 4: policy hash, 5: notes})
 * where the identities hash is BLAKE3 of the CBOR array of principals in
 * name order and the policy hash BLAKE3 of [next_id, [rules in id order]];
 * both are recomputed only when their part changed.
 */
#include <stdarg.h>

#include "base/assert.h"
#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/axiom/internal/act_as.h"
#include "services/axiom/internal/fs.h"
#include "services/axiom/net.h"
#include "services/axiom/internal/proc.h"
#include "services/axiom/state.h"

static void ax_why(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats a one-line reason into why (cap bytes), if the caller wants one. */
static void ax_why(char *why, size_t cap, const char *fmt, ...)
{
    va_list ap;

    if (why == NULL || cap == 0) {
        return;
    }
    va_start(ap, fmt);
    (void)zfmt_vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

/* Streams one small CBOR item into h. */
static void ax_hash_put(blake3_hasher *h, const uint8_t *buf, const cbor_enc *e)
{
    blake3_update(h, buf, e->len <= e->cap ? e->len : 0);
}

static void ax_hash_ids(struct ax_state *s)
{
    blake3_hasher h;
    uint8_t buf[160];
    cbor_enc e;

    blake3_init(&h);
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, s->ids.n);
    ax_hash_put(&h, buf, &e);
    for (uint32_t i = 0; i < s->ids.n; i++) {
        cbor_enc_init(&e, buf, sizeof(buf));
        id_encode_principal(&s->ids.p[i], s->format, &e);
        ax_hash_put(&h, buf, &e);
    }
    blake3_finalize(&h, s->ids_hash, AX_HASH_LEN);
    s->ids_dirty = false;
}

static void ax_hash_policy(struct ax_state *s)
{
    blake3_hasher h;
    uint8_t buf[POLICY_TEXT_MAX + 32];
    cbor_enc e;

    blake3_init(&h);
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_array(&e, 2);
    cbor_put_uint(&e, s->pol.next_id);
    cbor_put_array(&e, s->pol.n);
    ax_hash_put(&h, buf, &e);
    for (uint32_t i = 0; i < s->pol.n; i++) {
        cbor_enc_init(&e, buf, sizeof(buf));
        policy_encode_rule(&s->pol.r[i], &e);
        ax_hash_put(&h, buf, &e);
    }
    blake3_finalize(&h, s->pol_hash, AX_HASH_LEN);
    s->pol_dirty = false;
}

int ax_state_root_map(const struct ax_state *s, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 6 + ax_fs_root_keys(s) + ax_job_root_keys(s) + ax_boot_root_keys(s) +
                         ax_svc_root_keys(s) + ax_proc_root_keys(s));
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, s->format);
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, s->applied);
    cbor_put_uint(&e, 2);
    cbor_put_cstr(&e, s->node);
    cbor_put_uint(&e, 3);
    cbor_put_bytes(&e, s->ids_hash, AX_HASH_LEN);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, s->pol_hash, AX_HASH_LEN);
    cbor_put_uint(&e, 5);
    cbor_put_uint(&e, s->notes);
    ax_fs_put_root(s, &e);
    ax_job_root_put(s, &e);
    ax_boot_put_root(s, &e);
    ax_svc_put_root(s, &e);
    ax_proc_root_put(s, &e);
    return cbor_enc_finish(&e, len);
}

static void ax_state_update_root(struct ax_state *s)
{
    uint8_t buf[AX_STATE_MAP_MAX];
    size_t len = 0;

    if (s->ids_dirty) {
        ax_hash_ids(s);
    }
    if (s->pol_dirty) {
        ax_hash_policy(s);
    }
    ax_fs_rehash(s);
    int err = ax_state_root_map(s, buf, sizeof(buf), &len);
    ZASSERT(err == 0, "the state root's map fits its fixed buffer");
    blake3_hash(buf, len, s->root);
}

void ax_state_rehash(struct ax_state *s)
{
    s->ids_dirty = true;
    s->pol_dirty = true;
    s->fs.dirty = true;
    ax_state_update_root(s);
}

void ax_state_init(struct ax_state *s)
{
    memset(s, 0, sizeof(*s));
    s->format = 1;
    id_table_init(&s->ids);
    policy_set_init(&s->pol);
    ax_fs_init(s);
    s->ids_dirty = true;
    s->pol_dirty = true;
    ax_state_update_root(s);
}

static int ax_decide_genesis(const struct ax_state *s, const struct ax_action *a, char *why,
                             size_t cap)
{
    if (s->applied != 0) {
        ax_why(why, cap, "genesis may only be the first entry");
        return ZERR_INVAL;
    }
    if (!id_name_valid(a->name, strlen(a->name)) || strcmp(a->proposer, a->name) != 0) {
        ax_why(why, cap, "genesis must be proposed by the node it creates");
        return ZERR_INVAL;
    }
    if (a->has_sig || a->has_nonce) {
        ax_why(why, cap, "genesis carries no signature and no proposal number");
        return ZERR_INVAL;
    }
    return 0;
}

/*
 * True if, after the policy change a (already parsed into rule for an add),
 * the node principal could still change the policy.  A change that would
 * lock it out is refused: nothing else could ever repair the policy.
 */
static bool ax_keeps_admin(const struct ax_state *s, const struct ax_action *a,
                           const struct policy_rule *rule)
{
    const struct id_principal *node = id_find(&s->ids, s->node);
    struct policy_request rq;
    struct policy_decision d;

    if (node == NULL) {
        return true;
    }
    memset(&rq, 0, sizeof(rq));
    rq.proposer.name = node->name;
    rq.proposer.kind = node->kind;
    rq.proposer.parent = node->parent;
    rq.action = "policy.remove";
    rq.resource.name = "policy";
    rq.resource.kind = ID_KIND_NONE;
    rq.resource.parent = "";
    policy_eval_with(&s->pol, a->kind == AX_POLICY_REMOVE ? a->rule_id : 0,
                     a->kind == AX_POLICY_ADD ? rule : NULL, &rq, &d);
    return d.allow != 0;
}

static int ax_check_identity(const struct ax_state *s, const struct ax_action *a, char *why,
                             size_t cap)
{
    int err;

    if (a->kind == AX_ID_CREATE) {
        err = id_check_create(&s->ids, a->proposer, a->name, a->id_kind);
        if (err == ZERR_PERM) {
            ax_why(why, cap, "a %s may not issue a %s (%s)",
                   id_kind_name(id_find(&s->ids, a->proposer)->kind), id_kind_name(a->id_kind),
                   a->name);
            return err;
        }
    } else {
        err = id_check_live(&s->ids, a->name);
        if (err == ZERR_NOENT) {
            ax_why(why, cap, "%s %s: no principal %s", ax_kind_name(a->kind), a->name, a->name);
            return err;
        }
        if (err == ZERR_PERM) {
            ax_why(why, cap, "%s %s: %s is revoked", ax_kind_name(a->kind), a->name, a->name);
            return err;
        }
        if (a->kind == AX_ID_REVOKE && strcmp(a->name, s->node) == 0) {
            ax_why(why, cap, "the node principal %s cannot be revoked", a->name);
            return ZERR_PERM;
        }
    }
    if (err != 0) {
        ax_why(why, cap, "%s %s: %s", ax_kind_name(a->kind), a->name, zerr_text(err));
    }
    return err;
}

static int ax_check_policy_add(const struct ax_state *s, const struct ax_action *a, char *why,
                               size_t cap)
{
    struct policy_rule rule;
    char perr[96];
    int err = policy_parse(a->rule, strlen(a->rule), a->effect, &rule, perr, sizeof(perr));

    if (err != 0) {
        ax_why(why, cap, "bad rule: %s", perr);
        return err;
    }
    if (strcmp(rule.text, a->rule) != 0) {
        ax_why(why, cap, "rule text is not in normal form");
        return ZERR_NONCANONICAL;
    }
    if (policy_check_add(&s->pol) != 0) {
        ax_why(why, cap, "the policy holds %d rules already", POLICY_MAX_RULES);
        return ZERR_FULL;
    }
    if (!ax_keeps_admin(s, a, &rule)) {
        ax_why(why, cap, "this rule would lock %s out of changing the policy", s->node);
        return ZERR_PERM;
    }
    return 0;
}

static int ax_check_policy_remove(const struct ax_state *s, const struct ax_action *a, char *why,
                                  size_t cap)
{
    if (policy_check_remove(&s->pol, a->rule_id) != 0) {
        ax_why(why, cap, "policy.remove #%u: no such rule", (unsigned)a->rule_id);
        return ZERR_NOENT;
    }
    if (!ax_keeps_admin(s, a, NULL)) {
        ax_why(why, cap, "removing rule #%u would lock %s out of changing the policy",
               (unsigned)a->rule_id, s->node);
        return ZERR_PERM;
    }
    return 0;
}

/* The structural checks of a non-genesis action, before policy. */
static int ax_decide_shape(const struct ax_state *s, const struct ax_action *a, char *why,
                           size_t cap)
{
    switch (a->kind) {
    case AX_ID_CREATE:
    case AX_ID_ROTATE:
    case AX_ID_REVOKE:
        return ax_check_identity(s, a, why, cap);
    case AX_POLICY_ADD:
        return ax_check_policy_add(s, a, why, cap);
    case AX_POLICY_REMOVE:
        return ax_check_policy_remove(s, a, why, cap);
    case AX_BOOT:
        return ax_boot_decide(s, a, why, cap);
    case AX_FS_PUT:
    case AX_FS_MKDIR:
    case AX_FS_RM:
    case AX_FS_RMDIR:
    case AX_FS_MV:
    case AX_FS_QUOTA:
        return ax_fs_check(s, a, why, cap);
    case AX_ACT_AS:
        return ax_act_as_check(s, a, why, cap);
    case AX_NET_CONNECT:
    case AX_NET_LISTEN:
    case AX_NET_ACCEPT:
        return ax_net_check(a);
    case AX_NOTE:
        if (a->data_len > AX_NOTE_MAX) {
            ax_why(why, cap, "a note holds at most %d bytes", AX_NOTE_MAX);
            return ZERR_LIMIT;
        }
        return 0;
    case AX_JOB_RESULT:
        return ax_job_decide(a, why, cap);
    case AX_SVC_START:
    case AX_SVC_EXIT:
    case AX_SVC_HOLD:
    case AX_SVC_RESTART:
    case AX_SVC_KILL:
        return ax_svc_decide(s, a, why, cap);
    case AX_PROC_SPAWN:
    case AX_PROC_EXIT:
    case AX_CAP_GRANT:
    case AX_CAP_REVOKE:
        return ax_proc_decide(s, a, why, cap);
    default:
        ax_why(why, cap, "genesis may only be the first entry");
        return ZERR_INVAL;
    }
}

/*
 * Checks the signature of an externally signed proposal and, in entry
 * format 2, its proposal number: it must be the proposer's next one, so the
 * same signed proposal cannot be accepted twice.
 */
static int ax_check_sig(const struct ax_action *a, const struct id_principal *p, char *why,
                        size_t cap)
{
    uint8_t msg[AX_ENTRY_MAX];
    size_t len = 0;
    unsigned format = ax_action_format(a);
    unsigned long long next = (unsigned long long)p->proposals + 1;

    if (!a->has_sig && p->external) {
        ax_why(why, cap, "%s holds its own key: only a proposal signed by it can act for it",
               a->proposer);
        return ZERR_PERM;
    }
    if (!a->has_sig) {
        return a->has_nonce ? ZERR_INVAL : 0;
    }
    if (format >= 2 && !a->has_nonce) {
        ax_why(why, cap, "a signed proposal must carry %s's next proposal number (#%llu)",
               a->proposer, next);
        return ZERR_INVAL;
    }
    if (ax_proposal_message(a, msg, sizeof(msg), &len) != 0 ||
        ed25519_verify(a->sig, msg, len, p->pub) != 0) {
        ax_why(why, cap, "bad proposal signature of %s", a->proposer);
        return ZERR_BADSIG;
    }
    if (a->has_nonce && a->nonce < next) {
        ax_why(why, cap, "replayed proposal: %s's signed proposal #%llu was already accepted",
               a->proposer, (unsigned long long)a->nonce);
        return ZERR_EXIST;
    }
    if (a->has_nonce && a->nonce > next) {
        ax_why(why, cap, "proposal number #%llu of %s skips ahead (the next is #%llu)",
               (unsigned long long)a->nonce, a->proposer, next);
        return ZERR_INVAL;
    }
    return 0;
}

/* A key held outside the node is for users and agents only (the node
 * derives the keys of nodes and services), and exists from format 2 on. */
static int ax_check_external(const struct ax_state *s, const struct ax_action *a, char *why,
                             size_t cap)
{
    const struct id_principal *t = id_find(&s->ids, a->name);
    uint8_t kind = a->kind == AX_ID_CREATE ? a->id_kind : (t != NULL ? t->kind : ID_KIND_NONE);

    if (!a->external) {
        return 0;
    }
    if (ax_action_format(a) < 2 || (kind != ID_KIND_USER && kind != ID_KIND_AGENT)) {
        ax_why(why, cap, "only users and agents may hold their own key (%s is a %s)", a->name,
               id_kind_name(kind));
        return ZERR_INVAL;
    }
    return 0;
}

/* An entry may not go back to an older format than the log already uses. */
static int ax_check_format(const struct ax_state *s, const struct ax_action *a, char *why,
                           size_t cap)
{
    unsigned format = ax_action_format(a);

    if (format < s->format || format > AX_ENTRY_VERSION) {
        ax_why(why, cap, "entry format %u after format %u", format, (unsigned)s->format);
        return ZERR_INVAL;
    }
    return 0;
}

/* Fills the resource subject of a; the caller's storage backs the strings. */
/* Records the issuers of a subject, starting with `first` (its parent). */
static void ax_issuers(const struct ax_state *s, const char *first, struct policy_subject *r)
{
    const char *name = first;

    r->nissuers = 0;
    while (name[0] != '\0' && r->nissuers < POLICY_CHAIN_MAX) {
        const struct id_principal *p = id_find(&s->ids, name);
        r->issuers[r->nissuers++] = name;
        name = p != NULL ? p->parent : "";
    }
}

static void ax_resource(const struct ax_state *s, const struct ax_action *a,
                        struct policy_subject *r, char *net_res)
{
    const struct id_principal *p;

    memset(r, 0, sizeof(*r));
    r->kind = ID_KIND_NONE;
    r->parent = "";
    switch (a->kind) {
    case AX_ID_CREATE:
        r->name = a->name;
        r->kind = a->id_kind;
        r->parent = a->proposer;
        ax_issuers(s, a->proposer, r);
        break;
    case AX_ID_ROTATE:
    case AX_ID_REVOKE:
    case AX_ACT_AS:
        p = id_find(&s->ids, a->name);
        r->name = a->name;
        r->kind = p != NULL ? p->kind : ID_KIND_NONE;
        r->parent = p != NULL ? p->parent : "";
        ax_issuers(s, r->parent, r);
        break;
    case AX_POLICY_ADD:
    case AX_POLICY_REMOVE:
        r->name = "policy";
        break;
    case AX_BOOT:
        r->name = "boot";
        break;
    case AX_NET_CONNECT:
    case AX_NET_LISTEN:
    case AX_NET_ACCEPT:
        ax_net_resource(a, net_res, AX_NET_RESOURCE_MAX + 1);
        r->name = net_res;
        break;
    case AX_SVC_START:
    case AX_SVC_EXIT:
    case AX_SVC_HOLD:
    case AX_SVC_RESTART:
    case AX_SVC_KILL:
        ax_svc_resource(a, net_res, AX_NET_RESOURCE_MAX + 1);
        r->name = net_res;
        break;
    default:
        r->name = "note";
        break;
    }
}

static int ax_decide_policy(const struct ax_state *s, const struct ax_action *a,
                            const struct id_principal *p, struct policy_decision *d, char *why,
                            size_t cap)
{
    struct policy_request rq;
    char rule[24];
    char net_res[AX_NET_RESOURCE_MAX + 1];
    char proc_res[AX_PROC_RESOURCE_MAX + 1];

    memset(&rq, 0, sizeof(rq));
    rq.proposer.name = p->name;
    rq.proposer.kind = p->kind;
    rq.proposer.parent = p->parent;
    rq.action = ax_kind_name(a->kind);
    ax_resource(s, a, &rq.resource, net_res);
    ax_job_request(a, &rq);
    if (ax_proc_kind(a->kind)) {
        ax_proc_request(s, a, &rq, proc_res);
    }
    policy_eval(&s->pol, &rq, d);
    if (d->allow) {
        return 0;
    }
    if (d->rule == POLICY_DEFAULT_RULE) {
        ax_why(why, cap, "no rule allows %s %s %s (default deny)", p->name, rq.action,
               rq.resource.name);
    } else {
        zfmt_snprintf(rule, sizeof(rule), "rule #%u", (unsigned)d->rule);
        ax_why(why, cap, "%s denies %s %s", rule, p->name, rq.action);
    }
    return ZERR_DENIED;
}

int ax_state_decide(const struct ax_state *s, const struct ax_action *a, struct policy_decision *d,
                    char *why, size_t whycap)
{
    const struct id_principal *p;
    int err;

    d->allow = 0;
    d->rule = POLICY_DEFAULT_RULE;
    err = ax_check_format(s, a, why, whycap);
    if (err != 0) {
        return err;
    }
    if (a->kind == AX_GENESIS || s->applied == 0) {
        if (a->kind != AX_GENESIS) {
            ax_why(why, whycap, "the log must start with genesis");
            return ZERR_INVAL;
        }
        err = ax_decide_genesis(s, a, why, whycap);
        d->allow = err == 0;
        return err;
    }
    p = id_find(&s->ids, a->proposer);
    if (p == NULL) {
        ax_why(why, whycap, "unknown principal %s", a->proposer);
        return ZERR_NOPRINCIPAL;
    }
    if (p->revoked) {
        ax_why(why, whycap, "principal %s is revoked", a->proposer);
        return ZERR_PERM;
    }
    err = ax_decide_shape(s, a, why, whycap);
    if (err != 0) {
        return err;
    }
    err = ax_check_external(s, a, why, whycap);
    if (err != 0) {
        return err;
    }
    err = ax_check_sig(a, p, why, whycap);
    if (err != 0) {
        return err;
    }
    if (ax_fs_kind(a->kind)) {
        return ax_fs_decide_policy(s, a, p, d, why, whycap);
    }
    return ax_decide_policy(s, a, p, d, why, whycap);
}

/* Adds a rule that the decision already checked: it parses and fits the set. */
static void ax_perform_add_rule(struct policy_set *pol, const char *text, uint8_t effect)
{
    struct policy_rule rule;
    int err = policy_parse(text, strlen(text), effect, &rule, NULL, 0);

    ZASSERT(err == 0, "a decided policy rule parses");
    uint32_t id = policy_do_add(pol, &rule);
    ZASSERT(id != 0, "a decided policy rule fits the policy set");
}

static void ax_perform_genesis(struct ax_state *s, const struct ax_action *a)
{
    char text[ID_NAME_MAX + 8];

    id_do_create(&s->ids, "", a->name, ID_KIND_NODE, a->pub, s->applied);
    memcpy(s->node, a->name, strlen(a->name) + 1);
    zfmt_snprintf(text, sizeof(text), "%s * *", a->name);
    ax_perform_add_rule(&s->pol, text, POLICY_ALLOW);
    s->ids_dirty = true;
    s->pol_dirty = true;
}

void ax_state_perform(struct ax_state *s, const struct ax_action *a)
{
    switch (a->kind) {
    case AX_GENESIS:
        ax_perform_genesis(s, a);
        break;
    case AX_ID_CREATE:
        id_do_create(&s->ids, a->proposer, a->name, a->id_kind, a->pub, s->applied);
        id_set_external(&s->ids, a->name, a->external);
        s->ids_dirty = true;
        break;
    case AX_ID_ROTATE:
        id_do_rotate(&s->ids, a->name, a->pub);
        id_set_external(&s->ids, a->name, a->external);
        s->ids_dirty = true;
        break;
    case AX_ID_REVOKE: {
        uint32_t revoked = id_do_revoke(&s->ids, a->name);
        ZASSERT(revoked > 0, "a decided revocation has a live target");
        s->ids_dirty = true;
        break;
    }
    case AX_POLICY_ADD:
        ax_perform_add_rule(&s->pol, a->rule, a->effect);
        s->pol_dirty = true;
        break;
    case AX_POLICY_REMOVE:
        policy_do_remove(&s->pol, a->rule_id);
        s->pol_dirty = true;
        break;
    case AX_FS_PUT:
    case AX_FS_MKDIR:
    case AX_FS_RM:
    case AX_FS_RMDIR:
    case AX_FS_MV:
    case AX_FS_QUOTA:
        ax_fs_perform(s, a);
        break;
    case AX_JOB_RESULT:
        ax_job_perform(s, a);
        break;
    case AX_BOOT:
        ax_boot_perform(s, a);
        break;
    case AX_SVC_START:
    case AX_SVC_EXIT:
    case AX_SVC_HOLD:
    case AX_SVC_RESTART:
    case AX_SVC_KILL:
        ax_svc_perform(s, a);
        break;
    case AX_PROC_SPAWN:
    case AX_PROC_EXIT:
    case AX_CAP_GRANT:
    case AX_CAP_REVOKE:
        ax_proc_perform(s, a);
        break;
    case AX_ACT_AS:
    case AX_NET_CONNECT:
    case AX_NET_LISTEN:
    case AX_NET_ACCEPT:
        break; /* the entry is the record: no state beyond the entry count */
    default:
        s->notes++;
        break;
    }
    if (a->has_nonce) {
        id_do_proposal(&s->ids, a->proposer, a->nonce);
        s->ids_dirty = true;
    }
    unsigned format = ax_action_format(a);
    if (format > s->format) {
        s->format = (uint8_t)format; /* the state encoding follows (docs/formats.md) */
        s->ids_dirty = true;
    }
    s->applied++;
    ax_state_update_root(s);
}

int ax_apply(struct ax_state *s, const struct ax_entry *e, char *why, size_t whycap)
{
    struct policy_decision d;
    char inner[128];
    char num[48];
    int err;

    if (e->seq != s->applied) {
        zfmt_snprintf(num, sizeof(num), "%llu, expected %llu", (unsigned long long)e->seq,
                      (unsigned long long)s->applied);
        ax_why(why, whycap, "sequence number %s", num);
        return ZERR_CORRUPT;
    }
    err = ax_state_decide(s, &e->a, &d, inner, sizeof(inner));
    if (err != 0 && err != ZERR_DENIED) {
        ax_why(why, whycap, "entry cannot apply: %s", inner);
        return err == ZERR_BADSIG ? err : ZERR_CORRUPT;
    }
    if (!d.allow || d.allow != e->dec.allow || d.rule != e->dec.rule) {
        zfmt_snprintf(num, sizeof(num), "%s by rule #%u", d.allow ? "allow" : "deny",
                      (unsigned)d.rule);
        ax_why(why, whycap, "policy decision differs: the policy says %s, the entry says %s", num,
               e->dec.allow ? "allow" : "deny");
        return ZERR_DENIED;
    }
    ax_state_perform(s, &e->a);
    if (memcmp(s->root, e->state_root, AX_HASH_LEN) != 0) {
        ax_why(why, whycap, "state root after the entry differs from the recorded one");
        return ZERR_CORRUPT;
    }
    return 0;
}
