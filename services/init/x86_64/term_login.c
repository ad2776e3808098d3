/* Log-in answers relayed by the COM2 server, in the terminal's process (see term_login.h). */
#include "services/init/x86_64/term_login.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/init/x86_64/split.h"
#include "services/listen/frame.h"
#include "services/terminal/shell.h"
#include "zero/zero.h"

#define TL_CMDS_MAX 64u
#define TL_STACK (32u * 1024u)

static int tl_lock_word; /* 1 while a command or a log-in check runs */
static struct term *tl_term;
static struct term_cmd tl_cmds[TL_CMDS_MAX];
static uint8_t tl_stack[TL_STACK] __attribute__((aligned(16)));

static void tl_lock(void)
{
    while (__atomic_exchange_n(&tl_lock_word, 1, __ATOMIC_ACQUIRE) != 0) {
        zero_yield();
    }
}

static void tl_unlock(void)
{
    __atomic_store_n(&tl_lock_word, 0, __ATOMIC_RELEASE);
}

/* Runs the shell's command argv[0] under the lock. */
static int tl_run(struct term *t, int argc, char **argv)
{
    int err = ZERR_INVAL;
    tl_lock();
    for (size_t i = 0; i < shell_ncmds; i++) {
        if (strcmp(shell_cmds[i].name, argv[0]) == 0) {
            err = shell_cmds[i].run(t, argc, argv);
            break;
        }
    }
    tl_unlock();
    return err;
}

const struct term_cmd *term_login_cmds(size_t *n)
{
    *n = shell_ncmds < TL_CMDS_MAX ? shell_ncmds : TL_CMDS_MAX;
    for (size_t i = 0; i < *n; i++) {
        tl_cmds[i] = shell_cmds[i];
        tl_cmds[i].run = tl_run;
    }
    return tl_cmds;
}

/* LSN_TERM_OP_LOGIN from the COM2 server: in, a type-5 request body; out, the answer's text. */
static int tl_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    struct lsn_req req;
    char sighex[2 * LSN_SIG_LEN + 1], why[160];

    (void)self;
    if ((badge & LSN_TERM_BADGE_LOGIN) == 0 || m->op != LSN_TERM_OP_LOGIN) {
        return ZERR_PERM;
    }
    if (lsn_req_decode(m->in, m->in_len, &req) != 0 || req.type != LSN_LOGIN) {
        return ZERR_INVAL;
    }
    zfmt_hex(sighex, req.sig, LSN_SIG_LEN);
    tl_lock();
    int err = shell_login_answer(tl_term, req.name, sighex, why, sizeof(why));
    tl_unlock();
    size_t n = zfmt_snprintf((char *)m->out, m->out_cap, "%s\n", why);
    m->out_len = n < m->out_cap ? n : 0;
    return err;
}

static void tl_thread(void)
{
    int err = rtx_serve_rt(ZERO_SLOT_EP, SPLIT_SERVE_VA, tl_handle, NULL);
    zprintf("terminal: log-in answers from COM2 stopped: %s\n", zerr_name(err));
    int64_t park = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    for (;;) { /* parks: leaving would end the terminal's process */
        uint64_t bits = 0;
        if (park < 0) {
            zero_yield();
        } else {
            zero_wait((uint64_t)park, &bits, 1);
        }
    }
}

int term_login_start(struct term *t)
{
    tl_term = t;
    uint64_t top = (uint64_t)(uintptr_t)(tl_stack + sizeof(tl_stack)) - 8;
    int64_t th = zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)tl_thread, top, 0, 10);
    if (th < 0) {
        return (int)th;
    }
    zsys3(SYS_CAP_DELETE, (uint64_t)th, 0, 0); /* the thread runs on; nobody needs to stop it */
    return 0;
}
