/*
 * The terminal's network commands (see net.h).  Each first commits the
 * net.accept records of connections the service accepted since the last
 * command, as the principal that started the server.
 */
#include "services/terminal/net.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "net/net.h"
#include "services/axiom/net.h"
#include "services/axiom/service.h"
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

static int net_parse_end(struct term *t, const char *ip_text, const char *port_text, uint32_t *ip,
                         uint16_t *port)
{
    unsigned long v = 0;
    size_t n = strlen(port_text);
    for (size_t i = 0; i < n && n <= 5; i++) {
        v = port_text[i] >= '0' && port_text[i] <= '9' ? v * 10 + (unsigned)(port_text[i] - '0')
                                                       : 70000;
    }
    if (net_ip_parse(ip_text, ip) != 0 || n == 0 || v == 0 || v > 65535) {
        term_printf(t, "error: not an address and port: %s %s\n", ip_text, port_text);
        return ZERR_INVAL;
    }
    *port = (uint16_t)v;
    return 0;
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
    if (argc != 2 || net_ip_parse(argv[1], &ip) != 0) {
        term_printf(t, "usage: ping A.B.C.D\n");
        return ZERR_INVAL;
    }
    int err = net_call(NETSVC_OP_PING, ip, 0, NULL, 0, &rtt, sizeof(rtt), &len);
    if (err == 0) {
        term_printf(t, "reply from %s in %llu ms\n", argv[1], (unsigned long long)rtt);
    }
    return err;
}

static int cmd_httpd(struct term *t, int argc, char **argv)
{
    struct shell *sh = t->ctx;
    uint32_t ip;
    uint16_t port = 80;
    struct ax_action a;
    struct axiom_result res;
    if ((argc != 1 && argc != 3) ||
        (argc == 3 && (strcmp(argv[1], "--port") != 0 ||
                       net_parse_end(t, "0.0.0.0", argv[2], &ip, &port) != 0))) {
        term_printf(t, "usage: httpd [--port N]\n");
        return ZERR_INVAL;
    }
    int err = ax_net_action(&a, AX_NET_LISTEN, sh->acting, 0, 0, port);
    err = err != 0 ? err : net_commit(t, &a, &res);
    if (err != 0) {
        return err;
    }
    err = net_call(NETSVC_OP_LISTEN, port, 0, NULL, 0, NULL, 0, NULL);
    if (err == 0) {
        memcpy(shell_net_server, sh->acting, sizeof(shell_net_server));
        term_printf(t, "httpd: serving on port %u (net.listen committed #%llu)\n", port,
                    (unsigned long long)res.seq);
    }
    return err;
}

static int cmd_fetch(struct term *t, int argc, char **argv)
{
    struct shell *sh = t->ctx;
    uint32_t ip;
    uint16_t port;
    struct ax_action a;
    struct axiom_result res;
    struct netsvc_fetch f;
    size_t len = 0;
    if (argc != 4 || argv[3][0] != '/' || strlen(argv[3]) > NETSVC_PATH_MAX ||
        net_parse_end(t, argv[1], argv[2], &ip, &port) != 0) {
        term_printf(t, "usage: fetch A.B.C.D PORT /PATH\n");
        return ZERR_INVAL;
    }
    int err = ax_net_action(&a, AX_NET_CONNECT, sh->acting, ip, port, 0);
    err = err != 0 ? err : net_commit(t, &a, &res);
    if (err != 0) {
        return err;
    }
    term_printf(t, "net.connect %s:%s committed #%llu\n", argv[1], argv[2],
                (unsigned long long)res.seq);
    err = net_call(NETSVC_OP_FETCH, ip, port, argv[3], strlen(argv[3]), &f, sizeof(f), &len);
    if (err == 0 && len == sizeof(f)) {
        char hex[65];
        zfmt_hex(hex, f.blake3, sizeof(f.blake3));
        term_printf(t, "fetch: HTTP %u, %llu bytes, blake3 %s\n", f.status,
                    (unsigned long long)f.bytes, hex);
    }
    return err;
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
    } else {
        err = cmd_status(t);
    }
    if (err != 0 && err != ZERR_INVAL && err != ZERR_DENIED) {
        term_printf(t, "error: %s\n", zerr_text(err));
    }
    return err;
}
