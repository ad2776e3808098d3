/*
 * The supervisor's decisions (services/init/supervisor) under a fake
 * clock: back-off, its reset after a healthy run, the hold after the
 * intensity and svc restart, dependencies before dependents.
 */
#include <string.h>

#include "base/errors.h"
#include "services/init/supervisor/supervisor.h"
#include "tap.h"

static const struct sv_exit crash = {.kind = SV_EXIT_FAULT, .fault_kind = 14, .fault_addr = 0};

/* Starts whatever is due at now (as the caller would); returns how many. */
static int start_due(struct sv *sv, uint64_t now, uint64_t *pid)
{
    struct sv_action act;
    int n = 0;

    for (;;) {
        sv_next(sv, now, &act);
        if (act.kind != SV_ACT_START) {
            return n;
        }
        sv_started(sv, act.svc, ++*pid, now);
        n++;
    }
}

static struct sv three(void)
{
    static const char *const on_axiom[] = {"axiom"};
    static const char *const on_both[] = {"axiom", "policy"};
    struct sv_policy p;
    struct sv sv;

    sv_policy_default(&p);
    (void)sv_init(&sv, &p);
    (void)sv_add(&sv, "axiom", true, NULL, 0);
    (void)sv_add(&sv, "policy", true, on_axiom, 1);
    (void)sv_add(&sv, "terminal", true, on_both, 2);
    return sv;
}

static void test_add(void)
{
    static const char *const bad[] = {"nope"};
    struct sv sv = three();

    is_int(sv_add(&sv, "axiom", true, NULL, 0), ZERR_EXIST, "sv_add_refuses_a_duplicate");
    is_int(sv_add(&sv, "x", true, bad, 1), ZERR_NOENT, "sv_add_refuses_an_unknown_dependency");
    is_int(sv_add(&sv, "", true, NULL, 0), ZERR_INVAL, "sv_add_refuses_an_empty_name");
    is_int(sv_add(&sv, "a-name-too-long-1", true, NULL, 0), ZERR_INVAL,
           "sv_add_refuses_a_long_name");
    struct sv_policy p;
    sv_policy_default(&p);
    p.intensity = 0;
    is_int(sv_init(&sv, &p), ZERR_INVAL, "sv_init_refuses_intensity_0");
}

static void test_first_start_in_order(void)
{
    struct sv sv = three();
    struct sv_action act;
    uint64_t pid = 0;

    sv_next(&sv, 0, &act);
    ok(act.kind == SV_ACT_START && act.svc == 0 && !act.restart, "first_start_is_axiom");
    sv_next(&sv, 0, &act);
    is_int(act.kind, SV_ACT_NONE, "policy_waits_for_axiom_to_run");
    sv_started(&sv, 0, ++pid, 0);
    is_int(start_due(&sv, 0, &pid), 2, "then_policy_and_terminal_start");
    is_str(sv_state_name(sv.s[2].state), "running", "terminal_runs");
}

static void test_backoff_doubles_then_holds(void)
{
    struct sv sv = three();
    uint64_t pid = 0, now = 0, delay = 0, want = SV_BACKOFF_MIN_MS;
    int fine = 1;

    start_due(&sv, now, &pid);
    for (int k = 0; k < SV_INTENSITY; k++) {
        now += 5; /* crashes soon after it starts */
        fine &= sv_exited(&sv, 0, &crash, now, &delay) == SV_RESTART && delay == want;
        fine &= sv_deadline(&sv) == now + delay;
        fine &= start_due(&sv, now + delay - 1, &pid) == 0; /* not early */
        now += delay;
        fine &= start_due(&sv, now, &pid) == 1;
        want *= 2;
    }
    ok(fine, "crash_loop_restarts_after_100_200_400_800_1600_ms");
    is_int(sv.s[0].restarts, SV_INTENSITY, "five_restarts_counted");
    is_int(sv_exited(&sv, 0, &crash, now + 5, &delay), SV_HOLD, "sixth_crash_in_60_s_holds");
    is_str(sv.s[0].reason, "5 restarts in 60 s", "hold_reason_says_why");
    is_int(start_due(&sv, now + 1000000, &pid), 0, "held_service_never_starts_by_itself");
    is_int(sv_deadline(&sv), UINT64_MAX, "nothing_due_while_held");
    is_int(sv_restart(&sv, 0, now + 1000000), 0, "svc_restart_of_held_service");
    is_int(start_due(&sv, now + 1000000, &pid), 1, "svc_restart_unholds_at_once");
    is_int(sv.s[0].state, SV_RUNNING, "unheld_service_runs");
    is_int(sv_exited(&sv, 0, &crash, now + 1000005, &delay), SV_RESTART,
           "after_unhold_a_crash_restarts_again");
    is_int(delay, SV_BACKOFF_MIN_MS, "after_unhold_back_off_starts_over");
}

static void test_backoff_caps_and_resets(void)
{
    struct sv_policy p;
    struct sv sv;
    uint64_t pid = 0, now = 0, delay = 0;

    sv_policy_default(&p);
    p.intensity = SV_INTENSITY_MAX;
    p.period_ms = 1;
    (void)sv_init(&sv, &p);
    (void)sv_add(&sv, "keys", true, NULL, 0);
    start_due(&sv, now, &pid);
    for (int k = 0; k < 12; k++) {
        now += 5;
        (void)sv_exited(&sv, 0, &crash, now, &delay);
        now += delay;
        start_due(&sv, now, &pid);
    }
    is_int(delay, SV_BACKOFF_MAX_MS, "back_off_stops_at_30_s");
    now += SV_HEALTHY_MS;
    (void)sv_exited(&sv, 0, &crash, now, &delay);
    is_int(delay, SV_BACKOFF_MIN_MS, "healthy_run_resets_back_off");
}

static void test_not_restartable(void)
{
    struct sv_policy p;
    struct sv sv;
    uint64_t pid = 0, delay = 0;
    const struct sv_exit done = {.kind = SV_EXIT_STATUS, .status = 3};
    char line[64];

    sv_policy_default(&p);
    (void)sv_init(&sv, &p);
    (void)sv_add(&sv, "once", false, NULL, 0);
    start_due(&sv, 0, &pid);
    is_int(sv_exited(&sv, 0, &done, 10, &delay), SV_STOP, "not_restartable_stops");
    is_int(start_due(&sv, 100000, &pid), 0, "stopped_stays_down");
    sv_exit_describe(&sv.s[0].last, line, sizeof(line));
    is_str(line, "exit 3", "last_exit_is_kept");
    sv_exit_describe(&crash, line, sizeof(line));
    is_str(line, "fault 14 at 0x0", "fault_is_described");
}

static void test_dependencies_first(void)
{
    struct sv sv = three();
    struct sv_action act;
    uint64_t pid = 0, delay = 0, now = 0;

    start_due(&sv, now, &pid);
    now = 50000;
    /* axiom and terminal die together: terminal waits for axiom */
    (void)sv_exited(&sv, 2, &crash, now, &delay);
    (void)sv_exited(&sv, 0, &crash, now, &delay);
    now += 10000;
    sv_next(&sv, now, &act);
    ok(act.kind == SV_ACT_START && act.svc == 0 && act.restart, "axiom_restarts_first");
    sv_next(&sv, now, &act);
    is_int(act.kind, SV_ACT_NONE, "terminal_waits_until_axiom_runs");
    sv_started(&sv, 0, ++pid, now);
    sv_next(&sv, now, &act);
    ok(act.kind == SV_ACT_START && act.svc == 2, "then_terminal_restarts");
    sv_started(&sv, 2, ++pid, now);
    sv_next(&sv, now, &act);
    ok(act.kind == SV_ACT_NOTIFY && act.svc == 1 && act.about == 0,
       "running_policy_is_told_axiom_is_back");
    sv_next(&sv, now, &act);
    is_int(act.kind, SV_ACT_NONE, "a_restarted_dependent_is_not_told");
}

static void test_restart_running(void)
{
    struct sv sv = three();
    struct sv_action act;
    uint64_t pid = 0, delay = 0;
    const struct sv_exit killed = {.kind = SV_EXIT_KILLED};

    start_due(&sv, 0, &pid);
    is_int(sv_restart(&sv, 1, 100), 1, "svc_restart_of_running_asks_for_a_kill");
    is_int(sv_exited(&sv, 1, &killed, 101, &delay), SV_RESTART, "its_end_restarts");
    is_int(delay, 0, "at_once");
    sv_next(&sv, 101, &act);
    ok(act.kind == SV_ACT_START && act.svc == 1 && act.manual, "start_is_marked_manual");
    is_int(sv.s[1].nrecent, 0, "manual_restart_is_not_counted_against_intensity");
}

int main(void)
{
    tap_plan(36);
    test_add();
    test_first_start_in_order();
    test_backoff_doubles_then_holds();
    test_backoff_caps_and_resets();
    test_not_restartable();
    test_dependencies_first();
    test_restart_running();
    return tap_done();
}
