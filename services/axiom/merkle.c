/*
 * The Merkle tree over entries: the incremental tree head the sequencer and
 * the replay keep (a stack of perfect subtree roots), and inclusion and
 * consistency proofs, RFC 9162 §2.1.3 and §2.1.4 with BLAKE3 (leaf = BLAKE3(0x00 || entry hash),
 * node = BLAKE3(0x01 || l || r)). Proof generation works from the leaf hashes of the tree (a
 * verifier replaying the log has them); verification needs only the proof.
 */
#include "base/errors.h"
#include "base/string.h"
#include "crypto/blake3.h"
#include "services/axiom/merkle.h"

void ax_merkle_leaf(const uint8_t entry_hash[AX_HASH_LEN], uint8_t out[AX_HASH_LEN])
{
    uint8_t buf[1 + AX_HASH_LEN];

    buf[0] = 0x00;
    memcpy(buf + 1, entry_hash, AX_HASH_LEN);
    blake3_hash(buf, sizeof(buf), out);
}

static void mk_node(const uint8_t *l, const uint8_t *r, uint8_t *out)
{
    uint8_t buf[1 + 2 * AX_HASH_LEN];

    buf[0] = 0x01;
    memcpy(buf + 1, l, AX_HASH_LEN);
    memcpy(buf + 1 + AX_HASH_LEN, r, AX_HASH_LEN);
    blake3_hash(buf, sizeof(buf), out);
}

void ax_merkle_init(struct ax_merkle *m)
{
    memset(m, 0, sizeof(*m));
}

void ax_merkle_append(struct ax_merkle *m, const uint8_t entry_hash[AX_HASH_LEN])
{
    uint8_t leaf[AX_HASH_LEN];

    ax_merkle_leaf(entry_hash, leaf);
    ax_merkle_append_leaf(m, leaf);
}

void ax_merkle_append_leaf(struct ax_merkle *m, const uint8_t leaf[AX_HASH_LEN])
{
    uint8_t h[AX_HASH_LEN];

    memcpy(h, leaf, AX_HASH_LEN);
    /* Each trailing 1 bit of the old size is a perfect subtree to merge with. */
    for (uint64_t s = m->size; (s & 1) != 0 && m->n > 0; s >>= 1) {
        mk_node(m->stack[m->n - 1], h, h);
        m->n--;
    }
    memcpy(m->stack[m->n++], h, AX_HASH_LEN);
    m->size++;
}

void ax_merkle_root(const struct ax_merkle *m, uint8_t out[AX_HASH_LEN])
{
    uint8_t r[AX_HASH_LEN];

    if (m->n == 0) {
        blake3_hash(NULL, 0, out);
        return;
    }
    memcpy(r, m->stack[m->n - 1], AX_HASH_LEN);
    for (int i = (int)m->n - 2; i >= 0; i--) {
        mk_node(m->stack[i], r, r);
    }
    memcpy(out, r, AX_HASH_LEN);
}

/* Largest power of two strictly below n (n >= 2). */
static uint64_t mk_split(uint64_t n)
{
    uint64_t k = 1;

    while (k * 2 < n) {
        k *= 2;
    }
    return k;
}

/* MTH over leaves[0..n), n >= 1.  Recursion depth is at most 64. */
static void mk_root(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t n, uint8_t out[AX_HASH_LEN])
{
    uint8_t l[AX_HASH_LEN], r[AX_HASH_LEN];
    uint64_t k;

    if (n == 1) {
        memcpy(out, leaves[0], AX_HASH_LEN);
        return;
    }
    k = mk_split(n);
    mk_root(leaves, k, l);
    mk_root(leaves + k, n - k, r);
    mk_node(l, r, out);
}

static int mk_push(uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len,
                   const uint8_t (*leaves)[AX_HASH_LEN], uint64_t n)
{
    if (*len == cap) {
        return ZERR_FULL;
    }
    mk_root(leaves, n, proof[*len]);
    (*len)++;
    return 0;
}

static int mk_path(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t n, uint64_t m,
                   uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len)
{
    uint64_t k;
    int err;

    if (n <= 1) {
        return 0;
    }
    k = mk_split(n);
    if (m < k) {
        err = mk_path(leaves, k, m, proof, cap, len);
        if (err != 0) {
            return err;
        }
        return mk_push(proof, cap, len, leaves + k, n - k);
    }
    err = mk_path(leaves + k, n - k, m - k, proof, cap, len);
    if (err != 0) {
        return err;
    }
    return mk_push(proof, cap, len, leaves, k);
}

int ax_merkle_inclusion_proof(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t n, uint64_t m,
                              uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len)
{
    *len = 0;
    if (m >= n) {
        return ZERR_RANGE;
    }
    return mk_path(leaves, n, m, proof, cap, len);
}

/* Shifts fn and sn right together until fn's low bit is set or fn is 0. */
static void mk_shift_to_odd(uint64_t *fn, uint64_t *sn)
{
    while ((*fn & 1) == 0 && *fn != 0) {
        *fn >>= 1;
        *sn >>= 1;
    }
}

bool ax_merkle_verify_inclusion(const uint8_t entry_hash[AX_HASH_LEN], uint64_t m, uint64_t n,
                                const uint8_t (*proof)[AX_HASH_LEN], size_t len,
                                const uint8_t root[AX_HASH_LEN])
{
    uint8_t r[AX_HASH_LEN];
    uint64_t fn = m;
    uint64_t sn = n - 1;

    if (m >= n) {
        return false;
    }
    ax_merkle_leaf(entry_hash, r);
    for (size_t i = 0; i < len; i++) {
        if (sn == 0) {
            return false;
        }
        if ((fn & 1) != 0 || fn == sn) {
            mk_node(proof[i], r, r);
            mk_shift_to_odd(&fn, &sn);
        } else {
            mk_node(r, proof[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp(r, root, AX_HASH_LEN) == 0;
}

static int mk_subproof(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t n, uint64_t m, bool whole,
                       uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len)
{
    uint64_t k;
    int err;

    if (m == n) {
        return whole ? 0 : mk_push(proof, cap, len, leaves, n);
    }
    k = mk_split(n);
    if (m <= k) {
        err = mk_subproof(leaves, k, m, whole, proof, cap, len);
        if (err != 0) {
            return err;
        }
        return mk_push(proof, cap, len, leaves + k, n - k);
    }
    err = mk_subproof(leaves + k, n - k, m - k, false, proof, cap, len);
    if (err != 0) {
        return err;
    }
    return mk_push(proof, cap, len, leaves, k);
}

int ax_merkle_consistency_proof(const uint8_t (*leaves)[AX_HASH_LEN], uint64_t m, uint64_t n,
                                uint8_t (*proof)[AX_HASH_LEN], size_t cap, size_t *len)
{
    *len = 0;
    if (m == 0 || m > n) {
        return ZERR_RANGE;
    }
    return mk_subproof(leaves, n, m, true, proof, cap, len);
}

bool ax_merkle_verify_consistency(uint64_t m, uint64_t n, const uint8_t first[AX_HASH_LEN],
                                  const uint8_t second[AX_HASH_LEN],
                                  const uint8_t (*proof)[AX_HASH_LEN], size_t len)
{
    uint8_t fr[AX_HASH_LEN], sr[AX_HASH_LEN];
    uint64_t fn, sn;
    size_t i = 0;

    if (m == 0 || m > n) {
        return false;
    }
    if (m == n) {
        return len == 0 && memcmp(first, second, AX_HASH_LEN) == 0;
    }
    if (len == 0) {
        return false;
    }
    /* An exact power of two is itself the first node of the path. */
    if ((m & (m - 1)) == 0) {
        memcpy(fr, first, AX_HASH_LEN);
    } else {
        memcpy(fr, proof[i++], AX_HASH_LEN);
    }
    memcpy(sr, fr, AX_HASH_LEN);
    fn = m - 1;
    sn = n - 1;
    while ((fn & 1) != 0) {
        fn >>= 1;
        sn >>= 1;
    }
    for (; i < len; i++) {
        if (sn == 0) {
            return false;
        }
        if ((fn & 1) != 0 || fn == sn) {
            mk_node(proof[i], fr, fr);
            mk_node(proof[i], sr, sr);
            mk_shift_to_odd(&fn, &sn);
        } else {
            mk_node(sr, proof[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp(fr, first, AX_HASH_LEN) == 0 && memcmp(sr, second, AX_HASH_LEN) == 0;
}
