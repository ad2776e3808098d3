/*
 * File proofs: a namespace node, up through the namespace root and the
 * state-root map, to a signed checkpoint (fsproof.h, docs/formats.md).
 */
#include "services/axiom/fsproof.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/axiom/internal/codec.h"

#define AXFS_CP_BYTES 256 /* an encoded checkpoint */

int ax_fs_proof_make(struct ax_state *st, const struct ax_checkpoint *cp,
                     const uint8_t key[ID_PUB_LEN], const char *path, struct ax_fs_proof *p)
{
    struct fs view;

    memset(p, 0, sizeof(*p));
    if (!st->fs.on || memcmp(st->root, cp->state_root, AX_HASH_LEN) != 0) {
        return ZERR_CORRUPT;
    }
    int err = fs_prove((struct fs *)ax_state_fs(st, &view), path, &p->node);
    if (err != 0) {
        return err;
    }
    err = ax_state_root_map(st, p->state_map, sizeof(p->state_map), &p->state_map_len);
    p->cp = *cp;
    memcpy(p->key, key, ID_PUB_LEN);
    return err;
}

int ax_fs_proof_encode(const struct ax_fs_proof *p, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t cpb[AXFS_CP_BYTES];
    size_t cpl = 0;
    cbor_enc e;
    int err = ax_checkpoint_encode(&p->cp, cpb, sizeof(cpb), &cpl);

    if (err != 0) {
        return err;
    }
    cbor_enc_init(&e, buf, cap);
    cbor_put_map(&e, 10);
    cbor_put_uint(&e, 0);
    cbor_put_cstr(&e, AX_FS_PROOF_MAGIC);
    cbor_put_uint(&e, 1);
    cbor_put_bytes(&e, p->node.node, p->node.node_len);
    cbor_put_uint(&e, 2);
    cbor_put_uint(&e, p->node.index);
    cbor_put_uint(&e, 3);
    cbor_put_uint(&e, p->node.count);
    cbor_put_uint(&e, 4);
    cbor_put_bytes(&e, p->node.tree, AX_HASH_LEN);
    cbor_put_uint(&e, 5);
    cbor_put_bytes(&e, p->node.quotas, AX_HASH_LEN);
    cbor_put_uint(&e, 6);
    ax_put_proof(&e, (const uint8_t(*)[AX_HASH_LEN])p->node.path, p->node.path_len);
    cbor_put_uint(&e, 7);
    cbor_put_bytes(&e, p->state_map, p->state_map_len);
    cbor_put_uint(&e, 8);
    cbor_put_bytes(&e, cpb, cpl);
    cbor_put_uint(&e, 9);
    cbor_put_bytes(&e, p->key, ID_PUB_LEN);
    return cbor_enc_finish(&e, len);
}

/* Reads key, then a byte string of at most cap bytes into out. */
static int axfs_get_var(cbor_dec *d, uint64_t key, uint8_t *out, size_t cap, size_t *n)
{
    const uint8_t *b = NULL;
    int err = ax_get_key(d, key);

    if (err == 0) {
        err = cbor_get_bytes(d, &b, n);
    }
    if (err == 0 && (*n > cap || *n == 0)) {
        err = ZERR_CORRUPT;
    }
    if (err == 0) {
        memcpy(out, b, *n);
    }
    return err;
}

static int axfs_get_u64(cbor_dec *d, uint64_t key, uint64_t *v)
{
    int err = ax_get_key(d, key);

    return err != 0 ? err : cbor_get_uint(d, v);
}

int ax_fs_proof_decode(const uint8_t *buf, size_t len, struct ax_fs_proof *p)
{
    cbor_dec d;
    int err = len > AX_FS_PROOF_MAX ? ZERR_LIMIT : cbor_validate(buf, len, 3);

    if (err != 0) {
        return err;
    }
    memset(p, 0, sizeof(*p));
    cbor_dec_init(&d, buf, len);
    err = ax_get_magic_map(&d, 10, AX_FS_PROOF_MAGIC);
    err =
        err != 0 ? err : axfs_get_var(&d, 1, p->node.node, sizeof(p->node.node), &p->node.node_len);
    err = err != 0 ? err : axfs_get_u64(&d, 2, &p->node.index);
    err = err != 0 ? err : axfs_get_u64(&d, 3, &p->node.count);
    err = err != 0 ? err : ax_get_fixed_field(&d, 4, p->node.tree, AX_HASH_LEN);
    err = err != 0 ? err : ax_get_fixed_field(&d, 5, p->node.quotas, AX_HASH_LEN);
    err = err != 0 ? err : ax_get_proof_field(&d, 6, p->node.path, &p->node.path_len);
    err =
        err != 0 ? err : axfs_get_var(&d, 7, p->state_map, sizeof(p->state_map), &p->state_map_len);
    err = err != 0 ? err : ax_get_checkpoint_field(&d, 8, &p->cp);
    err = err != 0 ? err : ax_get_fixed_field(&d, 9, p->key, ID_PUB_LEN);
    return err != 0 ? err : cbor_dec_finish(&d);
}

/* The namespace root: key 6 of the state-root map. */
static int axfs_map_ns_root(const uint8_t *map, size_t len, uint8_t out[AX_HASH_LEN])
{
    cbor_dec d;
    uint64_t n = 0, key = 0;
    const uint8_t *b = NULL;
    size_t bl = 0;
    int err = cbor_validate(map, len, 2);

    cbor_dec_init(&d, map, len);
    err = err != 0 ? err : cbor_get_map(&d, &n);
    for (uint64_t i = 0; err == 0 && i < n; i++) {
        err = cbor_get_uint(&d, &key);
        if (err == 0 && key == 6) {
            err = cbor_get_bytes(&d, &b, &bl);
            if (err == 0 && bl == AX_HASH_LEN) {
                memcpy(out, b, AX_HASH_LEN);
                return 0;
            }
            return ZERR_CORRUPT;
        }
        err = err != 0 ? err : cbor_skip(&d);
    }
    return ZERR_CORRUPT;
}

int ax_fs_proof_verify(const struct ax_fs_proof *p, struct fs_node *n, char *why, size_t cap)
{
    uint8_t ns_root[AX_HASH_LEN], h[AX_HASH_LEN], msg[AXFS_CP_BYTES + 32];
    size_t mlen = 0;

    if (axfs_map_ns_root(p->state_map, p->state_map_len, ns_root) != 0) {
        zfmt_snprintf(why, cap, "%s", "the state-root map holds no namespace root (key 6)");
        return ZERR_CORRUPT;
    }
    if (!fs_verify(&p->node, ns_root, n)) {
        zfmt_snprintf(why, cap, "%s", "the node is not under the namespace root");
        return ZERR_CORRUPT;
    }
    blake3_hash(p->state_map, p->state_map_len, h);
    if (memcmp(h, p->cp.state_root, AX_HASH_LEN) != 0) {
        zfmt_snprintf(why, cap, "%s",
                      "the state-root map does not hash to the checkpoint's state root");
        return ZERR_CORRUPT;
    }
    if (ax_checkpoint_message(&p->cp, msg, sizeof(msg), &mlen) != 0 ||
        ed25519_verify(p->cp.sig, msg, mlen, p->key) != 0) {
        zfmt_snprintf(why, cap, "%s", "the checkpoint's signature does not verify under the key");
        return ZERR_BADSIG;
    }
    return 0;
}
