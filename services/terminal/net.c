/*
 * The terminal's network commands (see net.h).  Each first commits the
 * net.accept records of connections the service accepted since the last
 * command, as the principal that started the server.
 */
#include "services/terminal/net.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "net/net.h"
#include "services/axiom/net.h"
#include "services/axiom/service.h"
#include "services/fs/service.h"
#include "services/net/netsvc.h"
#include "services/terminal/terminal.h"

/* The one network service of this node, attached at start-up (like a HAL device). */
static const struct shell_net_backend *shell_net;
static char shell_net_server[ID_NAME_MAX + 1]; /* who started httpd */

void shell_net_attach(const struct shell_net_backend *b)
{
    shell_net = b;
}

static int net_call(uint32_t op, uint64_t a0, uint64_t a1, const void *in, size_t in_len, void *out,
                    size_t cap, size_t *out_len)
{
    return shell_net->call(shell_net->ctx, op, a0, a1, in, in_len, out, cap, out_len);
}

/* Commits one network proposal; prints a refusal. */
static int net_commit(struct term *t, const struct ax_action *a, struct axiom_result *res)
{
    struct shell *sh = t->ctx;
    memset(res, 0, sizeof(*res));
    int err = axiom_submit(sh->rt, sh->self, sh->h_axiom, a, res);
    if (err != 0) {
        term_printf(t, "denied: %s\n", res->why[0] != '\0' ? res->why : zerr_text(err));
    }
    return err;
}

/* Commits the accept records the service holds. */
static void net_record_accepts(struct term *t)
{
    struct netsvc_accept acc[16];
    size_t len = 0;
    if (shell_net_server[0] == '\0' ||
        net_call(NETSVC_OP_ACCEPTS, 0, 0, NULL, 0, acc, sizeof(acc), &len) != 0) {
        return;
    }
    for (size_t i = 0; i < len / sizeof(acc[0]); i++) {
        struct ax_action a;
        struct axiom_result res;
        if (ax_net_action(&a, AX_NET_ACCEPT, shell_net_server, acc[i].ip, acc[i].port,
                          acc[i].local_port) == 0 &&
            net_commit(t, &a, &res) == 0) {
            term_printf(t, "net.accept %u.%u.%u.%u:%u recorded #%llu\n", acc[i].ip >> 24,
                        (acc[i].ip >> 16) & 255, (acc[i].ip >> 8) & 255, acc[i].ip & 255,
                        acc[i].port, (unsigned long long)res.seq);
        }
    }
}

/* Parses a decimal port (1..65535). */
static int net_parse_port(const char *text, uint16_t *port)
{
    unsigned long v = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n && n <= 5; i++) {
        v = text[i] >= '0' && text[i] <= '9' ? v * 10 + (unsigned)(text[i] - '0') : 70000;
    }
    if (n == 0 || n > 5 || v == 0 || v > 65535) {
        return ZERR_INVAL;
    }
    *port = (uint16_t)v;
    return 0;
}

static void net_ip_text(char *out, size_t cap, uint32_t ip)
{
    zfmt_snprintf(out, cap, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

/* The address of host (a dotted quad, or a name the DNS server knows); prints a failure. */
static int net_resolve(struct term *t, const char *host, uint32_t *ip)
{
    size_t n = strlen(host), len = 0;
    if (net_ip_parse(host, ip) == 0) {
        return 0;
    }
    if (n == 0 || n > 253) {
        term_printf(t, "error: not a host name: %s\n", host);
        return ZERR_INVAL;
    }
    int err = net_call(NETSVC_OP_RESOLVE, 0, 0, host, n, ip, sizeof(*ip), &len);
    if (err != 0 || len != sizeof(*ip)) {
        term_printf(t, "error: cannot resolve %s: %s\n", host,
                    err == ZERR_NOENT ? "no such name" : zerr_text(err != 0 ? err : ZERR_IO));
        return ZERR_INVAL; /* said already */
    }
    char text[16];
    net_ip_text(text, sizeof(text), *ip);
    term_printf(t, "%s is %s\n", host, text);
    return 0;
}

/* Commits net.connect to ip:port as the acting principal; prints the outcome. */
static int net_commit_connect(struct term *t, uint32_t ip, uint16_t port)
{
    struct shell *sh = t->ctx;
    struct ax_action a;
    struct axiom_result res;
    char text[16];
    uint64_t t0 = hal_clock_ns();
    int err = ax_net_action(&a, AX_NET_CONNECT, sh->acting, ip, port, 0);
    err = err != 0 ? err : net_commit(t, &a, &res);
    if (err == 0) {
        net_ip_text(text, sizeof(text), ip);
        term_printf(t, "net.connect %s:%u committed #%llu in %llu us\n", text, port,
                    (unsigned long long)res.seq, (unsigned long long)(hal_clock_ns() - t0) / 1000);
    }
    return err;
}

/* Commits net.listen on port as the acting principal, who then serves it. */
static int net_commit_listen(struct term *t, uint16_t port, uint64_t *seq)
{
    struct shell *sh = t->ctx;
    struct ax_action a;
    struct axiom_result res;
    int err = ax_net_action(&a, AX_NET_LISTEN, sh->acting, 0, 0, port);
    err = err != 0 ? err : net_commit(t, &a, &res);
    *seq = err == 0 ? res.seq : 0;
    return err;
}

static int cmd_status(struct term *t)
{
    char text[1024];
    size_t len = 0;
    int err = net_call(NETSVC_OP_STATUS, 0, 0, NULL, 0, text, sizeof(text) - 1, &len);
    if (err == 0) {
        text[len] = '\0';
        term_printf(t, "%s", text);
    }
    return err;
}

static int cmd_ping(struct term *t, int argc, char **argv)
{
    uint32_t ip;
    uint64_t rtt = 0;
    size_t len = 0;
    char text[16];
    if (argc != 2) {
        term_printf(t, "usage: ping HOST\n");
        return ZERR_INVAL;
    }
    int err = net_resolve(t, argv[1], &ip);
    if (err != 0) {
        return err;
    }
    net_ip_text(text, sizeof(text), ip);
    err = net_call(NETSVC_OP_PING, ip, 0, NULL, 0, &rtt, sizeof(rtt), &len);
    if (err == 0) {
        term_printf(t, "reply from %s in %llu ms\n", text, (unsigned long long)rtt);
    }
    return err;
}

static int cmd_httpd(struct term *t, int argc, char **argv)
{
    struct shell *sh = t->ctx;
    uint16_t port = 80;
    uint64_t seq = 0;
    int i = 1;
    if (argc >= 3 && strcmp(argv[1], "--port") == 0) {
        i = net_parse_port(argv[2], &port) == 0 ? 3 : argc + 1;
    }
    const char *dir = i < argc ? argv[i] : "";
    if (i + (dir[0] != '\0' ? 1 : 0) != argc ||
        (dir[0] != '\0' && fs_path_problem(dir, strlen(dir)) != NULL)) {
        term_printf(t, "usage: httpd [--port N] [DIR]\n");
        return ZERR_INVAL;
    }
    int err = net_commit_listen(t, port, &seq);
    if (err != 0) {
        return err;
    }
    char req[FS_PATH_MAX + ID_NAME_MAX + 2]; /* DIR, NUL, who serves it */
    size_t dn = strlen(dir), an = strlen(sh->acting);
    memcpy(req, dir, dn + 1);
    memcpy(req + dn + 1, sh->acting, an);
    err = net_call(NETSVC_OP_LISTEN, port, 0, req, dn + 1 + an, NULL, 0, NULL);
    if (err == ZERR_NOENT || err == ZERR_PERM) {
        term_printf(t, "error: %s: not a directory\n", dir);
        return ZERR_INVAL;
    }
    if (err == 0) {
        memcpy(shell_net_server, sh->acting, sizeof(shell_net_server));
        term_printf(t, "httpd: serving %s on port %u (net.listen committed #%llu)\n",
                    dir[0] != '\0' ? dir : "a page", port, (unsigned long long)seq);
    }
    return err;
}

/* http://HOST[:PORT][/PATH] into its parts; false when it is no such URL. */
static bool net_parse_url(const char *url, char *host, size_t host_cap, uint16_t *port,
                          const char **path)
{
    if (strncmp(url, "http://", 7) != 0) {
        return false;
    }
    const char *h = url + 7, *e = h;
    while (*e != '\0' && *e != ':' && *e != '/') {
        e++;
    }
    size_t n = (size_t)(e - h);
    if (n == 0 || n >= host_cap) {
        return false;
    }
    memcpy(host, h, n);
    host[n] = '\0';
    *port = 80;
    if (*e == ':') {
        char num[8];
        const char *p = e + 1;
        while (*e != '\0' && *e != '/') {
            e++;
        }
        size_t k = (size_t)(e - p);
        if (k == 0 || k >= sizeof(num)) {
            return false;
        }
        memcpy(num, p, k);
        num[k] = '\0';
        if (net_parse_port(num, port) != 0) {
            return false;
        }
    }
    *path = *e == '/' ? e : "/";
    return strlen(*path) + n + 2 <= NETSVC_PATH_MAX;
}

/* Copies the body the service kept into the file at path (fs.put as the acting principal). */
static int net_store(struct term *t, const char *path, uint64_t bytes)
{
    struct shell *sh = t->ctx;
    static struct fssvc_put rq;
    struct axiom_result res;
    size_t pages = (size_t)((bytes + HAL_PAGE_SIZE - 1) / HAL_PAGE_SIZE), got = 0;
    uint8_t *buf = hal_page_alloc(pages > 0 ? pages : 1);
    int err = buf != NULL ? 0 : ZERR_NOMEM;
    for (uint64_t off = 0; err == 0 && off < bytes; off += got) {
        err =
            net_call(NETSVC_OP_FETCH_READ, off, 0, NULL, 0, buf + off, (size_t)(bytes - off), &got);
        err = err == 0 && got == 0 ? ZERR_IO : err;
    }
    if (err == 0) {
        /* one put, one entry: content larger than one message is streamed
         * to the filesystem in parts (services/fs/service.h) */
        memset(&rq, 0, sizeof(rq));
        memcpy(rq.proposer, sh->acting, sizeof(rq.proposer));
        memcpy(rq.path, path, strlen(path) + 1);
        rq.mode = 0644;
        rq.data = buf;
        rq.len = bytes;
        err = fssvc_put_call(sh->rt, sh->self, sh->h_fs, &rq, &res);
        if (err == 0) {
            term_printf(t, "fetch: %s stored by fs.put #%llu\n", path, (unsigned long long)res.seq);
        }
        err = shell_report(t, err, &res);
    } else {
        term_printf(t, "error: the body did not come from the network service: %s\n",
                    zerr_text(err));
    }
    if (buf != NULL) {
        hal_page_free(buf, pages > 0 ? pages : 1);
    }
    return err;
}

static int cmd_fetch(struct term *t, int argc, char **argv)
{
    char host[256], req[NETSVC_PATH_MAX + 1];
    const char *path = "/";
    uint32_t ip;
    uint16_t port;
    struct netsvc_fetch f;
    size_t len = 0;
    if ((argc != 2 && argc != 3) || !net_parse_url(argv[1], host, sizeof(host), &port, &path) ||
        (argc == 3 && fs_path_problem(argv[2], strlen(argv[2])) != NULL)) {
        term_printf(t, "usage: fetch http://HOST[:PORT]/PATH [FILE]\n");
        return ZERR_INVAL;
    }
    int err = net_resolve(t, host, &ip);
    err = err != 0 ? err : net_commit_connect(t, ip, port);
    if (err != 0) {
        return err;
    }
    size_t pn = strlen(path), hn = strlen(host);
    memcpy(req, path, pn + 1);
    for (size_t i = 0; i < hn; i++) {
        req[pn + 1 + i] = host[i]; /* the host name ends the request, unterminated */
    }
    uint64_t t0 = hal_clock_ns();
    err = net_call(NETSVC_OP_FETCH, ip, port, req, pn + 1 + hn, &f, sizeof(f), &len);
    if (err != 0 || len != sizeof(f)) {
        return err != 0 ? err : ZERR_IO;
    }
    uint64_t us = (hal_clock_ns() - t0) / 1000;
    char hex[65];
    zfmt_hex(hex, f.blake3, sizeof(f.blake3));
    term_printf(t, "fetch: HTTP %u, %llu bytes, blake3 %s (%llu ms, %llu KB/s)\n", f.status,
                (unsigned long long)f.bytes, hex, (unsigned long long)us / 1000,
                (unsigned long long)(us > 0 ? f.bytes * 1000 / us : 0));
    if (argc == 2) {
        return 0;
    }
    if (f.status != 200 || f.kept != f.bytes) {
        term_printf(t, "error: not stored: %s\n",
                    f.status != 200 ? "the server did not answer 200"
                                    : "larger than the 16 MiB a fetch keeps");
        return ZERR_INVAL;
    }
    return net_store(t, argv[2], f.bytes);
}

/* ---- nc: lines over TCP ----------------------------------------------------------- */

#define NC_BUF 16384u
#define NC_ACCEPT_MS 120000u
#define NC_IDLE_MS 30000u

/* Prints what connection c sends within wait_ms (then briefly more); ZERR_EOF-like 1 at its end. */
static int nc_drain(struct term *t, int c, uint64_t wait_ms)
{
    static char buf[NC_BUF];
    for (;;) {
        size_t got = 0;
        uint32_t room = sizeof(buf);
        int err = net_call(NETSVC_OP_SOCK_RECV, (uint64_t)c, wait_ms, &room, sizeof(room), buf,
                           sizeof(buf), &got);
        if (err == ZERR_TIMEOUT) {
            return 0;
        }
        if (err != 0) {
            return err;
        }
        if (got == 0) {
            return 1; /* the peer closed */
        }
        term_printf(t, "%.*s", (int)got, buf);
        wait_ms = 100;
    }
}

/* nc HOST PORT: each typed line goes out, what comes back is printed; "." ends. */
static int nc_connect(struct term *t, const char *host, uint16_t port)
{
    static char line[TERM_MAX_LINE + 2];
    uint32_t ip;
    int c = 0;
    size_t len = 0;
    int err = net_resolve(t, host, &ip);
    err = err != 0 ? err : net_commit_connect(t, ip, port);
    uint64_t t0 = hal_clock_ns();
    err = err != 0 ? err : net_call(NETSVC_OP_SOCK_CONNECT, ip, port, NULL, 0, &c, sizeof(c), &len);
    if (err != 0) {
        return err;
    }
    term_printf(t, "nc: connected in %llu us; lines go out, a line '.' ends\n",
                (unsigned long long)(hal_clock_ns() - t0) / 1000);
    int end = 0;
    while (err == 0 && end == 0 && term_read_line(t) > 0 && !(t->len == 1 && t->line[0] == '.')) {
        memcpy(line, t->line, t->len);
        line[t->len] = '\n';
        err = net_call(NETSVC_OP_SOCK_SEND, (uint64_t)c, 0, line, t->len + 1, NULL, 0, NULL);
        end = err == 0 ? nc_drain(t, c, 500) : 0;
    }
    if (err == 0 && end == 0) {
        err = net_call(NETSVC_OP_SOCK_SHUTDOWN, (uint64_t)c, 0, NULL, 0, NULL, 0, NULL);
        while (err == 0 && end == 0) {
            end = nc_drain(t, c, 5000);
            end = end == 0 ? 1 : end; /* five quiet seconds end it too */
        }
    }
    (void)net_call(NETSVC_OP_SOCK_CLOSE, (uint64_t)c, 0, NULL, 0, NULL, 0, NULL);
    term_printf(t, "nc: closed\n");
    return err < 0 ? err : 0;
}

/* Sends back the complete lines of buf[0..*len) (all of it when flush); keeps the rest. */
static int nc_echo_lines(struct term *t, int c, char *buf, size_t *len, bool flush, uint64_t *lines)
{
    size_t end = *len;
    while (!flush && end > 0 && buf[end - 1] != '\n') {
        end--;
    }
    if (end == 0 && *len == NC_BUF) {
        end = *len; /* one line longer than the buffer: out in pieces */
    }
    for (size_t i = 0; i < end; i++) {
        if (buf[i] == '\n' && (*lines)++ < 10) {
            size_t from = i;
            while (from > 0 && buf[from - 1] != '\n') {
                from--;
            }
            term_printf(t, "< %.*s\n", (int)(i - from < 76 ? i - from : 76), buf + from);
        }
    }
    int err = end == 0 ? 0 : net_call(NETSVC_OP_SOCK_SEND, (uint64_t)c, 0, buf, end, NULL, 0, NULL);
    memmove(buf, buf + end, *len - end);
    *len -= end;
    return err;
}

/* nc -l PORT: takes one connection and sends every line back until the peer closes. */
static int nc_listen(struct term *t, uint16_t port)
{
    struct shell *sh = t->ctx;
    static char buf[NC_BUF];
    uint64_t seq = 0, lines = 0, bytes = 0;
    int l = 0, c = 0;
    size_t len = 0, have = 0;
    int err = net_commit_listen(t, port, &seq);
    err = err != 0 ? err : net_call(NETSVC_OP_SOCK_LISTEN, port, 0, NULL, 0, &l, sizeof(l), &len);
    if (err != 0) {
        return err;
    }
    memcpy(shell_net_server, sh->acting, sizeof(shell_net_server));
    term_printf(t, "nc: listening on port %u (net.listen committed #%llu); lines are echoed\n",
                port, (unsigned long long)seq);
    err = net_call(NETSVC_OP_SOCK_ACCEPT, (uint64_t)l, NC_ACCEPT_MS, NULL, 0, &c, sizeof(c), &len);
    (void)net_call(NETSVC_OP_SOCK_CLOSE, (uint64_t)l, 0, NULL, 0, NULL, 0, NULL);
    if (err != 0) {
        return err;
    }
    net_record_accepts(t); /* before a byte of it is answered */
    for (;;) {
        size_t got = 0;
        uint32_t room = (uint32_t)(NC_BUF - have);
        err = net_call(NETSVC_OP_SOCK_RECV, (uint64_t)c, NC_IDLE_MS, &room, sizeof(room),
                       buf + have, room, &got);
        if (err != 0 || got == 0) {
            break;
        }
        have += got;
        bytes += got;
        err = nc_echo_lines(t, c, buf, &have, false, &lines);
        if (err != 0) {
            break;
        }
    }
    if (err == 0 || err == ZERR_TIMEOUT) {
        err = nc_echo_lines(t, c, buf, &have, true, &lines);
    }
    (void)net_call(NETSVC_OP_SOCK_CLOSE, (uint64_t)c, 0, NULL, 0, NULL, 0, NULL);
    term_printf(t, "nc: %llu lines, %llu bytes echoed\n", (unsigned long long)lines,
                (unsigned long long)bytes);
    return err;
}

static int cmd_nc(struct term *t, int argc, char **argv)
{
    uint16_t port;
    if (argc == 3 && strcmp(argv[1], "-l") == 0 && net_parse_port(argv[2], &port) == 0) {
        return nc_listen(t, port);
    }
    if (argc == 3 && argv[1][0] != '-' && net_parse_port(argv[2], &port) == 0) {
        static char host[256];
        size_t n = strnlen(argv[1], sizeof(host));
        if (n < sizeof(host)) { /* argv dies with the next line read */
            memcpy(host, argv[1], n + 1);
            return nc_connect(t, host, port);
        }
    }
    term_printf(t, "usage: nc HOST PORT | nc -l PORT\n");
    return ZERR_INVAL;
}

int shell_cmd_net(struct term *t, int argc, char **argv)
{
    if (shell_net == NULL) {
        term_printf(t, "error: this node has no network\n");
        return ZERR_UNSUPPORTED;
    }
    net_record_accepts(t);
    int err;
    if (strcmp(argv[0], "ping") == 0) {
        err = cmd_ping(t, argc, argv);
    } else if (strcmp(argv[0], "httpd") == 0) {
        err = cmd_httpd(t, argc, argv);
    } else if (strcmp(argv[0], "fetch") == 0) {
        err = cmd_fetch(t, argc, argv);
    } else if (strcmp(argv[0], "nc") == 0) {
        err = cmd_nc(t, argc, argv);
    } else {
        err = cmd_status(t);
    }
    if (err != 0 && err != ZERR_INVAL && err != ZERR_DENIED) {
        term_printf(t, "error: %s\n", zerr_text(err));
    }
    return err;
}
