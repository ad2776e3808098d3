/*
 * Principals whose key lives outside the node, and the proposals they sign:
 * accepted only under the proposer's current key with its next number;
 * every single-byte change of a signed proposal refused at submission;
 * replays, reorders, skipped numbers, revoked and rotated-away keys, and
 * policy denials refused with nothing committed; and the node, holding its
 * whole disk and root secret, cannot make an entry for an external-key
 * agent that replay (what zero verify runs on every entry) accepts.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/ed25519.h"
#include "services/init/node.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)

static struct node node;

struct holder {
    const char *name;
    uint8_t seed[32], pub[32];
    uint64_t next; /* its next proposal number */
};

static void holder_init(struct holder *h, const char *name, uint8_t fill)
{
    h->name = name;
    memset(h->seed, fill, sizeof(h->seed));
    ed25519_pubkey(h->pub, h->seed);
    h->next = 1;
}

static uint64_t entries(void)
{
    return node.axiom.ax.st->applied;
}

/* Submits a through the Axiom service as the terminal does. */
static int submit(struct ax_action *a, struct axiom_result *res)
{
    return axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, a, res);
}

static int as_node(uint8_t kind, const char *name, const char *rule)
{
    struct ax_action a;
    struct axiom_result res;
    memset(&a, 0, sizeof(a));
    strcpy(a.proposer, "root");
    a.kind = kind;
    if (rule != NULL) {
        a.effect = POLICY_ALLOW;
        strcpy(a.rule, rule);
    }
    if (name != NULL) {
        strcpy(a.name, name);
    }
    return submit(&a, &res);
}

/* Signs a as h with number n and encodes it as a proposal from outside. */
static size_t make(struct holder *h, struct ax_action *a, uint64_t n, uint8_t *out)
{
    uint8_t msg[AX_ENTRY_MAX];
    size_t len = 0;
    strcpy(a->proposer, h->name);
    a->has_sig = a->has_nonce = true;
    a->nonce = n;
    ax_proposal_message(a, msg, sizeof(msg), &len);
    ed25519_sign(a->sig, msg, len, h->seed, h->pub);
    ax_proposal_encode(a, out, AX_PROPOSAL_MAX, &len);
    return len;
}

static int submit_bytes(const uint8_t *buf, size_t len, struct axiom_result *res)
{
    struct ax_action a;
    int err = ax_proposal_decode(buf, len, &a);
    if (err != 0) {
        return err;
    }
    return submit(&a, res);
}

static size_t note(struct holder *h, const char *text, uint64_t n, uint8_t *out)
{
    struct ax_action a;
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    a.data = (const uint8_t *)text;
    a.data_len = strlen(text);
    return make(h, &a, n, out);
}

static struct holder alice, agent, mallory;
static uint8_t buf[AX_PROPOSAL_MAX], buf2[AX_PROPOSAL_MAX];

static void setup(void)
{
    struct ax_action a;
    struct axiom_result res;
    holder_init(&alice, "alice", 0xa1);
    holder_init(&agent, "agent-1", 0xa9);
    holder_init(&mallory, "mallory", 0x66);
    memset(&a, 0, sizeof(a));
    strcpy(a.proposer, "root");
    strcpy(a.name, "alice");
    a.kind = AX_ID_CREATE;
    a.id_kind = ID_KIND_USER;
    a.external = true;
    memcpy(a.pub, alice.pub, 32);
    is_int(submit(&a, &res), 0, "node_registers_user_with_external_key");
    ok(id_find(&node.axiom.ax.st->ids, "alice")->external, "state_records_key_is_external");
    a.id_kind = ID_KIND_SERVICE;
    strcpy(a.name, "svc");
    is_int(submit(&a, &res), ZERR_INVAL, "external_key_refused_for_a_service");
    is_int(as_node(AX_POLICY_ADD, NULL, "alice id.create *"), 0, "policy_lets_alice_create");
    is_int(as_node(AX_POLICY_ADD, NULL, "agent-* note * if proposer.parent == alice"), 0,
           "policy_lets_alices_agents_note");
    is_int(as_node(AX_POLICY_ADD, NULL, "agent-* id.rotate * if resource == proposer"), 0,
           "policy_lets_agents_rotate_themselves");

    memset(&a, 0, sizeof(a));
    a.kind = AX_ID_CREATE;
    strcpy(a.name, "agent-1");
    a.id_kind = ID_KIND_AGENT;
    a.external = true;
    memcpy(a.pub, agent.pub, 32);
    size_t len = make(&alice, &a, alice.next++, buf);
    is_int(submit_bytes(buf, len, &res), 0, "alice_signed_creation_of_her_agent_commits");
}

static void test_signed_notes(void)
{
    struct axiom_result res;
    uint64_t before = entries();
    size_t len = note(&agent, "first", agent.next, buf);
    is_int(submit_bytes(buf, len, &res), 0, "agent_signed_note_commits");
    agent.next++;
    ok(entries() == before + 1, "agent_note_is_one_entry");
    is_int(submit_bytes(buf, len, &res), ZERR_EXIST, "replayed_proposal_refused");
    size_t skip = note(&agent, "skips", agent.next + 1, buf2);
    is_int(submit_bytes(buf2, skip, &res), ZERR_INVAL, "skipped_number_refused");
    size_t n3 = note(&agent, "third", agent.next + 1, buf2);
    len = note(&agent, "second", agent.next, buf);
    is_int(submit_bytes(buf2, n3, &res), ZERR_INVAL, "reordered_proposal_refused_first");
    is_int(submit_bytes(buf, len, &res), 0, "in_order_proposal_commits");
    agent.next++;
    is_int(submit_bytes(buf2, n3, &res), 0, "reordered_proposal_commits_in_its_turn");
    agent.next++;
    struct holder fake = agent;
    memcpy(fake.seed, mallory.seed, 32);
    len = note(&fake, "forged", agent.next, buf);
    is_int(submit_bytes(buf, len, &res), ZERR_BADSIG, "proposal_signed_by_other_key_refused");
    ok(entries() == before + 3, "refusals_commit_nothing");

    struct ax_action a;
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "agent-1");
    a.data = (const uint8_t *)"by the node";
    a.data_len = 11;
    is_int(submit(&a, &res), ZERR_PERM, "unsigned_proposal_for_external_key_refused");
    ok(strstr(res.why, "holds its own key") != NULL, "unsigned_refusal_says_why");
    len = note(&alice, "alice is no agent", alice.next, buf);
    is_int(submit_bytes(buf, len, &res), ZERR_DENIED, "policy_denial_of_signed_proposal");
    ok(entries() == before + 3, "denial_commits_nothing");
}

/* Every single-byte change of a signed proposal is refused when submitted. */
static void test_tamper(void)
{
    struct axiom_result res;
    uint64_t before = entries();
    size_t len = note(&agent, "tamper me", agent.next, buf);
    int refused = 1, decoded = 0;
    for (size_t i = 0; i < len; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(buf2, buf, len);
            buf2[i] ^= (uint8_t)(1u << bit);
            struct ax_action a;
            if (ax_proposal_decode(buf2, len, &a) == 0) {
                decoded++;
            }
            refused &= submit_bytes(buf2, len, &res) != 0;
        }
    }
    ok(refused, "every_flipped_bit_of_a_signed_proposal_refused");
    ok(decoded > 0, "some_flips_decode_and_the_signature_refuses_them");
    ok(submit_bytes(buf, len - 1, &res) != 0, "truncated_proposal_refused");
    ok(entries() == before, "tampering_commits_nothing");
    is_int(submit_bytes(buf, len, &res), 0, "untouched_proposal_still_commits");
    agent.next++;
}

static void test_rotate_revoke(void)
{
    struct axiom_result res;
    struct holder next;
    holder_init(&next, "agent-1", 0xb2);
    struct ax_action a;
    memset(&a, 0, sizeof(a));
    a.kind = AX_ID_ROTATE;
    strcpy(a.name, "agent-1");
    a.external = true;
    memcpy(a.pub, next.pub, 32);
    size_t len = make(&agent, &a, agent.next, buf);
    is_int(submit_bytes(buf, len, &res), 0, "rotation_signed_by_old_key_commits");
    agent.next++;
    next.next = agent.next;
    len = note(&agent, "old key", agent.next, buf);
    is_int(submit_bytes(buf, len, &res), ZERR_BADSIG, "rotated_away_key_refused");
    len = note(&next, "new key", next.next, buf);
    is_int(submit_bytes(buf, len, &res), 0, "new_key_signs_after_rotation");
    next.next++;
    is_int(as_node(AX_ID_REVOKE, "agent-1", NULL), 0, "node_revokes_agent");
    len = note(&next, "after revocation", next.next, buf);
    is_int(submit_bytes(buf, len, &res), ZERR_PERM, "revoked_key_refused");
}

/* The node holds its disk and root secret: it can sign checkpoints and
 * derive keys, but an entry for agent-1 either lacks agent-1's signature or
 * carries one by another key, and replay refuses both. */
static void test_node_cannot_forge(void)
{
    static struct ax_state st, copy;
    struct ax_replay r;
    ax_replay_init(&r, &st, NULL, NULL);
    is_int(axiom_replay_device(node.axiom.dev, &r, &(uint8_t){0}, &(uint64_t){0}), 0,
           "replay_of_the_real_log_succeeds");
    /* The next entry, a note by alice (external key, not revoked), with
     * the decision and state root the node would record. */
    struct ax_entry e;
    memset(&e, 0, sizeof(e));
    e.seq = st.applied;
    e.a.kind = AX_NOTE;
    strcpy(e.a.proposer, "alice");
    e.a.data = (const uint8_t *)"forged";
    e.a.data_len = 6;
    e.dec.allow = 1;
    e.dec.rule = 1;
    memcpy(&copy, &st, sizeof(st));
    ax_state_perform(&copy, &e.a);
    memcpy(e.state_root, copy.root, 32);
    char why[160];
    is_int(ax_apply(&st, &e, why, sizeof(why)), ZERR_CORRUPT,
           "replay_refuses_unsigned_entry_for_external_key");
    /* Signed with the key the node would derive for alice. */
    uint8_t root[KEYS_SECRET_LEN], msg[AX_ENTRY_MAX], derived_pub[32];
    struct ax_layout lay;
    ax_read_super(node.axiom.dev, &lay, root, NULL, 0);
    struct keys k;
    keys_init(&k, root);
    e.a.has_sig = e.a.has_nonce = true;
    e.a.nonce = alice.next;
    size_t len = 0;
    ax_proposal_message(&e.a, msg, sizeof(msg), &len);
    keys_sign(&k, "alice", 0, msg, len, e.a.sig);
    keys_public(&k, "alice", 0, derived_pub);
    keys_wipe(&k);
    ok(memcmp(derived_pub, alice.pub, 32) != 0, "derived_key_is_not_alices_key");
    is_int(ax_apply(&st, &e, why, sizeof(why)), ZERR_BADSIG,
           "replay_refuses_entry_signed_with_node_derived_key");
}

int main(void)
{
    uint8_t *mem = calloc(1, DISK);
    struct blk dev;
    char why[200];
    tap_no_plan();
    blk_open_mem(&dev, mem, NULL, DISK);
    is_int(node_start(&node, &dev, "root", why, sizeof(why)), 0, "node_starts");
    setup();
    test_signed_notes();
    test_tamper();
    test_rotate_revoke();
    test_node_cannot_forge();
    node_stop(&node);
    free(mem);
    return tap_done();
}
