/*
 * The service entries (services/axiom/svc.h): their payloads round-trip and
 * refuse bad shapes; only the node records starts, ends and holds; a held
 * service starts again only after svc.restart; svc.kill and svc.restart
 * are decided by policy on "svc:NAME"; the service table is in the state
 * root (key 11) and survives a reopen (replay).
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "services/axiom/svc.h"
#include "tap.h"
#include "world.h"

static uint8_t root_secret[32] = {2, 7, 1, 8, 2, 8};
static uint8_t disk_id[16] = {9};

static struct ax_action act(uint8_t kind, const char *by, const char *name)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = kind;
    strcpy(a.proposer, by);
    strcpy(a.name, name);
    return a;
}

static int propose(struct ax_world *w, const struct ax_action *a)
{
    struct policy_decision d;
    uint64_t seq;
    uint8_t hash[32];
    char why[160];

    return axiom_propose(&w->ax, a, &d, &seq, hash, why, sizeof(why));
}

static int start(struct ax_world *w, const char *name, uint64_t pid, uint64_t delay)
{
    struct ax_action a = act(AX_SVC_START, "root", name);

    a.svc.pid = pid;
    a.svc.delay_ms = delay;
    return propose(w, &a);
}

static int crash(struct ax_world *w, const char *name, uint64_t pid)
{
    struct ax_action a = act(AX_SVC_EXIT, "root", name);

    a.svc.pid = pid;
    a.svc.how = AX_SVC_FAULTED;
    a.svc.fault_kind = 14;
    a.svc.fault_addr = 0xdead000;
    return propose(w, &a);
}

static void test_codec(void)
{
    struct ax_entry e, back;
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;

    memset(&e, 0, sizeof(e));
    e.seq = 4;
    e.a = act(AX_SVC_EXIT, "root", "terminal");
    e.a.svc.pid = 7;
    e.a.svc.how = AX_SVC_FAULTED;
    e.a.svc.status = 3;
    e.a.svc.fault_kind = 13;
    e.a.svc.fault_addr = 0xffff800000001000ull;
    e.dec.allow = 1;
    e.dec.rule = 1;
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "svc_exit_encodes");
    is_int(ax_entry_decode(buf, len, &back), 0, "svc_exit_decodes");
    ok(back.a.kind == AX_SVC_EXIT && strcmp(back.a.name, "terminal") == 0 && back.a.svc.pid == 7 &&
           back.a.svc.how == AX_SVC_FAULTED && back.a.svc.status == 3 &&
           back.a.svc.fault_kind == 13 && back.a.svc.fault_addr == 0xffff800000001000ull,
       "svc_exit_round_trips");
    is_int(ax_entry_decode(buf, len - 1, &back), ZERR_TRUNCATED, "truncated_svc_exit_refused");
    e.a.svc.how = 4;
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), ZERR_INVAL, "svc_exit_how_4_not_encoded");
    e.a = act(AX_SVC_HOLD, "root", "Terminal");
    strcpy(e.a.svc.reason, "5 restarts in 60 s");
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), ZERR_INVAL,
           "upper_case_service_name_not_encoded");
    e.a = act(AX_SVC_HOLD, "root", "terminal");
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), ZERR_INVAL, "hold_without_reason_refused");
    strcpy(e.a.svc.reason, "5 restarts in 60 s");
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "svc_hold_encodes");
    is_int(ax_entry_decode(buf, len, &back), 0, "svc_hold_decodes");
    is_str(back.a.svc.reason, "5 restarts in 60 s", "svc_hold_reason_round_trips");
}

static void test_lifecycle(struct ax_world *w)
{
    struct ax_action a;
    uint8_t before[32];
    const struct ax_svc_row *r;

    memcpy(before, w->ax.st->root, 32);
    a = act(AX_SVC_START, "alice", "terminal");
    a.svc.pid = 5;
    is_int(propose(w, &a), ZERR_PERM, "only_the_node_records_a_start");
    is_int(start(w, "terminal", 5, 0), 0, "node_records_terminal_start");
    ok(memcmp(before, w->ax.st->root, 32) != 0, "a_start_changes_the_state_root");
    is_int(crash(w, "terminal", 6), ZERR_INVAL, "exit_of_another_pid_refused");
    is_int(crash(w, "terminal", 5), 0, "node_records_terminal_fault");
    is_int(crash(w, "terminal", 5), ZERR_INVAL, "a_second_exit_refused");
    is_int(start(w, "terminal", 8, 100), 0, "restart_after_100_ms");
    r = ax_svc_find(w->ax.st, "terminal");
    ok(r != NULL && r->state == AX_SVC_RUNNING && r->pid == 8 && r->restarts == 1,
       "row_says_running_pid_8_one_restart");
    is_int(crash(w, "terminal", 8), 0, "second_fault");
    a = act(AX_SVC_HOLD, "root", "terminal");
    strcpy(a.svc.reason, "5 restarts in 60 s");
    is_int(propose(w, &a), 0, "node_holds_terminal");
    is_int(start(w, "terminal", 9, 0), ZERR_INVAL, "held_service_cannot_start");
    a = act(AX_SVC_KILL, "alice", "terminal");
    is_int(propose(w, &a), ZERR_INVAL, "kill_of_a_held_service_refused");
    a = act(AX_SVC_RESTART, "alice", "terminal");
    is_int(propose(w, &a), ZERR_DENIED, "alice_may_not_restart_by_default");
    a = act(AX_SVC_RESTART, "alice", "nosuch");
    is_int(propose(w, &a), ZERR_NOENT, "restart_of_unknown_service_refused");
    a = act(AX_POLICY_ADD, "root", "");
    a.effect = POLICY_ALLOW;
    strcpy(a.rule, "alice svc.* svc:terminal");
    is_int(propose(w, &a), 0, "policy_allows_alice_svc_on_terminal");
    a = act(AX_SVC_RESTART, "alice", "terminal");
    is_int(propose(w, &a), 0, "alice_restarts_terminal");
    is_int(ax_svc_find(w->ax.st, "terminal")->state, AX_SVC_DOWN, "svc_restart_unholds");
    is_int(start(w, "terminal", 10, 0), 0, "unheld_service_starts");
    a = act(AX_SVC_KILL, "alice", "terminal");
    is_int(propose(w, &a), 0, "alice_kills_terminal");
    is_int(start(w, "axiom", 2, 0), 0, "a_second_service");
    is_int(w->ax.st->svcs.n, 2, "two_rows");
    is_str(w->ax.st->svcs.r[0].name, "axiom", "rows_in_name_order");
}

static void test_replay(void)
{
    struct ax_world w;
    struct ax_action a;
    uint8_t root[32];

    (void)ax_world_make(&w, root_secret, disk_id);
    is_int(ax_world_open(&w), 0, "axiom_opens");
    a = act(AX_ID_CREATE, "root", "alice");
    a.id_kind = ID_KIND_USER;
    memset(a.pub, 5, sizeof(a.pub));
    is_int(propose(&w, &a), 0, "alice_exists");
    test_lifecycle(&w);
    memcpy(root, w.ax.st->root, 32);
    is_int(axiom_commit(&w.ax), 0, "svc_entries_commit");
    axiom_close(&w.ax);
    is_int(ax_world_open(&w), 0, "axiom_reopens_with_svc_entries");
    const struct ax_svc_row *r = ax_svc_find(w.ax.st, "terminal");
    ok(memcmp(w.ax.st->root, root, 32) == 0 && r != NULL && r->pid == 10 && r->restarts == 2,
       "replay_reaches_the_same_services_and_root");
    axiom_close(&w.ax);
    free(w.mem);
}

int main(void)
{
    tap_plan(37);
    test_codec();
    test_replay();
    return tap_done();
}
