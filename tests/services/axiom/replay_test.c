/*
 * Replay protection for externally signed proposals (entry format 2): a
 * signed proposal carries its proposer's next proposal number; the same
 * proposal submitted twice is refused with a reason and commits nothing, a
 * log that holds it twice fails replay, and version-1 logs (signed
 * proposals without numbers) still replay and move on to format 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)
/* Made by version-1 code with root secret {5, 5, 5} and disk id {7} on a
 * 2 MiB disk (tests/data/axiom/README.md). */
#define V1_EXPORT "tests/data/axiom/v1_signed.zerolog"
#define MAXE 32

static uint8_t secret[32] = {9, 9};
static struct keys keys;
static struct axiom ax;
static struct ax_state st, st2;
static uint8_t mem[DISK];
static struct blk dev;

/* Every entry of the last replay, encoded. */
static uint8_t ent[MAXE][AX_ENTRY_MAX];
static size_t ent_len[MAXE];
static int nent;

static void collect(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    (void)arg;
    (void)hash;
    if (nent < MAXE) {
        (void)ax_entry_encode(e, ent[nent], AX_ENTRY_MAX, &ent_len[nent]);
        nent++;
    }
}

/* Replays the disk from genesis into st; returns the result. */
static int replay(void)
{
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;

    nent = 0;
    ax_replay_init(&r, &st, collect, NULL);
    return axiom_replay_device(&dev, &r, &kind, &tail);
}

static int boot(void)
{
    uint8_t id[16] = {3};
    struct ax_recovery rec;

    memset(mem, 0, sizeof(mem));
    blk_open_mem(&dev, mem, NULL, DISK);
    keys_init(&keys, secret);
    if (ax_format(&dev, secret, id, "root") != 0) {
        return -1;
    }
    return axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec);
}

/*
 * Rebuilds the version-1 disk behind V1_EXPORT: the same format, then the
 * exported log bytes in the log region.  Opens it (replaying the old log).
 */
static int boot_v1(void)
{
    static uint8_t file[64 * 1024];
    uint8_t v1_secret[32] = {5, 5, 5}, id[16] = {7}, got[32];
    struct ax_layout lay;
    struct ax_recovery rec;
    FILE *f = fopen(V1_EXPORT, "rb");
    size_t n = f != NULL ? fread(file, 1, sizeof(file), f) : 0;

    if (f != NULL) {
        fclose(f);
    }
    memset(mem, 0, sizeof(mem));
    blk_open_mem(&dev, mem, NULL, DISK);
    if (n <= 512 || ax_format_seg(&dev, v1_secret, id, "root", 0) != 0 ||
        ax_read_super(&dev, &lay, got, NULL, 0) != 0) {
        return -1;
    }
    memset(mem + lay.log_off, 0, (size_t)lay.log_len);
    memcpy(mem + lay.log_off, file + 512, n - 512);
    keys_init(&keys, v1_secret);
    return axiom_open(&ax, &dev, axiom_sign_with_keys, &keys, &rec);
}

static int submit(struct ax_action *a, char *why)
{
    struct policy_decision d;
    uint64_t seq;
    uint8_t hash[32];

    why[0] = '\0';
    int err = axiom_propose(&ax, a, &d, &seq, hash, why, 160);
    if (err != 0) {
        return err;
    }
    return axiom_commit(&ax);
}

/* A note by alice, signed by her, with proposal number n (0: none). */
static struct ax_action signed_note(uint64_t n, unsigned format)
{
    struct ax_action a;
    uint8_t msg[AX_ENTRY_MAX];
    size_t len = 0;

    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "alice");
    a.data = (const uint8_t *)"pay bob 5";
    a.data_len = 9;
    a.has_sig = true;
    a.has_nonce = n != 0;
    a.nonce = n;
    a.format = (uint8_t)format;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&keys, "alice", 0, msg, len, a.sig);
    return a;
}

static void setup_alice(char *why)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = AX_ID_CREATE;
    strcpy(a.proposer, "root");
    strcpy(a.name, "alice");
    a.id_kind = ID_KIND_USER;
    keys_public(&keys, "alice", 0, a.pub);
    is_int(submit(&a, why), 0, "create_alice");
    memset(&a, 0, sizeof(a));
    a.kind = AX_POLICY_ADD;
    strcpy(a.proposer, "root");
    a.effect = POLICY_ALLOW;
    strcpy(a.rule, "kind:user note *");
    is_int(submit(&a, why), 0, "allow_user_notes");
}

static void test_replayed_proposal_refused(void)
{
    char why[160];
    struct ax_action a;

    is_int(boot(), 0, "fresh_disk_opens");
    setup_alice(why);
    a = signed_note(1, 0);
    is_int(submit(&a, why), 0, "signed_proposal_number_1_commits");
    uint64_t before = axiom_durable(&ax);
    is_int(submit(&a, why), ZERR_EXIST, "same_signed_proposal_again_is_refused");
    is_str(why, "replayed proposal: alice's signed proposal #1 was already accepted",
           "replay_refusal_names_proposer_and_number");
    is_int(axiom_durable(&ax), before, "refused_replay_commits_nothing");
    a = signed_note(2, 0);
    is_int(submit(&a, why), 0, "next_number_commits");
    axiom_close(&ax);

    is_int(replay(), 0, "log_with_numbered_proposals_replays");
    ok(nent == 5, "log_holds_five_entries");

    /* Forge a log that holds proposal #1 twice: the entry again, at the next
     * sequence number, with the state root a careless sequencer would have
     * recorded.  Replay re-checks the number and refuses it. */
    struct ax_entry e;
    char rwhy[160] = "";
    is_int(ax_entry_decode(ent[3], ent_len[3], &e), 0, "signed_entry_decodes");
    ok(e.a.has_nonce && e.a.nonce == 1 && e.a.format == 2, "entry_carries_format_2_and_number");
    st2 = st;
    ax_state_perform(&st2, &e.a);
    e.seq = st.applied;
    memcpy(e.state_root, st2.root, AX_HASH_LEN);
    is_int(ax_apply(&st, &e, rwhy, sizeof(rwhy)), ZERR_CORRUPT,
           "replay_refuses_a_log_holding_a_proposal_twice");
    ok(strstr(rwhy, "replayed proposal") != NULL, "replay_failure_says_replayed_proposal");
}

static void test_version1_log(void)
{
    char why[160];
    struct ax_action a;

    is_int(boot_v1(), 0, "version_1_disk_opens");
    is_int(axiom_durable(&ax), 6, "version_1_log_has_its_6_entries");
    ok(ax.st->format == 1, "version_1_log_keeps_format_1_state");
    ax.format = 1; /* continue it the way version-1 code did */
    a = signed_note(0, 1);
    is_int(submit(&a, why), 0, "v1_signed_proposal_without_number_commits");
    ax.format = AX_ENTRY_VERSION; /* the current code continues the same log */
    a = signed_note(0, 1);
    is_int(submit(&a, why), ZERR_INVAL, "after_upgrade_unnumbered_signed_proposal_refused");
    ok(strstr(why, "next proposal number (#1)") != NULL, "refusal_names_next_number");
    a = signed_note(1, 0);
    is_int(submit(&a, why), 0, "after_upgrade_numbered_proposal_commits");
    axiom_close(&ax);
    is_int(replay(), 0, "mixed_v1_v2_log_replays");
    ok(st.format == 2, "state_moves_to_format_2");

    struct ax_entry e;
    ok(nent == 8, "mixed_log_holds_eight_entries");
    is_int(ax_entry_decode(ent[3], ent_len[3], &e), 0, "v1_entry_decodes");
    ok(e.a.format == 1 && e.a.has_sig && !e.a.has_nonce, "v1_entry_has_signature_no_number");
    uint8_t again[AX_ENTRY_MAX];
    size_t len = 0;
    is_int(ax_entry_encode(&e, again, sizeof(again), &len), 0, "v1_entry_reencodes");
    ok(len == ent_len[3] && memcmp(again, ent[3], len) == 0, "v1_entry_reencodes_byte_for_byte");

    /* A version-1 entry after version-2 ones is refused. */
    char rwhy[160] = "";
    struct ax_entry last;
    ax_entry_decode(ent[1], ent_len[1], &e); /* any entry; only its format matters */
    e.seq = st.applied;
    ax_entry_decode(ent[nent - 1], ent_len[nent - 1], &last);
    e.a = last.a;
    e.a.format = 1;
    e.a.has_nonce = false;
    is_int(ax_apply(&st, &e, rwhy, sizeof(rwhy)), ZERR_CORRUPT, "format_downgrade_is_refused");
    ok(strstr(rwhy, "entry format 1 after format 2") != NULL, "downgrade_refusal_says_why");
}

static void test_codec(void)
{
    struct ax_entry e;
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;

    memset(&e, 0, sizeof(e));
    e.a = signed_note(1, 1);
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), ZERR_INVAL,
           "format_1_entry_cannot_carry_a_number");
    e.a = signed_note(1, 2);
    e.a.nonce = 0;
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), ZERR_INVAL, "proposal_number_0_is_invalid");
    e.a = signed_note(7, 2);
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "format_2_signed_entry_encodes");
    struct ax_entry d;
    is_int(ax_entry_decode(buf, len, &d), 0, "format_2_signed_entry_decodes");
    ok(d.a.has_nonce && d.a.nonce == 7, "proposal_number_survives");
    /* Drop key 9 (the last item, a one-byte uint) and fix the map header:
     * a format-2 signature without its number is refused. */
    buf[0] = (uint8_t)(0xa0 | 9);
    is_int(ax_entry_decode(buf, len - 2, &d), ZERR_CORRUPT,
           "format_2_signature_without_number_is_refused");
}

int main(void)
{
    tap_no_plan();
    test_replayed_proposal_refused();
    test_version1_log();
    test_codec();
    return tap_done();
}
