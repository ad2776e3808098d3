/* The svc commands between the terminal and init (see svcd.h). */
#include "services/init/x86_64/svcd.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/terminal/proc.h"
#include "services/terminal/terminal.h"
#include "svcrt/wire.h"
#include "svcrt/x86_64/rtx.h"
#include "zero/zero.h"

#define SVCD_SERVE_VA 0x0000600000000000ull
#define SVCD_STACK 16384

/* ---- init's server thread ------------------------------------------------------ */

static struct svcd_box box;
static uint64_t svcd_wake, svcd_done_ntfn;
static volatile int svcd_waiting; /* a request is in the box */
static uint8_t svcd_stack[SVCD_STACK] __attribute__((aligned(16)));
static uint64_t svcd_ep;

/* Decodes a request into the box; 0 or ZERR_INVAL. */
static int svcd_decode(const struct rt_msg *m)
{
    struct wire_in r;

    memset(&box, 0, sizeof(box));
    box.op = m->op;
    wire_in_init(&r, m->in, m->in_len);
    if (m->op == SVCD_OP_ACT) {
        box.kind = wire_get_u8(&r);
    }
    if (m->op == SVCD_OP_PREPARE || m->op == SVCD_OP_ACT) {
        wire_get_str(&r, box.name, sizeof(box.name));
    }
    int err = wire_in_end(&r);
    if (err == 0 && m->op != SVCD_OP_LIST && m->op != SVCD_OP_CAPS && box.name[0] == '\0') {
        err = ZERR_INVAL;
    }
    return m->op < SVCD_OP_LIST || m->op > SVCD_OP_CAPS ? ZERR_UNSUPPORTED : err;
}

static int svcd_encode(struct rt_msg *m)
{
    struct wire_out w;

    wire_out_init(&w, m->out, m->out_cap);
    if (box.op == SVCD_OP_LIST) {
        wire_u32(&w, box.nrows);
        for (uint32_t i = 0; i < box.nrows; i++) {
            const struct shell_svc_row *row = &box.rows[i];
            wire_str(&w, row->name, sizeof(row->name));
            wire_u64(&w, row->pid);
            wire_str(&w, row->state, sizeof(row->state));
            wire_u32(&w, row->restarts);
            wire_str(&w, row->last, sizeof(row->last));
        }
    } else if (box.op == SVCD_OP_PREPARE) {
        wire_str(&w, box.why, sizeof(box.why));
    } else if (box.op == SVCD_OP_ACT) {
        wire_str(&w, box.out, sizeof(box.out));
    }
    int err = wire_out_end(&w, &m->out_len);
    return err != 0 ? err : box.result;
}

static int svcd_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self;
    (void)badge;
    int err = svcd_decode(m);
    if (err != 0) {
        return err;
    }
    svcd_waiting = 1;
    zero_signal(svcd_wake);
    uint64_t bits = 0;
    zero_wait(svcd_done_ntfn, &bits, 1);
    return svcd_encode(m);
}

static void svcd_thread(void)
{
    int err = rtx_serve_rt(svcd_ep, SVCD_SERVE_VA, svcd_handle, NULL);
    zprintf("init: the svc endpoint stopped: %s\n", zerr_name(err));
    /* parks: leaving would end init's process, and with it the node */
    int64_t park = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    for (;;) {
        uint64_t bits = 0;
        zero_wait(park >= 0 ? (uint64_t)park : svcd_done_ntfn, &bits, 1);
    }
}

int svcd_start(uint64_t ep, uint64_t wake)
{
    int64_t done = zsys3(SYS_NTFN_CREATE, 0, 0, 0);
    if (done < 0) {
        return (int)done;
    }
    svcd_ep = ep;
    svcd_wake = wake;
    svcd_done_ntfn = (uint64_t)done;
    uint64_t top = (uint64_t)(uintptr_t)(svcd_stack + sizeof(svcd_stack)) - 8;
    int64_t th = zsys4(SYS_THREAD_CREATE, (uint64_t)(uintptr_t)svcd_thread, top, 0, 10);
    return th < 0 ? (int)th : 0;
}

struct svcd_box *svcd_pending(void)
{
    return svcd_waiting ? &box : NULL;
}

void svcd_done(void)
{
    svcd_waiting = 0;
    zero_signal(svcd_done_ntfn);
}

/* ---- the terminal's side -------------------------------------------------------- */

static struct rtx_chan svcd_chan;
static uint64_t svcd_client_ep = ZERO_CAP_NONE, svcd_client_va;
static bool svcd_open;
static struct shell_svc_backend svcd_backend;

/* Sends the in_len request bytes in the channel's buffer; the reply's length in *n. */
static int svcd_call(uint32_t op, size_t in_len, size_t *n)
{
    if (!svcd_open) {
        int err = rtx_open(&svcd_chan, svcd_client_ep, svcd_client_va);
        if (err != 0) {
            return err;
        }
        svcd_open = true;
    }
    return rtx_call(&svcd_chan, svcd_client_ep, op, RTX_BUF_LEN, 0, in_len, n);
}

static int svcd_list(void *ctx, struct shell_svc_row *rows, size_t cap, size_t *n)
{
    struct wire_in r;
    size_t len = 0;
    (void)ctx;
    *n = 0;
    int err = svcd_call(SVCD_OP_LIST, 0, &len);
    if (err != 0) {
        return err;
    }
    wire_in_init(&r, svcd_chan.buf, len);
    uint32_t k = wire_get_u32(&r);
    for (uint32_t i = 0; i < k && *n < cap; i++) {
        struct shell_svc_row *row = &rows[(*n)++];
        wire_get_str(&r, row->name, sizeof(row->name));
        row->pid = wire_get_u64(&r);
        wire_get_str(&r, row->state, sizeof(row->state));
        row->restarts = wire_get_u32(&r);
        wire_get_str(&r, row->last, sizeof(row->last));
    }
    return k > cap ? ZERR_RANGE : wire_in_end(&r);
}

/* Puts the request (kind when act) into the buffer; its length, or 0 if name does not fit. */
static size_t svcd_put(uint32_t op, uint8_t kind, const char *name)
{
    struct wire_out w;
    size_t len = 0;
    if (strlen(name) >= SVCD_NAME) {
        return 0;
    }
    wire_out_init(&w, svcd_chan.buf, RTX_BUF_LEN);
    if (op == SVCD_OP_ACT) {
        wire_u8(&w, kind);
    }
    wire_str(&w, name, SVCD_NAME);
    return wire_out_end(&w, &len) == 0 ? len : 0;
}

/* Prepare or act: the reply's one string into text. */
static int svcd_text(uint32_t op, uint8_t kind, const char *name, char *text, size_t cap)
{
    static uint8_t buf[SVCD_OUT];
    struct wire_in r;
    size_t len = 0;
    if (!svcd_open) {
        size_t dummy = 0;
        int e = svcd_call(SVCD_OP_LIST, 0, &dummy); /* opens the channel */
        if (e != 0) {
            return e;
        }
    }
    size_t in = svcd_put(op, kind, name);
    if (in == 0) {
        zfmt_snprintf(text, cap, "no service called '%s' (svc list)", name);
        return ZERR_NOENT;
    }
    int err = svcd_call(op, in, &len);
    wire_in_init(&r, svcd_chan.buf, len);
    wire_get_str(&r, (char *)buf, op == SVCD_OP_ACT ? SVCD_OUT : SVCD_WHY);
    if (len != 0 && wire_in_end(&r) == 0) {
        zfmt_snprintf(text, cap, "%s", (const char *)buf);
    }
    return err;
}

static int svcd_prepare(void *ctx, const char *name, char *why, size_t cap)
{
    (void)ctx;
    return svcd_text(SVCD_OP_PREPARE, 0, name, why, cap);
}

static int svcd_act(void *ctx, uint8_t kind, const char *name, char *out, size_t cap)
{
    (void)ctx;
    return svcd_text(SVCD_OP_ACT, kind, name, out, cap);
}

/* `caps`: init prints the kernel's listing of every service process, then replies. */
static int svcd_caps(struct term *t)
{
    size_t len = 0;
    int err = svcd_call(SVCD_OP_CAPS, 0, &len);
    if (err != 0) {
        term_printf(t, "caps: init did not list them (%s)\n", zerr_name(err));
    }
    return err;
}

void svcd_attach_terminal(uint64_t ep, uint64_t va)
{
    if (ep == ZERO_CAP_NONE) {
        return;
    }
    svcd_client_ep = ep;
    svcd_client_va = va;
    svcd_backend = (struct shell_svc_backend){NULL, svcd_list, svcd_prepare, svcd_act};
    shell_svc_attach(&svcd_backend);
    shell_proc_caps_attach(svcd_caps);
}
