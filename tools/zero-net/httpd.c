/*
 * httpd DIR [PORT]: a small HTTP/1.1 server on lib/net serving the regular
 * files under DIR read-only.  GET and HEAD; persistent connections (HTTP/1.1
 * default, "Connection: close" and HTTP/1.0 end them); Content-Length on
 * every response; 404 for what is not there, 400 for a malformed request,
 * 501 for other methods.  Pipelined requests are answered in order.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "base/errors.h"

enum { HTTP_CONNS = 12, HTTP_REQ_MAX = 8192, HTTP_OUT = 32768 };

struct http_conn {
    int sock; /* 0: free */
    bool responding, close_after;
    int fd; /* body file, -1 when none */
    uint64_t body_left;
    size_t req_len, out_len, out_off;
    char req[HTTP_REQ_MAX];
    char out[HTTP_OUT];
};

static struct {
    int listener;
    int dirfd;
    struct http_conn c[HTTP_CONNS];
} H;

int httpd_init(struct node *n, int argc, char **argv)
{
    uint16_t port = 80;
    if (argc < 1 || argc > 2 || (argc == 2 && node_parse_port(argv[1], &port) != 0)) {
        fprintf(stderr, "usage: zero-net ... httpd DIR [PORT]\n");
        return ZERR_INVAL;
    }
    H.dirfd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (H.dirfd < 0) {
        fprintf(stderr, "zero-net: httpd: cannot open directory %s\n", argv[0]);
        return ZERR_INVAL;
    }
    H.listener = net_tcp_listen(n->s, port, HTTP_CONNS);
    if (H.listener < 0) {
        fprintf(stderr, "zero-net: httpd: cannot listen on %u: %s\n", port, zerr_text(H.listener));
        return ZERR_INVAL;
    }
    printf("httpd: serving %s on port %u\n", argv[0], port);
    return 0;
}

/* Queues the status line and headers of a response. */
static void http_head(struct http_conn *c, int status, const char *reason, uint64_t length)
{
    c->out_len = (size_t)snprintf(c->out, sizeof(c->out),
                                  "HTTP/1.1 %d %s\r\nServer: Zero OS\r\nContent-Length: %llu\r\n"
                                  "Content-Type: %s\r\nConnection: %s\r\n\r\n",
                                  status, reason, (unsigned long long)length,
                                  status == 200 ? "application/octet-stream" : "text/plain",
                                  c->close_after ? "close" : "keep-alive");
    c->out_off = 0;
    c->responding = true;
}

/* An error response with a one-line body. */
static void http_error(struct http_conn *c, int status, const char *reason, bool head)
{
    char body[64];
    int len = snprintf(body, sizeof(body), "%d %s\n", status, reason);
    http_head(c, status, reason, (uint64_t)len);
    if (!head && c->out_len + (size_t)len <= sizeof(c->out)) {
        memcpy(c->out + c->out_len, body, (size_t)len);
        c->out_len += (size_t)len;
    }
}

/* Opens the file a request path names under the served directory, or -1. */
static int http_open(const char *path, size_t len, uint64_t *size)
{
    char rel[512];
    if (len == 0 || path[0] != '/' || len >= sizeof(rel)) {
        return -1;
    }
    memcpy(rel, path + 1, len - 1);
    rel[len - 1] = '\0';
    if (rel[0] == '\0') {
        strcpy(rel, "index.html");
    }
    if (strstr(rel, "..") != NULL || rel[0] == '/') {
        return -1;
    }
    int fd = openat(H.dirfd, rel, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (fd >= 0) {
        *size = (uint64_t)st.st_size;
    }
    return fd;
}

/* True when the header block (hdr, len bytes) has "Connection: close". */
static bool http_wants_close(const char *hdr, size_t len)
{
    static const char name[] = "\r\nconnection:";
    for (size_t i = 0; i + sizeof(name) - 1 < len; i++) {
        if (strncasecmp(hdr + i, name, sizeof(name) - 1) == 0) {
            const char *v = hdr + i + sizeof(name) - 1;
            while (*v == ' ') {
                v++;
            }
            return strncasecmp(v, "close", 5) == 0;
        }
    }
    return false;
}

/* Parses one request (end: the length up to and including the blank line) and starts the
 * response. */
static void http_request(struct http_conn *c, size_t end)
{
    char *req = c->req;
    char *sp1 = memchr(req, ' ', end);
    char *sp2 = sp1 != NULL ? memchr(sp1 + 1, ' ', (size_t)(req + end - sp1 - 1)) : NULL;
    c->fd = -1;
    c->body_left = 0;
    if (sp1 == NULL || sp2 == NULL || strncmp(sp2 + 1, "HTTP/1.", 7) != 0) {
        c->close_after = true;
        http_error(c, 400, "Bad Request", false);
        return;
    }
    c->close_after = sp2[8] == '0' || http_wants_close(req, end);
    bool head = (size_t)(sp1 - req) == 4 && memcmp(req, "HEAD", 4) == 0;
    bool get = (size_t)(sp1 - req) == 3 && memcmp(req, "GET", 3) == 0;
    if (!get && !head) {
        http_error(c, 501, "Not Implemented", false);
        return;
    }
    char *path = sp1 + 1;
    size_t plen = (size_t)(sp2 - path);
    char *q = memchr(path, '?', plen);
    if (q != NULL) {
        plen = (size_t)(q - path);
    }
    uint64_t size = 0;
    int fd = http_open(path, plen, &size);
    if (fd < 0) {
        http_error(c, 404, "Not Found", head);
        return;
    }
    http_head(c, 200, "OK", size);
    if (head) {
        close(fd);
        return;
    }
    c->fd = fd;
    c->body_left = size;
}

static void http_free(struct http_conn *c)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    c->sock = 0;
    c->fd = -1;
}

/* Refills the output buffer from the body file.  False on a read error. */
static bool http_refill(struct http_conn *c)
{
    if (c->out_off < c->out_len || c->body_left == 0) {
        return true;
    }
    size_t want = c->body_left < sizeof(c->out) ? (size_t)c->body_left : sizeof(c->out);
    ssize_t r = read(c->fd, c->out, want);
    if (r <= 0) {
        return false;
    }
    c->out_len = (size_t)r;
    c->out_off = 0;
    c->body_left -= (uint64_t)r;
    return true;
}

/* Sends what it can of the response.  Returns true when it is complete. */
static bool http_send(struct node *n, struct http_conn *c)
{
    for (;;) {
        if (!http_refill(c)) {
            net_tcp_abort(n->s, c->sock, n->now);
            http_free(c);
            return false;
        }
        if (c->out_off == c->out_len) {
            return true;
        }
        long w = net_tcp_send(n->s, c->sock, c->out + c->out_off, c->out_len - c->out_off, n->now);
        if (w == ZERR_AGAIN) {
            return false;
        }
        if (w < 0) {
            net_tcp_close(n->s, c->sock, n->now);
            http_free(c);
            return false;
        }
        c->out_off += (size_t)w;
    }
}

/* Reads request bytes and starts the next response when a request is whole. */
static void http_read(struct node *n, struct http_conn *c)
{
    long r = net_tcp_recv(n->s, c->sock, c->req + c->req_len, sizeof(c->req) - c->req_len, n->now);
    if (r == 0 || (r < 0 && r != ZERR_AGAIN)) {
        net_tcp_close(n->s, c->sock, n->now);
        http_free(c);
        return;
    }
    if (r > 0) {
        c->req_len += (size_t)r;
    }
    for (size_t i = 3; i < c->req_len; i++) {
        if (memcmp(c->req + i - 3, "\r\n\r\n", 4) == 0) {
            http_request(c, i + 1);
            memmove(c->req, c->req + i + 1, c->req_len - i - 1);
            c->req_len -= i + 1;
            return;
        }
    }
    if (c->req_len == sizeof(c->req)) {
        c->close_after = true;
        c->fd = -1;
        http_error(c, 400, "Bad Request", false);
    }
}

static void http_step_conn(struct node *n, struct http_conn *c)
{
    for (int rounds = 0; rounds < 4 && c->sock != 0; rounds++) {
        if (!c->responding) {
            http_read(n, c);
            if (c->sock == 0 || !c->responding) {
                return;
            }
        }
        if (!http_send(n, c)) {
            return;
        }
        c->responding = false;
        if (c->fd >= 0) {
            close(c->fd);
            c->fd = -1;
        }
        if (c->close_after) {
            net_tcp_close(n->s, c->sock, n->now);
            http_free(c);
            return;
        }
    }
}

int httpd_step(struct node *n)
{
    int sock;
    while ((sock = net_tcp_accept(n->s, H.listener)) > 0) {
        struct http_conn *free_c = NULL;
        for (int i = 0; i < HTTP_CONNS && free_c == NULL; i++) {
            free_c = H.c[i].sock == 0 ? &H.c[i] : NULL;
        }
        if (free_c == NULL) {
            net_tcp_abort(n->s, sock, n->now);
            continue;
        }
        memset(free_c, 0, offsetof(struct http_conn, req));
        free_c->sock = sock;
        free_c->fd = -1;
    }
    for (int i = 0; i < HTTP_CONNS; i++) {
        if (H.c[i].sock != 0) {
            http_step_conn(n, &H.c[i]);
        }
    }
    return APP_RUNNING;
}
