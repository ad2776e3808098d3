/*
 * A node on a memory disk: the service runtime's capability checks, the
 * key service's badge rules, identity and policy services end to end,
 * proposer signatures, and revocation of a capability.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "crypto/ed25519.h"
#include "services/init/node.h"
#include "services/terminal/terminal.h"
#include "tap.h"

#define DISK (2u * 1024u * 1024u)

static struct node node;

static int id_op(uint32_t op, const char *as, const char *name, uint8_t kind,
                 struct axiom_result *res)
{
    struct idsvc_req rq;

    memset(&rq, 0, sizeof(rq));
    strcpy(rq.proposer, as);
    strcpy(rq.name, name);
    rq.kind = kind;
    struct rt_msg m = {op, {0}, &rq, sizeof(rq), res, sizeof(*res), 0};
    return rt_call(&node.rt, node.sid_term, node.shell.h_ident, &m);
}

static void test_runtime(void)
{
    struct rt_msg m;
    struct keys_req kr = {"root", 0, "x", 1};
    uint8_t sig[64];

    memset(&m, 0, sizeof(m));
    m.op = KEYS_OP_SIGN;
    m.in = &kr;
    m.in_len = sizeof(kr);
    m.out = sig;
    m.out_cap = sizeof(sig);
    is_int(rt_call(&node.rt, node.sid_term, 17, &m), ZERR_BADCAP, "rt_call_empty_slot_is_badcap");
    is_int(rt_call(&node.rt, node.sid_term, 1000, &m), ZERR_BADCAP,
           "rt_call_out_of_range_handle_is_badcap");
    is_int(rt_call(&node.rt, node.sid_ident, node.ident.h_keys, &m), ZERR_PERM,
           "keys_refuse_signature_to_identity_badge");
    is_int(rt_call(&node.rt, node.sid_axiom, node.h_axiom_keys, &m), 0,
           "keys_sign_for_the_axiom_badge");
    ok(ed25519_verify(sig, "x", 1, id_find(&node.axiom.ax.st->ids, "root")->pub) == 0,
       "keys_signature_verifies_under_node_key");
    int h = rt_grant(&node.rt, node.sid_keys, node.sid_term, CAP_RIGHT_READ, KEYS_BADGE_SIGN);
    ok(h > 0, "rt_grant_read_only_capability");
    is_int(rt_call(&node.rt, node.sid_term, (uint32_t)h, &m), ZERR_PERM,
           "rt_call_without_write_right_is_perm");
}

static void test_services(void)
{
    struct axiom_result res;
    struct polsvc_req prq;

    is_int(id_op(IDSVC_OP_CREATE, "root", "alice", ID_KIND_USER, &res), 0,
           "identity_service_creates_user");
    is_int(res.seq, 1, "identity_create_is_entry_1");
    uint8_t pub[32];
    keys_public(&node.keys, "alice", 0, pub);
    is_mem(id_find(&node.axiom.ax.st->ids, "alice")->pub, pub, 32,
           "identity_public_key_comes_from_key_service");
    is_int(id_op(IDSVC_OP_ROTATE, "root", "alice", 0, &res), 0, "identity_service_rotates_key");
    keys_public(&node.keys, "alice", 1, pub);
    ok(id_find(&node.axiom.ax.st->ids, "alice")->key_gen == 1 &&
           memcmp(id_find(&node.axiom.ax.st->ids, "alice")->pub, pub, 32) == 0,
       "identity_rotation_moves_to_next_generation_key");
    is_int(id_op(IDSVC_OP_CREATE, "alice", "x", ID_KIND_USER, &res), ZERR_PERM,
           "identity_user_may_not_issue_user");
    memset(&prq, 0, sizeof(prq));
    strcpy(prq.proposer, "root");
    prq.effect = POLICY_ALLOW;
    strcpy(prq.text, "alice   note    *");
    struct rt_msg m = {POLSVC_OP_ADD, {0}, &prq, sizeof(prq), &res, sizeof(res), 0};
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_policy, &m), 0,
           "policy_service_adds_rule");
    is_str(policy_find(&node.axiom.ax.st->pol, 2)->text, "alice note *",
           "policy_service_stores_normal_form");
}

static void test_signed_proposal(void)
{
    struct ax_action a;
    struct axiom_result res;
    uint8_t msg[AX_ENTRY_MAX];
    size_t len = 0;

    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "alice");
    a.data = (const uint8_t *)"signed";
    a.data_len = 6;
    a.has_sig = true;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    struct rt_msg m = {AXIOM_OP_SUBMIT, {0}, &a, sizeof(a), &res, sizeof(res), 0};
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_INVAL,
           "axiom_refuses_signed_proposal_without_number");
    ok(strstr(res.why, "next proposal number (#1)") != NULL,
       "refusal_names_the_next_proposal_number");

    a.has_nonce = true;
    a.nonce = 1;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), 0,
           "axiom_accepts_proposal_signed_by_proposer");
    uint64_t after = node.axiom.ax.next_seq;
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_EXIST,
           "axiom_refuses_replayed_signed_proposal");
    is_str(res.why, "replayed proposal: alice's signed proposal #1 was already accepted",
           "replay_refusal_says_why");
    ok(node.axiom.ax.next_seq == after, "replayed_proposal_commits_nothing");

    a.format = 1; /* a proposer cannot ask for the old format without numbers */
    a.has_nonce = false;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_INVAL,
           "axiom_refuses_old_format_signed_proposal");
    a.format = 0;

    a.has_nonce = true;
    a.nonce = 3;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_INVAL,
           "axiom_refuses_proposal_number_that_skips_ahead");
    a.nonce = 2;
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig); /* signed over number 3 */
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_BADSIG,
           "axiom_rejects_proposal_whose_number_was_changed");
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 0, msg, len, a.sig); /* the rotated-away key */
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_BADSIG,
           "axiom_rejects_proposal_signed_with_old_key");
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), 0,
           "axiom_accepts_next_proposal_number");
}

/* Runs one terminal line of len bytes (it may hold NUL bytes). */
static int term_line(struct term *t, const char *bytes, size_t len)
{
    static char line[TERM_MAX_LINE + 1];

    memcpy(line, bytes, len);
    line[len] = '\0';
    return term_execute(t, line, len);
}

static void test_terminal(void)
{
    static struct term t;
    struct axiom_result res;
    uint64_t before = axiom_durable(&node.axiom.ax);

    term_init(&t, shell_cmds, shell_ncmds, &node.shell);
    is_int(term_line(&t, "id create x\0y", 13), ZERR_INVAL,
           "terminal_refuses_a_line_with_a_nul_byte");
    ok(id_find(&node.axiom.ax.st->ids, "x") == NULL && axiom_durable(&node.axiom.ax) == before,
       "terminal_line_with_a_nul_byte_commits_nothing");
    is_int(term_line(&t, "as nobody note hi", 17), ZERR_NOENT,
           "terminal_unknown_proposer_is_a_refusal_code");
    is_int(axiom_durable(&node.axiom.ax), before, "terminal_refusal_commits_nothing");

    memset(&res, 0, sizeof(res));
    struct rt_msg m = {AXIOM_OP_VERIFY, {0}, NULL, 0, &res, sizeof(res), 0};
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), 0, "axiom_verify_succeeds");
    ok(res.seq == before && res.checkpoints == node.axiom.ax.next_batch,
       "axiom_verify_reports_entries_and_checkpoints_in_their_own_fields");
    is_int(res.dec.rule, 0, "axiom_verify_leaves_the_decision_empty");
}

static void test_revocation(void)
{
    struct axiom_result res;

    ok(rt_revoke_all(&node.rt, node.sid_keys) >= 2, "rt_revoke_removes_derived_key_capabilities");
    ok(id_op(IDSVC_OP_CREATE, "root", "bob", ID_KIND_USER, &res) != 0,
       "identity_cannot_get_keys_after_revocation");
    struct ax_action a;
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    struct rt_msg m = {AXIOM_OP_SUBMIT, {0}, &a, sizeof(a), &res, sizeof(res), 0};
    ok(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m) != 0,
       "axiom_cannot_commit_without_signing_capability");
    ok(node.axiom.ax.broken, "axiom_stops_after_a_failed_seal");
    is_int(axiom_durable(&node.axiom.ax), 6, "nothing_acknowledged_after_capability_revoked");
    is_int(rt_call(&node.rt, node.sid_term, node.shell.h_axiom, &m), ZERR_IO,
           "axiom_refuses_proposals_until_reopened");
}

int main(void)
{
    uint8_t *mem = calloc(1, DISK);
    struct blk dev;
    char why[200];

    tap_no_plan();
    blk_open_mem(&dev, mem, NULL, DISK);
    is_int(node_start(&node, &dev, "root", why, sizeof(why)), 0, "node_starts_on_blank_disk");
    ok(node.formatted, "node_formats_blank_disk");
    test_runtime();
    test_services();
    test_signed_proposal();
    test_terminal();
    test_revocation();
    node_stop(&node);
    free(mem);
    return tap_done();
}
