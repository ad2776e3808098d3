/*
 * Entry and checkpoint codec: deterministic CBOR maps with small unsigned
 * keys, layouts in docs/formats.md.  Decoders accept exactly one canonical
 * encoding per value: cbor_validate first, then every key in order.
 */
#include "base/errors.h"
#include "base/string.h"
#include "services/axiom/boot.h"
#include "services/axiom/entry.h"
#include "services/axiom/internal/codec.h"
#include "services/axiom/internal/fs.h"
#include "services/axiom/net.h"
#include "services/axiom/proc.h"
#include "services/axiom/svc.h"

static const char *const ax_kind_names[AX_KIND_END] = {
    "?",          "genesis",       "id.create",   "id.rotate",   "id.revoke",
    "policy.add", "policy.remove", "note",        "job.result",  "boot",
    "fs.put",     "fs.mkdir",      "fs.rm",       "fs.rmdir",    "fs.mv",
    "fs.quota",   "act_as",        "net.connect", "net.listen",  "net.accept",
    "svc.start",  "svc.exit",      "svc.hold",    "svc.restart", "svc.kill",
    "proc.spawn", "proc.exit",     "cap.grant",   "cap.revoke"};

#define AX_PROPOSAL_DOMAIN "Zero OS proposal v1"
#define AX_PROPOSAL_DOMAIN2 "Zero OS proposal v2"
#define AX_CHECKPOINT_DOMAIN "Zero OS checkpoint v1"

const char *ax_kind_name(uint8_t kind)
{
    return kind > 0 && kind < AX_KIND_END ? ax_kind_names[kind] : "?";
}

static uint8_t ax_kind_parse(const char *s, size_t n)
{
    for (unsigned k = 1; k < AX_KIND_END; k++) {
        if (strlen(ax_kind_names[k]) == n && memcmp(ax_kind_names[k], s, n) == 0) {
            return (uint8_t)k;
        }
    }
    return 0;
}

static void ax_put_payload(cbor_enc *e, const struct ax_action *a)
{
    if (ax_fs_kind(a->kind)) {
        ax_fs_put_payload(e, a);
        return;
    }
    if (ax_net_kind(a->kind)) {
        ax_net_put_payload(e, a);
        return;
    }
    if (ax_proc_kind(a->kind)) {
        ax_proc_put_payload(e, a);
        return;
    }
    if (ax_svc_kind(a->kind)) {
        ax_svc_put_payload(e, a);
        return;
    }
    switch (a->kind) {
    case AX_GENESIS:
    case AX_ID_ROTATE:
        cbor_put_map(e, 2u + (a->kind == AX_ID_ROTATE && a->external));
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->name);
        cbor_put_uint(e, 1);
        cbor_put_bytes(e, a->pub, ID_PUB_LEN);
        if (a->kind == AX_ID_ROTATE && a->external) {
            cbor_put_uint(e, 2);
            cbor_put_bool(e, true);
        }
        break;
    case AX_ID_CREATE:
        cbor_put_map(e, 3u + a->external);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->name);
        cbor_put_uint(e, 1);
        cbor_put_uint(e, a->id_kind);
        cbor_put_uint(e, 2);
        cbor_put_bytes(e, a->pub, ID_PUB_LEN);
        if (a->external) {
            cbor_put_uint(e, 3);
            cbor_put_bool(e, true);
        }
        break;
    case AX_ID_REVOKE:
    case AX_ACT_AS:
        cbor_put_map(e, 1);
        cbor_put_uint(e, 0);
        cbor_put_cstr(e, a->name);
        break;
    case AX_POLICY_ADD:
        cbor_put_map(e, 2);
        cbor_put_uint(e, 0);
        cbor_put_uint(e, a->effect);
        cbor_put_uint(e, 1);
        cbor_put_cstr(e, a->rule);
        break;
    case AX_POLICY_REMOVE:
        cbor_put_map(e, 1);
        cbor_put_uint(e, 0);
        cbor_put_uint(e, a->rule_id);
        break;
    case AX_JOB_RESULT:
        ax_job_put_payload(e, a);
        break;
    case AX_BOOT:
        cbor_put_raw(e, a->data, a->data_len);
        break;
    default: /* AX_NOTE */
        cbor_put_map(e, 1);
        cbor_put_uint(e, 0);
        cbor_put_bytes(e, a->data, a->data_len);
        break;
    }
}

unsigned ax_action_format(const struct ax_action *a)
{
    return a->format != 0 ? a->format : AX_ENTRY_VERSION;
}

/* The checks on what a proposal says, whatever its format. */
static int ax_check_kind(const struct ax_action *a)
{
    if (a->kind == 0 || a->kind >= AX_KIND_END) {
        return ZERR_INVAL;
    }
    if (a->kind == AX_BOOT && (a->data == NULL || a->data_len > AX_BOOT_PAYLOAD_MAX)) {
        return ZERR_INVAL;
    }
    if (a->kind == AX_NOTE && (a->data_len > AX_NOTE_MAX || (a->data == NULL && a->data_len))) {
        return ZERR_INVAL;
    }
    if (a->kind == AX_JOB_RESULT && ax_job_check(a) != 0) {
        return ZERR_INVAL;
    }
    if (a->external && a->kind != AX_ID_CREATE && a->kind != AX_ID_ROTATE) {
        return ZERR_INVAL;
    }
    if (ax_proc_kind(a->kind)) {
        return ax_proc_check(a);
    }
    if (ax_svc_kind(a->kind)) {
        return ax_svc_check(a);
    }
    return ax_net_kind(a->kind) ? ax_net_check(a) : 0;
}

/* The checks before encoding an entry: format 1 has no proposal numbers,
 * and a proposal number goes with a signature. */
static int ax_check_action(const struct ax_action *a)
{
    unsigned f = ax_action_format(a);

    if (f > AX_ENTRY_VERSION || (a->has_nonce && (!a->has_sig || f < 2 || a->nonce == 0)) ||
        (a->external && f < 2)) {
        return ZERR_INVAL;
    }
    return ax_check_kind(a);
}

int ax_entry_encode(const struct ax_entry *en, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    const struct ax_action *a = &en->a;

    if (ax_check_action(a) != 0) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 8 + (a->has_sig ? 1 : 0) + (a->has_nonce ? 1 : 0));
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, ax_action_format(a));
    cbor_put_uint(&e, 1);
    cbor_put_uint(&e, en->seq);
    cbor_put_uint(&e, 2);
    cbor_put_bytes(&e, en->prev, AX_HASH_LEN);
    cbor_put_uint(&e, 3);
    cbor_put_cstr(&e, a->proposer);
    cbor_put_uint(&e, 4);
    cbor_put_cstr(&e, ax_kind_name(a->kind));
    cbor_put_uint(&e, 5);
    ax_put_payload(&e, a);
    cbor_put_uint(&e, 6);
    cbor_put_array(&e, 2);
    cbor_put_bool(&e, en->dec.allow != 0);
    cbor_put_uint(&e, en->dec.rule);
    cbor_put_uint(&e, 7);
    cbor_put_bytes(&e, en->state_root, AX_HASH_LEN);
    if (a->has_sig) {
        cbor_put_uint(&e, 8);
        cbor_put_bytes(&e, a->sig, AX_SIG_LEN);
    }
    if (a->has_nonce) {
        cbor_put_uint(&e, 9);
        cbor_put_uint(&e, a->nonce);
    }
    return cbor_enc_finish(&e, len);
}

/* ---- decoding helpers: each consumes one item and checks its shape ---- */

/* Reads a text item into out (cap bytes with the NUL); rejects NUL inside. */
static int ax_get_str(cbor_dec *d, char *out, size_t cap)
{
    const char *s = NULL;
    size_t n = 0;
    int err = cbor_get_text(d, &s, &n);

    if (err != 0) {
        return err;
    }
    if (n >= cap) {
        return ZERR_CORRUPT;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            return ZERR_CORRUPT;
        }
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int ax_get_u32(cbor_dec *d, uint32_t *out, uint32_t max)
{
    uint64_t v = 0;
    int err = cbor_get_uint(d, &v);

    if (err != 0) {
        return err;
    }
    if (v > max) {
        return ZERR_CORRUPT;
    }
    *out = (uint32_t)v;
    return 0;
}

static int ax_get_name_field(cbor_dec *d, uint64_t key, char *out)
{
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    return ax_get_str(d, out, ID_NAME_MAX + 1);
}

static int ax_get_pub_field(cbor_dec *d, uint64_t key, uint8_t *out)
{
    return ax_get_fixed_field(d, key, out, ID_PUB_LEN);
}

static int ax_get_uint_field(cbor_dec *d, uint64_t key, uint64_t *out)
{
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    return cbor_get_uint(d, out);
}

static int ax_get_u32_field(cbor_dec *d, uint64_t key, uint32_t *out, uint32_t max)
{
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    return ax_get_u32(d, out, max);
}

/* Reads key, then the name of an action kind into *kind (never 0). */
static int ax_get_kind_field(cbor_dec *d, uint64_t key, uint8_t *kind)
{
    char name[16];
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    err = ax_get_str(d, name, sizeof(name));
    if (err != 0) {
        return err;
    }
    *kind = ax_kind_parse(name, strlen(name));
    return *kind == 0 ? ZERR_CORRUPT : 0;
}

/* The optional last payload key of id.create and id.rotate: present only
 * as true (the key is external); absent means held by the node. */
static int ax_get_external(cbor_dec *d, uint64_t key, bool present, struct ax_action *a)
{
    bool v = false;
    int err = present ? ax_get_key(d, key) : 0;

    err = err != 0 || !present ? err : cbor_get_bool(d, &v);
    if (err == 0 && present && !v) {
        return ZERR_NONCANONICAL;
    }
    a->external = present;
    return err;
}

/* genesis and id.rotate: {0: name, 1: public key, (2: true)} */
static int ax_decode_id_key(cbor_dec *d, struct ax_action *a, bool ext)
{
    a->id_kind = a->kind == AX_GENESIS ? ID_KIND_NODE : ID_KIND_NONE;
    int err = ax_get_name_field(d, 0, a->name);
    if (err != 0) {
        return err;
    }
    err = ax_get_pub_field(d, 1, a->pub);
    if (err != 0) {
        return err;
    }
    return ax_get_external(d, 2, ext, a);
}

/* id.create: {0: name, 1: identity kind, 2: public key, (3: true)} */
static int ax_decode_id_create(cbor_dec *d, struct ax_action *a, bool ext)
{
    uint32_t v = 0;
    int err = ax_get_name_field(d, 0, a->name);

    if (err != 0) {
        return err;
    }
    err = ax_get_u32_field(d, 1, &v, ID_KIND_COUNT - 1);
    if (err != 0) {
        return err;
    }
    a->id_kind = (uint8_t)v;
    err = ax_get_pub_field(d, 2, a->pub);
    if (err != 0) {
        return err;
    }
    return ax_get_external(d, 3, ext, a);
}

/* policy.add: {0: effect, 1: rule text} */
static int ax_decode_policy_add(cbor_dec *d, struct ax_action *a)
{
    uint32_t v = 0;
    int err = ax_get_u32_field(d, 0, &v, POLICY_ALLOW);

    if (err != 0) {
        return err;
    }
    a->effect = (uint8_t)v;
    err = ax_get_key(d, 1);
    if (err != 0) {
        return err;
    }
    return ax_get_str(d, a->rule, sizeof(a->rule));
}

/* note and the other data-carrying kinds: {0: bytes} */
static int ax_decode_data(cbor_dec *d, struct ax_action *a)
{
    int err = ax_get_key(d, 0);

    if (err != 0) {
        return err;
    }
    err = cbor_get_bytes(d, &a->data, &a->data_len);
    if (err != 0) {
        return err;
    }
    return a->data_len > AX_NOTE_MAX ? ZERR_CORRUPT : 0;
}

static int ax_decode_payload(cbor_dec *d, struct ax_action *a)
{
    uint64_t n = 0;
    const uint8_t want[AX_BOOT + 1] = {0, 2, 3, 2, 1, 2, 1, 1, 4};
    if (a->kind == AX_BOOT) {
        return ax_boot_get_payload(d, a);
    }
    int err = cbor_get_map(d, &n);

    if (err != 0) {
        return err;
    }
    if (ax_fs_kind(a->kind)) {
        return ax_fs_decode_payload(d, a, n);
    }
    if (a->kind == AX_ACT_AS) {
        return n == 1 ? ax_get_name_field(d, 0, a->name) : ZERR_CORRUPT;
    }
    if (ax_net_kind(a->kind)) {
        return ax_net_decode_payload(d, a, n);
    }
    if (ax_proc_kind(a->kind)) {
        return ax_proc_decode_payload(d, a, n);
    }
    if (ax_svc_kind(a->kind)) {
        return ax_svc_decode_payload(d, a, n);
    }
    /* id.create and id.rotate may carry one more key: the external flag. */
    bool ext = (a->kind == AX_ID_CREATE || a->kind == AX_ID_ROTATE) && n == want[a->kind] + 1u;
    if (n != want[a->kind] && !ext) {
        return ZERR_CORRUPT;
    }
    switch (a->kind) {
    case AX_GENESIS:
    case AX_ID_ROTATE:
        return ax_decode_id_key(d, a, ext);
    case AX_ID_CREATE:
        return ax_decode_id_create(d, a, ext);
    case AX_ID_REVOKE:
        return ax_get_name_field(d, 0, a->name);
    case AX_POLICY_ADD:
        return ax_decode_policy_add(d, a);
    case AX_POLICY_REMOVE:
        return ax_get_u32_field(d, 0, &a->rule_id, UINT32_MAX);
    case AX_JOB_RESULT:
        return ax_job_decode_payload(d, a);
    default:
        return ax_decode_data(d, a);
    }
}

/* Reads key, then the action's payload map. */
static int ax_get_payload_field(cbor_dec *d, uint64_t key, struct ax_action *a)
{
    int err = ax_get_key(d, key);

    if (err != 0) {
        return err;
    }
    return ax_decode_payload(d, a);
}

static int ax_decode_head(cbor_dec *d, struct ax_entry *out, uint64_t *nkeys)
{
    uint32_t version = 0;
    int err = cbor_get_map(d, nkeys);

    if (err != 0) {
        return err;
    }
    err = ax_get_u32_field(d, 0, &version, AX_ENTRY_VERSION);
    if (err != 0) {
        return err;
    }
    /* Format 1: 8 keys, or 9 with a signature.  Format 2: 8, or 10 with a
     * signature and its proposal number. */
    if (version == 0 || *nkeys < 8 || *nkeys > (version == 1 ? 9u : 10u) ||
        (version == 2 && *nkeys == 9)) {
        return ZERR_CORRUPT;
    }
    out->a.format = (uint8_t)version;
    err = ax_get_uint_field(d, 1, &out->seq);
    if (err != 0) {
        return err;
    }
    err = ax_get_fixed_field(d, 2, out->prev, AX_HASH_LEN);
    if (err != 0) {
        return err;
    }
    return ax_get_name_field(d, 3, out->a.proposer);
}

static int ax_decode_decision(cbor_dec *d, struct policy_decision *dec)
{
    uint64_t n = 0;
    bool allow = false;
    int err = ax_get_key(d, 6);

    if (err != 0) {
        return err;
    }
    err = cbor_get_array(d, &n);
    if (err != 0) {
        return err;
    }
    if (n != 2) {
        return ZERR_CORRUPT;
    }
    err = cbor_get_bool(d, &allow);
    if (err != 0) {
        return err;
    }
    err = ax_get_u32(d, &dec->rule, UINT32_MAX);
    dec->allow = allow ? 1 : 0;
    return err;
}

/* The optional last keys of an entry: 8, the signature; 9, the proposal number. */
static int ax_decode_signature(cbor_dec *d, struct ax_action *a, uint64_t nkeys)
{
    int err;

    if (nkeys >= 9) {
        a->has_sig = true;
        err = ax_get_fixed_field(d, 8, a->sig, AX_SIG_LEN);
        if (err != 0) {
            return err;
        }
    }
    if (nkeys == 10) {
        a->has_nonce = true;
        err = ax_get_uint_field(d, 9, &a->nonce);
        if (err != 0) {
            return err;
        }
        return a->nonce == 0 ? ZERR_CORRUPT : 0;
    }
    return 0;
}

/* The keys after the head: 4 kind, 5 payload, 6 decision, 7 state root. */
static int ax_decode_body(cbor_dec *d, struct ax_entry *out)
{
    int err = ax_get_kind_field(d, 4, &out->a.kind);

    if (err != 0) {
        return err;
    }
    err = ax_get_payload_field(d, 5, &out->a);
    if (err != 0) {
        return err;
    }
    if (out->a.external && out->a.format < 2) {
        return ZERR_CORRUPT; /* external keys exist from entry format 2 on */
    }
    err = ax_decode_decision(d, &out->dec);
    if (err != 0) {
        return err;
    }
    return ax_get_fixed_field(d, 7, out->state_root, AX_HASH_LEN);
}

int ax_entry_decode(const uint8_t *buf, size_t len, struct ax_entry *out)
{
    cbor_dec d;
    uint64_t nkeys = 0;
    int err = cbor_validate(buf, len, 4);

    if (err != 0) {
        return err;
    }
    memset(out, 0, sizeof(*out));
    cbor_dec_init(&d, buf, len);
    err = ax_decode_head(&d, out, &nkeys);
    if (err != 0) {
        return err;
    }
    err = ax_decode_body(&d, out);
    if (err != 0) {
        return err;
    }
    err = ax_decode_signature(&d, &out->a, nkeys);
    if (err != 0) {
        return err;
    }
    return cbor_dec_finish(&d);
}

int ax_proposal_message(const struct ax_action *a, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    size_t dom = sizeof(AX_PROPOSAL_DOMAIN);

    _Static_assert(sizeof(AX_PROPOSAL_DOMAIN) == sizeof(AX_PROPOSAL_DOMAIN2), "domain lengths");
    if (ax_check_kind(a) != 0 || cap < dom) {
        return cap < dom ? ZERR_FULL : ZERR_INVAL;
    }
    memcpy(buf, a->has_nonce ? AX_PROPOSAL_DOMAIN2 : AX_PROPOSAL_DOMAIN, dom);
    cbor_enc_init(&e, buf + dom, cap - dom);
    cbor_put_array(&e, a->has_nonce ? 4 : 3);
    cbor_put_cstr(&e, a->proposer);
    cbor_put_cstr(&e, ax_kind_name(a->kind));
    ax_put_payload(&e, a);
    if (a->has_nonce) {
        cbor_put_uint(&e, a->nonce);
    }
    int err = cbor_enc_finish(&e, len);
    *len += dom;
    return err;
}

/* ---- signed proposals from outside the node ---- */

#define AX_PROPOSAL_FORMAT 1

int ax_proposal_encode(const struct ax_action *a, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    if (!a->has_sig || !a->has_nonce || a->nonce == 0 || ax_check_kind(a) != 0 ||
        a->kind == AX_GENESIS) {
        return ZERR_INVAL;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 6);
    cbor_put_uint(&e, 0);
    cbor_put_uint(&e, AX_PROPOSAL_FORMAT);
    cbor_put_uint(&e, 1);
    cbor_put_cstr(&e, a->proposer);
    cbor_put_uint(&e, 2);
    cbor_put_cstr(&e, ax_kind_name(a->kind));
    cbor_put_uint(&e, 3);
    ax_put_payload(&e, a);
    cbor_put_uint(&e, 4);
    cbor_put_uint(&e, a->nonce);
    cbor_put_uint(&e, 5);
    cbor_put_bytes(&e, a->sig, AX_SIG_LEN);
    return cbor_enc_finish(&e, len);
}

/* A proposal's keys 0 to 2: the format, the proposer and the kind. */
static int ax_decode_proposal_head(cbor_dec *d, struct ax_action *a)
{
    uint64_t n = 0;
    uint32_t version = 0;
    int err = cbor_get_map(d, &n);

    if (err != 0) {
        return err;
    }
    if (n != 6) {
        return ZERR_CORRUPT;
    }
    err = ax_get_u32_field(d, 0, &version, AX_PROPOSAL_FORMAT);
    if (err != 0) {
        return err;
    }
    if (version != AX_PROPOSAL_FORMAT) {
        return ZERR_CORRUPT;
    }
    err = ax_get_name_field(d, 1, a->proposer);
    if (err != 0) {
        return err;
    }
    err = ax_get_kind_field(d, 2, &a->kind);
    if (err != 0) {
        return err;
    }
    return a->kind == AX_GENESIS ? ZERR_CORRUPT : 0;
}

int ax_proposal_decode(const uint8_t *buf, size_t len, struct ax_action *a)
{
    cbor_dec d;
    int err = len > AX_PROPOSAL_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 4);

    if (err != 0) {
        return err;
    }
    memset(a, 0, sizeof(*a));
    cbor_dec_init(&d, buf, len);
    err = ax_decode_proposal_head(&d, a);
    if (err != 0) {
        return err;
    }
    a->has_sig = true;
    a->has_nonce = true;
    err = ax_get_payload_field(&d, 3, a);
    if (err != 0) {
        return err;
    }
    err = ax_get_uint_field(&d, 4, &a->nonce);
    if (err != 0) {
        return err;
    }
    if (a->nonce == 0) {
        return ZERR_CORRUPT;
    }
    err = ax_get_fixed_field(&d, 5, a->sig, AX_SIG_LEN);
    if (err != 0) {
        return err;
    }
    return cbor_dec_finish(&d);
}

/* ---- checkpoints ---- */

static void ax_put_checkpoint_body(cbor_enc *e, const struct ax_checkpoint *c, bool with_sig)
{
    cbor_put_map(e, with_sig ? 7 : 6);
    cbor_put_uint(e, 0);
    cbor_put_uint(e, AX_VERSION);
    cbor_put_uint(e, 1);
    cbor_put_uint(e, c->batch);
    cbor_put_uint(e, 2);
    cbor_put_uint(e, c->size);
    cbor_put_uint(e, 3);
    cbor_put_bytes(e, c->head, AX_HASH_LEN);
    cbor_put_uint(e, 4);
    cbor_put_bytes(e, c->state_root, AX_HASH_LEN);
    cbor_put_uint(e, 5);
    cbor_put_bytes(e, c->tree_root, AX_HASH_LEN);
    if (with_sig) {
        cbor_put_uint(e, 6);
        cbor_put_bytes(e, c->sig, AX_SIG_LEN);
    }
}

int ax_checkpoint_encode(const struct ax_checkpoint *c, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;

    cbor_enc_init(&e, buf, cap);
    ax_put_checkpoint_body(&e, c, true);
    return cbor_enc_finish(&e, len);
}

int ax_checkpoint_message(const struct ax_checkpoint *c, uint8_t *buf, size_t cap, size_t *len)
{
    cbor_enc e;
    size_t dom = sizeof(AX_CHECKPOINT_DOMAIN);

    if (cap < dom) {
        return ZERR_FULL;
    }
    memcpy(buf, AX_CHECKPOINT_DOMAIN, dom);
    cbor_enc_init(&e, buf + dom, cap - dom);
    ax_put_checkpoint_body(&e, c, false);
    int err = cbor_enc_finish(&e, len);
    *len += dom;
    return err;
}

/* A checkpoint's map of 7 keys and its key 0, the version. */
static int ax_decode_checkpoint_head(cbor_dec *d)
{
    uint64_t n = 0;
    uint32_t version = 0;
    int err = cbor_get_map(d, &n);

    if (err != 0) {
        return err;
    }
    if (n != 7) {
        return ZERR_CORRUPT;
    }
    err = ax_get_u32_field(d, 0, &version, AX_VERSION);
    if (err != 0) {
        return err;
    }
    return version != AX_VERSION ? ZERR_CORRUPT : 0;
}

int ax_checkpoint_decode(const uint8_t *buf, size_t len, struct ax_checkpoint *out)
{
    cbor_dec d;
    int err = cbor_validate(buf, len, 1);

    if (err != 0) {
        return err;
    }
    memset(out, 0, sizeof(*out));
    cbor_dec_init(&d, buf, len);
    err = ax_decode_checkpoint_head(&d);
    if (err != 0) {
        return err;
    }
    err = ax_get_uint_field(&d, 1, &out->batch);
    if (err != 0) {
        return err;
    }
    err = ax_get_uint_field(&d, 2, &out->size);
    if (err != 0) {
        return err;
    }
    /* Keys 3 to 6, in order: fixed-length byte strings. */
    const struct {
        uint8_t *out;
        size_t len;
    } fixed[] = {{out->head, AX_HASH_LEN},
                 {out->state_root, AX_HASH_LEN},
                 {out->tree_root, AX_HASH_LEN},
                 {out->sig, AX_SIG_LEN}};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        err = ax_get_fixed_field(&d, 3 + i, fixed[i].out, fixed[i].len);
        if (err != 0) {
            return err;
        }
    }
    return cbor_dec_finish(&d);
}
