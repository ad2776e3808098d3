/*
 * The service runtime (hosted dispatch): registration, the capability check
 * of every call (empty, out-of-range, wrong-right and revoked handles), the
 * badge a callee sees, the depth limit on nested calls, and the reply length
 * a handler leaves.
 */
#include <string.h>

#include "base/errors.h"
#include "svcrt/runtime.h"
#include "tap.h"

static struct rt rt;

/* A service that records how it was called. */
struct probe {
    int calls;
    uint64_t badge;
    int ret;
};

static int probe_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct probe *p = self;

    p->calls++;
    p->badge = badge;
    m->out_len = m->out_cap;
    return p->ret;
}

/* A service that calls the capability in its own slot 1, nesting without end. */
static int recurse_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    int *me = self;

    (void)badge;
    return rt_call(&rt, (uint32_t)*me, 1, m);
}

static void test_register(void)
{
    struct probe p = {0, 0, 0};

    rt_init(&rt);
    is_int(rt_register(&rt, "a", &p, probe_handle), 0, "runtime_first_service_gets_id_0");
    is_int(rt_register(&rt, "b", &p, probe_handle), 1, "runtime_ids_are_given_in_order");
    is_int(rt_register(&rt, "nohandler", &p, NULL), ZERR_INVAL,
           "runtime_refuses_a_service_without_handler");
    for (int i = 2; i < RT_MAX_SERVICES; i++) {
        (void)rt_register(&rt, "filler", &p, probe_handle);
    }
    is_int(rt_register(&rt, "one too many", &p, probe_handle), ZERR_FULL,
           "runtime_refuses_a_service_past_the_limit");
    is_int(rt_grant(&rt, 0, RT_MAX_SERVICES, 0, 0), ZERR_INVAL,
           "runtime_grant_to_unknown_client_is_invalid");
    is_int(rt_grant(&rt, RT_MAX_SERVICES, 0, 0, 0), ZERR_INVAL,
           "runtime_grant_from_unknown_server_is_invalid");
    is_int(rt_revoke_all(&rt, RT_MAX_SERVICES), ZERR_INVAL,
           "runtime_revoke_of_unknown_server_is_invalid");
}

static void test_calls(void)
{
    struct probe server = {0, 0, 42};
    struct probe client = {0, 0, 0};
    uint8_t reply[8];
    struct rt_msg m = {1, NULL, 0, reply, sizeof(reply), 99};

    rt_init(&rt);
    int s = rt_register(&rt, "server", &server, probe_handle);
    int c = rt_register(&rt, "client", &client, probe_handle);
    int h = rt_grant(&rt, (uint32_t)s, (uint32_t)c, CAP_RIGHT_WRITE, 0x5a);
    ok(h > 0, "runtime_grant_gives_the_client_a_handle");
    is_int(rt_call(&rt, (uint32_t)c, (uint32_t)h, &m), 42,
           "runtime_call_returns_the_handler_result");
    ok(server.calls == 1 && server.badge == 0x5a,
       "runtime_callee_sees_the_badge_of_the_capability");
    is_int((int64_t)m.out_len, sizeof(reply), "runtime_reply_length_is_what_the_handler_set");

    is_int(rt_call(&rt, (uint32_t)c, RT_SLOTS - 1, &m), ZERR_BADCAP,
           "runtime_empty_slot_is_badcap");
    is_int(rt_call(&rt, (uint32_t)c, RT_SLOTS, &m), ZERR_BADCAP,
           "runtime_handle_past_the_cspace_is_badcap");
    is_int(rt_call(&rt, (uint32_t)c, UINT32_MAX, &m), ZERR_BADCAP, "runtime_huge_handle_is_badcap");
    is_int(rt_call(&rt, RT_MAX_SERVICES, 0, &m), ZERR_INVAL, "runtime_unknown_caller_is_invalid");

    int ro = rt_grant(&rt, (uint32_t)s, (uint32_t)c, CAP_RIGHT_READ, 0);
    server.calls = 0;
    is_int(rt_call(&rt, (uint32_t)c, (uint32_t)ro, &m), ZERR_PERM,
           "runtime_call_without_write_right_is_perm");
    is_int(server.calls, 0, "runtime_refused_call_never_reaches_the_handler");

    is_int(rt_revoke_all(&rt, (uint32_t)s), 2,
           "runtime_revoke_all_removes_both_derived_capabilities");
    is_int(rt_call(&rt, (uint32_t)c, (uint32_t)h, &m), ZERR_BADCAP,
           "runtime_call_through_a_revoked_capability_is_badcap");
    is_int(rt_call(&rt, (uint32_t)s, 0, &m), 42, "runtime_revoke_keeps_the_servers_own_endpoint");
}

static void test_depth(void)
{
    int id = 0;
    struct rt_msg m = {1, NULL, 0, NULL, 0, 0};

    rt_init(&rt);
    id = rt_register(&rt, "loop", &id, recurse_handle);
    is_int(rt_grant(&rt, (uint32_t)id, (uint32_t)id, CAP_RIGHT_WRITE, 0), 1,
           "runtime_service_may_hold_a_capability_to_itself");
    is_int(rt_call(&rt, (uint32_t)id, 1, &m), ZERR_LIMIT,
           "runtime_calls_nested_past_the_limit_fail_with_limit");
    is_int(rt.depth, 0, "runtime_depth_unwinds_after_a_refused_nesting");
}

int main(void)
{
    tap_no_plan();
    test_register();
    test_calls();
    test_depth();
    return tap_done();
}
