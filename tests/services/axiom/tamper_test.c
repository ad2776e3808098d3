/*
 * Tampering with an exported log: every single-byte change, and reordered,
 * removed, duplicated, re-signed entries and an altered policy decision
 * (re-chained and re-signed with the real node key, so that only the
 * semantic checks can catch them) must all fail verification.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/axiom/axiom.h"
#include "services/axiom/internal/log.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)
#define MAXE 64

static uint8_t secret[32] = {7, 7, 7};
static struct keys keys;
static struct ax_state st;

/* The honest log and its entries, batch by batch. */
static uint8_t honest[64 * 1024];
static size_t honest_len;
static struct ax_entry ents[MAXE];
static uint8_t ent_bytes[MAXE][AX_ENTRY_MAX];
static int ent_batch[MAXE];
static int nents;

static void collect(void *arg, const struct ax_entry *e, const uint8_t hash[32])
{
    size_t len = 0;

    (void)arg;
    (void)hash;
    ents[nents] = *e;
    if (e->a.kind == AX_NOTE) {
        memcpy(ent_bytes[nents], e->a.data, e->a.data_len);
        ents[nents].a.data = ent_bytes[nents];
    }
    (void)len;
    nents++;
}

/* Verifications whose answer, reason, entry and offset differ with the
 * checkpoint signatures batched (ax_replay.cpw), out of all made. */
static int window_differs, window_runs;

static int verify(const uint8_t *log, size_t len, char *why)
{
    static struct ax_cp_window cpw;
    struct ax_replay r, w;

    ax_replay_init(&w, &st, NULL, NULL);
    cpw.n = 0;
    w.cpw = &cpw;
    int werr = ax_verify_log(log, len, &w);
    ax_replay_init(&r, &st, NULL, NULL);
    int err = ax_verify_log(log, len, &r);
    window_runs++;
    if (werr != err || strcmp(w.why, r.why) != 0 || w.bad_seq != r.bad_seq ||
        w.bad_off != r.bad_off || (err == 0 && w.checkpoints != r.checkpoints)) {
        window_differs++;
        tap_diag("with the window: %d %s #%llu @%llu; without: %d %s #%llu @%llu", werr, w.why,
                 (unsigned long long)w.bad_seq, (unsigned long long)w.bad_off, err, r.why,
                 (unsigned long long)r.bad_seq, (unsigned long long)r.bad_off);
    }
    if (why != NULL) {
        strcpy(why, r.why);
    }
    return err;
}

static void step(struct axiom *ax, struct ax_action *a)
{
    struct policy_decision d;
    uint64_t seq;
    uint8_t h[32];
    char why[160];

    if (axiom_propose(ax, a, &d, &seq, h, why, sizeof(why)) != 0) {
        tap_diag("setup proposal failed: %s", why);
    }
}

/* Builds a small log: users, a policy change, notes, over several batches. */
static void build(void)
{
    uint8_t *mem = calloc(1, DISK);
    uint8_t id[16] = {0};
    struct blk dev;
    struct axiom ax;
    struct ax_recovery rec;
    struct ax_action a;

    blk_open_mem(&dev, mem, NULL, DISK);
    keys_init(&keys, secret);
    (void)ax_format(&dev, secret, id, "root");
    (void)axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec);
    for (int i = 0; i < 6; i++) {
        memset(&a, 0, sizeof(a));
        strcpy(a.proposer, "root");
        if (i == 1) {
            a.kind = AX_POLICY_ADD;
            a.effect = POLICY_ALLOW;
            strcpy(a.rule, "kind:user note *");
        } else if (i % 2 == 0) {
            a.kind = AX_ID_CREATE;
            a.id_kind = ID_KIND_USER;
            a.name[0] = (char)('a' + i);
            keys_public(&keys, a.name, 0, a.pub);
        } else {
            a.kind = AX_NOTE;
            a.data = (const uint8_t *)"note";
            a.data_len = 4;
        }
        step(&ax, &a);
        if (i == 4) {
            memset(&a, 0, sizeof(a));
            strcpy(a.proposer, "a");
            a.kind = AX_NOTE;
            a.data = (const uint8_t *)"by a";
            a.data_len = 4;
            step(&ax, &a);
        }
        if (i % 2 == 1 || i == 4) {
            (void)axiom_commit(&ax);
        }
    }
    (void)axiom_commit(&ax);
    honest_len = (size_t)ax.end;
    (void)ax_logview_read(&ax.log, 0, honest, honest_len); /* across its segments */
    axiom_close(&ax);
    free(mem);

    struct ax_replay r;
    ax_replay_init(&r, &st, collect, NULL);
    size_t off = 0;
    int batch = 0;
    while (off < honest_len) {
        size_t used = 0;
        int before = nents;
        if (ax_replay_batch(&r, honest + off, honest_len - off, &used) != 0) {
            break;
        }
        for (int i = before; i < nents; i++) {
            ent_batch[i] = batch;
        }
        batch++;
        off += used;
    }
}

/*
 * Re-frames entries es[0..n) (batch numbers in bs) into out, renumbering,
 * re-chaining and re-signing checkpoints with sign_keys.
 */
static size_t rebuild_with(const struct ax_entry *es, const int *bs, int n, struct keys *sign_keys,
                           struct keys *last_keys, uint8_t *out)
{
    size_t off = 0;
    uint8_t head[32] = {0};
    struct ax_merkle m;
    uint8_t buf[AX_ENTRY_MAX];
    uint64_t batch = 0;

    ax_merkle_init(&m);
    memset(out, 0, sizeof(honest));
    for (int i = 0; i < n; i++) {
        struct ax_entry e = es[i];
        size_t len = 0;
        e.seq = (uint64_t)i;
        memcpy(e.prev, head, 32);
        (void)ax_entry_encode(&e, buf, sizeof(buf), &len);
        (void)axlog_put(out, sizeof(honest), &off, AXLOG_ENTRY, batch, e.seq, buf, len);
        blake3_hash(buf, len, head);
        ax_merkle_append(&m, head);
        if (i + 1 == n || bs[i + 1] != bs[i]) {
            struct ax_checkpoint c;
            uint8_t msg[300];
            size_t mlen = 0;
            memset(&c, 0, sizeof(c));
            c.batch = batch;
            c.size = (uint64_t)i + 1;
            memcpy(c.head, head, 32);
            memcpy(c.state_root, e.state_root, 32);
            ax_merkle_root(&m, c.tree_root);
            (void)ax_checkpoint_message(&c, msg, sizeof(msg), &mlen);
            (void)keys_sign(i + 1 == n ? last_keys : sign_keys, "root", 0, msg, mlen, c.sig);
            (void)ax_checkpoint_encode(&c, buf, sizeof(buf), &len);
            (void)axlog_put(out, sizeof(honest), &off, AXLOG_CHECKPOINT, batch, c.size, buf, len);
            off = (off + 511) / 512 * 512;
            batch++;
        }
    }
    return off;
}

static int verify_export(const uint8_t *buf, size_t size)
{
    struct ax_replay r;

    ax_replay_init(&r, &st, NULL, NULL);
    return ax_verify_export(buf, size, &r);
}

static size_t rebuild(const struct ax_entry *es, const int *bs, int n, struct keys *sign_keys,
                      uint8_t *out)
{
    return rebuild_with(es, bs, n, sign_keys, sign_keys, out);
}

/*
 * Appends a batch that rotates the node key to the attacker's and signs it
 * with the attacker's key: without the node's current key, no one may
 * extend the log, rotation or not.
 */
static void test_forged_rotation(void)
{
    static uint8_t out[sizeof(honest)];
    static struct ax_entry es[MAXE];
    static struct ax_state after;
    int bs[MAXE];
    struct keys attacker;
    uint8_t attacker_secret[32] = {0xee};
    char why[200];

    keys_init(&attacker, attacker_secret);
    memcpy(es, ents, sizeof(ents));
    memcpy(bs, ent_batch, sizeof(ent_batch));
    struct ax_replay r;
    ax_replay_init(&r, &after, NULL, NULL);
    (void)ax_verify_log(honest, honest_len, &r);
    struct ax_entry *e = &es[nents];
    memset(e, 0, sizeof(*e));
    e->a.kind = AX_ID_ROTATE;
    strcpy(e->a.proposer, "root");
    strcpy(e->a.name, "root");
    keys_public(&attacker, "root", 0, e->a.pub);
    e->dec.allow = 1;
    e->dec.rule = 1;
    ax_state_perform(&after, &e->a);
    memcpy(e->state_root, after.root, 32);
    bs[nents] = bs[nents - 1] + 1;
    size_t len = rebuild_with(es, bs, nents + 1, &keys, &attacker, out);
    is_int(verify(out, len, why), ZERR_BADSIG, "tamper_rotation_to_own_key_signed_by_it_detected");
    len = rebuild_with(es, bs, nents + 1, &keys, &keys, out);
    is_int(verify(out, len, why), 0, "tamper_rotation_signed_by_current_node_key_is_valid");
}

static void test_bytes(void)
{
    static uint8_t copy[sizeof(honest)];
    static uint8_t exp[AX_EXPORT_HEADER + sizeof(honest)];
    size_t size = AX_EXPORT_HEADER + honest_len;
    size_t missed = 0;

    ax_export_header(exp, honest_len);
    memcpy(exp + AX_EXPORT_HEADER, honest, honest_len);
    is_int(verify_export(exp, size), 0, "tamper_honest_export_verifies");
    for (size_t i = 0; i < size; i++) {
        exp[i] ^= (uint8_t)(i % 7 == 0 ? 0x80 : 0x01);
        if (verify_export(exp, size) == 0) {
            missed++;
            tap_diag("byte %zu change undetected", i);
        }
        exp[i] ^= (uint8_t)(i % 7 == 0 ? 0x80 : 0x01);
    }
    is_int(missed, 0, "tamper_every_single_byte_change_of_export_detected");
    ok(verify(honest, honest_len - 100, NULL) != 0, "tamper_truncated_last_batch_detected");
    memcpy(copy, honest, honest_len);
    memset(copy + honest_len, 0, 512);
    ok(verify(copy, honest_len + 512, NULL) != 0, "tamper_appended_zero_sector_detected");
}

static void test_semantic(void)
{
    static uint8_t out[sizeof(honest)];
    static struct ax_entry es[MAXE];
    int bs[MAXE];
    char why[200];
    struct keys other;
    uint8_t other_secret[32] = {1};
    size_t len;

    memcpy(es, ents, sizeof(ents));
    memcpy(bs, ent_batch, sizeof(ent_batch));
    len = rebuild(es, bs, nents, &keys, out);
    is_int(verify(out, len, why), 0, "tamper_honest_rebuild_verifies");
    ok(len == honest_len && memcmp(out, honest, len) == 0, "tamper_rebuild_is_byte_identical");

    es[2] = ents[3];
    es[3] = ents[2];
    len = rebuild(es, bs, nents, &keys, out);
    ok(verify(out, len, why) != 0, "tamper_reordered_entries_detected (%s)", why);

    memcpy(es, ents, sizeof(ents));
    memmove(&es[3], &es[4], sizeof(es[0]) * (size_t)(nents - 4));
    memmove(&bs[3], &bs[4], sizeof(bs[0]) * (size_t)(nents - 4));
    len = rebuild(es, bs, nents - 1, &keys, out);
    ok(verify(out, len, why) != 0, "tamper_removed_entry_detected (%s)", why);

    memcpy(es, ents, sizeof(ents));
    memcpy(bs, ent_batch, sizeof(ent_batch));
    memmove(&es[4], &es[3], sizeof(es[0]) * (size_t)(nents - 3));
    memmove(&bs[4], &bs[3], sizeof(bs[0]) * (size_t)(nents - 3));
    len = rebuild(es, bs, nents + 1, &keys, out);
    ok(verify(out, len, why) != 0, "tamper_duplicated_entry_detected (%s)", why);

    memcpy(es, ents, sizeof(ents));
    memcpy(bs, ent_batch, sizeof(ent_batch));
    keys_init(&other, other_secret);
    len = rebuild(es, bs, nents, &other, out);
    is_int(verify(out, len, why), ZERR_BADSIG, "tamper_resigned_checkpoints_detected");

    for (int i = 0; i < nents; i++) {
        if (es[i].a.kind == AX_NOTE && strcmp(es[i].a.proposer, "a") == 0) {
            es[i].dec.rule = 1; /* was allowed by rule 2 */
        }
    }
    len = rebuild(es, bs, nents, &keys, out);
    is_int(verify(out, len, why), ZERR_DENIED, "tamper_altered_policy_decision_detected");
    ok(strstr(why, "decision") != NULL, "tamper_altered_decision_reason_names_decision");
}

/* Offset of record k of the batch at log (records are walked by length). */
static size_t record_at(const uint8_t *log, int k)
{
    size_t off = 0;
    for (int i = 0; i < k; i++) {
        off += axlog_rec_size(axlog_get32(log + off + 8));
    }
    return off;
}

/*
 * The replay checks record checksums many at a time; a damaged record must
 * still be the one reported when a later record of the same batch is
 * damaged too, and the later fault alone must be reported as itself.
 */
static void test_first_damage_named(void)
{
    static uint8_t out[sizeof(honest)], copy[sizeof(honest)];
    int bs[MAXE] = {0}; /* every entry in one batch */
    char why[200];
    size_t len = rebuild(ents, bs, nents, &keys, out);
    ok(verify(out, len, why) == 0, "tamper_one_batch_rebuild_verifies (%d entries)", nents);
    size_t r2 = record_at(out, 2), r5 = record_at(out, 5);
    memcpy(copy, out, len);
    copy[r2 + AXLOG_HEADER + 3] ^= 0x01; /* record 2: checksum mismatch */
    copy[r5] ^= 0x01;                    /* record 5: bad magic */
    ok(verify(copy, len, why) != 0 && strstr(why, "checksum") != NULL,
       "tamper_earlier_checksum_named_before_later_bad_header (%s)", why);
    memcpy(copy, out, len);
    copy[r5] ^= 0x01;
    ok(verify(copy, len, why) != 0 && strstr(why, "bad record header") != NULL,
       "tamper_later_bad_header_alone_named (%s)", why);
    memcpy(copy, out, len);
    size_t rl = record_at(out, nents - 1);
    copy[rl + AXLOG_HEADER] ^= 0x01; /* the last entry's checksum */
    ok(verify(copy, len, why) != 0 && strstr(why, "checksum") != NULL,
       "tamper_last_entry_checksum_named (%s)", why);
}

int main(void)
{
    tap_no_plan();
    build();
    ok(nents >= 8, "tamper_fixture_has_entries");
    is_int(verify(honest, honest_len, NULL), 0, "tamper_honest_log_verifies");
    test_bytes();
    test_semantic();
    test_forged_rotation();
    test_first_damage_named();
    ok(window_runs > 10 && window_differs == 0,
       "tamper_batched_checkpoint_signatures_give_the_same_answers (%d logs)", window_runs);
    return tap_done();
}
