/*
 * The socket server of zero-hosted --listen.  Every connection has a
 * bounded input buffer (one message) and a bounded output queue: while its
 * replies wait unread, the server reads nothing more from it, so a client
 * that floods or never reads slows only itself.  A round takes up to
 * LS_ROUND_MSGS messages from each connection in turn, which keeps clients
 * fair, and proposes every signed proposal among them into the open batch;
 * one flush at the end of the round makes them all durable (group commit),
 * and only then are their "committed" replies released.
 */
#include "tools/zero-hosted/listen.h"

#if ZERO_PLATFORM_HOSTED

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/service.h"
#include "services/listen/frame.h"

#define LS_MAX_CONN 64
#define LS_MSG_MAX 2048u                         /* largest request body */
#define LS_OUT_MAX 16384u                        /* bytes of replies queued per connection */
#define LS_OUT_PAUSE 8192u                       /* stop reading a connection above this */
#define LS_REPLY_MAX (2u * AX_RECEIPT_MAX + 64u) /* largest reply body (a receipt as hex) */
#define LS_CMDS_MAX 64u
#define LS_ROUND_MSGS 16 /* messages taken from one connection per round */

enum { LS_PROPOSAL = 1, LS_HEAD = 2, LS_ENTRY = 3, LS_RECEIPT = 4, LS_LOGIN = 5 };

struct ls_conn {
    int fd; /* -1: free */
    uint8_t in[4 + LS_MSG_MAX];
    size_t in_len;
    uint8_t out[LS_OUT_MAX];
    size_t out_off, out_len;
    bool closing; /* close once out is written */
    bool holding; /* out[held_from..] waits for the round's flush */
    size_t held_from;
};

static struct {
    struct node *n;
    struct term *t; /* the console, for log-in answers */
    char path[108];
    int lfd, wake[2];
    pthread_t thread;
    bool running;
    struct ls_conn conn[LS_MAX_CONN];
    struct ax_state *scratch; /* replay state for entry queries */
    unsigned pending;         /* entries proposed this round, not yet flushed */
} ls = {.lfd = -1, .wake = {-1, -1}};

static pthread_mutex_t node_lock = PTHREAD_MUTEX_INITIALIZER;
static struct term_cmd locked_cmds[LS_CMDS_MAX];

/* ---- terminal commands under the lock ---- */

static int locked_run(struct term *t, int argc, char **argv)
{
    int err = ZERR_INVAL;
    pthread_mutex_lock(&node_lock);
    for (size_t i = 0; i < shell_ncmds; i++) {
        if (strcmp(shell_cmds[i].name, argv[0]) == 0) {
            err = shell_cmds[i].run(t, argc, argv);
            break;
        }
    }
    pthread_mutex_unlock(&node_lock);
    return err;
}

const struct term_cmd *listen_locked_cmds(size_t *n)
{
    *n = shell_ncmds < LS_CMDS_MAX ? shell_ncmds : LS_CMDS_MAX;
    for (size_t i = 0; i < *n; i++) {
        locked_cmds[i] = shell_cmds[i];
        locked_cmds[i].run = locked_run;
    }
    return locked_cmds;
}

/* ---- replies ---- */

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Queues one reply frame (length, text) on c; a reply that does not fit
 * closes the connection after what is queued. */
static void reply(struct ls_conn *c, const char *fmt, ...)
{
    static char body[LS_REPLY_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(body, sizeof(body), fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : ((size_t)n < sizeof(body) ? (size_t)n : sizeof(body) - 1);
    if (c->out_len + 4 + len > LS_OUT_MAX) {
        c->closing = true;
        return;
    }
    uint8_t *p = c->out + c->out_len;
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(len >> (8 * i));
    }
    memcpy(p + 4, body, len);
    c->out_len += 4 + len;
}

/* ---- requests (called with the node lock held) ---- */

static void do_proposal(struct ls_conn *c, const uint8_t *body, size_t len)
{
    struct ax_action a;
    struct axiom_result res;
    char hex[2 * AX_HASH_LEN + 1];
    struct node *n = ls.n;
    int err = ax_proposal_decode(body, len, &a);
    if (err != 0) {
        reply(c, "error: not a signed proposal (%s)\n", zerr_text(err));
        return;
    }
    err = axiom_propose_held(&n->rt, n->sid_term, n->shell.h_axiom, &a, &res);
    if (err == 0) {
        if (!c->holding) {
            c->holding = true;
            c->held_from = c->out_len;
        }
        ls.pending++;
        zfmt_hex(hex, res.hash, AX_HASH_LEN);
        reply(c, "committed #%llu %s\n", (unsigned long long)res.seq, hex);
    } else {
        bool refused = err == ZERR_DENIED || err == ZERR_PERM || err == ZERR_BADSIG ||
                       err == ZERR_EXIST || err == ZERR_NOENT;
        reply(c, "%s: %s\n", refused ? "denied" : "error",
              res.why[0] != '\0' ? res.why : zerr_text(err));
    }
}

static void do_head(struct ls_conn *c)
{
    struct axiom_head h;
    char a[65], b[65], t[65];
    struct node *n = ls.n;
    int err = axiom_get_head(&n->rt, n->sid_term, n->shell.h_axiom, &h);
    if (err != 0) {
        reply(c, "error: %s\n", zerr_text(err));
        return;
    }
    zfmt_hex(a, h.head, AX_HASH_LEN);
    zfmt_hex(b, h.state_root, AX_HASH_LEN);
    zfmt_hex(t, h.tree_root, AX_HASH_LEN);
    reply(c, "head #%llu %s state %s tree %s\n", (unsigned long long)(h.entries - 1), a, b, t);
}

struct entry_find {
    uint64_t seq;
    bool found;
    char text[LS_REPLY_MAX];
};

static void entry_found(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    static uint8_t bytes[AX_ENTRY_MAX];
    struct entry_find *f = arg;
    char hex[2 * AX_HASH_LEN + 1];
    size_t len = 0;
    if (e->seq != f->seq || ax_entry_encode(e, bytes, sizeof(bytes), &len) != 0) {
        return;
    }
    zfmt_hex(hex, hash, AX_HASH_LEN);
    int n = snprintf(f->text, sizeof(f->text), "entry #%llu %s ", (unsigned long long)e->seq, hex);
    if (n > 0 && (size_t)n + 2 * len + 2 <= sizeof(f->text)) {
        zfmt_hex(f->text + n, bytes, len);
        strcat(f->text, "\n");
        f->found = true;
    }
}

/* The entry with sequence seq, read back from the disk (a replay: it costs
 * a pass over the log, and shows what is durable, nothing else). */
static void do_entry(struct ls_conn *c, uint64_t seq)
{
    static struct entry_find f;
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    memset(&f, 0, sizeof(f));
    f.seq = seq;
    ax_replay_init(&r, ls.scratch, entry_found, &f);
    int err = axiom_replay_device(ls.n->dev, &r, &kind, &tail);
    if (f.found) {
        reply(c, "%s", f.text);
    } else {
        reply(c, "error: %s\n", err == 0 ? "no entry with that sequence number" : r.why);
    }
}

/* The receipt of entry seq (docs/formats.md, "Receipt"), from the Axiom. */
static void do_receipt(struct ls_conn *c, uint64_t seq)
{
    static uint8_t receipt[AX_RECEIPT_MAX];
    static char hex[2 * AX_RECEIPT_MAX + 1];
    uint8_t in[8];
    struct node *n = ls.n;
    for (int i = 0; i < 8; i++) {
        in[i] = (uint8_t)(seq >> (8 * i));
    }
    struct rt_msg m = {AXIOM_OP_RECEIPT, in, sizeof(in), receipt, sizeof(receipt), 0};
    int err = rt_call(&n->rt, n->sid_term, n->shell.h_axiom, &m);
    if (err != 0) {
        reply(c, "error: %s\n",
              err == ZERR_NOENT ? "no entry with that sequence number" : zerr_text(err));
        return;
    }
    zfmt_hex(hex, receipt, m.out_len);
    reply(c, "receipt #%llu %s\n", (unsigned long long)seq, hex);
}

/* The answer to the console's log-in challenge (docs/identity.md): the
 * terminal's own check, under the lock its commands run under. */
static void do_login(struct ls_conn *c, const uint8_t *body, size_t len)
{
    struct lsn_req req;
    char sighex[2 * LSN_SIG_LEN + 1], why[160];
    if (lsn_req_decode(body, len, &req) != 0) {
        reply(c, "error: a log-in answer is a name, a NUL and a 64-byte signature\n");
        return;
    }
    zfmt_hex(sighex, req.sig, LSN_SIG_LEN);
    shell_login_answer(ls.t, req.name, sighex, why, sizeof(why));
    reply(c, "%s\n", why);
}

/* Handles the complete message at the start of c->in (length len); the
 * caller holds the node lock. */
static void handle(struct ls_conn *c, const uint8_t *body, size_t len)
{
    if (body[0] == LS_PROPOSAL) {
        do_proposal(c, body + 1, len - 1);
    } else if (body[0] == LS_HEAD && len == 1) {
        do_head(c);
    } else if (body[0] == LS_ENTRY && len == 9) {
        uint64_t seq = get32(body + 1) | (uint64_t)get32(body + 5) << 32;
        do_entry(c, seq);
    } else if (body[0] == LS_RECEIPT && len == 9) {
        do_receipt(c, get32(body + 1) | (uint64_t)get32(body + 5) << 32);
    } else if (body[0] == LS_LOGIN) {
        do_login(c, body, len);
    } else {
        reply(c, "error: unknown request (type %u, %zu bytes)\n", body[0], len);
    }
}

/* Ends a round: one flush for every entry proposed in it, then releases
 * the held replies; if the flush fails, nothing held is ever sent (those
 * connections are closed after their earlier replies). */
static void round_commit(void)
{
    struct node *n = ls.n;
    int err = 0;
    if (ls.pending > 0) {
        err = axiom_commit_held(&n->rt, n->sid_term, n->shell.h_axiom);
        ls.pending = 0;
    }
    for (int i = 0; i < LS_MAX_CONN; i++) {
        struct ls_conn *c = &ls.conn[i];
        if (c->fd >= 0 && c->holding && err != 0) {
            c->out_len = c->held_from;
            c->closing = true;
        }
        c->holding = false;
    }
}

/* ---- connections ---- */

static void conn_close(struct ls_conn *c)
{
    close(c->fd);
    c->fd = -1;
}

/* Reads toward the end of c's header or body; returns 1 if bytes came, 0
 * if none wait, -1 if the connection is gone (then closed). */
static int conn_fill(struct ls_conn *c)
{
    size_t want = c->in_len < 4 ? 4 : 4 + get32(c->in);
    ssize_t r = read(c->fd, c->in + c->in_len, want - c->in_len);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
        conn_close(c); /* a half message dies with its connection */
        return -1;
    }
    c->in_len += r > 0 ? (size_t)r : 0;
    return r > 0;
}

/* Reads what c has sent, up to one whole message (its header, then its
 * body); handles it if complete and returns true then. */
static bool conn_read_one(struct ls_conn *c)
{
    for (int step = 0; step < 2 && !c->closing; step++) {
        if (conn_fill(c) <= 0 || c->in_len < 4) {
            return false;
        }
        uint32_t len = get32(c->in);
        if (len == 0 || len > LS_MSG_MAX) {
            reply(c, "error: a message is 1 to %u bytes, not %u\n", LS_MSG_MAX, len);
            c->closing = true; /* an oversized header: nothing more is read */
            return false;
        }
        if (c->in_len == 4 + (size_t)len) {
            handle(c, c->in + 4, len);
            c->in_len = 0;
            return true;
        }
    }
    return false;
}

/* Takes up to LS_ROUND_MSGS whole messages from c, while its replies fit. */
static void conn_read(struct ls_conn *c)
{
    for (int k = 0; k < LS_ROUND_MSGS && conn_read_one(c); k++) {
        if (c->fd < 0 || c->out_len - c->out_off >= LS_OUT_PAUSE) {
            break;
        }
    }
}

static void conn_write(struct ls_conn *c)
{
    ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
    if (w < 0 && errno != EAGAIN && errno != EINTR) {
        conn_close(c);
        return;
    }
    c->out_off += w > 0 ? (size_t)w : 0;
    if (c->out_off == c->out_len) {
        c->out_off = c->out_len = 0;
        if (c->closing) {
            conn_close(c);
        }
    } else if (c->out_off > LS_OUT_MAX / 2) {
        memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
        c->out_len -= c->out_off;
        c->out_off = 0;
    }
}

static void accept_one(void)
{
    int fd = accept(ls.lfd, NULL, NULL);
    if (fd < 0) {
        return;
    }
    for (int i = 0; i < LS_MAX_CONN; i++) {
        if (ls.conn[i].fd < 0) {
            struct ls_conn *c = &ls.conn[i];
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
            c->fd = fd;
            c->in_len = c->out_off = c->out_len = 0;
            c->closing = c->holding = false;
            return;
        }
    }
    close(fd); /* full: the client sees its connection closed and may retry */
}

/* Builds the poll set: wake pipe, listener (while a slot is free), then
 * each connection for what it can do now. */
static nfds_t poll_set(struct pollfd *p, int *who)
{
    nfds_t n = 0;
    bool slot = false;
    p[n++] = (struct pollfd){.fd = ls.wake[0], .events = POLLIN};
    for (int i = 0; i < LS_MAX_CONN; i++) {
        struct ls_conn *c = &ls.conn[i];
        if (c->fd < 0) {
            slot = true;
            continue;
        }
        short ev = c->out_len > c->out_off ? POLLOUT : 0;
        if (!c->closing && c->out_len - c->out_off < LS_OUT_PAUSE) {
            ev |= POLLIN;
        }
        who[n] = i;
        p[n++] = (struct pollfd){.fd = c->fd, .events = ev};
    }
    if (slot) {
        who[n] = -1;
        p[n++] = (struct pollfd){.fd = ls.lfd, .events = POLLIN};
    }
    return n;
}

static void *serve(void *arg)
{
    struct pollfd p[LS_MAX_CONN + 2];
    int who[LS_MAX_CONN + 2];
    (void)arg;
    for (;;) {
        nfds_t n = poll_set(p, who);
        if (poll(p, n, -1) < 0 && errno != EINTR) {
            break;
        }
        if (p[0].revents != 0) {
            break; /* listen_stop */
        }
        pthread_mutex_lock(&node_lock);
        for (nfds_t i = 1; i < n; i++) {
            if (who[i] < 0) {
                if (p[i].revents & POLLIN) {
                    accept_one();
                }
                continue;
            }
            struct ls_conn *c = &ls.conn[who[i]];
            if (c->fd >= 0 && (p[i].revents & POLLOUT)) {
                conn_write(c);
            }
            if (c->fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                conn_read(c);
            }
        }
        round_commit();
        pthread_mutex_unlock(&node_lock);
    }
    return NULL;
}

/* Removes a socket file nobody listens on; refuses anything else. */
static int clear_path(const struct sockaddr_un *sa)
{
    struct stat st;
    if (lstat(sa->sun_path, &st) != 0) {
        return errno == ENOENT ? 0 : ZERR_IO;
    }
    if (!S_ISSOCK(st.st_mode)) {
        return ZERR_EXIST;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bool live = fd >= 0 && connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) == 0;
    if (fd >= 0) {
        close(fd);
    }
    return live ? ZERR_BUSY : (unlink(sa->sun_path) == 0 ? 0 : ZERR_IO);
}

static int bind_socket(const char *path)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        return ZERR_RANGE;
    }
    strcpy(sa.sun_path, path);
    int err = clear_path(&sa);
    if (err != 0) {
        return err;
    }
    ls.lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (ls.lfd < 0 || bind(ls.lfd, (const struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(ls.lfd, 128) != 0) {
        return ZERR_IO;
    }
    fcntl(ls.lfd, F_SETFL, fcntl(ls.lfd, F_GETFL) | O_NONBLOCK);
    strcpy(ls.path, path);
    return 0;
}

int listen_start(struct node *n, struct term *t, const char *path)
{
    ls.n = n;
    ls.t = t;
    for (int i = 0; i < LS_MAX_CONN; i++) {
        ls.conn[i].fd = -1;
    }
    ls.scratch = malloc(sizeof(*ls.scratch));
    int err = ls.scratch == NULL ? ZERR_NOMEM : bind_socket(path);
    if (err == 0 && pipe(ls.wake) != 0) {
        err = ZERR_IO;
    }
    if (err == 0 && pthread_create(&ls.thread, NULL, serve, NULL) != 0) {
        err = ZERR_NOMEM;
    }
    if (err != 0) {
        fprintf(stderr, "zero-hosted: cannot listen on %s: %s\n", path,
                err == ZERR_EXIST  ? "a file that is no socket is there"
                : err == ZERR_BUSY ? "another node listens there"
                                   : zerr_text(err));
        listen_stop();
        return err;
    }
    ls.running = true;
    return 0;
}

void listen_stop(void)
{
    if (ls.running) {
        if (write(ls.wake[1], "x", 1) != 1) {
            fprintf(stderr, "zero-hosted: cannot stop the socket server\n");
        }
        pthread_join(ls.thread, NULL);
        ls.running = false;
    }
    for (int i = 0; i < LS_MAX_CONN; i++) {
        if (ls.conn[i].fd >= 0) {
            conn_close(&ls.conn[i]);
        }
    }
    for (int i = 0; i < 2; i++) {
        if (ls.wake[i] >= 0) {
            close(ls.wake[i]);
            ls.wake[i] = -1;
        }
    }
    if (ls.lfd >= 0) {
        close(ls.lfd);
        ls.lfd = -1;
        unlink(ls.path);
    }
    free(ls.scratch);
    ls.scratch = NULL;
}

#endif /* ZERO_PLATFORM_HOSTED */
