/*
 * The process and capability entries (services/axiom/proc.h): payloads
 * round-trip and refuse bad fields; proc.spawn is allowed by policy only
 * as the proposer (or a principal it issued) and within the rule's image
 * and limits; proc.exit, cap.grant and cap.revoke name a live process;
 * keys 12 and 13 of the state root change, and replay after a reopen
 * reaches the same root.
 */
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "services/axiom/axiom.h"
#include "services/axiom/internal/proc.h"
#include "tap.h"
#include "world.h"

static uint8_t root_secret[32] = {2, 7, 1, 8, 2, 8};
static uint8_t disk_id[16] = {9};
static const uint8_t image[32] = {0xec, 0x40, 0x11, 0x22, 0x33};

static int propose(struct ax_world *w, const struct ax_action *a, char *why)
{
    struct policy_decision d;
    uint64_t seq;
    uint8_t hash[32];

    return axiom_propose(&w->ax, a, &d, &seq, hash, why, 160);
}

static int spawn(struct ax_world *w, const char *by, const char *as, uint64_t frames, char *why)
{
    struct ax_action a;
    const uint64_t lim[3] = {frames, 2, 32};
    int err = ax_proc_spawn_action(&a, by, image, "echo", as, lim, 0);

    return err != 0 ? err : propose(w, &a, why);
}

static void test_codec(void)
{
    struct ax_entry e, back;
    uint8_t buf[AX_ENTRY_MAX];
    size_t len = 0;
    const uint64_t lim[3] = {64, 1, 16};

    memset(&e, 0, sizeof(e));
    e.seq = 5;
    is_int(ax_proc_spawn_action(&e.a, "alice", image, "echo", "alice", lim, 3), 0,
           "spawn_action_builds");
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "spawn_entry_encodes");
    is_int(ax_entry_decode(buf, len, &back), 0, "spawn_entry_decodes");
    ok(back.a.kind == AX_PROC_SPAWN && memcmp(back.a.proc.image, image, 32) == 0 &&
           strcmp(back.a.proc.image_name, "echo") == 0 && strcmp(back.a.proc.as, "alice") == 0 &&
           back.a.proc.limit[0] == 64 && back.a.proc.limit[2] == 16 && back.a.proc.parent == 3,
       "spawn_entry_round_trips");
    is_int(ax_proc_exit_action(&e.a, "alice", 4, AX_PROC_FAULTED, (uint32_t)-19), 0,
           "exit_action_builds");
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "exit_entry_encodes");
    is_int(ax_entry_decode(buf, len, &back), 0, "exit_entry_decodes");
    ok(back.a.proc.id == 4 && back.a.proc.how == AX_PROC_FAULTED &&
           (int32_t)back.a.proc.code == -19,
       "exit_entry_round_trips");
    is_int(ax_cap_action(&e.a, AX_CAP_REVOKE, "alice", 4, "fs", 3), 0, "cap_action_builds");
    is_int(ax_entry_encode(&e, buf, sizeof(buf), &len), 0, "cap_entry_encodes");
    is_int(ax_entry_decode(buf, len, &back), 0, "cap_entry_decodes");
    ok(back.a.kind == AX_CAP_REVOKE && strcmp(back.a.proc.object, "fs") == 0 &&
           back.a.proc.rights == 3,
       "cap_entry_round_trips");
    is_int(ax_entry_decode(buf, len - 1, &back) != 0, 1, "truncated_cap_entry_refused");
    const uint64_t none[3] = {0, 1, 16};
    is_int(ax_proc_spawn_action(&e.a, "alice", image, "echo", "alice", none, 0), ZERR_INVAL,
           "spawn_without_frames_refused");
    is_int(ax_proc_spawn_action(&e.a, "alice", image, "Echo", "alice", lim, 0), ZERR_INVAL,
           "spawn_of_badly_named_image_refused");
    is_int(ax_cap_action(&e.a, AX_CAP_GRANT, "alice", 4, "fs", 16), ZERR_INVAL,
           "cap_with_unknown_rights_refused");
    is_int(ax_proc_exit_action(&e.a, "alice", 0, AX_PROC_EXITED, 0), ZERR_INVAL,
           "exit_of_process_0_refused");
}

static struct ax_action create_user(struct ax_world *w, const char *name)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = AX_ID_CREATE;
    strcpy(a.proposer, "root");
    strcpy(a.name, name);
    a.id_kind = ID_KIND_USER;
    keys_public(&w->keys, name, 0, a.pub);
    return a;
}

static struct ax_action allow(const char *text)
{
    struct ax_action a;

    memset(&a, 0, sizeof(a));
    a.kind = AX_POLICY_ADD;
    strcpy(a.proposer, "root");
    a.effect = POLICY_ALLOW;
    strcpy(a.rule, text);
    return a;
}

static void test_entries(void)
{
    struct ax_world w;
    struct ax_action a;
    char why[160] = "";
    uint8_t before[32], after[32];

    (void)ax_world_make(&w, root_secret, disk_id);
    is_int(ax_world_open(&w), 0, "axiom_opens");
    a = create_user(&w, "alice");
    is_int(propose(&w, &a, why), 0, "alice_created");
    a = create_user(&w, "bob");
    is_int(propose(&w, &a, why), 0, "bob_created");
    a = allow("kind:user proc.spawn image:echo if limit.frames <= 256 and as == proposer");
    is_int(propose(&w, &a, why), 0, "spawn_rule_added");
    a = allow("kind:user proc.exit process if as == proposer");
    is_int(propose(&w, &a, why), 0, "exit_rule_added");
    a = allow("kind:user cap.grant fs if rights <= 3 and as == proposer");
    is_int(propose(&w, &a, why), 0, "grant_rule_added");
    memcpy(before, w.ax.st->root, 32);

    is_int(spawn(&w, "alice", "alice", 512, why), ZERR_DENIED, "spawn_beyond_policy_limit_denied");
    is_int(spawn(&w, "alice", "bob", 64, why), ZERR_PERM, "spawn_as_another_principal_refused");
    is_int(spawn(&w, "alice", "nobody", 64, why), ZERR_NOPRINCIPAL,
           "spawn_as_unknown_principal_refused");
    ok(memcmp(before, w.ax.st->root, 32) == 0 && w.ax.st->procs.spawned == 0,
       "refused_spawns_change_no_state");
    is_int(spawn(&w, "alice", "alice", 256, why), 0, "alice_spawns_echo_as_herself");
    ok(w.ax.st->procs.spawned == 1 && w.ax.st->procs.nlive == 1 &&
           strcmp(ax_proc_principal(w.ax.st, 1), "alice") == 0,
       "spawn_creates_process_1_as_alice");
    ok(memcmp(before, w.ax.st->root, 32) != 0, "spawn_changes_the_state_root");

    is_int(ax_cap_action(&a, AX_CAP_GRANT, "alice", 1, "fs", 3), 0, "grant_builds");
    is_int(propose(&w, &a, why), 0, "alice_grants_fs_to_her_process");
    is_int(ax_cap_action(&a, AX_CAP_GRANT, "alice", 1, "fs", 15), 0, "wide_grant_builds");
    is_int(propose(&w, &a, why), ZERR_DENIED, "grant_beyond_rule_rights_denied");
    is_int(ax_cap_action(&a, AX_CAP_GRANT, "bob", 1, "fs", 1), 0, "bob_grant_builds");
    is_int(propose(&w, &a, why), ZERR_DENIED, "bob_cannot_grant_to_alices_process");
    is_int(ax_cap_action(&a, AX_CAP_GRANT, "alice", 7, "fs", 1), 0, "grant_to_7_builds");
    is_int(propose(&w, &a, why), ZERR_NOENT, "grant_to_a_process_not_live_refused");

    is_int(ax_proc_exit_action(&a, "bob", 1, AX_PROC_EXITED, 0), 0, "bob_exit_builds");
    is_int(propose(&w, &a, why), ZERR_DENIED, "bob_cannot_end_alices_process");
    is_int(ax_proc_exit_action(&a, "alice", 1, AX_PROC_EXITED, 0), 0, "exit_builds");
    is_int(propose(&w, &a, why), 0, "process_1_exit_recorded");
    is_int(propose(&w, &a, why), ZERR_NOENT, "second_exit_of_process_1_refused");
    ok(w.ax.st->procs.exited == 1 && w.ax.st->procs.nlive == 0 && w.ax.st->procs.grants == 1,
       "state_counts_spawn_exit_and_grant");
    uint8_t map[AX_STATE_MAP_MAX];
    size_t len = 0;
    is_int(ax_state_root_map(w.ax.st, map, sizeof(map), &len), 0, "state_map_encodes");
    memcpy(after, w.ax.st->root, 32);
    is_int(axiom_commit(&w.ax), 0, "process_entries_commit");
    axiom_close(&w.ax);
    is_int(ax_world_open(&w), 0, "axiom_reopens_with_process_entries");
    ok(memcmp(w.ax.st->root, after, 32) == 0 && w.ax.st->procs.spawned == 1 &&
           w.ax.st->procs.exited == 1,
       "replay_reaches_the_same_processes_and_root");
    is_int(spawn(&w, "alice", "alice", 8, why), 0, "next_spawn_after_reopen");
    ok(ax_proc_principal(w.ax.st, 2) != NULL, "next_spawn_is_process_2");
    axiom_close(&w.ax);
    free(w.mem);
}

int main(void)
{
    tap_no_plan();
    test_codec();
    test_entries();
    return tap_done();
}
