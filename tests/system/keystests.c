/*
 * keystests: the key service in its own process (services/init/x86_64/
 * keys_proc.c) as the node sees it.  Runs as init, spawns itself as the key
 * process, prints TAP and ends the machine through isa-debug-exit with 0
 * when every test passed.
 */
#include "base/errors.h"
#include "base/string.h"
#include "crypto/ed25519.h"
#include "hal/hal.h"
#include "services/keys/keys.h"
#include "services/init/x86_64/init.h"
#include "services/init/x86_64/keys_proc.h"
#include "svcrt/runtime.h"
#include "tests/tap.h"
#include "zero/zero.h"

#define ROLE_KEYS 1
#define ROLE_FAULTY_NODE 3
#define KP_OP_ROOT 0x100u

void tap_emit(const char *s, size_t n)
{
    zero_write(s, n);
}

static int forward(struct keys_proc *kp, uint64_t badge, uint32_t op, const char *name,
                   const void *msg, size_t len, uint8_t *out, size_t cap)
{
    static uint8_t rq[4 + KEYS_NAME_FIELD + 4 + KEYS_MSG_MAX];
    size_t rq_len;
    int err = keys_req_encode(op, name, 0, msg, len, rq, sizeof(rq), &rq_len);
    struct rt_msg m = {op, rq, rq_len, out, cap, 0};
    return err != 0 ? err : kp->remote.handle(kp->remote.self, badge, &m);
}

static uint32_t thread_state(uint64_t th)
{
    struct zsys r = {SYS_CAP_INFO, th, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return (uint32_t)r.r10;
}

static void test_key_process(void)
{
    static struct keys_proc kp;
    static struct keys local;
    uint8_t root[KEYS_SECRET_LEN];
    uint8_t pub[KEYS_PUB_LEN];
    uint8_t want[KEYS_PUB_LEN];
    uint8_t sig[KEYS_SIG_LEN];
    static const char msg[] = "checkpoint 7";
    size_t out_len;

    is_int(keys_proc_spawn(&kp, ROLE_KEYS), 0, "key_process_starts");
    is_int(forward(&kp, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, "root", NULL, 0, pub, sizeof(pub)),
           ZERR_AGAIN, "key_process_refuses_requests_before_the_root_secret");
    for (size_t i = 0; i < sizeof(root); i++) {
        root[i] = (uint8_t)(i * 7 + 1);
    }
    is_int(kp.remote.start(kp.remote.self, root), 0, "key_process_takes_the_root_secret");
    ok(kp.chan.buf[0] == 0 && kp.chan.buf[31] == 0, "root_secret_wiped_from_the_shared_buffer");
    root[0] ^= 1u;
    is_int(kp.remote.start(kp.remote.self, root), ZERR_DENIED,
           "key_process_refuses_a_second_root_secret");
    root[0] ^= 1u;
    /* a restarted Axiom hands the same secret again: taken, nothing changes */
    is_int(kp.remote.start(kp.remote.self, root), 0, "key_process_takes_the_same_secret_again");

    keys_init(&local, root);
    keys_public(&local, "root", 0, want);
    is_int(forward(&kp, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, "root", NULL, 0, pub, sizeof(pub)), 0,
           "public_key_through_the_public_badge");
    is_mem(pub, want, sizeof(pub), "public_key_matches_the_same_derivation");
    is_int(forward(&kp, KEYS_BADGE_SIGN, KEYS_OP_SIGN, "root", msg, sizeof(msg), sig, sizeof(sig)),
           0, "signature_through_the_sign_badge");
    is_int(ed25519_verify(sig, msg, sizeof(msg), want), 0,
           "signature_from_the_key_process_verifies");

    /* The kernel's badge is what counts: the public endpoint cannot sign. */
    size_t rq_len;
    keys_req_encode(KEYS_OP_SIGN, "root", 0, msg, sizeof(msg), kp.chan.buf, RTX_BUF_LEN, &rq_len);
    is_int(rtx_call(&kp.chan, kp.ep_public, KEYS_OP_SIGN, KEYS_SIG_LEN, 0, rq_len, &out_len),
           ZERR_PERM, "public_endpoint_cannot_sign");
    int64_t none = zsys4(SYS_CAP_DERIVE, kp.ep_sign, ZERO_SLOT_ANY, CAP_RIGHT_WRITE, 0);
    ok(none >= 0 && zsys4(SYS_CAP_DERIVE, (uint64_t)none, ZERO_SLOT_ANY, CAP_RIGHT_WRITE, 9) < 0,
       "a_badged_endpoint_cannot_be_rebadged");
    keys_req_encode(KEYS_OP_PUBLIC, "root", 0, NULL, 0, kp.chan.buf, RTX_BUF_LEN, &rq_len);
    is_int(rtx_call(&kp.chan, (uint64_t)none, KEYS_OP_PUBLIC, KEYS_PUB_LEN, 0, rq_len, &out_len),
           ZERR_PERM, "endpoint_copy_keeps_the_badge_and_its_limits");
    is_int(forward(&kp, KEYS_BADGE_PUBLIC | KEYS_BADGE_SIGN, KEYS_OP_SIGN, "root", msg, sizeof(msg),
                   sig, sizeof(sig)),
           ZERR_PERM, "proxy_refuses_a_badge_it_has_no_endpoint_for");

    /* Hostile requests straight on the channel. */
    keys_req_encode(KEYS_OP_SIGN, "root", 0, msg, sizeof(msg), kp.chan.buf, RTX_BUF_LEN, &rq_len);
    is_int(rtx_call(&kp.chan, kp.ep_sign, KEYS_OP_SIGN, KEYS_SIG_LEN, 0, rq_len - 1, &out_len),
           ZERR_TRUNCATED, "key_process_refuses_a_truncated_request");
    is_int(rtx_call(&kp.chan, kp.ep_sign, KEYS_OP_SIGN, KEYS_SIG_LEN, 0, rq_len + 1, &out_len),
           ZERR_INVAL, "key_process_refuses_bytes_after_the_request");
    memset(kp.chan.buf, 0xa5, RTX_BUF_LEN);
    is_int(rtx_call(&kp.chan, kp.ep_sign, KEYS_OP_SIGN, KEYS_SIG_LEN, 0, 50, &out_len), ZERR_INVAL,
           "key_process_refuses_garbage");
    is_int(rtx_call(&kp.chan, kp.ep_sign, KEYS_OP_SIGN, KEYS_SIG_LEN, 0, 0, &out_len),
           ZERR_TRUNCATED, "key_process_refuses_an_empty_request");
    is_int(rtx_call(&kp.chan, kp.ep_sign, 77, KEYS_SIG_LEN, 0, 4, &out_len), ZERR_UNSUPPORTED,
           "key_process_refuses_an_unknown_operation");
    keys_req_encode(KEYS_OP_SIGN, "root", 0, msg, sizeof(msg), kp.chan.buf, RTX_BUF_LEN, &rq_len);
    is_int(rtx_call(&kp.chan, kp.ep_sign, KEYS_OP_SIGN, KEYS_SIG_LEN - 1, 0, rq_len, &out_len),
           ZERR_RANGE, "key_process_refuses_a_reply_that_does_not_fit_the_callers_room");
    is_int(rtx_call(&kp.chan, kp.ep_sign, KEYS_OP_SIGN, 0, 4, RTX_BUF_LEN + 1, &out_len),
           ZERR_RANGE, "channel_refuses_a_request_larger_than_its_buffer");
    struct zmsg raw = {.w = {KEYS_OP_SIGN, 1u << 30, 0, 4}};
    is_int(zero_call(kp.ep_sign, ZERO_CAP_NONE, &raw), 0, "raw_call_with_huge_length_returns");
    is_int((int64_t)raw.w[0], ZERR_INVAL, "key_process_refuses_a_huge_length");
    char longname[40];
    memset(longname, 'a', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    is_int(forward(&kp, KEYS_BADGE_PUBLIC, KEYS_OP_PUBLIC, longname, NULL, 0, pub, sizeof(pub)),
           ZERR_RANGE, "proxy_refuses_a_long_name");

    keys_proc_end(&kp);
    for (int i = 0; i < 1000 && thread_state(kp.thread) != ZERO_THREAD_DEAD; i++) {
        zero_yield();
    }
    is_int(thread_state(kp.thread), ZERO_THREAD_DEAD, "key_process_exits_on_stop");
    keys_wipe(&local);
}

static uint64_t free_frames(void)
{
    struct zsys r = {SYS_INFO, 0, 0, 0, 0, 0, 0};
    zsys_raw(&r);
    return r.rdi;
}

static volatile uint64_t null_page; /* 0: an address nothing maps */

/* A node that takes what init gives and then faults. */
static int faulty_node(void)
{
    struct init_given g;
    if (node_take_boot_caps(&g) != 0 || g.keys_public == ZERO_CAP_NONE) {
        return 3;
    }
    *(volatile uint64_t *)(uintptr_t)null_page = 1;
    return 4;
}

static void test_init_supervises(void)
{
    uint64_t before = free_frames();
    static const struct init_roles roles = {ROLE_FAULTY_NODE, ROLE_KEYS, 0, 0, 0, 0, 0, 0, 0, 0};
    is_int(node_init_main(&roles), ZERR_TRAP, "init_returns_when_the_node_faults_with_its_status");
    is_int((int64_t)free_frames(), (int64_t)before,
           "init_ends_the_key_process_and_every_frame_comes_back");
}

int zero_main(uint64_t arg)
{
    if (arg == ROLE_KEYS) {
        return keys_proc_serve();
    }
    if (arg == ROLE_FAULTY_NODE) {
        return faulty_node();
    }
    tap_no_plan();
    test_key_process();
    test_init_supervises();
    int status = tap_done();
    zsys3(SYS_IOPORT_OUT, ZERO_SLOT_EXIT, 0xf4, (uint64_t)status);
    return status;
}
