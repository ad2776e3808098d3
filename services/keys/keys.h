/*
 * Key derivation service.
 *
 * One 32-byte root secret, made from platform entropy when the disk is
 * formatted and kept in the disk's key slot, is the source of every private
 * key of the node: the signing seed of principal NAME at key generation GEN
 * is BLAKE3-derive-key("Zero OS 2026 principal signing key v1",
 * root || NAME || 0x00 || GEN as 4 bytes little-endian).  Seeds never leave
 * this service: callers get public keys and signatures, and only callers
 * whose capability badge allows it (see keys_handle).
 *
 * The key slot holds the root secret plain, or sealed under the operator's
 * passphrase (services/keys/slot.h); docs/identity.md says what each
 * protects against.
 */
#ifndef ZERO_SERVICES_KEYS_H
#define ZERO_SERVICES_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYS_SECRET_LEN 32
#define KEYS_PUB_LEN 32
#define KEYS_SIG_LEN 64
#define KEYS_CONTEXT "Zero OS 2026 principal signing key v1"

struct keys {
    bool ready;
    uint8_t root[KEYS_SECRET_LEN];
    /* one cached key: deriving a public key costs a scalar multiplication */
    char cached_name[33];
    uint32_t cached_gen;
    bool cached;
    uint8_t cached_seed[KEYS_SECRET_LEN];
    uint8_t cached_pub[KEYS_PUB_LEN];
};

/* Fills root with a fresh secret from the platform's entropy; 0 or ZERR_UNSUPPORTED/ZERR_IO. */
int keys_make_root(uint8_t root[KEYS_SECRET_LEN]);

/* Starts the service with the root secret read from the key slot. */
void keys_init(struct keys *k, const uint8_t root[KEYS_SECRET_LEN]);

/* Wipes every secret. */
void keys_wipe(struct keys *k);

/* Public key of principal name at generation gen.  Returns 0 or ZERR_INVAL. */
int keys_public(struct keys *k, const char *name, uint32_t gen, uint8_t pub[KEYS_PUB_LEN]);

/* Signs msg as principal name at generation gen.  Returns 0 or ZERR_INVAL. */
int keys_sign(struct keys *k, const char *name, uint32_t gen, const void *msg, size_t len,
              uint8_t sig[KEYS_SIG_LEN]);

/* ---- the service interface (messages through the service runtime) ---- */

enum keys_op {
    KEYS_OP_PUBLIC = 1, /* in: u32 gen, str[33] name; out: the 32-byte public key */
    KEYS_OP_SIGN = 2,   /* in: u32 gen, str[33] name, var msg; out: the 64-byte signature */
};

/* Badge bits a caller's endpoint capability must carry. */
#define KEYS_BADGE_PUBLIC 0x1u /* may ask for public keys */
#define KEYS_BADGE_SIGN 0x2u   /* may ask for signatures (the Axiom, for checkpoints) */
#define KEYS_BADGE_UNLOCK 0x4u /* may give the operator's passphrase (x86_64: the terminal) */

#define KEYS_NAME_FIELD 33 /* str[33]: a principal name */
#define KEYS_MSG_MAX 4096u /* the longest message the service signs */

/*
 * Encodes a request of op (msg and len only for KEYS_OP_SIGN) into buf
 * (docs/services.md).  0 with *len, or ZERR_RANGE / ZERR_INVAL.
 */
int keys_req_encode(uint32_t op, const char *name, uint32_t gen, const void *msg, size_t msg_len,
                    void *buf, size_t cap, size_t *len);

struct rt_msg;

/* Message handler: checks the badge, then serves op.  0 or ZERR_PERM / ZERR_INVAL. */
int keys_handle(void *self, uint64_t badge, struct rt_msg *m);

#endif
