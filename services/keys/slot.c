/*
 * Key slot encoding, sealing and opening (docs/formats.md, "Key slot").
 */
#include "services/keys/slot.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/aead.h"
#include "crypto/argon2.h"
#include "crypto/blake3.h"
#include "crypto/ct.h"
#include "hal/hal.h"

static const uint8_t slot_magic[8] = {'Z', 'E', 'R', 'O', 'K', 'E', 'Y', '1'};

/* Field offsets (docs/formats.md). */
enum {
    KS_VERSION = 8,
    KS_PROTECTION = 12,
    KS_SECRET = 16, /* the secret, or its ciphertext */
    KS_PUB = 48,
    KS_TAG = 80,    /* sealed: AEAD tag */
    KS_SALT = 96,   /* sealed: Argon2id salt, 16 bytes */
    KS_NONCE = 112, /* sealed: XChaCha20 nonce, 24 bytes */
    KS_T = 136,     /* sealed: Argon2id passes, memory KiB, lanes */
    KS_M = 140,
    KS_P = 144,
    KS_PLAIN_END = 80,
    KS_SEALED_END = 148,
};

#define KS_SALT_LEN 16u
#define KS_KEK_LEN 32u

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= p[i];
    }
    return acc == 0;
}

static void header(uint8_t slot[KEYSLOT_LEN], uint32_t protection,
                   const uint8_t node_pub[KEYS_PUB_LEN])
{
    memset(slot, 0, KEYSLOT_LEN);
    memcpy(slot, slot_magic, 8);
    put32(slot + KS_VERSION, KEYSLOT_VERSION);
    put32(slot + KS_PROTECTION, protection);
    memcpy(slot + KS_PUB, node_pub, KEYS_PUB_LEN);
}

static void checksum(uint8_t slot[KEYSLOT_LEN])
{
    blake3_hash(slot, KEYSLOT_SUM_AT, slot + KEYSLOT_SUM_AT);
}

void keyslot_encode_plain(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[KEYS_PUB_LEN],
                          uint8_t slot[KEYSLOT_LEN])
{
    header(slot, KEYSLOT_PLAIN, node_pub);
    memcpy(slot + KS_SECRET, root, KEYS_SECRET_LEN);
    checksum(slot);
}

static bool kdf_ok(uint32_t t, uint32_t m, uint32_t p)
{
    return t >= 1 && t <= KEYSLOT_T_MAX && p >= 1 && p <= KEYSLOT_LANES_MAX && m >= 8 * p &&
           m <= KEYSLOT_M_KIB_MAX;
}

/* The associated data of a sealed slot: bytes 0..479 with the ciphertext
 * and tag fields zero, so every other byte is authenticated. */
static void sealed_ad(const uint8_t slot[KEYSLOT_LEN], uint8_t ad[KEYSLOT_SUM_AT])
{
    memcpy(ad, slot, KEYSLOT_SUM_AT);
    memset(ad + KS_SECRET, 0, KEYS_SECRET_LEN);
    memset(ad + KS_TAG, 0, AEAD_TAG_LEN);
}

/* Argon2id(pass, salt) under the slot's parameters into kek. */
static int derive_kek(const uint8_t slot[KEYSLOT_LEN], const void *pass, size_t pass_len,
                      uint8_t kek[KS_KEK_LEN])
{
    argon2_params p = {ARGON2_ID, get32(slot + KS_T), get32(slot + KS_M), get32(slot + KS_P)};
    argon2_input in = {pass, pass_len, slot + KS_SALT, KS_SALT_LEN, NULL, 0, NULL, 0};
    size_t len = argon2_work_size(p.m_kib, p.lanes);
    size_t pages = (len + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE;
    void *work = len != 0 ? hal_page_alloc(pages) : NULL;
    if (work == NULL) {
        return len == 0 ? ZERR_INVAL : ZERR_NOMEM;
    }
    int err = argon2(&p, &in, kek, KS_KEK_LEN, work, len);
    hal_page_free(work, pages);
    return err;
}

int keyslot_seal(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[KEYS_PUB_LEN],
                 const void *pass, size_t pass_len, const struct keyslot_kdf *kdf,
                 uint8_t slot[KEYSLOT_LEN])
{
    if (pass == NULL || pass_len == 0 || pass_len > KEYSLOT_PASS_MAX ||
        !kdf_ok(kdf->t_cost, kdf->m_kib, kdf->lanes)) {
        return ZERR_INVAL;
    }
    uint8_t s[KEYSLOT_LEN], ad[KEYSLOT_SUM_AT], kek[KS_KEK_LEN];
    header(s, KEYSLOT_PASSPHRASE, node_pub);
    int err = hal_entropy(s + KS_SALT, KS_SALT_LEN);
    if (err != 0) {
        return err;
    }
    err = hal_entropy(s + KS_NONCE, XCHACHA20POLY1305_NONCE_LEN);
    if (err != 0) {
        return err;
    }
    put32(s + KS_T, kdf->t_cost);
    put32(s + KS_M, kdf->m_kib);
    put32(s + KS_P, kdf->lanes);
    err = derive_kek(s, pass, pass_len, kek);
    if (err != 0) {
        goto wipe_kek;
    }
    sealed_ad(s, ad);
    xchacha20poly1305_encrypt(s + KS_SECRET, s + KS_TAG, root, KEYS_SECRET_LEN, ad, sizeof(ad),
                              s + KS_NONCE, kek);
    checksum(s);
    memcpy(slot, s, KEYSLOT_LEN);
wipe_kek:
    secure_zero(kek, sizeof(kek));
    return err;
}

int keyslot_check(const uint8_t slot[KEYSLOT_LEN], const uint8_t node_pub[KEYS_PUB_LEN])
{
    uint8_t sum[32];
    blake3_hash(slot, KEYSLOT_SUM_AT, sum);
    if (memcmp(slot, slot_magic, 8) != 0 || memcmp(sum, slot + KEYSLOT_SUM_AT, 32) != 0 ||
        get32(slot + KS_VERSION) != KEYSLOT_VERSION ||
        memcmp(slot + KS_PUB, node_pub, KEYS_PUB_LEN) != 0) {
        return ZERR_CORRUPT;
    }
    uint32_t prot = get32(slot + KS_PROTECTION);
    if (prot == KEYSLOT_PLAIN && all_zero(slot + KS_PLAIN_END, KEYSLOT_SUM_AT - KS_PLAIN_END)) {
        return KEYSLOT_PLAIN;
    }
    if (prot == KEYSLOT_PASSPHRASE &&
        all_zero(slot + KS_SEALED_END, KEYSLOT_SUM_AT - KS_SEALED_END) &&
        kdf_ok(get32(slot + KS_T), get32(slot + KS_M), get32(slot + KS_P))) {
        return KEYSLOT_PASSPHRASE;
    }
    return ZERR_CORRUPT;
}

int keyslot_open(const uint8_t slot[KEYSLOT_LEN], const void *pass, size_t pass_len,
                 uint8_t root[KEYS_SECRET_LEN])
{
    if (get32(slot + KS_PROTECTION) == KEYSLOT_PLAIN) {
        memcpy(root, slot + KS_SECRET, KEYS_SECRET_LEN);
        return 0;
    }
    if (pass == NULL) {
        return ZERR_PERM;
    }
    if (pass_len > KEYSLOT_PASS_MAX) {
        return ZERR_BADSIG; /* no slot was sealed under a passphrase this long */
    }
    uint8_t kek[KS_KEK_LEN], ad[KEYSLOT_SUM_AT];
    int err = derive_kek(slot, pass, pass_len, kek);
    if (err == 0) {
        sealed_ad(slot, ad);
        err = xchacha20poly1305_decrypt(root, slot + KS_SECRET, KEYS_SECRET_LEN, slot + KS_TAG, ad,
                                        sizeof(ad), slot + KS_NONCE, kek);
    }
    secure_zero(kek, sizeof(kek));
    return err;
}
