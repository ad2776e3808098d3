/*
 * The Axiom's messages as bytes (svcrt/wire.h; layouts in docs/services.md).
 * Field order here is the wire order.
 */
#include <stddef.h>

#include "services/axiom/service.h"

#include "base/errors.h"
#include "base/string.h"
#include "svcrt/wire.h"

/*
 * Every field of struct ax_action travels: a field added to the struct
 * without a place in the action's layout below (and in docs/services.md)
 * stops the build here instead of silently not reaching the Axiom.
 */
_Static_assert(offsetof(struct ax_action, data) == 1816,
               "a field before data: give it a place in the action message");
_Static_assert(offsetof(struct ax_action, format) - offsetof(struct ax_action, has_sig) ==
                   AX_SIG_LEN + 8 + 8,
               "a field after data: give it a place in the action message");

/* The process and capability fields of an action (services/axiom/proc.h). */
static void axiom_proc_fields_encode(struct wire_out *w, const struct ax_proc_fields *p)
{
    wire_bytes(w, p->image, AX_HASH_LEN);
    wire_str(w, p->image_name, AXIOM_NAME_FIELD);
    wire_str(w, p->as, AXIOM_NAME_FIELD);
    for (unsigned k = 0; k < 3; k++) {
        wire_u64(w, p->limit[k]);
    }
    wire_u64(w, p->parent);
    wire_u64(w, p->id);
    wire_u8(w, p->how);
    wire_u32(w, p->code);
    wire_str(w, p->object, AXIOM_NAME_FIELD);
    wire_u32(w, p->rights);
}

static void axiom_proc_fields_decode(struct wire_in *r, struct ax_proc_fields *p)
{
    wire_get_bytes(r, p->image, AX_HASH_LEN);
    wire_get_str(r, p->image_name, AXIOM_NAME_FIELD);
    wire_get_str(r, p->as, AXIOM_NAME_FIELD);
    for (unsigned k = 0; k < 3; k++) {
        p->limit[k] = wire_get_u64(r);
    }
    p->parent = wire_get_u64(r);
    p->id = wire_get_u64(r);
    p->how = wire_get_u8(r);
    p->code = wire_get_u32(r);
    wire_get_str(r, p->object, AXIOM_NAME_FIELD);
    p->rights = wire_get_u32(r);
}

/* svc.*'s fields: pid, delay, status, fault address, fault kind, how, reason. */
static void axiom_svc_fields_encode(struct wire_out *w, const struct ax_svc_fields *f)
{
    wire_u64(w, f->pid);
    wire_u64(w, f->delay_ms);
    wire_u64(w, f->status);
    wire_u64(w, f->fault_addr);
    wire_u32(w, f->fault_kind);
    wire_u8(w, f->how);
    wire_str(w, f->reason, AX_SVC_REASON_MAX + 1);
}

static void axiom_svc_fields_decode(struct wire_in *r, struct ax_svc_fields *f)
{
    f->pid = wire_get_u64(r);
    f->delay_ms = wire_get_u64(r);
    f->status = wire_get_u64(r);
    f->fault_addr = wire_get_u64(r);
    f->fault_kind = wire_get_u32(r);
    f->how = wire_get_u8(r);
    wire_get_str(r, f->reason, AX_SVC_REASON_MAX + 1);
}

int axiom_action_encode(const struct ax_action *a, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_u8(&w, a->kind);
    wire_str(&w, a->proposer, AXIOM_NAME_FIELD);
    wire_str(&w, a->name, AXIOM_NAME_FIELD);
    wire_u8(&w, a->id_kind);
    wire_bytes(&w, a->pub, ID_PUB_LEN);
    wire_u8(&w, a->external ? 1 : 0);
    wire_u8(&w, a->effect);
    wire_u32(&w, a->rule_id);
    wire_str(&w, a->rule, AXIOM_RULE_FIELD);
    wire_bytes(&w, a->job_spec, AX_HASH_LEN);
    wire_bytes(&w, a->job_program, AX_HASH_LEN);
    wire_u64(&w, a->job_fuel);
    wire_str(&w, a->fs.path, AXIOM_PATH_FIELD);
    wire_str(&w, a->fs.to, AXIOM_PATH_FIELD);
    wire_bytes(&w, a->fs.hash, CAS_HASH);
    wire_u64(&w, a->fs.size);
    wire_u32(&w, a->fs.mode);
    wire_u32(&w, a->net.ip);
    wire_u32(&w, (uint32_t)a->net.port << 16 | a->net.local_port);
    axiom_svc_fields_encode(&w, &a->svc);
    axiom_proc_fields_encode(&w, &a->proc);
    wire_u8(&w, a->has_sig ? 1 : 0);
    wire_bytes(&w, a->sig, AX_SIG_LEN);
    wire_u8(&w, a->has_nonce ? 1 : 0);
    wire_u64(&w, a->nonce);
    wire_u8(&w, a->format);
    if (a->data_len > AXIOM_DATA_MAX || (a->data_len > 0 && a->data == NULL)) {
        *len = 0;
        return ZERR_RANGE;
    }
    wire_var(&w, a->data, a->data_len);
    return wire_out_end(&w, len);
}

int axiom_action_decode(const void *buf, size_t len, struct ax_action *a)
{
    struct wire_in r;

    memset(a, 0, sizeof(*a));
    wire_in_init(&r, buf, len);
    a->kind = wire_get_u8(&r);
    wire_get_str(&r, a->proposer, AXIOM_NAME_FIELD);
    wire_get_str(&r, a->name, AXIOM_NAME_FIELD);
    a->id_kind = wire_get_u8(&r);
    wire_get_bytes(&r, a->pub, ID_PUB_LEN);
    a->external = wire_get_bool(&r);
    a->effect = wire_get_u8(&r);
    a->rule_id = wire_get_u32(&r);
    wire_get_str(&r, a->rule, AXIOM_RULE_FIELD);
    wire_get_bytes(&r, a->job_spec, AX_HASH_LEN);
    wire_get_bytes(&r, a->job_program, AX_HASH_LEN);
    a->job_fuel = wire_get_u64(&r);
    wire_get_str(&r, a->fs.path, AXIOM_PATH_FIELD);
    wire_get_str(&r, a->fs.to, AXIOM_PATH_FIELD);
    wire_get_bytes(&r, a->fs.hash, CAS_HASH);
    a->fs.size = wire_get_u64(&r);
    a->fs.mode = wire_get_u32(&r);
    a->net.ip = wire_get_u32(&r);
    uint32_t ports = wire_get_u32(&r);
    a->net.port = (uint16_t)(ports >> 16);
    a->net.local_port = (uint16_t)ports;
    axiom_svc_fields_decode(&r, &a->svc);
    axiom_proc_fields_decode(&r, &a->proc);
    a->has_sig = wire_get_bool(&r);
    wire_get_bytes(&r, a->sig, AX_SIG_LEN);
    a->has_nonce = wire_get_bool(&r);
    a->nonce = wire_get_u64(&r);
    a->format = wire_get_u8(&r);
    a->data = wire_get_var(&r, AXIOM_DATA_MAX, &a->data_len);
    int err = wire_in_end(&r);
    if (err != 0) {
        memset(a, 0, sizeof(*a));
    }
    return err;
}

int axiom_result_encode(const struct axiom_result *res, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_u32(&w, (uint32_t)res->err);
    wire_u64(&w, res->seq);
    wire_bytes(&w, res->hash, AX_HASH_LEN);
    wire_u8(&w, res->dec.allow);
    wire_u32(&w, res->dec.rule);
    wire_u64(&w, res->checkpoints);
    wire_str(&w, res->why, AXIOM_WHY_FIELD);
    return wire_out_end(&w, len);
}

int axiom_result_decode(const void *buf, size_t len, struct axiom_result *res)
{
    struct wire_in r;

    memset(res, 0, sizeof(*res));
    wire_in_init(&r, buf, len);
    res->err = (int)(int32_t)wire_get_u32(&r);
    res->seq = wire_get_u64(&r);
    wire_get_bytes(&r, res->hash, AX_HASH_LEN);
    res->dec.allow = wire_get_bool(&r);
    res->dec.rule = wire_get_u32(&r);
    res->checkpoints = wire_get_u64(&r);
    wire_get_str(&r, res->why, AXIOM_WHY_FIELD);
    return wire_in_end(&r);
}

int axiom_head_encode(const struct axiom_head *h, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_u64(&w, h->entries);
    wire_bytes(&w, h->head, AX_HASH_LEN);
    wire_bytes(&w, h->state_root, AX_HASH_LEN);
    wire_bytes(&w, h->tree_root, AX_HASH_LEN);
    wire_str(&w, h->node, AXIOM_NAME_FIELD);
    return wire_out_end(&w, len);
}

int axiom_head_decode(const void *buf, size_t len, struct axiom_head *h)
{
    struct wire_in r;

    memset(h, 0, sizeof(*h));
    wire_in_init(&r, buf, len);
    h->entries = wire_get_u64(&r);
    wire_get_bytes(&r, h->head, AX_HASH_LEN);
    wire_get_bytes(&r, h->state_root, AX_HASH_LEN);
    wire_get_bytes(&r, h->tree_root, AX_HASH_LEN);
    wire_get_str(&r, h->node, AXIOM_NAME_FIELD);
    return wire_in_end(&r);
}

int axiom_check_encode(const struct axiom_check *c, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_str(&w, c->proposer, AXIOM_NAME_FIELD);
    wire_str(&w, c->action, AXIOM_NAME_FIELD);
    wire_str(&w, c->resource, AXIOM_NAME_FIELD);
    return wire_out_end(&w, len);
}

int axiom_check_decode(const void *buf, size_t len, struct axiom_check *c)
{
    struct wire_in r;

    memset(c, 0, sizeof(*c));
    wire_in_init(&r, buf, len);
    wire_get_str(&r, c->proposer, AXIOM_NAME_FIELD);
    wire_get_str(&r, c->action, AXIOM_NAME_FIELD);
    wire_get_str(&r, c->resource, AXIOM_NAME_FIELD);
    return wire_in_end(&r);
}

int axiom_decision_encode(const struct axiom_decision *d, void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    wire_out_init(&w, buf, cap);
    wire_u8(&w, d->dec.allow);
    wire_u32(&w, d->dec.rule);
    wire_str(&w, d->why, AXIOM_WHY_FIELD);
    return wire_out_end(&w, len);
}

int axiom_decision_decode(const void *buf, size_t len, struct axiom_decision *d)
{
    struct wire_in r;

    memset(d, 0, sizeof(*d));
    wire_in_init(&r, buf, len);
    d->dec.allow = wire_get_bool(&r);
    d->dec.rule = wire_get_u32(&r);
    wire_get_str(&r, d->why, AXIOM_WHY_FIELD);
    return wire_in_end(&r);
}

void axiom_log_item_put(struct wire_out *w, const struct axiom_log_item *it)
{
    wire_u64(w, it->seq);
    wire_bytes(w, it->hash, AX_HASH_LEN);
    wire_u8(w, it->kind);
    wire_u32(w, it->rule);
    wire_str(w, it->proposer, AXIOM_NAME_FIELD);
    wire_str(w, it->subject, AXIOM_SUBJECT_FIELD);
}

void axiom_log_item_get(struct wire_in *r, struct axiom_log_item *it)
{
    it->seq = wire_get_u64(r);
    wire_get_bytes(r, it->hash, AX_HASH_LEN);
    it->kind = wire_get_u8(r);
    it->rule = wire_get_u32(r);
    wire_get_str(r, it->proposer, AXIOM_NAME_FIELD);
    wire_get_str(r, it->subject, AXIOM_SUBJECT_FIELD);
}

void axiom_principal_put(struct wire_out *w, const struct id_principal *p)
{
    wire_str(w, p->name, AXIOM_NAME_FIELD);
    wire_str(w, p->parent, AXIOM_NAME_FIELD);
    wire_u8(w, p->kind);
    wire_u8(w, p->revoked);
    wire_u32(w, p->key_gen);
    wire_bytes(w, p->pub, ID_PUB_LEN);
    wire_u64(w, p->created_seq);
    wire_u64(w, p->proposals);
    wire_u8(w, p->external);
}

void axiom_principal_get(struct wire_in *r, struct id_principal *p)
{
    memset(p, 0, sizeof(*p));
    wire_get_str(r, p->name, AXIOM_NAME_FIELD);
    wire_get_str(r, p->parent, AXIOM_NAME_FIELD);
    p->kind = wire_get_u8(r);
    p->revoked = wire_get_bool(r) ? 1 : 0;
    p->key_gen = wire_get_u32(r);
    wire_get_bytes(r, p->pub, ID_PUB_LEN);
    p->created_seq = wire_get_u64(r);
    p->proposals = wire_get_u64(r);
    p->external = wire_get_bool(r) ? 1 : 0;
}

void axiom_rule_put(struct wire_out *w, const struct policy_rule *rule)
{
    wire_u32(w, rule->id);
    wire_u8(w, rule->effect);
    wire_str(w, rule->text, AXIOM_RULE_FIELD);
}

void axiom_rule_get(struct wire_in *r, struct axiom_rule *rule)
{
    memset(rule, 0, sizeof(*rule));
    rule->id = wire_get_u32(r);
    rule->effect = wire_get_u8(r);
    wire_get_str(r, rule->text, AXIOM_RULE_FIELD);
}
