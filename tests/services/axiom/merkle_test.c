/*
 * Merkle tree: the incremental root equals RFC 9162's MTH computed the
 * naive way, and every inclusion and consistency proof for trees up to 40
 * leaves verifies, while altered proofs, leaves and sizes do not.
 */
#include <string.h>

#include "crypto/blake3.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define N 40

static uint8_t ent[N][32];
static uint8_t leaf[N][32];

/* MTH by the RFC's definition, straight from the text. */
static void mth(uint64_t lo, uint64_t hi, uint8_t out[32])
{
    uint8_t buf[65], l[32], r[32];
    uint64_t n = hi - lo, k = 1;

    if (n == 1) {
        memcpy(out, leaf[lo], 32);
        return;
    }
    while (k * 2 < n) {
        k *= 2;
    }
    mth(lo, lo + k, l);
    mth(lo + k, hi, r);
    buf[0] = 1;
    memcpy(buf + 1, l, 32);
    memcpy(buf + 33, r, 32);
    blake3_hash(buf, 65, out);
}

int main(void)
{
    struct ax_merkle m;
    uint8_t root[N + 1][32], want[32], proof[64][32];
    size_t len;
    int bad_root = 0, bad_inc = 0, bad_cons = 0, forged = 0;

    tap_no_plan();
    ax_merkle_init(&m);
    ax_merkle_root(&m, root[0]);
    blake3_hash(NULL, 0, want);
    is_mem(root[0], want, 32, "merkle_empty_root_is_hash_of_nothing");
    for (int i = 0; i < N; i++) {
        ent[i][0] = (uint8_t)i;
        ent[i][1] = 0x5a;
        ax_merkle_leaf(ent[i], leaf[i]);
        ax_merkle_append(&m, ent[i]);
        ax_merkle_root(&m, root[i + 1]);
        mth(0, (uint64_t)i + 1, want);
        bad_root += memcmp(root[i + 1], want, 32) != 0;
    }
    is_int(bad_root, 0, "merkle_incremental_root_matches_rfc9162_mth");
    for (uint64_t n = 1; n <= N; n++) {
        for (uint64_t i = 0; i < n; i++) {
            ax_merkle_inclusion_proof((const uint8_t(*)[32])leaf, n, i, proof, 64, &len);
            bad_inc += !ax_merkle_verify_inclusion(ent[i], i, n, (const uint8_t(*)[32])proof, len,
                                                   root[n]);
            forged += ax_merkle_verify_inclusion(ent[(i + 1) % N], i, n,
                                                 (const uint8_t(*)[32])proof, len, root[n]) &&
                      n > 1;
            if (len > 0) {
                proof[len - 1][5] ^= 1;
                forged += ax_merkle_verify_inclusion(ent[i], i, n, (const uint8_t(*)[32])proof, len,
                                                     root[n]);
            }
        }
        for (uint64_t k = 1; k <= n; k++) {
            ax_merkle_consistency_proof((const uint8_t(*)[32])leaf, k, n, proof, 64, &len);
            bad_cons += !ax_merkle_verify_consistency(k, n, root[k], root[n],
                                                      (const uint8_t(*)[32])proof, len);
            if (k < n) {
                forged += ax_merkle_verify_consistency(k, n, root[k], root[n - 1],
                                                       (const uint8_t(*)[32])proof, len) &&
                          memcmp(root[n], root[n - 1], 32) != 0;
            }
        }
    }
    is_int(bad_inc, 0, "merkle_every_inclusion_proof_verifies");
    is_int(bad_cons, 0, "merkle_every_consistency_proof_verifies");
    is_int(forged, 0, "merkle_altered_proofs_leaves_and_roots_fail");
    ok(!ax_merkle_verify_inclusion(ent[3], 3, 3, (const uint8_t(*)[32])proof, 0, root[3]),
       "merkle_index_beyond_size_fails");
    return tap_done();
}
