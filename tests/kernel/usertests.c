/*
 * usertests: the kernel's user-space test suite, in the spirit of xv6's.
 *
 * Runs as init (boot module 0) and spawns itself (module 0) in other roles:
 * an IPC server, processes that attack memory they must not reach, a
 * spinner, a syscall fuzzer.  Prints TAP on the console and ends the
 * machine through isa-debug-exit with 0 when every test passed.
 */
#include "base/errors.h"
#include "base/string.h"
#include "hal/hal.h"
#include "tests/tap.h"
#include "zero/zero.h"

enum role {
    R_MAIN,
    R_SERVER,
    R_READ_OTHER,
    R_READ_KERNEL,
    R_WRITE_KERNEL,
    R_WRITE_TEXT,
    R_EXEC_DATA,
    R_PRIVILEGED,
    R_NULL_DEREF,
    R_SPIN,
    R_FUZZ,
    R_TIMERS_EXIT,
    R_TIMERS_BLOCK,
    R_QUEUED_SEND,
    R_QUEUED_RECV,
    R_UART_REGS,
    R_QUOTA_CHILD,
    R_TWO_THREADS,
};

enum op { OP_ECHO = 1, OP_SIGNAL_CAP, OP_KEEP_CAP, OP_CHECK_KEPT, OP_EXIT, OP_SHARED_FRAME };

#define SECRET_VA 0x20000000ull
#define SCRATCH_VA 0x10000000ull
#define STACK_VA 0x30000000ull
#define SERVER_MAP_VA 0x50000000ull
#define KERNEL_VA 0xffffffff80200000ull
#define PIT_BASE 0x40
#define THREAD_SEND 3 /* SYS_CAP_INFO states of a thread queued to send, to receive */
#define THREAD_RECV 4

static volatile uint64_t worker_count;

void tap_emit(const char *s, size_t n)
{
    zero_write(s, n);
}

static int64_t derive(uint64_t src, uint64_t rights, uint64_t badge)
{
    return zsys4(SYS_CAP_DERIVE, src, ZERO_SLOT_ANY, rights, badge);
}

static int64_t cap_info(uint64_t h, struct zsys *out)
{
    struct zsys r = {SYS_CAP_INFO, h, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    if (out != NULL) {
        *out = r;
    }
    return (int64_t)r.rax;
}

static int64_t spawn(enum role role, uint64_t ep, uint64_t exit_ntfn)
{
    return zsys4(SYS_SPAWN, 0, role, ep, exit_ntfn);
}

/* Waits for the child behind thread cap th to end; returns its exit status. */
static int64_t wait_child(uint64_t exit_ntfn, int64_t th)
{
    uint64_t bits = 0;
    struct zsys info;
    for (;;) {
        if (cap_info((uint64_t)th, &info) == 0 && info.r10 == ZERO_THREAD_DEAD) {
            break;
        }
        zero_wait(exit_ntfn, &bits, 1);
    }
    zsys3(SYS_CAP_DELETE, (uint64_t)th, 0, 0);
    return (int64_t)info.r8;
}

/* ---- roles run by children ----------------------------------------------- */

static void server_op(struct zmsg *m, uint64_t *kept)
{
    struct zsys info;
    uint64_t op = m->w[0];
    uint64_t arg = m->w[1];
    uint64_t badge = m->badge;
    uint32_t cap = m->cap;
    m->w[0] = m->w[1] = m->w[2] = m->w[3] = 0;
    if (op == OP_ECHO) {
        m->w[0] = arg + 1;
        m->w[1] = badge;
    } else if (op == OP_SIGNAL_CAP) {
        m->w[0] = (uint64_t)zero_signal(cap);
        m->w[1] = cap_info(cap, &info) == 0 ? info.rdi : 0;
    } else if (op == OP_KEEP_CAP) {
        *kept = cap;
        m->w[0] = cap != ZERO_CAP_NONE;
    } else if (op == OP_CHECK_KEPT) {
        m->w[0] = (uint64_t)cap_info(*kept, NULL);
    } else if (op == OP_SHARED_FRAME) {
        int64_t r = zsys4(SYS_MAP, ZERO_SLOT_ASPACE, cap, SERVER_MAP_VA, ZERO_MAP_WRITE);
        if (r == 0) {
            volatile uint64_t *p = (volatile uint64_t *)SERVER_MAP_VA;
            p[1] = p[0] * 2;
            r = zsys3(SYS_UNMAP, cap, 0, 0);
        }
        m->w[0] = (uint64_t)r;
    }
}

static int run_server(void)
{
    struct zmsg m = {0};
    uint64_t kept = ZERO_CAP_NONE;
    int64_t r = zero_recv(ZERO_SLOT_EP, &m);
    while (r == 0) {
        if (m.w[0] == OP_EXIT) {
            zsys4(SYS_REPLY, 0, 0, 0, 0);
            return 0;
        }
        server_op(&m, &kept);
        r = zero_reply_recv(ZERO_SLOT_EP, &m);
    }
    return (int)r;
}

static uint64_t fuzz_value(uint64_t *seed)
{
    static const uint64_t special[] = {
        0,
        1,
        2,
        5,
        255,
        256,
        0xffffffffull,
        0xffffffffffffffffull,
        KERNEL_VA,
        0x0000800000000000ull,
        0x0000000000400000ull,
        0x00007fffffffe000ull,
        1ull << 63,
    };
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t x = *seed >> 11;
    return (x & 3) == 0 ? x : special[x % (sizeof(special) / sizeof(special[0]))];
}

/* Random system calls with hostile arguments; skips calls that block or end us. */
static int run_fuzz(void)
{
    uint64_t seed = 12345;
    for (int i = 0; i < 4000; i++) {
        uint64_t nr = fuzz_value(&seed) % (SYS_COUNT + 4);
        switch (nr) {
        case SYS_DEBUG_WRITE:
        case SYS_EXIT:
        case SYS_SEND:
        case SYS_CALL:
        case SYS_RECV:
        case SYS_REPLY_RECV:
        case SYS_WAIT:
        case SYS_THREAD_CREATE:
        case SYS_THREAD_KILL:
        case SYS_PROC_KILL:
        case SYS_SPAWN:
        case SYS_SPAWN_LIMITED:
        case SYS_IOPORT_OUT:
        case SYS_CAP_DELETE:
        case SYS_CAP_REVOKE:
            continue;
        default:
            break;
        }
        struct zsys r = {nr,
                         fuzz_value(&seed),
                         fuzz_value(&seed),
                         fuzz_value(&seed),
                         fuzz_value(&seed),
                         fuzz_value(&seed),
                         fuzz_value(&seed)};
        zsys_raw(&r);
    }
    return 0;
}

static int run_attacker(enum role role)
{
    static const uint8_t ret_insn[16] = {0xc3};
    volatile uint64_t sink = 0;
    switch (role) {
    case R_READ_OTHER:
        sink = *(volatile uint64_t *)SECRET_VA;
        break;
    case R_READ_KERNEL:
        sink = *(volatile uint64_t *)KERNEL_VA;
        break;
    case R_WRITE_KERNEL:
        *(volatile uint64_t *)KERNEL_VA = 1;
        break;
    case R_WRITE_TEXT:
        *(volatile uint8_t *)(uintptr_t)&zero_main = 0xc3;
        break;
    case R_EXEC_DATA:
        ((void (*)(void))(uintptr_t)ret_insn)();
        break;
    case R_PRIVILEGED:
        __asm__ volatile("cli; hlt");
        break;
    case R_NULL_DEREF:
        sink = *(volatile uint64_t *)(uintptr_t)worker_count; /* 0 in a fresh process */
        break;
    default:
        break;
    }
    (void)sink;
    return 0; /* surviving the attack is the failure the parent checks for */
}

/*
 * Arms TIMERS_PER_PROC timers of 1000 s and tells the parent how that went
 * (a send on slot 2: 0, or the first error); then exits, or blocks until killed.
 */
static int run_timers(enum role role)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t r = n < 0 ? n : 0;
    for (int i = 0; i < 4 && r == 0; i++) {
        r = zsys3(SYS_TIMER, (uint64_t)n, 1000000000000ull, 0);
    }
    struct zmsg m = {.w = {(uint64_t)r, 0, 0, 0}};
    zero_send(ZERO_SLOT_EP, ZERO_CAP_NONE, &m);
    if (role == R_TIMERS_BLOCK) {
        uint64_t bits = 0;
        for (;;) {
            zero_wait((uint64_t)n, &bits, 1);
        }
    }
    return 0;
}

/* Sends (or receives) once on slot 2, blocking, and exits with the result. */
static int run_queued(enum role role)
{
    struct zmsg m = {.w = {1, 2, 3, 4}};
    if (role == R_QUEUED_SEND) {
        return (int)zero_send(ZERO_SLOT_EP, ZERO_CAP_NONE, &m);
    }
    return (int)zero_recv(ZERO_SLOT_EP, &m);
}

/*
 * Tries to program the UART through its console capability (write only):
 * loopback mode through MCR, the divisor latch through LCR, both widths.
 * Exits with 0 if every write was refused with ZERR_PERM.
 */
static int run_uart_regs(void)
{
    int bad = 0;
    bad += zsys3(SYS_IOPORT_OUT, ZERO_SLOT_CONSOLE, 0x3fc, 0x10) != ZERR_PERM;
    bad += zsys3(SYS_IOPORT_OUT, ZERO_SLOT_CONSOLE, 0x3fb, 0x80) != ZERR_PERM;
    bad += zsys4(SYS_IOPORT_OUT_WIDE, ZERO_SLOT_CONSOLE, 0x3fc, 1, 0x10) != ZERR_PERM;
    bad += zsys4(SYS_IOPORT_OUT_WIDE, ZERO_SLOT_CONSOLE, 0x3fa, 4, 0x80000000u) != ZERR_PERM;
    bad += zsys3(SYS_IOPORT_OUT, ZERO_SLOT_CONSOLE, 0x3f8, '!') != ZERR_PERM;
    static const char line[] = "# a descendant still prints through the console capability\n";
    bad += zero_write(line, sizeof(line) - 1) != (int64_t)(sizeof(line) - 1);
    return bad;
}

/* ---- tests run by the main role --------------------------------------------- */

static void test_console(void)
{
    static const char line[] = "# console write through the console capability\n";
    is_int(zero_write(line, sizeof(line) - 1), sizeof(line) - 1, "debug_write_writes_all_bytes");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, 0, 10), ZERR_FAULT,
           "debug_write_rejects_null_pointer");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, KERNEL_VA, 16), ZERR_FAULT,
           "debug_write_rejects_kernel_pointer");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, 0x0000800000000000ull, 16), ZERR_FAULT,
           "debug_write_rejects_noncanonical_pointer");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, 0xfffffffffffffff0ull, 64), ZERR_FAULT,
           "debug_write_rejects_wrapping_range");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, SCRATCH_VA, 16), ZERR_FAULT,
           "debug_write_recovers_from_unmapped_user_page");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, (uint64_t)(uintptr_t)line, 1ull << 40),
           ZERR_RANGE, "debug_write_rejects_huge_length");
}

static void test_hostile_caps(void)
{
    is_int(zsys3(999, 0, 0, 0), ZERR_INVAL, "unknown_syscall_number_rejected");
    is_int(zsys3(1ull << 63, 0, 0, 0), ZERR_INVAL, "huge_syscall_number_rejected");
    is_int(zsys3(SYS_SIGNAL, 1ull << 40, 0, 0), ZERR_BADCAP, "huge_handle_rejected");
    is_int(zsys3(SYS_SIGNAL, 0xffffffffull, 0, 0), ZERR_BADCAP, "all_ones_handle_rejected");
    is_int(zsys3(SYS_SIGNAL, 200, 0, 0), ZERR_BADCAP, "empty_slot_rejected");
    is_int(zsys3(SYS_SIGNAL, 4096, 0, 0), ZERR_BADCAP, "handle_past_cspace_rejected");
    is_int(zsys3(SYS_SIGNAL, ZERO_SLOT_CONSOLE, 0, 0), ZERR_BADCAP, "wrong_type_rejected");
    struct zmsg m = {0};
    is_int(zero_call(ZERO_SLOT_CONSOLE, ZERO_CAP_NONE, &m), ZERR_BADCAP,
           "call_on_ioport_cap_rejected");
    int64_t ro = derive(ZERO_SLOT_CONSOLE, CAP_RIGHT_READ, 0);
    ok(ro >= 0, "derive_read_only_console");
    is_int(zsys3(SYS_DEBUG_WRITE, (uint64_t)ro, (uint64_t)(uintptr_t) "x", 1), ZERR_PERM,
           "write_through_read_only_cap_denied");
    is_int(zsys3(SYS_IOPORT_OUT, ZERO_SLOT_CONSOLE, 0x60, 0), ZERR_PERM,
           "ioport_outside_cap_range_denied");
    is_int(zsys4(SYS_CAP_DERIVE, ZERO_SLOT_CONSOLE, ZERO_SLOT_ANY, 0x100, 0), ZERR_INVAL,
           "derive_with_unknown_rights_rejected");
    is_int(derive(ZERO_SLOT_CONSOLE, CAP_RIGHTS_ALL, 9), ZERR_INVAL, "badge_on_ioport_rejected");
    is_int(zsys4(SYS_CAP_DERIVE, ZERO_SLOT_CONSOLE, 100000, CAP_RIGHTS_ALL, 0), ZERR_RANGE,
           "derive_to_slot_past_cspace_rejected");
    is_int(zsys4(SYS_CAP_DERIVE, ZERO_SLOT_CONSOLE, ZERO_SLOT_ASPACE, CAP_RIGHTS_ALL, 0),
           ZERR_EXIST, "derive_onto_taken_slot_rejected");
    is_int(zsys3(SYS_CAP_DELETE, 200, 0, 0), ZERR_BADCAP, "delete_empty_slot_rejected");
    is_int(zsys3(SYS_CAP_REVOKE, 1ull << 33, 0, 0), ZERR_BADCAP, "revoke_huge_handle_rejected");
    is_int(zsys4(SYS_SPAWN, 99, 0, ZERO_CAP_NONE, ZERO_CAP_NONE), ZERR_NOENT,
           "spawn_unknown_module_rejected");
    is_int(zsys4(SYS_THREAD_CREATE, KERNEL_VA, STACK_VA, 0, 1), ZERR_RANGE,
           "thread_entry_in_kernel_rejected");
    is_int(zsys4(SYS_THREAD_CREATE, 0x400000, STACK_VA, 0, 99), ZERR_RANGE,
           "thread_priority_out_of_range_rejected");
    is_int(zsys3(SYS_IRQ_BIND, ZERO_SLOT_CONSOLE, ZERO_SLOT_CONSOLE, 0), ZERR_BADCAP,
           "irq_bind_with_wrong_types_rejected");
    zsys3(SYS_CAP_DELETE, (uint64_t)ro, 0, 0);
}

static void test_memory(void)
{
    int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    ok(f >= 0, "frame_alloc_gives_cap");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, KERNEL_VA, ZERO_MAP_WRITE), ZERR_RANGE,
           "map_into_kernel_half_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, 0, ZERO_MAP_WRITE), ZERR_RANGE,
           "map_at_null_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, 0x00007ffffffff000ull, ZERO_MAP_EXEC), ZERR_RANGE,
           "map_of_top_canonical_page_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SCRATCH_VA + 1, ZERO_MAP_WRITE), ZERR_RANGE,
           "map_unaligned_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SCRATCH_VA, ZERO_MAP_WRITE | ZERO_MAP_EXEC),
           ZERR_PERM, "map_writable_and_executable_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SCRATCH_VA, 0x80), ZERR_INVAL,
           "map_unknown_flags_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, ZERO_SLOT_CONSOLE, SCRATCH_VA, 0), ZERR_BADCAP,
           "map_non_frame_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, 0x400000, 0), ZERR_EXIST,
           "map_over_existing_page_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SCRATCH_VA, ZERO_MAP_WRITE), 0, "map_frame");
    volatile uint64_t *p = (volatile uint64_t *)SCRATCH_VA;
    ok(p[0] == 0, "new_frame_is_zeroed");
    p[0] = 0x1234;
    ok(p[0] == 0x1234, "mapped_frame_is_writable");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SCRATCH_VA + 0x1000, 0), ZERR_BUSY,
           "frame_cap_maps_only_once");
    is_int(zsys3(SYS_UNMAP, (uint64_t)f, 0, 0), 0, "unmap_frame");
    is_int(zsys3(SYS_UNMAP, (uint64_t)f, 0, 0), ZERR_NOENT, "unmap_twice_rejected");
    is_int(zsys3(SYS_UNMAP, ZERO_SLOT_CONSOLE, 0, 0), ZERR_BADCAP, "unmap_needs_frame_cap");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, SCRATCH_VA, 1), ZERR_FAULT,
           "unmapped_page_is_gone");
    is_int(zsys3(SYS_CAP_DELETE, (uint64_t)f, 0, 0), 0, "delete_frame_cap");
}

/*
 * W^X holds across mappings: a frame mapped writable through one
 * capability cannot be mapped executable through another (nor the
 * reverse); once the writable mapping is gone it can, and runs what was
 * written.
 */
static void test_wx_across_mappings(void)
{
    int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    int64_t g = derive((uint64_t)f, CAP_RIGHTS_ALL, 0);
    uint64_t wva = SCRATCH_VA;
    uint64_t xva = SCRATCH_VA + 0x1000;
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, wva, ZERO_MAP_WRITE), 0, "wx_map_writable");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, g, xva, ZERO_MAP_EXEC), ZERR_PERM,
           "wx_executable_mapping_of_a_writable_frame_rejected");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, g, xva, 0), 0, "wx_read_only_second_mapping_allowed");
    is_int(zsys3(SYS_UNMAP, (uint64_t)g, 0, 0), 0, "wx_unmap_read_only");
    *(volatile uint8_t *)wva = 0xc3; /* ret */
    is_int(zsys3(SYS_UNMAP, (uint64_t)f, 0, 0), 0, "wx_unmap_writable");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, g, xva, ZERO_MAP_EXEC), 0,
           "wx_executable_once_no_writable_mapping_is_left");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, wva, ZERO_MAP_WRITE), ZERR_PERM,
           "wx_writable_mapping_of_an_executable_frame_rejected");
    ((void (*)(void))xva)();
    ok(1, "wx_executable_mapping_runs_what_was_written");
    is_int(zsys3(SYS_CAP_DELETE, (uint64_t)g, 0, 0), 0, "wx_delete_unmaps_executable");
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, wva, ZERO_MAP_WRITE), 0,
           "wx_writable_again_once_no_executable_mapping_is_left");
    is_int(zsys3(SYS_CAP_DELETE, (uint64_t)f, 0, 0), 0, "wx_delete_frame");
}

static void test_revoke_unmaps(void)
{
    int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    int64_t g = derive((uint64_t)f, CAP_RIGHTS_ALL, 0);
    is_int(zsys4(SYS_MAP, ZERO_SLOT_ASPACE, g, SCRATCH_VA, ZERO_MAP_WRITE), 0,
           "map_derived_frame_cap");
    *(volatile uint64_t *)SCRATCH_VA = 0x0a; /* a newline on the console */
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, SCRATCH_VA, 0), 0, "derived_mapping_present");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, SCRATCH_VA, 1), 1, "derived_mapping_readable");
    is_int(zsys3(SYS_CAP_REVOKE, (uint64_t)f, 0, 0), 1, "revoke_frame_children");
    is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, SCRATCH_VA, 1), ZERR_FAULT,
           "revoking_frame_cap_unmaps_its_mappings");
    zsys3(SYS_CAP_DELETE, (uint64_t)f, 0, 0);
}

static void test_ipc(uint64_t exit_ntfn)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    ok(ep >= 0, "endpoint_create");
    int64_t server = spawn(R_SERVER, (uint64_t)ep, exit_ntfn);
    ok(server >= 0, "spawn_server");
    struct zmsg m = {.w = {OP_ECHO, 41, 0, 0}};
    is_int(zero_call((uint64_t)ep, ZERO_CAP_NONE, &m), 0, "call_returns_ok");
    ok(m.w[0] == 42 && m.w[1] == 0, "call_gets_server_reply");

    int64_t badged = derive((uint64_t)ep, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 0x42);
    m = (struct zmsg){.w = {OP_ECHO, 1, 0, 0}};
    zero_call((uint64_t)badged, ZERO_CAP_NONE, &m);
    ok(m.w[1] == 0x42, "server_sees_callers_badge");
    is_int(derive((uint64_t)badged, CAP_RIGHTS_ALL, 0x43), ZERR_PERM, "badged_cap_cannot_rebadge");
    struct zmsg r = {0};
    is_int(zero_recv((uint64_t)badged, &r), ZERR_PERM, "receive_needs_read_right");

    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    m = (struct zmsg){.w = {OP_SIGNAL_CAP, 0, 0, 0}};
    is_int(zero_call((uint64_t)ep, (uint64_t)n, &m), 0, "call_with_cap_transfer");
    ok(m.w[0] == 0 && m.w[1] == CAP_NOTIFICATION, "server_receives_notification_cap");
    uint64_t bits = 0;
    zero_wait((uint64_t)n, &bits, 0);
    ok(bits == 1, "transferred_cap_signals_our_notification");

    int64_t nogrant = derive((uint64_t)ep, CAP_RIGHT_WRITE, 0);
    m = (struct zmsg){.w = {OP_ECHO, 0, 0, 0}};
    is_int(zero_call((uint64_t)nogrant, (uint64_t)n, &m), ZERR_PERM,
           "cap_transfer_needs_grant_right");

    int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SCRATCH_VA, ZERO_MAP_WRITE);
    volatile uint64_t *shared = (volatile uint64_t *)SCRATCH_VA;
    shared[0] = 21;
    m = (struct zmsg){.w = {OP_SHARED_FRAME, 0, 0, 0}};
    zero_call((uint64_t)ep, (uint64_t)f, &m);
    ok(m.w[0] == 0 && shared[1] == 42, "shared_frame_carries_bulk_data");
    zsys3(SYS_UNMAP, (uint64_t)f, 0, 0);

    int64_t e1 = derive((uint64_t)ep, CAP_RIGHTS_ALL, 0);
    int64_t e2 = derive((uint64_t)e1, CAP_RIGHTS_ALL, 0);
    m = (struct zmsg){.w = {OP_KEEP_CAP, 0, 0, 0}};
    zero_call((uint64_t)ep, (uint64_t)e2, &m);
    ok(m.w[0] == 1, "server_keeps_transferred_cap");
    m = (struct zmsg){.w = {OP_CHECK_KEPT, 0, 0, 0}};
    zero_call((uint64_t)ep, ZERO_CAP_NONE, &m);
    is_int((int64_t)m.w[0], 0, "kept_cap_valid_before_revoke");
    is_int(zsys3(SYS_CAP_REVOKE, (uint64_t)e1, 0, 0), 2, "revoke_removes_whole_subtree");
    m = (struct zmsg){.w = {OP_CHECK_KEPT, 0, 0, 0}};
    zero_call((uint64_t)ep, ZERO_CAP_NONE, &m);
    is_int((int64_t)m.w[0], ZERR_BADCAP, "revoke_reaches_cap_in_other_process");
    is_int(cap_info((uint64_t)e2, NULL), ZERR_BADCAP, "revoke_removes_local_child");
    m = (struct zmsg){.w = {OP_ECHO, 0, 0, 0}};
    is_int(zero_call((uint64_t)e2, ZERO_CAP_NONE, &m), ZERR_BADCAP, "call_on_revoked_cap_fails");
    is_int(zero_signal((uint64_t)e2), ZERR_BADCAP, "signal_on_revoked_cap_fails");
    is_int(cap_info((uint64_t)e1, NULL), 0, "revoke_keeps_revoked_cap_itself");

    m = (struct zmsg){.w = {OP_EXIT, 0, 0, 0}};
    zero_call((uint64_t)ep, ZERO_CAP_NONE, &m);
    is_int(wait_child(exit_ntfn, server), 0, "server_exits_cleanly");
}

static void test_notifications(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t b1 = derive((uint64_t)n, CAP_RIGHT_WRITE, 0x1);
    int64_t b4 = derive((uint64_t)n, CAP_RIGHT_WRITE, 0x4);
    zero_signal((uint64_t)b1);
    zero_signal((uint64_t)b4);
    uint64_t bits = 0;
    is_int(zero_wait((uint64_t)n, &bits, 1), 0, "wait_with_pending_bits_returns");
    ok(bits == 5, "signals_or_their_badges");
    zero_wait((uint64_t)n, &bits, 0);
    ok(bits == 0, "wait_consumes_bits");
    is_int(zero_wait((uint64_t)b1, &bits, 0), ZERR_PERM, "wait_needs_read_right");
    int64_t ro = derive((uint64_t)n, CAP_RIGHT_READ, 0);
    is_int(zero_signal((uint64_t)ro), ZERR_PERM, "signal_needs_write_right");
}

static void test_isolation(uint64_t exit_ntfn)
{
    static const struct {
        enum role role;
        const char *name;
    } attacks[] = {
        {R_READ_OTHER, "reading_another_process_memory_stops_the_reader"},
        {R_READ_KERNEL, "reading_kernel_memory_stops_the_reader"},
        {R_WRITE_KERNEL, "writing_kernel_memory_stops_the_writer"},
        {R_WRITE_TEXT, "writing_own_code_stops_the_writer"},
        {R_EXEC_DATA, "executing_data_stops_the_process"},
        {R_PRIVILEGED, "privileged_instruction_stops_the_process"},
        {R_NULL_DEREF, "null_dereference_stops_the_process"},
    };
    int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, SECRET_VA, ZERO_MAP_WRITE);
    volatile uint64_t *secret = (volatile uint64_t *)SECRET_VA;
    secret[0] = 0x5ec7e7;
    uint64_t before = zero_free_frames();
    for (size_t i = 0; i < sizeof(attacks) / sizeof(attacks[0]); i++) {
        int64_t th = spawn(attacks[i].role, ZERO_CAP_NONE, exit_ntfn);
        is_int(wait_child(exit_ntfn, th), ZERR_TRAP, attacks[i].name);
    }
    ok(secret[0] == 0x5ec7e7, "secret_intact_after_attacks");
    is_int(zero_free_frames(), before, "stopped_processes_return_every_frame");
}

static void worker(uint64_t ntfn)
{
    worker_count += 7;
    zero_signal(ntfn);
    int64_t idle = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    uint64_t bits;
    for (;;) {
        zero_wait((uint64_t)idle, &bits, 1);
    }
}

static void test_threads(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    for (uint64_t i = 0; i < 4; i++) {
        int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
        zsys4(SYS_MAP, ZERO_SLOT_ASPACE, f, STACK_VA + i * 4096, ZERO_MAP_WRITE);
    }
    int64_t th = zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)worker, STACK_VA + 4 * 4096 - 8,
                       (uint64_t)n, 10);
    ok(th >= 0, "thread_create");
    uint64_t bits = 0;
    zero_wait((uint64_t)n, &bits, 1);
    ok(worker_count == 7, "second_thread_shares_address_space");
    is_int(zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0), 0, "kill_blocked_thread");
    struct zsys info;
    cap_info((uint64_t)th, &info);
    is_int(info.r10, ZERO_THREAD_DEAD, "killed_thread_is_dead");
    zsys3(SYS_CAP_DELETE, (uint64_t)th, 0, 0);
}

static uint64_t used_slots(void)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r.rsi;
}

static volatile uint64_t orphan_ran;

static void orphan(uint64_t arg)
{
    (void)arg;
    orphan_ran = 1;
    for (;;) {
        zero_yield();
    }
}

/* THREAD_CREATE into a full capability space fails and creates nothing. */
static void test_thread_create_full_cspace(void)
{
    uint64_t before = used_slots();
    int64_t src = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t last = 0;
    while ((last = derive((uint64_t)src, CAP_RIGHT_READ, 0)) >= 0) {
    }
    is_int(last, ZERR_FULL, "cspace_filled");
    is_int(zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)orphan, STACK_VA + 4 * 4096 - 8, 0, 10),
           ZERR_FULL, "thread_create_into_full_cspace_fails");
    for (int i = 0; i < 5; i++) {
        zero_yield();
    }
    ok(orphan_ran == 0, "failed_thread_create_runs_nothing");
    zsys3(SYS_CAP_REVOKE, (uint64_t)src, 0, 0);
    zsys3(SYS_CAP_DELETE, (uint64_t)src, 0, 0);
    is_int(used_slots(), before, "cspace_back_after_revoke");
}

static void test_preemption(uint64_t exit_ntfn)
{
    int64_t spin = spawn(R_SPIN, ZERO_CAP_NONE, exit_ntfn);
    ok(spin >= 0, "spawn_spinner");
    /* On more than one CPU: make the spinner share this thread's CPU. */
    is_int(zsys3(SYS_THREAD_AFFINITY, (uint64_t)spin, 1, 0), 0, "spinner_pinned_to_cpu_0");
    /* A spinner already running on another CPU moves to CPU 0 only when a
     * tick there preempts it: wait two ticks so that it shares this CPU. */
    uint64_t settle = zero_ticks() + 2;
    while (zero_ticks() < settle) {
        zero_yield();
    }
    uint64_t t0 = zero_ticks();
    for (int i = 0; i < 3; i++) {
        zero_yield(); /* the spinner never yields: only preemption brings us back */
    }
    ok(zero_ticks() > t0, "spinner_does_not_starve_others");
    is_int(zsys3(SYS_THREAD_KILL, (uint64_t)spin, 0, 0), 0, "kill_spinner");
    is_int(wait_child(exit_ntfn, spin), ZERR_DENIED, "killed_spinner_reports_denied");
}

static volatile uint64_t low_count;

/* Runs at a lower priority: counts, signals once, then spins. */
static void low_spinner(uint64_t ntfn)
{
    low_count++;
    zero_signal(ntfn);
    for (;;) {
        low_count++;
    }
}

static void test_priorities(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int64_t low = zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)low_spinner,
                        STACK_VA + 4 * 4096 - 8, (uint64_t)n, 5);
    ok(low >= 0, "create_lower_priority_thread");
    for (int i = 0; i < 3; i++) {
        zero_yield();
    }
    ok(low_count == 0, "lower_priority_thread_waits_while_higher_runs");
    uint64_t bits = 0;
    zero_wait((uint64_t)n, &bits, 1);
    uint64_t seen = low_count;
    ok(seen == 1, "lower_priority_thread_runs_while_higher_blocks");
    for (int i = 0; i < 3; i++) {
        zero_yield();
    }
    ok(low_count == seen, "woken_higher_priority_thread_preempts_lower");
    is_int(zsys3(SYS_THREAD_KILL, (uint64_t)low, 0, 0), 0, "kill_low_priority_spinner");
}

/* IRQ 0 (the PIT, programmed through its ioport capability) as a notification. */
static void test_irq(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    is_int(zsys3(SYS_IRQ_BIND, ZERO_SLOT_IRQ0, (uint64_t)n, 0), 0, "irq_bind");
    uint16_t divisor = 1193; /* about 1 kHz */
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_PIT, PIT_BASE + 3, 0x34);
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_PIT, PIT_BASE, divisor & 0xff);
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_PIT, PIT_BASE, divisor >> 8);
    uint64_t bits = 0;
    zero_wait((uint64_t)n, &bits, 1);
    ok(bits == 1, "irq_arrives_as_notification");
    is_int(zsys3(SYS_IRQ_ACK, ZERO_SLOT_IRQ0, 0, 0), 0, "irq_ack");
    zero_wait((uint64_t)n, &bits, 1);
    ok(bits == 1, "irq_arrives_again_after_ack");
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_PIT, PIT_BASE + 3, 0x30); /* one-shot, never armed */
    is_int(zsys3(SYS_IRQ_ACK, ZERO_SLOT_CONSOLE, 0, 0), ZERR_BADCAP, "irq_ack_needs_irq_cap");
}

/* One server life: spawn, a few calls with capability transfer, exit. */
static int stress_round(uint64_t exit_ntfn)
{
    int failures = 0;
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t srv = spawn(R_SERVER, (uint64_t)ep, exit_ntfn);
    if (ep < 0 || srv < 0) {
        return 1;
    }
    for (int j = 0; j < 5; j++) {
        int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
        struct zmsg m = {.w = {OP_SIGNAL_CAP, 0, 0, 0}};
        failures += zero_call((uint64_t)ep, (uint64_t)n, &m) != 0 || m.w[0] != 0;
        zsys3(SYS_CAP_DELETE, (uint64_t)n, 0, 0);
    }
    struct zmsg m = {.w = {OP_EXIT, 0, 0, 0}};
    zero_call((uint64_t)ep, ZERO_CAP_NONE, &m);
    failures += wait_child(exit_ntfn, srv) != 0;
    zsys3(SYS_CAP_DELETE, (uint64_t)ep, 0, 0);
    return failures;
}

/* More process lives than the kernel has process and thread slots: leaks would show. */
static void test_stress(uint64_t exit_ntfn)
{
    uint64_t frames = zero_free_frames();
    uint64_t slots = used_slots();
    int failures = 0;
    for (int i = 0; i < 150 && failures == 0; i++) {
        failures += stress_round(exit_ntfn);
    }
    is_int(failures, 0, "stress_150_spawn_ipc_exit_rounds");
    is_int(zero_free_frames(), frames, "stress_returns_every_frame");
    is_int(used_slots(), slots, "stress_returns_every_capability_slot");
}

static void test_timers(void)
{
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    uint64_t t0 = zero_ticks();
    is_int(zsys3(SYS_TIMER, (uint64_t)n, 30000000, 0), 0, "timer_arm");
    uint64_t bits = 0;
    zero_wait((uint64_t)n, &bits, 1);
    ok(bits == 1 && zero_ticks() >= t0 + 3, "timer_signals_notification_after_delay");
    is_int(zsys3(SYS_TIMER, ZERO_SLOT_CONSOLE, 1000, 0), ZERR_BADCAP, "timer_needs_notification");
    int64_t ro = derive((uint64_t)n, CAP_RIGHT_READ, 0);
    is_int(zsys3(SYS_TIMER, (uint64_t)ro, 1000, 0), ZERR_PERM, "timer_needs_write_right");
    is_int(zsys3(SYS_TIMER, (uint64_t)n, UINT64_MAX, 0), ZERR_RANGE, "timer_rejects_huge_delay");
    int limit = 0;
    for (int i = 0; i < 8; i++) {
        limit = (int)zsys3(SYS_TIMER, (uint64_t)n, 1000000000ull, 0);
    }
    is_int(limit, ZERR_LIMIT, "pending_timers_per_process_are_limited");
}

/*
 * A process's timers die with it: 16 children (more than the timer table
 * holds with 4 each) arm 4 long timers and exit or are killed; each child,
 * though it may reuse a dead one's process slot, gets all 4, and afterwards
 * this process still gets a timer that fires.
 */
/* A thread that spins until it is killed. */
static void spin_thread(uint64_t arg)
{
    (void)arg;
    for (;;) {
        __asm__ volatile("pause");
    }
}

/* R_TWO_THREADS: a second thread spinning, then says it is ready and waits. */
static int run_two_threads(void)
{
    int64_t f = zsys3(SYS_FRAME_ALLOC, 0, 0, 0);
    zsys4(SYS_MAP, ZERO_SLOT_ASPACE, (uint64_t)f, STACK_VA, ZERO_MAP_WRITE);
    struct zmsg m = {0};
    m.w[0] =
        zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)spin_thread, STACK_VA + 4096 - 8, 0, 10) < 0;
    zero_send(ZERO_SLOT_EP, ZERO_CAP_NONE, &m);
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    uint64_t bits = 0;
    return (int)zero_wait((uint64_t)n, &bits, 1);
}

/*
 * SYS_PROC_KILL ends a process of two threads whole (THREAD_KILL of the
 * first would leave the other running), with the exit notification and a
 * killed status; a dead thread is refused, and so is the caller's own.
 * Runs after test_threads (its stack pages at STACK_VA are mapped).
 */
static void test_proc_kill(uint64_t exit_ntfn)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t th = spawn(R_TWO_THREADS, (uint64_t)ep, exit_ntfn);
    struct zmsg m = {0};
    ok(th >= 0 && zero_recv((uint64_t)ep, &m) == 0 && m.w[0] == 0,
       "proc_kill_child_runs_two_threads");
    is_int(zsys3(SYS_PROC_KILL, (uint64_t)th, 0, 0), 0, "proc_kill_of_a_child");
    is_int(zsys3(SYS_PROC_KILL, (uint64_t)th, 0, 0), ZERR_NOENT,
           "proc_kill_of_a_dead_thread_refused");
    /* the process has ended: its second thread too (QUOTA_INFO: ZERR_NOENT once it has) */
    is_int(zsys3(SYS_QUOTA_INFO, (uint64_t)th, 0, 0), ZERR_NOENT, "proc_kill_ends_the_process");
    is_int(wait_child(exit_ntfn, th), ZERR_DENIED, "proc_kill_ends_every_thread_as_killed");
    int64_t own =
        zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)spin_thread, STACK_VA + 4 * 4096 - 8, 0, 10);
    is_int(zsys3(SYS_PROC_KILL, (uint64_t)own, 0, 0), ZERR_INVAL,
           "proc_kill_of_the_callers_own_refused");
    zsys3(SYS_THREAD_KILL, (uint64_t)own, 0, 0);
    zsys3(SYS_CAP_DELETE, (uint64_t)own, 0, 0);
    is_int(zsys3(SYS_PROC_KILL, ZERO_SLOT_EP, 0, 0), ZERR_BADCAP,
           "proc_kill_of_a_non_thread_refused");
    zsys3(SYS_CAP_DELETE, (uint64_t)ep, 0, 0);
}

static void test_timers_die_with_process(uint64_t exit_ntfn)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int failures = 0;
    for (int i = 0; i < 16; i++) {
        enum role role = i % 2 == 0 ? R_TIMERS_EXIT : R_TIMERS_BLOCK;
        int64_t th = spawn(role, (uint64_t)ep, exit_ntfn);
        struct zmsg m = {0};
        if (th < 0 || zero_recv((uint64_t)ep, &m) != 0) {
            failures++;
            continue;
        }
        failures += m.w[0] != 0;
        if (role == R_TIMERS_BLOCK) {
            zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0);
        }
        wait_child(exit_ntfn, th);
    }
    is_int(failures, 0, "every_child_gets_its_timers_after_dead_ones");
    int64_t n = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    is_int(zsys3(SYS_TIMER, (uint64_t)n, 20000000, 0), 0, "timer_free_after_children_died");
    uint64_t bits = 0;
    zero_wait((uint64_t)n, &bits, 1);
    ok(bits == 1, "timer_after_children_died_fires");
    zsys3(SYS_CAP_DELETE, (uint64_t)n, 0, 0);
    zsys3(SYS_CAP_DELETE, (uint64_t)ep, 0, 0);
}

/* True once thread th has reached state (SYS_CAP_INFO), waiting up to a second. */
static bool wait_state(int64_t th, uint64_t state)
{
    uint64_t t0 = zero_ticks();
    struct zsys info;
    while (cap_info((uint64_t)th, &info) == 0 && info.r10 != state) {
        if (zero_ticks() > t0 + 100) {
            return false;
        }
        zero_yield();
    }
    return info.r10 == state;
}

/* Waits for child th, killing it first if it is still blocked a second on. */
static int64_t reap(uint64_t exit_ntfn, int64_t th)
{
    if (!wait_state(th, ZERO_THREAD_DEAD)) {
        zsys3(SYS_THREAD_KILL, (uint64_t)th, 0, 0);
    }
    return wait_child(exit_ntfn, th);
}

/*
 * Revocation cancels IPC already queued: (A) a send queued under a badge
 * whose capabilities are revoked and deleted fails with ZERR_BADCAP and is
 * never received; (B) a receive waiting through a capability that is
 * revoked is woken with ZERR_BADCAP.
 */
static void test_revoke_cancels_queued_ipc(uint64_t exit_ntfn)
{
    int64_t ep = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0);
    int64_t badged = derive((uint64_t)ep, CAP_RIGHT_WRITE | CAP_RIGHT_GRANT, 7);
    int64_t th = spawn(R_QUEUED_SEND, (uint64_t)badged, exit_ntfn);
    ok(th >= 0 && wait_state(th, THREAD_SEND), "client_queued_in_send_under_badge");
    zsys3(SYS_CAP_REVOKE, (uint64_t)badged, 0, 0);
    zsys3(SYS_CAP_DELETE, (uint64_t)badged, 0, 0);
    is_int(reap(exit_ntfn, th), ZERR_BADCAP, "send_queued_under_revoked_badge_fails");
    /* Nothing is left queued: a send of our own is the next message received. */
    int64_t srv = spawn(R_SERVER, (uint64_t)ep, exit_ntfn);
    struct zmsg m = {.w = {OP_ECHO, 41, 0, 0}};
    ok(srv >= 0 && zero_call((uint64_t)ep, ZERO_CAP_NONE, &m) == 0 && m.w[0] == 42 && m.w[1] == 0,
       "revoked_send_never_reaches_the_server");
    m = (struct zmsg){.w = {OP_EXIT, 0, 0, 0}};
    zero_call((uint64_t)ep, ZERO_CAP_NONE, &m);
    wait_child(exit_ntfn, srv);

    th = spawn(R_QUEUED_RECV, (uint64_t)ep, exit_ntfn);
    ok(th >= 0 && wait_state(th, THREAD_RECV), "server_queued_in_receive");
    zsys3(SYS_CAP_REVOKE, (uint64_t)ep, 0, 0);
    is_int(reap(exit_ntfn, th), ZERR_BADCAP, "receive_through_revoked_cap_fails");
    zsys3(SYS_CAP_DELETE, (uint64_t)ep, 0, 0);
}

/* The console capability a descendant holds is an output channel only. */
static void test_console_is_a_channel(uint64_t exit_ntfn)
{
    int64_t th = spawn(R_UART_REGS, ZERO_CAP_NONE, exit_ntfn);
    is_int(th >= 0 ? wait_child(exit_ntfn, th) : th, 0,
           "descendant_cannot_write_uart_registers_through_console");
    static const char line[] = "# init's console output after the attempt\n";
    is_int(zero_write(line, sizeof(line) - 1), sizeof(line) - 1, "init_output_still_appears");
}

/* ---- quotas ----------------------------------------------------------------- */

#define QUOTA_CHILD_FRAMES 40
#define QUOTA_CHILD_SLOTS 24
#define QUOTA_FRAMES_VA 0x60000000ull

static struct zsys quota_info(uint64_t thread)
{
    struct zsys r = {SYS_QUOTA_INFO, thread, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r;
}

static int64_t spawn_limited_ep(enum role role, uint64_t ep, uint64_t exit_ntfn, uint64_t frames,
                                uint64_t threads, uint64_t slots)
{
    struct zsys r = {SYS_SPAWN_LIMITED, 0, role, ep, exit_ntfn, frames, threads | slots << 32};
    zsys_raw(&r);
    return (int64_t)r.rax;
}

static int64_t spawn_limited(enum role role, uint64_t exit_ntfn, uint64_t frames, uint64_t threads,
                             uint64_t slots)
{
    struct zsys r = {SYS_SPAWN_LIMITED,    0, role, ZERO_CAP_NONE, exit_ntfn, frames,
                     threads | slots << 32};
    zsys_raw(&r);
    return (int64_t)r.rax;
}

/* Takes frames until refused; how many it got, the refusal in *err. */
static int quota_fill_frames(int64_t *err, int64_t *last)
{
    int n = 0;
    int64_t h;
    while ((h = zsys3(SYS_FRAME_ALLOC, 0, 0, 0)) >= 0 && n < 4096) {
        *last = h;
        n++;
    }
    *err = h;
    return n;
}

/*
 * A child with QUOTA_CHILD_FRAMES frames, one thread and QUOTA_CHILD_SLOTS
 * slots: each kind runs out with ZERR_LIMIT and a refund is usable again.
 * 0, or the number of the check that failed.
 */
static int run_quota_child(void)
{
    /* The parent looks at this child's reservation first, then lets it run. */
    struct zmsg go = {0};
    if (zero_recv(ZERO_SLOT_EP, &go) != 0) {
        return 8;
    }
    struct zsys q = quota_info(ZERO_CAP_NONE);
    if (q.rsi != QUOTA_CHILD_FRAMES || q.rdx >> 32 != 1 || q.r10 >> 32 != QUOTA_CHILD_SLOTS) {
        return 1;
    }
    int64_t err = 0;
    int64_t last = -1;
    int got = quota_fill_frames(&err, &last);
    if (err != ZERR_LIMIT || (uint64_t)got != q.rsi - q.rdi) {
        return 2;
    }
    zsys3(SYS_CAP_DELETE, (uint64_t)last, 0, 0);
    if (zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, QUOTA_FRAMES_VA, 2, ZERO_MAP_WRITE) != ZERR_LIMIT ||
        zsys4(SYS_MEM_MAP, ZERO_SLOT_ASPACE, QUOTA_FRAMES_VA, 1, ZERO_MAP_WRITE) != 0) {
        return 3;
    }
    if (zsys3(SYS_FRAME_ALLOC, 0, 0, 0) != ZERR_LIMIT) {
        return 4;
    }
    if (zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)orphan, STACK_VA + 4096, 0, 10) !=
        ZERR_LIMIT) {
        return 5;
    }
    if (spawn_limited(R_SPIN, ZERO_CAP_NONE, QUOTA_CHILD_FRAMES * 2, 1, 16) != ZERR_LIMIT) {
        return 6;
    }
    int64_t h;
    while ((h = derive(ZERO_SLOT_ASPACE, CAP_RIGHT_READ, 0)) >= 0) {
    }
    q = quota_info(ZERO_CAP_NONE);
    if (h != ZERR_LIMIT || (q.r10 & UINT32_MAX) != QUOTA_CHILD_SLOTS) {
        return 7;
    }
    return 0;
}

/* The quota SYS_QUOTA_INFO reports for the caller, kind by kind. */
static int quota_same(const struct zsys *a, const struct zsys *b)
{
    return a->rdi == b->rdi && a->rsi == b->rsi && a->rdx == b->rdx && a->r10 == b->r10;
}

static void test_quotas(uint64_t exit_ntfn)
{
    int64_t go = zsys3(SYS_ENDPOINT_CREATE, 0, 0, 0); /* holds the child until it is looked at */
    struct zsys before = quota_info(ZERO_CAP_NONE);
    uint64_t free_before = zero_free_frames();
    ok(before.rsi > before.rdi && (before.rdx >> 32) > 0 && before.r9 > 0,
       "quota_info_reports_own");
    is_int(spawn_limited(R_SPIN, exit_ntfn, before.rsi - before.rdi + 1, 1, 16), ZERR_LIMIT,
           "spawn_asking_more_frames_than_left_refused");
    is_int(spawn_limited(R_SPIN, exit_ntfn, 16, (before.rdx >> 32) + 1, 16), ZERR_LIMIT,
           "spawn_asking_more_threads_than_left_refused");
    is_int(spawn_limited(R_SPIN, exit_ntfn, 4, 1, 16), ZERR_LIMIT,
           "spawn_whose_image_does_not_fit_its_quota_refused");
    struct zsys after = quota_info(ZERO_CAP_NONE);
    ok(quota_same(&before, &after) && zero_free_frames() == free_before,
       "refused_spawns_charge_nothing_and_leak_nothing");
    int64_t th = go < 0 ? go
                        : spawn_limited_ep(R_QUOTA_CHILD, (uint64_t)go, exit_ntfn,
                                           QUOTA_CHILD_FRAMES, 1, QUOTA_CHILD_SLOTS);
    ok(th >= 0, "spawn_with_own_quota");
    struct zsys during = quota_info(ZERO_CAP_NONE);
    ok(during.rdi == before.rdi + QUOTA_CHILD_FRAMES, "child_quota_reserved_out_of_parents_frames");
    struct zsys child = quota_info((uint64_t)th);
    ok(child.rsi == QUOTA_CHILD_FRAMES && child.r9 != before.r9, "quota_info_through_thread_cap");
    struct zmsg m = {0};
    if (th >= 0) {
        zero_send((uint64_t)go, ZERO_CAP_NONE, &m);
    }
    is_int(th >= 0 ? wait_child(exit_ntfn, th) : th, 0,
           "child_runs_out_of_frames_threads_slots_with_limit_errors");
    after = quota_info(ZERO_CAP_NONE);
    ok(quota_same(&before, &after), "child_reservation_returned_after_exit");
    is_int(zero_free_frames(), free_before, "child_with_quota_returns_every_frame");
}

/* The platform library of user programs (hal/zero). */
static void test_user_hal(void)
{
    uint8_t a[32] = {0};
    uint8_t b[32] = {0};
    int r = hal_entropy(a, sizeof(a));
    ok(r == 0 || r == ZERR_UNSUPPORTED, "hal_entropy_fills_or_refuses");
    if (r == 0) {
        hal_entropy(b, sizeof(b));
        ok(memcmp(a, b, sizeof(a)) != 0, "hal_entropy_differs_between_calls");
    } else {
        tap_skip(1, "no RDRAND on this CPU");
    }
    uint8_t *p = hal_page_alloc(3);
    ok(p != NULL && p[0] == 0 && p[3 * 4096 - 1] == 0, "hal_page_alloc_gives_zeroed_pages");
    if (p != NULL) {
        p[5000] = 9;
        hal_page_free(p, 3);
        is_int(zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, (uint64_t)(uintptr_t)p, 1), ZERR_FAULT,
               "hal_page_free_unmaps");
    }
    ok(hal_clock_ns() > 0, "hal_clock_advances_from_boot");
    uint64_t t0 = hal_clock_ns();
    hal_wait_until(t0 + 50000000);
    ok(hal_clock_ns() >= t0 + 50000000, "hal_wait_until_sleeps_on_a_timer");
}

static void test_fuzz(uint64_t exit_ntfn)
{
    uint64_t before = zero_free_frames();
    int64_t th = spawn(R_FUZZ, ZERO_CAP_NONE, exit_ntfn);
    is_int(wait_child(exit_ntfn, th), 0, "random_hostile_syscalls_leave_kernel_running");
    is_int(zero_free_frames(), before, "fuzzed_process_returns_every_frame");
}

/* Prints the longest hold of the kernel lock and its site (SYS_CPU_INFO r9). */
static void report_longest_hold(void)
{
    struct zsys r = {SYS_CPU_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    zprintf("usertests: longest kernel-lock hold: %llu cycles (site %llu)\n",
            (unsigned long long)(r.r9 >> 8), (unsigned long long)(r.r9 & 0xff));
}

static int run_main(void)
{
    tap_no_plan();
    /* The scheduling tests compare threads on one CPU: this one and its threads use CPU 0. */
    is_int(zsys3(SYS_THREAD_AFFINITY, ZERO_CAP_NONE, 1, 0), 0, "main_thread_pinned_to_cpu_0");
    int64_t exit_ntfn = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    test_console();
    test_hostile_caps();
    test_memory();
    test_wx_across_mappings();
    test_revoke_unmaps();
    test_notifications();
    test_ipc((uint64_t)exit_ntfn);
    test_isolation((uint64_t)exit_ntfn);
    test_threads();
    test_thread_create_full_cspace();
    test_preemption((uint64_t)exit_ntfn);
    test_priorities();
    test_irq();
    test_timers_die_with_process((uint64_t)exit_ntfn);
    test_proc_kill((uint64_t)exit_ntfn);
    test_revoke_cancels_queued_ipc((uint64_t)exit_ntfn);
    test_console_is_a_channel((uint64_t)exit_ntfn);
    test_timers();
    test_user_hal();
    test_stress((uint64_t)exit_ntfn);
    test_fuzz((uint64_t)exit_ntfn);
    test_quotas((uint64_t)exit_ntfn);
    report_longest_hold();
    int status = tap_done();
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, (uint64_t)status);
    return status;
}

int zero_main(uint64_t arg)
{
    switch ((enum role)arg) {
    case R_MAIN:
        return run_main();
    case R_SERVER:
        return run_server();
    case R_SPIN:
        for (;;) {
            __asm__ volatile("pause");
        }
    case R_FUZZ:
        return run_fuzz();
    case R_QUOTA_CHILD:
        return run_quota_child();
    case R_TWO_THREADS:
        return run_two_threads();
    case R_UART_REGS:
        return run_uart_regs();
    case R_QUEUED_SEND:
    case R_QUEUED_RECV:
        return run_queued((enum role)arg);
    case R_TIMERS_EXIT:
    case R_TIMERS_BLOCK:
        return run_timers((enum role)arg);
    default:
        return run_attacker((enum role)arg);
    }
}
