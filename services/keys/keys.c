#include "services/keys/keys.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "hal/hal.h"
#include "svcrt/runtime.h"
#include "svcrt/wire.h"

int keys_make_root(uint8_t root[KEYS_SECRET_LEN])
{
    return hal_entropy(root, KEYS_SECRET_LEN);
}

void keys_init(struct keys *k, const uint8_t root[KEYS_SECRET_LEN])
{
    memset(k, 0, sizeof(*k));
    memcpy(k->root, root, KEYS_SECRET_LEN);
    k->ready = true;
}

void keys_wipe(struct keys *k)
{
    secure_zero(k, sizeof(*k));
}

/* Makes the cached key the one of (name, gen); returns 0 or ZERR_INVAL. */
static int keys_select(struct keys *k, const char *name, uint32_t gen)
{
    uint8_t material[KEYS_SECRET_LEN + 32 + 1 + 4];
    size_t n = strnlen(name, 33);

    if (!k->ready || n == 0 || n > 32) {
        return ZERR_INVAL;
    }
    if (k->cached && k->cached_gen == gen && strcmp(k->cached_name, name) == 0) {
        return 0;
    }
    memcpy(material, k->root, KEYS_SECRET_LEN);
    memcpy(material + KEYS_SECRET_LEN, name, n);
    material[KEYS_SECRET_LEN + n] = 0;
    for (int i = 0; i < 4; i++) {
        material[KEYS_SECRET_LEN + n + 1 + i] = (uint8_t)(gen >> (8 * i));
    }
    blake3_derive_key(KEYS_CONTEXT, material, KEYS_SECRET_LEN + n + 5, k->cached_seed,
                      KEYS_SECRET_LEN);
    secure_zero(material, sizeof(material));
    ed25519_pubkey(k->cached_pub, k->cached_seed);
    memset(k->cached_name, 0, sizeof(k->cached_name));
    memcpy(k->cached_name, name, n);
    k->cached_gen = gen;
    k->cached = true;
    return 0;
}

int keys_public(struct keys *k, const char *name, uint32_t gen, uint8_t pub[KEYS_PUB_LEN])
{
    int err = keys_select(k, name, gen);

    if (err == 0) {
        memcpy(pub, k->cached_pub, KEYS_PUB_LEN);
    }
    return err;
}

int keys_sign(struct keys *k, const char *name, uint32_t gen, const void *msg, size_t len,
              uint8_t sig[KEYS_SIG_LEN])
{
    int err = keys_select(k, name, gen);

    if (err == 0) {
        ed25519_sign(sig, msg, len, k->cached_seed, k->cached_pub);
    }
    return err;
}

int keys_req_encode(uint32_t op, const char *name, uint32_t gen, const void *msg, size_t msg_len,
                    void *buf, size_t cap, size_t *len)
{
    struct wire_out w;

    *len = 0;
    if ((op != KEYS_OP_PUBLIC && op != KEYS_OP_SIGN) || msg_len > KEYS_MSG_MAX) {
        return ZERR_INVAL;
    }
    wire_out_init(&w, buf, cap);
    wire_u32(&w, gen);
    wire_str(&w, name, KEYS_NAME_FIELD);
    if (op == KEYS_OP_SIGN) {
        wire_var(&w, msg, msg_len);
    }
    return wire_out_end(&w, len);
}

int keys_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct keys *k = self;
    struct wire_in r;
    char name[KEYS_NAME_FIELD];
    const uint8_t *msg = NULL;
    size_t msg_len = 0;

    if (m->op != KEYS_OP_PUBLIC && m->op != KEYS_OP_SIGN) {
        return ZERR_UNSUPPORTED;
    }
    if ((badge & (m->op == KEYS_OP_PUBLIC ? KEYS_BADGE_PUBLIC : KEYS_BADGE_SIGN)) == 0) {
        return ZERR_PERM;
    }
    wire_in_init(&r, m->in, m->in_len);
    uint32_t gen = wire_get_u32(&r);
    wire_get_str(&r, name, sizeof(name));
    if (m->op == KEYS_OP_SIGN) {
        msg = wire_get_var(&r, KEYS_MSG_MAX, &msg_len);
    }
    int err = wire_in_end(&r);
    if (err != 0) {
        return err;
    }
    size_t out_len = m->op == KEYS_OP_PUBLIC ? KEYS_PUB_LEN : KEYS_SIG_LEN;
    if (m->out == NULL || m->out_cap < out_len) {
        return ZERR_RANGE;
    }
    err = m->op == KEYS_OP_PUBLIC ? keys_public(k, name, gen, m->out)
                                  : keys_sign(k, name, gen, msg, msg_len, m->out);
    m->out_len = err == 0 ? out_len : 0;
    return err;
}
