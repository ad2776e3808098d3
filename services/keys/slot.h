/*
 * The key slot: the first 512 bytes of the disk's second block, holding the
 * node's root secret either as is (protection 0) or sealed under the
 * operator's passphrase (protection 1): XChaCha20-Poly1305 under a key
 * Argon2id derives from the passphrase.  Layout in docs/formats.md; what
 * sealing protects against in docs/identity.md.
 */
#ifndef ZERO_SERVICES_KEYS_SLOT_H
#define ZERO_SERVICES_KEYS_SLOT_H

#include <stddef.h>
#include <stdint.h>

#include "services/keys/keys.h"

#define KEYSLOT_LEN 512u    /* bytes used in the slot's block (the rest is zero) */
#define KEYSLOT_SUM_AT 480u /* BLAKE3 of bytes 0..479 sits here */
#define KEYSLOT_VERSION 1u
#define KEYSLOT_PLAIN 0u      /* protection: the secret as is */
#define KEYSLOT_PASSPHRASE 1u /* protection: sealed under a passphrase */

/* Argon2id parameters written into new sealed slots: about half a second
 * on the development machine (docs/identity.md). */
#define KEYSLOT_T_COST 3u
#define KEYSLOT_M_KIB 65536u
#define KEYSLOT_LANES 1u

/* The most a slot may ask for when it is opened, so a crafted slot cannot
 * make the node allocate or compute without bound. */
#define KEYSLOT_T_MAX 64u
#define KEYSLOT_M_KIB_MAX (1024u * 1024u)
#define KEYSLOT_LANES_MAX 8u
#define KEYSLOT_PASS_MAX 1024u

struct keyslot_kdf {
    uint32_t t_cost, m_kib, lanes;
};

/* Writes a protection-0 slot for root and node_pub into slot[KEYSLOT_LEN]. */
void keyslot_encode_plain(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[KEYS_PUB_LEN],
                          uint8_t slot[KEYSLOT_LEN]);

/*
 * Writes a protection-1 slot: root sealed under pass (pass_len bytes,
 * 1..KEYSLOT_PASS_MAX) with kdf, a fresh salt and nonce from platform
 * entropy.  Returns 0, ZERR_INVAL (bad passphrase length or kdf),
 * ZERR_NOMEM (no memory for Argon2id) or the entropy source's error.
 */
int keyslot_seal(const uint8_t root[KEYS_SECRET_LEN], const uint8_t node_pub[KEYS_PUB_LEN],
                 const void *pass, size_t pass_len, const struct keyslot_kdf *kdf,
                 uint8_t slot[KEYSLOT_LEN]);

/*
 * Checks a slot's structure without any secret: magic, version, checksum,
 * zero fields, node_pub, parameters within the limits above.  Returns its
 * protection (KEYSLOT_PLAIN or KEYSLOT_PASSPHRASE) or ZERR_CORRUPT.
 */
int keyslot_check(const uint8_t slot[KEYSLOT_LEN], const uint8_t node_pub[KEYS_PUB_LEN]);

/*
 * Recovers the root secret of a slot keyslot_check accepted.  A plain slot
 * ignores pass.  Returns 0, ZERR_BADSIG for a wrong passphrase (or a sealed
 * part altered with its checksum recomputed: the two look the same),
 * ZERR_PERM when the slot is sealed and pass is NULL, ZERR_NOMEM.
 */
int keyslot_open(const uint8_t slot[KEYSLOT_LEN], const void *pass, size_t pass_len,
                 uint8_t root[KEYS_SECRET_LEN]);

#endif
