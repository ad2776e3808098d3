/*
 * Consistency proofs between signed checkpoints (services/axiom/proof.c):
 * every pair of checkpoints of a log proves, the proof survives encoding,
 * and a forked log, swapped checkpoints, a foreign signature, a wrong proof
 * hash and every single-byte change of the encoding are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define DISK (1u * 1024u * 1024u)
#define BATCHES 12

/* A log's leaf hashes and its signed checkpoints, as a verifier sees them. */
struct seen {
    uint8_t leaf[64][AX_HASH_LEN];
    uint64_t n;
    struct ax_checkpoint cp[BATCHES + 1];
    uint8_t key[BATCHES + 1][ID_PUB_LEN];
    int ncp;
};

static struct ax_state st;

static void on_entry(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    struct seen *s = arg;

    (void)e;
    ax_merkle_leaf(hash, s->leaf[s->n++]);
}

static void on_cp(void *arg, const struct ax_checkpoint *c, const uint8_t key[ID_PUB_LEN])
{
    struct seen *s = arg;

    s->cp[s->ncp] = *c;
    memcpy(s->key[s->ncp++], key, ID_PUB_LEN);
}

/*
 * Writes a log of genesis plus BATCHES batches of 1..3 notes; from batch
 * fork on the notes say something else.  Fills s by replaying it.
 */
static int make_log(uint8_t *mem, int fork, struct seen *s)
{
    static struct keys keys;
    static struct axiom ax;
    uint8_t secret[32] = {4, 4}, id[16] = {1}, hash[32];
    struct ax_recovery rec;
    struct ax_replay r;
    struct blk dev;
    struct ax_action a;
    struct policy_decision d;
    uint64_t seq, tail = 0;
    uint8_t kind = 0;
    char text[16];

    memset(mem, 0, DISK);
    blk_open_mem(&dev, mem, NULL, DISK);
    keys_init(&keys, secret);
    if (ax_format(&dev, secret, id, "root") != 0 ||
        axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec) != 0) {
        return -1;
    }
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i <= b % 3; i++) {
            text[0] = (char)(b >= fork ? 'F' : 'a');
            text[1] = (char)('a' + b);
            text[2] = (char)('0' + i);
            a.data = (const uint8_t *)text;
            a.data_len = 3;
            if (axiom_propose(&ax, &a, &d, &seq, hash, NULL, 0) != 0) {
                return -1;
            }
        }
        if (axiom_commit(&ax) != 0) {
            return -1;
        }
    }
    axiom_close(&ax);
    memset(s, 0, sizeof(*s));
    ax_replay_init(&r, &st, on_entry, s);
    r.cp_fn = on_cp;
    return axiom_replay_device(&dev, &r, &kind, &tail);
}

/* Builds the proof from checkpoint i of olds to checkpoint j of news. */
static int build(const struct seen *olds, int i, const struct seen *news, int j,
                 struct ax_consistency *p)
{
    memset(p, 0, sizeof(*p));
    p->old_cp = olds->cp[i];
    p->new_cp = news->cp[j];
    memcpy(p->old_pub, olds->key[i], ID_PUB_LEN);
    memcpy(p->new_pub, news->key[j], ID_PUB_LEN);
    return ax_merkle_consistency_proof((const uint8_t(*)[AX_HASH_LEN])news->leaf, olds->cp[i].size,
                                       news->cp[j].size, p->proof, 64, &p->proof_len);
}

static void test_every_pair(const struct seen *s)
{
    static struct ax_consistency p, q;
    static uint8_t buf[AX_CONSISTENCY_MAX];
    char why[128];
    size_t len = 0;
    int good = 1, roundtrip = 1, swapped_refused = 1;

    for (int i = 0; i < s->ncp; i++) {
        for (int j = i; j < s->ncp; j++) {
            if (build(s, i, s, j, &p) != 0 || ax_consistency_verify(&p, why, sizeof(why)) != 0) {
                good = 0;
            }
            if (ax_consistency_encode(&p, buf, sizeof(buf), &len) != 0 ||
                ax_consistency_decode(buf, len, &q) != 0 ||
                ax_consistency_verify(&q, why, sizeof(why)) != 0 ||
                memcmp(q.proof, p.proof, sizeof(p.proof)) != 0) {
                roundtrip = 0;
            }
            if (i != j) {
                q = p;
                q.old_cp = p.new_cp;
                q.new_cp = p.old_cp;
                if (ax_consistency_verify(&q, why, sizeof(why)) == 0) {
                    swapped_refused = 0;
                }
            }
        }
    }
    ok(s->ncp == BATCHES + 1, "log_has_a_checkpoint_per_batch");
    ok(good, "consistency_proof_between_every_pair_of_checkpoints_verifies");
    ok(roundtrip, "consistency_proof_survives_encode_decode");
    ok(swapped_refused, "consistency_proof_with_swapped_checkpoints_is_refused");
}

/* A log that agrees up to batch 6 and then differs: proofs across the
 * fork cannot be made, proofs before it still hold. */
static void test_fork(const struct seen *s, const struct seen *f)
{
    static struct ax_consistency p;
    char why[128] = "";

    is_int(build(s, 4, f, BATCHES, &p), 0, "fork_proof_before_fork_builds");
    is_int(ax_consistency_verify(&p, why, sizeof(why)), 0,
           "consistency_proof_from_shared_prefix_into_fork_verifies");
    build(f, 9, f, BATCHES, &p);
    p.old_cp = s->cp[9]; /* the honest log's checkpoint, the fork's proof */
    is_int(ax_consistency_verify(&p, why, sizeof(why)), ZERR_CORRUPT,
           "consistency_proof_across_a_fork_is_refused");
    is_str(why, "the proof does not lead from the old tree to the new one",
           "consistency_refusal_says_why");
}

static void test_tampering(const struct seen *s)
{
    static struct ax_consistency p, q;
    static uint8_t buf[AX_CONSISTENCY_MAX];
    char why[128];
    size_t len = 0;
    int missed = 0, tried = 0;
    static const uint8_t xs[3] = {0x01, 0x80, 0xff};

    build(s, 5, s, 11, &p);
    q = p;
    memcpy(q.new_pub, s->key[0], ID_PUB_LEN);
    q.new_pub[0] ^= 1;
    is_int(ax_consistency_verify(&q, why, sizeof(why)), ZERR_BADSIG,
           "consistency_proof_under_another_key_is_refused");
    q = p;
    memcpy(q.proof[0], q.proof[1], AX_HASH_LEN);
    is_int(ax_consistency_verify(&q, why, sizeof(why)), ZERR_CORRUPT,
           "consistency_proof_with_a_wrong_hash_is_refused");
    q = p;
    q.proof_len--;
    is_int(ax_consistency_verify(&q, why, sizeof(why)), ZERR_CORRUPT,
           "consistency_proof_missing_a_hash_is_refused");

    ax_consistency_encode(&p, buf, sizeof(buf), &len);
    for (size_t off = 0; off < len; off++) {
        for (int x = 0; x < 3; x++) {
            buf[off] ^= xs[x];
            if (ax_consistency_decode(buf, len, &q) == 0 &&
                ax_consistency_verify(&q, why, sizeof(why)) == 0) {
                missed++;
            }
            tried++;
            buf[off] ^= xs[x];
        }
    }
    ok(tried > 1000 && missed == 0, "consistency_proof_refuses_every_single_byte_change");
    is_int(ax_consistency_decode(buf, len - 1, &q) != 0, 1,
           "consistency_decode_refuses_truncation");
}

int main(void)
{
    static struct seen honest, forked;
    uint8_t *mem = malloc(DISK);

    tap_no_plan();
    ok(mem != NULL, "memory_for_the_disk");
    if (mem == NULL) {
        return tap_done();
    }
    is_int(make_log(mem, BATCHES, &honest), 0, "honest_log_replays");
    is_int(make_log(mem, 6, &forked), 0, "forked_log_replays");
    test_every_pair(&honest);
    test_fork(&honest, &forked);
    test_tampering(&honest);
    free(mem);
    return tap_done();
}
