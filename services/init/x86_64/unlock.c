/* The terminal's side of a sealed key slot on x86_64 (see unlock.h). */
#include "services/init/x86_64/unlock.h"

#include "base/errors.h"
#include "base/string.h"
#include "crypto/ct.h"
#include "hal/hal.h"
#include "services/init/x86_64/keys_proc.h"
#include "services/init/x86_64/split.h"
#include "services/keys/slot.h"
#include "zero/zero.h"

#define UNLOCK_VA (SPLIT_CLIENT_VA + 8 * RTX_BUF_LEN) /* past the terminal's service channels */
#define UNLOCK_TRIES 3
#define UNLOCK_POLL_MS 50u
#define UNLOCK_POLLS 1200u /* a minute for the node to read its key slot */

static struct {
    struct rtx_chan chan;
    uint64_t ep;
    bool open;
} ul = {.ep = ZERO_CAP_NONE};

/* The key process's state (KP_STATE_*), or a ZERR_* code. */
static int unlock_state(void)
{
    size_t out_len = 0;
    int err = rtx_call(&ul.chan, ul.ep, KP_OP_STATE, 0, 0, 0, &out_len);
    return err != 0 ? err : out_len == 1 ? ul.chan.buf[0] : ZERR_CORRUPT;
}

/* Gives pass (len bytes, 0: none) to the key process; its answer. */
static int unlock_pass(const char *pass, size_t len)
{
    size_t out_len = 0;
    if (!ul.open) {
        return ZERR_BADCAP;
    }
    if (len > KEYSLOT_PASS_MAX) {
        return ZERR_BADSIG;
    }
    memcpy(ul.chan.buf, pass, len);
    int err = rtx_call(&ul.chan, ul.ep, KP_OP_PASS, 0, 0, len, &out_len);
    secure_zero(ul.chan.buf, len);
    return err;
}

/* Waits until the node has handed its key slot to the key process; the state or ZERR_*. */
static int unlock_wait_node(void)
{
    int64_t timer = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    int st = unlock_state();
    for (uint32_t i = 0; timer >= 0 && st == KP_STATE_NONE && i < UNLOCK_POLLS; i++) {
        uint64_t bits;
        zsys3(SYS_TIMER, (uint64_t)timer, UNLOCK_POLL_MS * 1000000ull, 0);
        zero_wait((uint64_t)timer, &bits, 1);
        st = unlock_state();
    }
    if (timer >= 0) {
        zsys3(SYS_CAP_DELETE, (uint64_t)timer, 0, 0);
    }
    return st;
}

int unlock_at_start(struct term *t, uint64_t ep)
{
    static char pass[KEYSLOT_PASS_MAX];
    if (ep == ZERO_CAP_NONE || rtx_open(&ul.chan, ep, UNLOCK_VA) != 0) {
        return 0; /* no key process to unlock: the Axiom's answer will say what is wrong */
    }
    ul.ep = ep;
    ul.open = true;
    if (unlock_wait_node() != KP_STATE_LOCKED) {
        return 0;
    }
    t->echo = hal_console_echo;
    term_printf(t, "the key slot of this node's disk is sealed\n");
    for (int tries = 0; tries < UNLOCK_TRIES; tries++) {
        long len = term_read_secret(t, "passphrase: ", pass, sizeof(pass));
        if (len == ZERR_IO) {
            term_printf(t, "no passphrase: the key slot stays sealed\n");
            return ZERR_IO;
        }
        int err = len > 0 ? unlock_pass(pass, (size_t)len) : ZERR_BADSIG;
        secure_zero(pass, sizeof(pass));
        if (err == 0) {
            term_printf(t, "key slot unlocked\n");
            return 0;
        }
        if (err != ZERR_BADSIG) {
            term_printf(t, "error: cannot unlock the key slot: %s\n", zerr_text(err));
            return err;
        }
        term_printf(t, "denied: wrong passphrase (nothing changed)\n");
    }
    term_printf(t, "denied: %d wrong passphrases: the key slot stays sealed\n", UNLOCK_TRIES);
    return ZERR_BADSIG;
}

int unlock_check_pass(void *ctx, const char *pass, size_t len)
{
    (void)ctx;
    return unlock_pass(pass, pass == NULL ? 0 : len);
}
