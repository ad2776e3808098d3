/*
 * Proposers bound to principals (services/axiom/bind.c): a capability
 * whose badge names binding slot 1 proposes only as the node principal,
 * one of a slot init bound only as that principal, one of an unbound slot
 * not at all; a refused proposal commits nothing; only init's capability
 * binds; a capability without a slot (the console's services) names any
 * proposer.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/service.h"
#include "svcrt/wire.h"
#include "tap.h"
#include "world.h"

static uint8_t root_secret[32] = {3, 1, 4, 1, 5, 9};
static uint8_t disk_id[16] = {7};
static struct axiom_svc svc;
static struct keys keys;

#define RW (AXIOM_BADGE_PROPOSE | AXIOM_BADGE_READ)

/* Sends a note by proposer (signed, with a signature that verifies under no key, if
 * sig) with op through a capability with badge; res gets the result. */
static int note_sig(uint32_t op, uint64_t badge, const char *proposer, bool sig,
                    struct axiom_result *res);

static int note(uint32_t op, uint64_t badge, const char *proposer, struct axiom_result *res)
{
    return note_sig(op, badge, proposer, false, res);
}

static int note_sig(uint32_t op, uint64_t badge, const char *proposer, bool sig,
                    struct axiom_result *res)
{
    static uint8_t in[AXIOM_ACTION_MAX], out[AXIOM_RESULT_LEN];
    struct ax_action a;
    size_t len = 0;

    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, proposer);
    a.data = (const uint8_t *)"bound";
    a.data_len = 5;
    a.has_sig = sig;
    a.has_nonce = sig;
    a.nonce = sig ? 1 : 0;
    memset(a.sig, 0x5a, sizeof(a.sig));
    if (axiom_action_encode(&a, in, sizeof(in), &len) != 0) {
        return ZERR_RANGE;
    }
    struct rt_msg m = {op, in, len, out, sizeof(out), 0};
    int err = axiom_handle(&svc, badge, &m);
    memset(res, 0, sizeof(*res));
    if (m.out_len != 0) {
        axiom_result_decode(out, m.out_len, res);
    }
    return err;
}

static int bind(uint64_t badge, uint32_t slot, const char *name)
{
    uint8_t in[4 + AXIOM_NAME_FIELD];
    struct wire_out w;
    size_t len = 0;

    wire_out_init(&w, in, sizeof(in));
    wire_u32(&w, slot);
    wire_str(&w, name, AXIOM_NAME_FIELD);
    wire_out_end(&w, &len);
    struct rt_msg m = {AXIOM_OP_BIND, in, len, NULL, 0, 0};
    return axiom_handle(&svc, badge, &m);
}

static void test_node_slot(void)
{
    struct axiom_result res;
    uint64_t before = axiom_durable(&svc.ax);

    is_int(note(AXIOM_OP_SUBMIT, RW | AXIOM_BADGE_AS(AXIOM_BIND_NODE), "root", &res), 0,
           "node_slot_proposes_as_the_node");
    is_int(axiom_durable(&svc.ax), before + 1, "node_slot_commit_is_in_the_log");
    is_int(note(AXIOM_OP_SUBMIT, RW | AXIOM_BADGE_AS(AXIOM_BIND_NODE), "alice", &res), ZERR_PERM,
           "node_slot_cannot_propose_as_another_principal");
    ok(strstr(res.why, "only as root, not as alice") != NULL, "refusal_says_why: %s", res.why);
    is_int(note(AXIOM_OP_PROPOSE, RW | AXIOM_BADGE_AS(AXIOM_BIND_NODE), "alice", &res), ZERR_PERM,
           "node_slot_cannot_propose_held_as_another");
    is_int(note(AXIOM_OP_DECIDE, RW | AXIOM_BADGE_AS(AXIOM_BIND_NODE), "alice", &res), ZERR_PERM,
           "node_slot_cannot_ask_a_decision_as_another");
    is_int(axiom_commit(&svc.ax), 0, "commit_after_the_refusals");
    is_int(axiom_durable(&svc.ax), before + 1, "refused_proposals_commit_nothing");
}

static void test_bound_slots(void)
{
    struct axiom_result res;
    uint64_t before = axiom_durable(&svc.ax);

    is_int(note(AXIOM_OP_SUBMIT, RW | AXIOM_BADGE_AS(2), "root", &res), ZERR_PERM,
           "unbound_slot_refuses_every_proposal");
    is_int(bind(RW, 2, "alice"), ZERR_PERM, "only_inits_capability_binds");
    is_int(bind(RW | AXIOM_BADGE_INIT, AXIOM_BIND_NODE, "alice"), ZERR_INVAL,
           "the_node_slot_cannot_be_rebound");
    is_int(bind(RW | AXIOM_BADGE_INIT, AXIOM_BIND_SLOTS, "alice"), ZERR_INVAL,
           "a_slot_past_the_table_is_refused");
    is_int(bind(RW | AXIOM_BADGE_INIT, 2, "no such name!"), ZERR_INVAL,
           "a_malformed_principal_name_is_refused");
    is_int(bind(RW | AXIOM_BADGE_INIT, 2, "alice"), 0, "init_binds_slot_2_to_alice");
    is_int(bind(RW | AXIOM_BADGE_INIT, 3, "root"), 0, "init_binds_slot_3_to_root");
    is_int(note(AXIOM_OP_SUBMIT, RW | AXIOM_BADGE_AS(2), "root", &res), ZERR_PERM,
           "a_process_bound_to_alice_cannot_propose_as_root");
    ok(strstr(res.why, "only as alice") != NULL, "refusal_names_the_bound_principal: %s", res.why);
    is_int(axiom_durable(&svc.ax), before, "nothing_committed_by_the_refusals");
    is_int(note(AXIOM_OP_SUBMIT, RW | AXIOM_BADGE_AS(3), "root", &res), 0,
           "a_process_bound_to_root_proposes_as_root");
    is_int(note(AXIOM_OP_SUBMIT, RW, "root", &res), 0, "an_unbound_capability_names_any_proposer");
    is_int(axiom_durable(&svc.ax), before + 2, "both_allowed_proposals_committed");
}

/* The COM2 server's badge: signed proposals only, never the node's unsigned ones. */
static void test_signed_badge(void)
{
    struct axiom_result res;
    const uint64_t b = AXIOM_BADGE_SIGNED | AXIOM_BADGE_READ;
    uint64_t before = axiom_durable(&svc.ax);

    is_int(note(AXIOM_OP_SUBMIT, b, "root", &res), ZERR_PERM,
           "signed_badge_cannot_submit_an_unsigned_proposal_as_the_node");
    is_int(note(AXIOM_OP_PROPOSE, b, "root", &res), ZERR_PERM,
           "signed_badge_cannot_propose_held_an_unsigned_proposal");
    is_int(note_sig(AXIOM_OP_SUBMIT, b, "root", true, &res), ZERR_BADSIG,
           "a_signed_proposal_as_the_node_reaches_the_signature_check_and_fails");
    is_int(note_sig(AXIOM_OP_PROPOSE, b, "root", true, &res), ZERR_BADSIG, "and_held_too");
    struct rt_msg m = {AXIOM_OP_COMMIT, NULL, 0, NULL, 0, 0};
    is_int(axiom_handle(&svc, b, &m), 0, "signed_badge_may_commit");
    is_int(axiom_durable(&svc.ax), before, "signed_badge_refusals_commit_nothing");
    is_int(note(AXIOM_OP_SUBMIT, AXIOM_BADGE_SIGNED, "root", &res), ZERR_PERM,
           "signed_badge_alone_reads_nothing_and_proposes_unsigned_nothing");
}

int main(void)
{
    static struct ax_world w;
    struct ax_layout lay;
    uint8_t secret[KEYS_SECRET_LEN];

    tap_no_plan();
    if (ax_world_make(&w, root_secret, disk_id) != 0 ||
        ax_read_super(&w.dev, &lay, secret, NULL, 0) != 0) {
        ok(0, "the world formats");
        return tap_done();
    }
    keys_init(&keys, secret);
    svc.dev = &w.dev;
    is_int(axiom_open(&svc.ax, &w.dev, axiom_sign_with_keys, &keys, &w.rec), 0, "axiom_opens");
    test_node_slot();
    test_bound_slots();
    test_signed_badge();
    axiom_close(&svc.ax);
    free(w.mem);
    return tap_done();
}
