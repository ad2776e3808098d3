/*
 * The network service's HTTP/1.1 server (see httpd.h).
 */
#include "services/net/x86_64/httpd.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "services/axiom/service.h"
#include "services/fs/service.h"
#include "zero/zero.h"

static const char page[] = "<!doctype html><title>Zero OS</title><h1>Zero OS</h1>"
                           "<p>Served by Zero's own TCP/IP stack on x86_64.</p>\n";

static int httpd_self_handle(void *self, uint64_t badge, struct rt_msg *m)
{
    (void)self, (void)badge, (void)m;
    return ZERR_UNSUPPORTED; /* nobody calls the server through the runtime */
}

int httpd_init(struct httpd *h, net_stack *s, uint64_t axiom, uint64_t va)
{
    memset(h, 0, sizeof(*h));
    h->s = s;
    if (axiom == ZERO_CAP_NONE) {
        return 0;
    }
    struct httpd_fs *f = &h->fs;
    rt_init(&f->rt);
    f->px = (struct rtx_proxy){&f->chan, axiom};
    int err = rtx_open(&f->chan, axiom, va);
    int sid = err != 0 ? err : rt_register(&f->rt, "axiom", &f->px, rtx_forward);
    int me = sid < 0 ? sid : rt_register(&f->rt, "httpd", h, httpd_self_handle);
    int ha = me < 0 ? me
                    : rt_grant(&f->rt, (uint32_t)sid, (uint32_t)me, CAP_RIGHT_WRITE,
                               AXIOM_BADGE_READ | AXIOM_BADGE_NET_ACCEPT);
    if (ha < 0) {
        return ha;
    }
    f->me = (uint32_t)me;
    f->h_axiom = f->h_fs = (uint32_t)ha;
    f->ready = true;
    return 0;
}

int httpd_listen(struct httpd *h, uint16_t port, const char *root, const char *owner)
{
    size_t n = strlen(root), on = strlen(owner);
    if (h->listener > 0) {
        return ZERR_EXIST;
    }
    if (on == 0 || on > ID_NAME_MAX) {
        return ZERR_INVAL;
    }
    if (n > 0) {
        struct fs_node node;
        if (!h->fs.ready) {
            return ZERR_UNSUPPORTED;
        }
        if (n > FS_PATH_MAX || fs_path_problem(root, n) != NULL) {
            return ZERR_INVAL;
        }
        int err = axiom_fs_stat(&h->fs.rt, h->fs.me, h->fs.h_axiom, root, &node);
        if (err != 0 || node.kind != FS_DIR) {
            return err != 0 ? err : ZERR_PERM;
        }
    }
    int l = net_tcp_listen(h->s, port, HTTPD_CONNS);
    if (l < 0) {
        return l;
    }
    h->listener = l;
    h->port = port;
    memcpy(h->owner, owner, on + 1);
    h->files = n > 0;
    /* "/" serves "/x" as "/x", not "//x" */
    memcpy(h->root, root, n == 1 ? 1 : n + 1);
    h->root[n == 1 ? 0 : n] = '\0';
    return 0;
}

/* The end of a request head ("\r\n\r\n") in s, or NULL. */
static char *httpd_head_end(char *s)
{
    for (; *s != '\0'; s++) {
        if (s[0] == '\r' && s[1] == '\n' && s[2] == '\r' && s[3] == '\n') {
            return s;
        }
    }
    return NULL;
}

/* True when s starts with the lower-case word w, in any case. */
static bool httpd_prefix_ci(const char *s, const char *w)
{
    for (; *w != '\0'; s++, w++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c != *w) {
            return false;
        }
    }
    return true;
}

/* True when the head holds the header "Connection: close" (any case). */
static bool httpd_wants_close(const char *head)
{
    for (const char *p = head; *p != '\0'; p++) {
        if ((p[0] == '\n') && httpd_prefix_ci(p + 1, "connection:")) {
            const char *v = p + 12;
            while (*v == ' ') {
                v++;
            }
            return httpd_prefix_ci(v, "close");
        }
    }
    return false;
}

static const char *httpd_type(const char *path)
{
    size_t n = strlen(path);
    if ((n >= 5 && strcmp(path + n - 5, ".html") == 0) ||
        (n >= 4 && strcmp(path + n - 4, ".htm") == 0)) {
        return "text/html";
    }
    return n >= 4 && strcmp(path + n - 4, ".txt") == 0 ? "text/plain" : "application/octet-stream";
}

/*
 * Maps the request target of req (after the method) to a file of the
 * served directory; *size its length.  200, 400 or 404.
 */
static int httpd_resolve(struct httpd *h, struct httpd_conn *c, const char *target, uint64_t *size)
{
    size_t root = strlen(h->root), n = 0;
    while (target[n] != ' ' && target[n] != '?' && target[n] != '#' && target[n] != '\r' &&
           target[n] != '\0') {
        n++;
    }
    if (n == 0 || target[0] != '/') {
        return 400;
    }
    const char *index = n == 1 ? "/index.html" : "";
    size_t full = root + (n == 1 ? 0 : n) + strlen(index);
    if (full > FS_PATH_MAX) {
        return 404;
    }
    memcpy(c->path, h->root, root);
    memcpy(c->path + root, n == 1 ? index : target, n == 1 ? strlen(index) : n);
    c->path[full] = '\0';
    if (fs_path_problem(c->path, full) != NULL) {
        return 400;
    }
    struct fs_node node;
    int err = axiom_fs_stat(&h->fs.rt, h->fs.me, h->fs.h_axiom, c->path, &node);
    if (err != 0 || node.kind != FS_FILE) {
        return 404;
    }
    *size = node.size;
    return 200;
}

/* Queues the response to the request at the start of c->req. */
static void httpd_answer(struct httpd *h, struct httpd_conn *c, uint64_t now)
{
    char head[256];
    const char *req = c->req;
    bool get = strncmp(req, "GET ", 4) == 0;
    bool head_only = strncmp(req, "HEAD ", 5) == 0;
    uint64_t size = 0;
    int code = 501;
    const char *type = "text/html";
    if ((get || head_only) && !h->files) {
        const char *t = req + (get ? 4 : 5);
        code = strncmp(t, "/ ", 2) == 0 || strncmp(t, "/index.html ", 12) == 0 ? 200 : 404;
        size = code == 200 ? sizeof(page) - 1 : 0;
    } else if (get || head_only) {
        code = httpd_resolve(h, c, req + (get ? 4 : 5), &size);
        type = code == 200 ? httpd_type(c->path) : "text/plain";
        size = code == 200 ? size : 0;
    }
    c->close_after = httpd_wants_close(req);
    int n = zfmt_snprintf(
        head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Length: %llu\r\nContent-Type: %s\r\n%s\r\n",
        code,
        code == 200   ? "OK"
        : code == 400 ? "Bad Request"
        : code == 404 ? "Not Found"
                      : "Not Implemented",
        (unsigned long long)size, type, c->close_after ? "Connection: close\r\n" : "");
    /* the head fits: responses are queued only into an empty send buffer */
    (void)net_tcp_send(h->s, c->sock, head, (size_t)n, now);
    if (get && code == 200 && !h->files) {
        (void)net_tcp_send(h->s, c->sock, page, (size_t)size, now);
    } else if (get && code == 200) {
        c->off = 0;
        c->left = size;
    }
}

/* Moves body bytes from the file to TCP while it takes them; false: the connection failed. */
static bool httpd_stream(struct httpd *h, struct httpd_conn *c, uint64_t now)
{
    static char why[FSSVC_WHY_MAX];
    while (c->left > 0 || c->pend_len > 0) {
        if (c->pend_len == 0) {
            struct net_sock_info info;
            if (net_sock_info(h->s, c->sock, &info) != 0 || info.writable < HTTPD_CHUNK / 2) {
                return true;
            }
            size_t want = c->left < HTTPD_CHUNK ? (size_t)c->left : HTTPD_CHUNK, got = 0;
            int err = fssvc_read_call(&h->fs.rt, h->fs.me, h->fs.h_fs, c->path, c->off, c->pend,
                                      want, &got, why);
            if (err != 0 || got == 0) {
                return false; /* the file changed or is damaged: the length cannot be kept */
            }
            got = got < want ? got : want;
            c->pend_off = 0;
            c->pend_len = got;
            c->off += got;
            c->left -= got;
        }
        long w = net_tcp_send(h->s, c->sock, c->pend + c->pend_off, c->pend_len, now);
        if (w == ZERR_AGAIN) {
            return true;
        }
        if (w < 0) {
            return false;
        }
        c->pend_off += (size_t)w;
        c->pend_len -= (size_t)w;
    }
    return true;
}

/* Reads and answers requests of c; false when the connection is to end. */
static bool httpd_serve(struct httpd *h, struct httpd_conn *c, uint64_t now)
{
    if (!httpd_stream(h, c, now)) {
        return false;
    }
    long got =
        net_tcp_recv(h->s, c->sock, c->req + c->req_len, HTTPD_REQ_MAX - 1 - c->req_len, now);
    if (got == 0 || (got < 0 && got != ZERR_AGAIN)) {
        return c->left > 0 || c->pend_len > 0 ? got == 0 : false;
    }
    c->req_len += got > 0 ? (size_t)got : 0;
    c->req[c->req_len] = '\0';
    char *end;
    /* one response at a time: the next request waits until this body is queued */
    while (c->left == 0 && c->pend_len == 0 && !c->close_after &&
           (end = httpd_head_end(c->req)) != NULL) {
        httpd_answer(h, c, now);
        size_t used = (size_t)(end + 4 - c->req);
        memmove(c->req, c->req + used, c->req_len - used + 1);
        c->req_len -= used;
        if (!httpd_stream(h, c, now)) {
            return false;
        }
    }
    if (c->close_after && c->left == 0 && c->pend_len == 0) {
        return false;
    }
    return c->req_len < HTTPD_REQ_MAX - 1;
}

void httpd_step(struct httpd *h, uint64_t now)
{
    if (h->listener <= 0) {
        return;
    }
    for (int s; (s = net_tcp_accept(h->s, h->listener)) > 0;) {
        for (unsigned i = 0; i < HTTPD_CONNS; i++) {
            if (h->conn[i].sock == 0) {
                h->conn[i].sock = s;
                h->conn[i].req_len = 0;
                h->conn[i].left = h->conn[i].pend_len = 0;
                h->conn[i].close_after = false;
                s = 0;
                break;
            }
        }
        if (s > 0) {
            net_tcp_abort(h->s, s, now);
        }
    }
    for (unsigned i = 0; i < HTTPD_CONNS; i++) {
        if (h->conn[i].sock > 0 && !httpd_serve(h, &h->conn[i], now)) {
            net_tcp_close(h->s, h->conn[i].sock, now);
            h->conn[i].sock = 0;
        }
    }
}
