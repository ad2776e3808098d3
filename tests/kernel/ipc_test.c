/*
 * Hosted tests of the portable scheduler and IPC state machine
 * (kernel/sched.c, endpoint.c, notification.c, irq.c, timer.c), with the architecture layer
 * stubbed: the calling CPU is cpu0, whose "switch" only changes the current thread; a second CPU
 * (cpu1, online when stub_ncpus is 2) checks placement, stealing, affinity and reschedule IPIs.
 */
#include <stdlib.h>
#include <string.h>

#include "base/assert.h"
#include "base/errors.h"
#include "zero/abi.h"
#include "kernel/kernel.h"
#include "kernel/thread_queue.h"
#include "tap.h"

static struct cpu cpu0;
static struct cpu cpu1;
static uint32_t stub_ncpus = 1;
static int last_ipi = -1; /* id of the CPU the last reschedule IPI went to */
static struct proc pa;
static struct proc pb;
static struct thread th[4];
static int obj_gets;
static uint32_t unmasked_irq = UINT32_MAX;
struct spinlock kernel_lock;

struct cpu *arch_cpu(void)
{
    return &cpu0;
}

void arch_switch_to(struct thread *prev, struct thread *next)
{
    (void)prev;
    cpu0.current = next;
}

void arch_irq_unmask(uint32_t irq)
{
    unmasked_irq = irq;
}

/* kernel/proc.c's cap_copy, counting the object references it takes. */
int cap_copy(struct cap_space *from, uint32_t src, struct cap_space *to, uint32_t dst,
             uint32_t rights, uint64_t badge)
{
    int h = cap_derive(from, src, to, dst, rights, badge);
    if (h >= 0) {
        obj_gets++;
    }
    return h;
}

void spin_unlock(struct spinlock *l)
{
    l->locked = 0;
}

struct cpu *arch_cpu_by_id(uint32_t id)
{
    return id == 1 ? &cpu1 : &cpu0;
}

uint64_t arch_time_ticks(void)
{
    return cpu0.ticks;
}

uint32_t arch_cpu_count(void)
{
    return stub_ncpus;
}

void arch_resched_ipi(const struct cpu *c)
{
    last_ipi = (int)c->id;
}

void arch_switch_out(struct thread *t)
{
    t->on_cpu = false;
    if (cpu0.current == t) {
        cpu0.current = NULL;
    }
}

void aspace_switch(struct cpu *c, struct aspace *as)
{
    c->as = as;
}

_Noreturn void arch_return_to_user(void)
{
    abort();
}

void kernel_idle(void)
{
    abort();
}

/* Fresh CPU, two processes, four threads; th[0] runs (in pa), the others are idle. */
static void reset(void)
{
    memset(&cpu0, 0, sizeof(cpu0));
    memset(&cpu1, 0, sizeof(cpu1));
    cpu1.id = 1;
    stub_ncpus = 1;
    last_ipi = -1;
    memset(th, 0, sizeof(th));
    pa.pid = 1;
    pb.pid = 2;
    cap_space_init(&pa.cspace, pa.slots, PROC_CSLOTS, 1);
    cap_space_init(&pb.cspace, pb.slots, PROC_CSLOTS, 2);
    for (int i = 0; i < 4; i++) {
        th[i].proc = i % 2 == 0 ? &pa : &pb;
        th[i].tid = (uint32_t)i;
        th[i].prio = PRIO_DEFAULT;
        th[i].state = TS_DEAD; /* "not runnable yet" */
        th[i].xfer_cap = CAP_NONE;
        th[i].cpu = NO_CPU;
    }
    th[0].state = TS_RUNNING;
    cpu0.current = &th[0];
    obj_gets = 0;
}

/* sched_pick as sched_run uses it: the picked thread then runs. */
static struct thread *pick(void)
{
    struct thread *t = sched_pick(&cpu0);
    if (t != NULL) {
        t->state = TS_DEAD;
    }
    return t;
}

static void test_sched(void)
{
    reset();
    th[1].prio = 5;
    th[2].prio = 12;
    th[3].prio = 12;
    sched_ready(&th[1]);
    ok(!cpu0.need_resched, "lower_priority_ready_does_not_preempt");
    sched_ready(&th[2]);
    ok(cpu0.need_resched, "higher_priority_ready_asks_for_reschedule");
    sched_ready(&th[3]);
    ok(pick() == &th[2], "pick_takes_highest_priority_first");
    ok(pick() == &th[3], "pick_is_fifo_within_a_priority");
    ok(pick() == &th[1], "pick_falls_back_to_lower_priority");
    ok(pick() == NULL, "pick_on_empty_queues_is_null");
    sched_ready(&th[1]);
    sched_ready(&th[3]);
    sched_unready(&th[1]);
    ok(pick() == &th[3] && pick() == NULL, "unready_removes_a_thread");
    th[0].ticks_left = 1;
    sched_tick();
    ok(cpu0.need_resched && cpu0.ticks == 1, "tick_ends_the_time_slice");
}

/* Two CPUs: th[0] runs on cpu0, cpu1 idles. */
static void test_placement(void)
{
    reset();
    stub_ncpus = 2;
    sched_ready(&th[1]);
    ok(th[1].cpu == 1 && last_ipi == 1, "new_thread_goes_to_idle_cpu_and_wakes_it");
    last_ipi = -1;
    sched_ready(&th[2]);
    ok(th[2].cpu == 0 && last_ipi == -1, "new_thread_on_equal_load_stays_on_creating_cpu");
    th[3].cpu = 0;
    sched_ready(&th[3]);
    ok(th[3].cpu == 0, "woken_thread_returns_to_its_cpu_when_no_cpu_idles");
    ok(sched_pick(&cpu1) == &th[1], "cpu_picks_its_own_queue_first");
    ok(sched_pick(&cpu1) == &th[2], "idle_cpu_steals_a_ready_thread");
    th[3].affinity = 1;
    ok(sched_pick(&cpu1) == NULL, "idle_cpu_does_not_steal_a_thread_pinned_elsewhere");
    is_int(sched_set_affinity(&th[3], 2), 0, "affinity_to_cpu_1");
    ok(th[3].cpu == 1 && th[3].state == TS_READY && cpu0.nready == 0 && cpu1.nready == 1,
       "ready_thread_moves_to_its_new_cpu");
    is_int(sched_set_affinity(&th[3], 4), ZERR_INVAL, "affinity_to_offline_cpu_only_is_refused");
    th[0].affinity = 2;
    is_int(sched_set_affinity(&th[0], 2), 0, "running_thread_may_be_repinned");
    ok(cpu0.need_resched, "repinned_running_thread_asks_its_cpu_to_reschedule");
}

/* A call whose server may not run on the caller's CPU is queued on the server's CPU. */
static void test_cross_cpu_call(void)
{
    reset();
    stub_ncpus = 2;
    struct endpoint *e = endpoint_alloc();
    ZASSERT(e != NULL, "endpoint pool has room in tests");
    th[1].state = TS_RUNNING;
    th[1].affinity = 2;
    ipc_recv(&th[1], e);
    th[0].is_call = true;
    ok(!ipc_send(&th[0], e), "call_to_server_pinned_elsewhere_blocks_caller");
    ok(th[1].state == TS_READY && th[1].cpu == 1 && last_ipi == 1,
       "server_queued_on_its_cpu_and_woken");
    ok(th[0].state == TS_REPLY && th[1].reply_to == &th[0], "caller_waits_for_remote_reply");
    endpoint_put(e);
}

static struct endpoint *fresh_endpoint(void)
{
    struct endpoint *e = endpoint_alloc();
    ZASSERT(e != NULL, "endpoint pool has room in tests");
    return e;
}

static void test_send_recv(void)
{
    reset();
    struct endpoint *e = fresh_endpoint();
    /* th[1] (pb) waits to receive; th[0] sends. */
    cpu0.current = &th[1];
    th[1].state = TS_RUNNING;
    ok(!ipc_recv(&th[1], e) && th[1].state == TS_RECV, "recv_without_sender_blocks");
    cpu0.current = &th[0];
    th[0].msg[0] = 11;
    th[0].msg[3] = 44;
    th[0].badge = 7;
    th[0].is_call = false;
    ok(ipc_send(&th[0], e), "send_to_waiting_receiver_keeps_sender_running");
    ok(th[1].state == TS_READY, "send_wakes_receiver");
    ok(th[1].frame.rdx == 11 && th[1].frame.r9 == 44 && th[1].frame.rdi == 7,
       "receiver_gets_message_and_badge");
    ok(th[1].frame.rsi == ZERO_CAP_NONE, "no_capability_without_transfer");

    /* Send with nobody waiting queues the sender; a receive then takes it. */
    th[0].msg[0] = 99;
    ok(!ipc_send(&th[0], e) && th[0].state == TS_SEND, "send_without_receiver_blocks");
    th[2].state = TS_RUNNING;
    cpu0.current = &th[2];
    ok(ipc_recv(&th[2], e), "recv_with_queued_sender_returns_at_once");
    ok(th[2].frame.rdx == 99 && th[0].state == TS_READY, "queued_sender_delivers_and_wakes");
    endpoint_put(e);
}

static void test_call_reply(void)
{
    reset();
    struct endpoint *e = fresh_endpoint();
    th[1].state = TS_RUNNING;
    ipc_recv(&th[1], e);
    cpu0.current = &th[0];
    th[0].is_call = true;
    th[0].msg[0] = 5;
    ok(ipc_send(&th[0], e), "call_takes_fast_path");
    ok(cpu0.current == &th[1] && th[1].state == TS_RUNNING, "call_switches_straight_to_server");
    ok(th[0].state == TS_REPLY && th[1].reply_to == &th[0], "caller_waits_for_reply");
    uint64_t reply[MSG_WORDS] = {6, 0, 0, 9};
    ok(ipc_reply(&th[1], reply) == &th[0], "reply_finds_caller");
    ok(th[0].frame.rdx == 6 && th[0].frame.r9 == 9 && th[0].frame.rax == 0,
       "caller_gets_reply_message");
    ok(th[1].reply_to == NULL && ipc_reply(&th[1], reply) == NULL, "reply_is_one_shot");

    /* A server that dies leaves its caller an error, not a hang. */
    th[0].state = TS_RUNNING;
    cpu0.current = &th[1];
    ipc_recv(&th[1], e);
    cpu0.current = &th[0];
    ipc_send(&th[0], e);
    ipc_cancel(&th[1]);
    ok(th[0].state == TS_READY && (int64_t)th[0].frame.rax == ZERR_NOENT,
       "server_death_wakes_caller_with_error");
    endpoint_put(e);
}

static void test_second_call_replaces_reply(void)
{
    reset();
    struct endpoint *e = fresh_endpoint();
    th[0].is_call = true;
    th[2].is_call = true;
    th[2].state = TS_RUNNING;
    ipc_send(&th[0], e);
    ipc_send(&th[2], e);
    th[1].state = TS_RUNNING;
    cpu0.current = &th[1];
    ipc_recv(&th[1], e);
    ipc_recv(&th[1], e);
    ok(th[1].reply_to == &th[2], "server_answers_latest_caller");
    ok(th[0].state == TS_READY && (int64_t)th[0].frame.rax == ZERR_NOENT,
       "unanswered_caller_gets_error");
    endpoint_put(e);
}

static void test_cap_transfer(void)
{
    reset();
    struct endpoint *e = fresh_endpoint();
    struct cap n = {.type = CAP_NOTIFICATION, .rights = CAP_RIGHTS_ALL, .badge = 0, .obj = 1};
    int h = cap_insert(&pa.cspace, 9, &n);
    th[1].state = TS_RUNNING;
    ipc_recv(&th[1], e);
    th[0].xfer_cap = (uint32_t)h;
    ipc_send(&th[0], e);
    uint64_t got = th[1].frame.rsi;
    ok(got != ZERO_CAP_NONE && pb.cspace.slots[got].cap.type == CAP_NOTIFICATION,
       "transfer_places_cap_in_receiver_space");
    is_int(obj_gets, 1, "transfer_takes_an_object_reference");
    is_int(cap_descendants(&pa.cspace, 9), 1, "transferred_cap_is_a_child_of_the_sender_cap");
    endpoint_put(e);
}

static void test_endpoint_death(void)
{
    reset();
    struct endpoint *e = fresh_endpoint();
    th[1].state = TS_RUNNING;
    ipc_recv(&th[1], e);
    endpoint_put(e);
    ok(th[1].state == TS_READY && (int64_t)th[1].frame.rax == ZERR_BADCAP,
       "last_reference_wakes_receivers_with_badcap");
    ok(!e->live, "endpoint_returns_to_pool");
}

static void test_notifications(void)
{
    reset();
    struct notification *n = notification_alloc();
    notification_signal(n, 1);
    notification_signal(n, 4);
    ok(notification_wait(&th[0], n, true) && th[0].frame.rdi == 5, "pending_bits_return_at_once");
    ok(n->bits == 0, "wait_clears_bits");
    ok(notification_wait(&th[0], n, false) && th[0].frame.rdi == 0, "poll_never_blocks");
    ok(!notification_wait(&th[0], n, true) && th[0].state == TS_NOTIFY, "wait_without_bits_blocks");
    notification_signal(n, 2);
    ok(th[0].state == TS_READY && th[0].frame.rdi == 2, "signal_wakes_waiter_with_bits");
    is_int(irq_bind(3, n, 8), 0, "irq_bind");
    is_int(unmasked_irq, 3, "irq_bind_unmasks");
    irq_dispatch(3);
    is_int(n->bits, 8, "irq_signals_bound_notification");
    is_int(irq_bind(MAX_IRQS, n, 1), ZERR_RANGE, "irq_bind_rejects_unknown_irq");
}

static void test_timers(void)
{
    reset();
    struct notification *n = notification_alloc();
    uint32_t refs = n->refs;
    is_int(timer_arm(&pa, n, 2, 5), 0, "timer_arm");
    is_int(n->refs, refs + 1, "armed_timer_holds_a_reference");
    timer_expire(4);
    is_int(n->bits, 0, "timer_waits_for_its_deadline");
    timer_expire(5);
    ok(n->bits == 2 && n->refs == refs, "timer_fires_once_and_lets_go");
    for (int i = 0; i < TIMERS_PER_PROC; i++) {
        timer_arm(&pa, n, 1, 100);
    }
    is_int(timer_arm(&pa, n, 1, 100), ZERR_LIMIT, "timers_per_process_are_limited");
    is_int(timer_arm(&pb, n, 1, 100), 0, "another_process_still_arms");
    timer_expire(100);
    is_int(n->refs, refs, "expired_timers_release_their_notification");
    n->bits = 0;
    for (int i = 0; i < TIMERS_PER_PROC; i++) {
        timer_arm(&pa, n, 1, 1000);
    }
    timer_arm(&pb, n, 4, 1000);
    timer_cancel(&pa);
    is_int(n->refs, refs + 1, "cancel_drops_only_that_process_timers");
    is_int(timer_arm(&pa, n, 1, 1000), 0, "cancelled_timers_no_longer_count");
    timer_cancel(&pa);
    timer_expire(1000);
    ok(n->bits == 4, "cancelled_timers_never_signal");
    for (int i = 0; i < TIMERS_PER_PROC; i++) {
        timer_arm(&pa, n, 1, 2000);
    }
    pa.pid = 3; /* a new process in the same struct proc */
    is_int(timer_arm(&pa, n, 1, 2000), 0, "limit_counts_a_process_not_its_struct");
    timer_expire(2000);
    is_int(n->refs, refs, "every_timer_released");
}

/*
 * The fast paths (ipc_call_fast, ipc_reply_recv_fast, and their _shared
 * forms under the endpoint lock): a round trip frame to frame, and each
 * case they must leave to the general path untouched.
 */
static void test_fast_paths(void)
{
    reset();
    struct endpoint *e = fresh_endpoint();
    th[0].cpu = 0;
    th[0].frame.rdx = 21;
    th[0].frame.r9 = 24;
    ok(!ipc_call_fast(&th[0], &th[0].frame, e, 3) && th[0].state == TS_RUNNING,
       "call_fast_declines_without_receiver");
    th[1].state = TS_RUNNING;
    ipc_recv(&th[1], e);
    th[1].affinity = 2;
    ok(!ipc_call_fast(&th[0], &th[0].frame, e, 3) && e->receivers.head == &th[1],
       "call_fast_declines_receiver_pinned_elsewhere");
    th[1].affinity = 0;
    th[1].reply_to = &th[2];
    ok(!ipc_call_fast(&th[0], &th[0].frame, e, 3) && th[1].state == TS_RECV,
       "call_fast_declines_receiver_with_unanswered_caller");
    th[1].reply_to = NULL;
    ok(ipc_call_shared(&th[0], &th[0].frame, e, 3) && e->lock == 0, "call_fast_taken_and_unlocks");
    ok(cpu0.current == &th[1] && th[1].state == TS_RUNNING && th[0].state == TS_REPLY &&
           th[1].reply_to == &th[0] && th[0].reply_from == &th[1] && th[1].ep == NULL,
       "call_fast_switches_to_server_and_links_the_reply");
    ok(th[1].frame.rdx == 21 && th[1].frame.r9 == 24 && th[1].frame.rdi == 3 &&
           th[1].frame.rsi == ZERO_CAP_NONE && th[1].frame.rax == 0,
       "call_fast_moves_message_frame_to_frame");
    th[1].cpu = 0;
    th[1].frame.rdx = 31;
    th[2].state = TS_SEND; /* a queued sender: the reply-receive takes the general path */
    tq_push(&e->senders, &th[2]);
    ok(!ipc_reply_recv_fast(&th[1], &th[1].frame, e, 5) && th[1].reply_to == &th[0],
       "reply_recv_fast_declines_with_sender_queued");
    tq_remove(&e->senders, &th[2]);
    th[0].affinity = 2;
    ok(!ipc_reply_recv_fast(&th[1], &th[1].frame, e, 5) && th[0].state == TS_REPLY,
       "reply_recv_fast_declines_caller_pinned_elsewhere");
    th[0].affinity = 0;
    ok(ipc_reply_recv_shared(&th[1], &th[1].frame, e, 5) && e->lock == 0,
       "reply_recv_fast_taken_and_unlocks");
    ok(cpu0.current == &th[0] && th[0].state == TS_RUNNING && th[0].frame.rdx == 31 &&
           th[0].frame.rax == 0 && th[0].reply_from == NULL,
       "reply_recv_fast_answers_and_switches_to_caller");
    ok(th[1].state == TS_RECV && e->receivers.head == &th[1] && th[1].ep == e &&
           th[1].ep_cap == 5 && th[1].reply_to == NULL,
       "reply_recv_fast_leaves_server_waiting");
    ok(!ipc_reply_recv_fast(&th[0], &th[0].frame, e, 5), "reply_recv_fast_declines_without_caller");
    endpoint_put(e);
}

int main(void)
{
    tap_no_plan();
    test_sched();
    test_placement();
    test_cross_cpu_call();
    test_send_recv();
    test_call_reply();
    test_fast_paths();
    test_second_call_replaces_reply();
    test_cap_transfer();
    test_endpoint_death();
    test_notifications();
    test_timers();
    return tap_done();
}
