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
#include "services/jobs/jobs.h"
#include "svcrt/wire.h"
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
    return idsvc_call(&node.rt, node.sid_term, node.shell.h_ident, op, &rq, res);
}

static void test_runtime(void)
{
    struct rt_msg m;
    uint8_t kr[64];
    size_t kr_len;
    uint8_t sig[64];

    keys_req_encode(KEYS_OP_SIGN, "root", 0, "x", 1, kr, sizeof(kr), &kr_len);
    memset(&m, 0, sizeof(m));
    m.op = KEYS_OP_SIGN;
    m.in = kr;
    m.in_len = kr_len;
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
    is_int(polsvc_call(&node.rt, node.sid_term, node.shell.h_policy, POLSVC_OP_ADD, &prq, &res), 0,
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
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_INVAL,
           "axiom_refuses_signed_proposal_without_number");
    ok(strstr(res.why, "next proposal number (#1)") != NULL,
       "refusal_names_the_next_proposal_number");

    a.has_nonce = true;
    a.nonce = 1;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), 0,
           "axiom_accepts_proposal_signed_by_proposer");
    uint64_t after = node.axiom.ax.next_seq;
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_EXIST,
           "axiom_refuses_replayed_signed_proposal");
    is_str(res.why, "replayed proposal: alice's signed proposal #1 was already accepted",
           "replay_refusal_says_why");
    ok(node.axiom.ax.next_seq == after, "replayed_proposal_commits_nothing");

    a.format = 1; /* a proposer cannot ask for the old format without numbers */
    a.has_nonce = false;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_INVAL,
           "axiom_refuses_old_format_signed_proposal");
    a.format = 0;

    a.has_nonce = true;
    a.nonce = 3;
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_INVAL,
           "axiom_refuses_proposal_number_that_skips_ahead");
    a.nonce = 2;
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig); /* signed over number 3 */
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_BADSIG,
           "axiom_rejects_proposal_whose_number_was_changed");
    ax_proposal_message(&a, msg, sizeof(msg), &len);
    keys_sign(&node.keys, "alice", 0, msg, len, a.sig); /* the rotated-away key */
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_BADSIG,
           "axiom_rejects_proposal_signed_with_old_key");
    keys_sign(&node.keys, "alice", 1, msg, len, a.sig);
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), 0,
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

    is_int(axiom_verify(&node.rt, node.sid_term, node.shell.h_axiom, &res), 0,
           "axiom_verify_succeeds");
    ok(res.seq == before && res.checkpoints == node.axiom.ax.next_batch,
       "axiom_verify_reports_entries_and_checkpoints_in_their_own_fields");
    is_int(res.dec.rule, 0, "axiom_verify_leaves_the_decision_empty");
}

/* One operation of one service, reached through a capability its caller holds. */
struct hostile_op {
    const char *name;
    uint32_t caller, handle, op;
    uint8_t valid[AXIOM_ACTION_MAX];
    size_t valid_len;
};

/* Sends m to o and returns the result; every reply byte stays in out. */
static int send_raw(const struct hostile_op *o, const void *in, size_t len)
{
    static uint8_t out[16384];
    struct rt_msg m = {o->op, in, len, out, sizeof(out), 0};
    return rt_call(&node.rt, o->caller, o->handle, &m);
}

/* The jobs service's operations, each with a valid request. */
static size_t hostile_jobs_ops(struct hostile_op *ops, size_t n)
{
    static struct job_spec spec;
    uint32_t term = node.sid_term;

    memset(&spec, 0, sizeof(spec));
    spec.argc = 1;
    strcpy(spec.argv[0], "hostile");
    spec.fuel = 1;
    spec.mem_pages = 1;
    ops[n] = (struct hostile_op){"jobs.run", term, node.shell.h_jobs, JOBS_OP_RUN, {0}, 0};
    ok(jobs_run_encode("root", &spec, ops[n].valid, AXIOM_ACTION_MAX, &ops[n].valid_len) == 0,
       "a_valid_job_run_request_encodes");
    n++;
    for (uint32_t op = JOBS_OP_SHOW; op <= JOBS_OP_VERIFY; op++) {
        ops[n] = (struct hostile_op){
            op == JOBS_OP_SHOW ? "jobs.show" : "jobs.verify", term, node.shell.h_jobs, op, {1}, 8};
        n++;
    }
    ops[n] = (struct hostile_op){"jobs.read", term, node.shell.h_jobs, JOBS_OP_READ, {0}, 0};
    ops[n++].valid_len = JOB_HASH + 8;
    is_int(send_raw(&ops[n - 1], ops[n - 1].valid, ops[n - 1].valid_len), ZERR_NOENT,
           "a_valid_jobs_read_reaches_the_jobs_service");
    ops[n] = (struct hostile_op){"jobs.import", term, node.shell.h_jobs, JOBS_OP_IMPORT, {0}, 0};
    memcpy(ops[n].valid, "/nope", 5);
    ops[n++].valid_len = AXIOM_PATH_FIELD;
    is_int(send_raw(&ops[n - 1], ops[n - 1].valid, ops[n - 1].valid_len), ZERR_NOENT,
           "a_valid_jobs_import_of_no_file_is_noent");
    return n;
}

/* The filesystem's operations and its queries to the Axiom, each with a valid request. */
static size_t hostile_fs_ops(struct hostile_op *ops, size_t n)
{
    static struct fssvc_put put;
    struct fssvc_read rd;
    struct wire_out w;
    uint32_t term = node.sid_term;

    ops[n] =
        (struct hostile_op){"axiom.fs_stat", term, node.shell.h_axiom, AXIOM_OP_FS_STAT, {0}, 0};
    memcpy(ops[n].valid, "/", 1);
    ops[n++].valid_len = AXIOM_PATH_FIELD;
    ops[n] =
        (struct hostile_op){"axiom.fs_list", term, node.shell.h_axiom, AXIOM_OP_FS_LIST, {0}, 0};
    wire_out_init(&w, ops[n].valid, AXIOM_ACTION_MAX);
    wire_str(&w, "/", AXIOM_PATH_FIELD);
    wire_u8(&w, 1);
    wire_u32(&w, 0);
    wire_out_end(&w, &ops[n++].valid_len);
    memset(&put, 0, sizeof(put));
    strcpy(put.proposer, "root");
    strcpy(put.path, "/hostile");
    put.mode = 0644;
    put.data = "content";
    put.len = 7;
    ops[n] = (struct hostile_op){"fs.put", term, node.shell.h_fs, FSSVC_OP_PUT, {0}, 0};
    fssvc_put_encode(&put, ops[n].valid, AXIOM_ACTION_MAX, &ops[n].valid_len);
    n++;
    memset(&rd, 0, sizeof(rd));
    strcpy(rd.path, "/hostile");
    ops[n] = (struct hostile_op){"fs.read", term, node.shell.h_fs, FSSVC_OP_READ, {0}, 0};
    fssvc_read_encode(&rd, ops[n].valid, AXIOM_ACTION_MAX, &ops[n].valid_len);
    n++;
    ops[n++] = (struct hostile_op){"fs.gc", term, node.shell.h_fs, FSSVC_OP_GC, {0}, 0};
    ops[n++] = (struct hostile_op){"fs.df", term, node.shell.h_fs, FSSVC_OP_DF, {0}, 0};
    ops[n++] = (struct hostile_op){"fs.effects", term, node.shell.h_fs, FSSVC_OP_EFFECTS, {0}, 0};
    struct fssvc_part part = {0, 7, 0, "content", 7};
    ops[n] = (struct hostile_op){"fs.part", term, node.shell.h_fs, FSSVC_OP_PART, {0}, 0};
    fssvc_part_encode(&part, ops[n].valid, AXIOM_ACTION_MAX, &ops[n].valid_len);
    n++;
    ops[n] =
        (struct hostile_op){"fs.put_staged", term, node.shell.h_fs, FSSVC_OP_PUT_STAGED, {0}, 0};
    fssvc_staged_encode(1, &put, ops[n].valid, AXIOM_ACTION_MAX, &ops[n].valid_len);
    n++;
    return hostile_jobs_ops(ops, n);
}

/* Truncated, oversized and garbage requests for every operation: each an error, nothing
 * committed, and the services still answer afterwards. */
static void test_hostile_messages(void)
{
    static struct hostile_op ops[32];
    static uint8_t junk[16384 + 1];
    size_t n = 0;
    struct ax_action a;
    struct idsvc_req irq;
    struct polsvc_req prq;
    struct axiom_check c;
    uint64_t before = axiom_durable(&node.axiom.ax);
    uint32_t term = node.sid_term;
    struct fssvc_usage u;
    (void)fssvc_usage_call(&node.rt, term, node.shell.h_fs, FSSVC_OP_GC, &u); /* no garbage left */
    uint32_t objects = node.fs.st.cas.count;

#define OP(nm, who, h, code) ops[n++] = (struct hostile_op){nm, who, h, code, {0}, 0}
    OP("keys.public", node.sid_ident, node.ident.h_keys, KEYS_OP_PUBLIC);
    keys_req_encode(KEYS_OP_PUBLIC, "root", 0, NULL, 0, ops[n - 1].valid, AXIOM_ACTION_MAX,
                    &ops[n - 1].valid_len);
    OP("keys.sign", node.sid_axiom, node.h_axiom_keys, KEYS_OP_SIGN);
    keys_req_encode(KEYS_OP_SIGN, "root", 0, "m", 1, ops[n - 1].valid, AXIOM_ACTION_MAX,
                    &ops[n - 1].valid_len);
    memset(&a, 0, sizeof(a));
    a.kind = AX_NOTE;
    strcpy(a.proposer, "root");
    a.data = (const uint8_t *)"hi";
    a.data_len = 2;
    OP("axiom.submit", term, node.shell.h_axiom, AXIOM_OP_SUBMIT);
    axiom_action_encode(&a, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    OP("axiom.decide", term, node.shell.h_axiom, AXIOM_OP_DECIDE);
    axiom_action_encode(&a, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    OP("axiom.head", term, node.shell.h_axiom, AXIOM_OP_HEAD);
    OP("axiom.verify", term, node.shell.h_axiom, AXIOM_OP_VERIFY);
    OP("axiom.log", term, node.shell.h_axiom, AXIOM_OP_LOG);
    ops[n - 1].valid[0] = 1;
    ops[n - 1].valid_len = 8;
    OP("axiom.principal", term, node.shell.h_axiom, AXIOM_OP_PRINCIPAL);
    memcpy(ops[n - 1].valid, "root", 4);
    ops[n - 1].valid_len = AXIOM_NAME_FIELD;
    OP("axiom.principals", term, node.shell.h_axiom, AXIOM_OP_PRINCIPALS);
    ops[n - 1].valid_len = 4;
    OP("axiom.rules", term, node.shell.h_axiom, AXIOM_OP_RULES);
    ops[n - 1].valid_len = 4;
    memset(&c, 0, sizeof(c));
    strcpy(c.proposer, "root");
    strcpy(c.action, "note");
    strcpy(c.resource, "note");
    OP("axiom.check", term, node.shell.h_axiom, AXIOM_OP_CHECK);
    axiom_check_encode(&c, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    memset(&irq, 0, sizeof(irq));
    strcpy(irq.proposer, "root");
    strcpy(irq.name, "hostile");
    irq.kind = ID_KIND_USER;
    for (uint32_t op = IDSVC_OP_CREATE; op <= IDSVC_OP_REVOKE; op++) {
        OP(op == IDSVC_OP_CREATE   ? "identity.create"
           : op == IDSVC_OP_ROTATE ? "identity.rotate"
                                   : "identity.revoke",
           term, node.shell.h_ident, op);
        idsvc_req_encode(&irq, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    }
    memset(&prq, 0, sizeof(prq));
    strcpy(prq.proposer, "root");
    prq.effect = POLICY_ALLOW;
    prq.rule_id = 1;
    strcpy(prq.text, "root note *");
    OP("policy.add", term, node.shell.h_policy, POLSVC_OP_ADD);
    polsvc_req_encode(&prq, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    OP("policy.remove", term, node.shell.h_policy, POLSVC_OP_REMOVE);
    polsvc_req_encode(&prq, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    OP("policy.check", term, node.shell.h_policy, POLSVC_OP_CHECK);
    axiom_check_encode(&c, ops[n - 1].valid, AXIOM_ACTION_MAX, &ops[n - 1].valid_len);
    n = hostile_fs_ops(ops, n);
#undef OP

    memset(junk, 0xa5, sizeof(junk));
    int refused = 0, cases = 0;
    for (size_t i = 0; i < n; i++) {
        const struct hostile_op *o = &ops[i];
        uint8_t *v = junk + 1; /* the valid bytes, then one more */
        memcpy(v, o->valid, o->valid_len);
        int e1 = o->valid_len > 0 ? send_raw(o, v, o->valid_len - 1) : ZERR_INVAL; /* truncated */
        int e2 = send_raw(o, v, o->valid_len + 1);                                 /* trailing */
        memset(junk, 0xa5, sizeof(junk));
        int e3 = send_raw(o, junk, o->valid_len > 0 ? o->valid_len : 1); /* garbage */
        int e4 = send_raw(o, junk, sizeof(junk));                        /* oversized */
        int e5 = send_raw(o, NULL, 0);                                   /* empty */
        bool empty_ok = o->valid_len == 0;
        cases += 5;
        refused += (e1 != 0) + (e2 != 0) + (e3 != 0) + (e4 != 0) + (e5 != 0 || empty_ok);
        if (e1 == 0 || e2 == 0 || e3 == 0 || e4 == 0 || (e5 == 0 && !empty_ok)) {
            tap_diag("%s accepted a hostile message (%d %d %d %d %d)", o->name, e1, e2, e3, e4, e5);
        }
    }
    is_int(refused, cases, "every_operation_refuses_truncated_oversized_and_garbage_messages");
    is_int(axiom_durable(&node.axiom.ax), before, "hostile_messages_commit_nothing");
    struct fs_node fn;
    is_int(axiom_fs_stat(&node.rt, term, node.shell.h_axiom, "/hostile", &fn), ZERR_NOENT,
           "hostile_fs_puts_name_no_file");
    is_int((int)node.fs.st.cas.count, (int)objects, "hostile_fs_puts_store_nothing");
    ok(!node.axiom.ax.broken, "hostile_messages_leave_the_axiom_working");
    struct axiom_head h;
    ok(axiom_get_head(&node.rt, term, node.shell.h_axiom, &h) == 0 && h.entries == before,
       "axiom_answers_after_hostile_messages");
}

/* Readers see the state only through query messages: copies, never the Axiom's memory. */
static void test_queries(void)
{
    struct id_principal p, page[2];
    struct axiom_rule rules[1];
    struct axiom_check c;
    struct axiom_decision d;
    struct axiom_head h;
    uint32_t got = 0, total = 0;
    uint32_t term = node.sid_term;

    ok(axiom_get_principal(&node.rt, term, node.shell.h_axiom, "alice", &p) == 0 &&
           p.key_gen == 1 && strcmp(p.parent, "root") == 0,
       "principal_query_returns_a_copy");
    p.key_gen = 99;
    is_int(id_find(&node.axiom.ax.st->ids, "alice")->key_gen, 1,
           "changing_a_query_reply_leaves_the_state_alone");
    is_int(axiom_get_principal(&node.rt, term, node.shell.h_axiom, "nobody", &p), ZERR_NOENT,
           "principal_query_for_an_unknown_name_is_noent");
    ok(axiom_get_principals(&node.rt, term, node.shell.h_axiom, 1, page, 2, &got, &total) == 0 &&
           total == node.axiom.ax.st->ids.n && got == total - 1 &&
           strcmp(page[0].name, node.axiom.ax.st->ids.p[1].name) == 0,
       "principals_query_pages_from_first");
    ok(axiom_get_rules(&node.rt, term, node.shell.h_axiom, 0, rules, 1, &got, &total) == 0 &&
           got == 1 && total == node.axiom.ax.st->pol.n && rules[0].id == 1,
       "rules_query_returns_as_many_as_asked");
    ok(axiom_get_head(&node.rt, term, node.shell.h_axiom, &h) == 0 && strcmp(h.node, "root") == 0 &&
           h.entries == axiom_durable(&node.axiom.ax),
       "head_query_names_the_node");
    memset(&c, 0, sizeof(c));
    strcpy(c.proposer, "alice");
    strcpy(c.action, "note");
    strcpy(c.resource, "note");
    ok(polsvc_check(&node.rt, term, node.shell.h_policy, &c, &d) == 0 && d.dec.allow &&
           d.dec.rule == 2,
       "policy_check_allows_what_the_rule_allows");
    strcpy(c.action, "policy.add");
    strcpy(c.resource, "policy");
    ok(polsvc_check(&node.rt, term, node.shell.h_policy, &c, &d) == 0 && !d.dec.allow &&
           d.dec.rule == 0 && strstr(d.why, "default deny") != NULL,
       "policy_check_default_deny");
    strcpy(c.proposer, "nobody");
    is_int(polsvc_check(&node.rt, term, node.shell.h_policy, &c, &d), ZERR_NOPRINCIPAL,
           "policy_check_of_an_unknown_principal");
    strcpy(c.proposer, "Bad Name");
    is_int(polsvc_check(&node.rt, term, node.shell.h_policy, &c, &d), ZERR_INVAL,
           "policy_check_refuses_a_malformed_question");
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
    ok(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res) != 0,
       "axiom_cannot_commit_without_signing_capability");
    ok(node.axiom.ax.broken, "axiom_stops_after_a_failed_seal");
    is_int(axiom_durable(&node.axiom.ax), 6, "nothing_acknowledged_after_capability_revoked");
    is_int(axiom_submit(&node.rt, node.sid_term, node.shell.h_axiom, &a, &res), ZERR_IO,
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
    test_queries();
    test_hostile_messages();
    test_revocation();
    node_stop(&node);
    free(mem);
    return tap_done();
}
