/* Axiom: format, propose, deny, commit, reopen, replay determinism, codec strictness. */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)

static uint8_t root_secret[32] = {1, 2, 3, 4, 5, 6, 7, 8};
static uint8_t disk_id[16] = {9};

struct world {
    uint8_t *mem;
    struct blk dev;
    struct keys keys;
    struct axiom ax;
    struct ax_recovery rec;
};

static int boot(struct world *w)
{
    uint8_t secret[32];
    struct ax_layout lay;

    blk_open_mem(&w->dev, w->mem, NULL, DISK);
    if (ax_read_super(&w->dev, &lay, secret, NULL, 0) != 0) {
        return -1;
    }
    keys_init(&w->keys, secret);
    return axiom_open(&w->ax, &w->dev, axiom_sign_with_keys, &w->keys, &w->rec);
}

static int propose(struct world *w, struct ax_action *a, char *why)
{
    struct policy_decision d;
    uint64_t seq;
    uint8_t hash[32];

    return axiom_propose(&w->ax, a, &d, &seq, hash, why, 160);
}

static struct ax_action create(const char *by, const char *name, uint8_t kind, struct keys *k)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = AX_ID_CREATE;
    strcpy(a.proposer, by);
    strcpy(a.name, name);
    a.id_kind = kind;
    keys_public(k, name, 0, a.pub);
    return a;
}

static struct ax_action rule(const char *by, uint8_t effect, const char *text)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = AX_POLICY_ADD;
    strcpy(a.proposer, by);
    a.effect = effect;
    strcpy(a.rule, text);
    return a;
}

static void test_lifecycle(struct world *w)
{
    char why[160] = "";
    struct ax_action a;

    is_int(ax_format(&w->dev, root_secret, disk_id, "root"), 0, "axiom_format_writes_genesis");
    is_int(boot(w), 0, "axiom_opens_fresh_disk");
    is_int(w->ax.st->applied, 1, "axiom_fresh_disk_holds_genesis_only");
    a = create("root", "alice", ID_KIND_USER, &w->keys);
    is_int(propose(w, &a, why), 0, "axiom_root_may_create_user");
    is_int(axiom_durable(&w->ax), 1, "axiom_entry_not_durable_before_commit");
    is_int(axiom_commit(&w->ax), 0, "axiom_commit_succeeds");
    is_int(axiom_durable(&w->ax), 2, "axiom_entry_durable_after_commit");
    a = create("alice", "bot", ID_KIND_AGENT, &w->keys);
    is_int(propose(w, &a, why), ZERR_DENIED, "axiom_user_denied_by_default");
    ok(strstr(why, "default deny") != NULL, "axiom_denial_names_default_rule");
    is_int(w->ax.next_seq, 2, "axiom_denied_proposal_takes_no_sequence_number");
    a = create("mallory", "x", ID_KIND_USER, &w->keys);
    is_int(propose(w, &a, why), ZERR_NOPRINCIPAL, "axiom_unknown_proposer_refused");
    a = rule("root", POLICY_ALLOW, "kind:user id.create * if resource.kind == agent");
    is_int(propose(w, &a, why), 0, "axiom_root_may_change_policy");
    a = rule("alice", POLICY_ALLOW, "* * *");
    is_int(propose(w, &a, why), ZERR_DENIED, "axiom_policy_change_needs_policy");
    a = create("alice", "bot", ID_KIND_AGENT, &w->keys);
    is_int(propose(w, &a, why), 0, "axiom_new_rule_allows_agent");
    a = create("alice", "eve", ID_KIND_USER, &w->keys);
    ok(propose(w, &a, why) != 0, "axiom_user_cannot_issue_user");
    memset(&a, 0, sizeof(a));
    a.kind = AX_ID_REVOKE;
    strcpy(a.proposer, "root");
    strcpy(a.name, "alice");
    is_int(propose(w, &a, why), 0, "axiom_root_revokes_user");
    ok(id_find(&w->ax.st->ids, "bot")->revoked, "axiom_revocation_reaches_issued_agents");
    a = rule("bot", POLICY_ALLOW, "* * *");
    is_int(propose(w, &a, why), ZERR_PERM, "axiom_revoked_principal_cannot_propose");
    is_int(axiom_commit(&w->ax), 0, "axiom_group_commit_of_three");
    is_int(axiom_durable(&w->ax), 5, "axiom_three_entries_in_one_batch");
}

static void test_reopen(struct world *w)
{
    uint8_t root[32];
    uint64_t n = w->ax.st->applied;

    memcpy(root, w->ax.st->root, 32);
    axiom_close(&w->ax);
    is_int(boot(w), 0, "axiom_reopens");
    is_int(w->ax.st->applied, n, "axiom_reopen_replays_every_entry");
    is_mem(w->ax.st->root, root, 32, "axiom_replay_gives_identical_state_root");
    is_int(w->rec.cut_bytes, 0, "axiom_clean_log_needs_no_cut");

    struct world w2 = *w;
    w2.mem = malloc(DISK);
    memcpy(w2.mem, w->mem, DISK);
    is_int(boot(&w2), 0, "axiom_second_replay_opens");
    is_mem(w2.ax.st->root, w->ax.st->root, 32, "axiom_two_replays_identical_roots");
    axiom_close(&w2.ax);
    free(w2.mem);
}

static void test_codec(void)
{
    struct ax_entry e, back;
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;

    memset(&e, 0, sizeof(e));
    e.seq = 7;
    e.a.kind = AX_NOTE;
    strcpy(e.a.proposer, "root");
    e.a.data = (const uint8_t *)"hello";
    e.a.data_len = 5;
    e.dec.allow = 1;
    e.dec.rule = 1;
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "entry_encodes");
    is_int(ax_entry_decode(buf, len, &back), 0, "entry_decodes");
    ok(back.seq == 7 && back.a.data_len == 5 && memcmp(back.a.data, "hello", 5) == 0,
       "entry_round_trips");
    is_int(ax_entry_decode(buf, len - 1, &back) != 0, 1, "entry_decode_rejects_truncated");
    buf[len] = 0;
    is_int(ax_entry_decode(buf, len + 1, &back) != 0, 1, "entry_decode_rejects_trailing_byte");
    /* seq 7 written as a two-byte head is not canonical */
    uint8_t nc[AX_ENTRY_MAX];
    memcpy(nc, buf, 3);
    nc[3] = 0x18;
    nc[4] = 7;
    memcpy(nc + 5, buf + 4, len - 4);
    is_int(ax_entry_decode(nc, len + 1, &back), ZERR_NONCANONICAL,
           "entry_decode_rejects_non_shortest_integer");
}

/* A full log region refuses new entries with a clear error and loses nothing. */
static void test_full(void)
{
    static struct world w;
    struct ax_action a;
    char why[160] = "";
    int err = 0;
    uint64_t n = 0;

    w.mem = calloc(1, AX_MIN_DISK);
    blk_open_mem(&w.dev, w.mem, NULL, AX_MIN_DISK);
    ax_format(&w.dev, root_secret, disk_id, "root");
    uint8_t secret[32];
    struct ax_layout lay;
    ax_read_super(&w.dev, &lay, secret, NULL, 0);
    keys_init(&w.keys, secret);
    axiom_open(&w.ax, &w.dev, axiom_sign_with_keys, &w.keys, &w.rec);
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    a.data = (const uint8_t *)"fill";
    a.data_len = 4;
    while (err == 0 && n < 100000) {
        err = propose(&w, &a, why);
        if (err == 0) {
            err = axiom_commit(&w.ax);
            n++;
        }
    }
    is_int(err, ZERR_FULL, "axiom_full_log_refuses_new_entries");
    ok(strstr(why, "full") != NULL, "axiom_full_log_says_so (%s)", why);
    uint64_t durable = axiom_durable(&w.ax);
    axiom_close(&w.ax);
    is_int(axiom_open(&w.ax, &w.dev, axiom_sign_with_keys, &w.keys, &w.rec), 0,
           "axiom_full_log_reopens");
    is_int(axiom_durable(&w.ax), durable, "axiom_full_log_keeps_every_entry");
    axiom_close(&w.ax);
    free(w.mem);
}

int main(void)
{
    static struct world w;

    tap_no_plan();
    w.mem = calloc(1, DISK);
    blk_open_mem(&w.dev, w.mem, NULL, DISK);
    test_lifecycle(&w);
    test_reopen(&w);
    test_codec();
    test_full();
    axiom_close(&w.ax);
    free(w.mem);
    return tap_done();
}
