/*
 * Scripted packet tests in the manner of packetdrill: each script in
 * tests/lib/net/scripts drives one stack through the harness, line by line.
 *
 *   +T                  advance the clock by T seconds first (any line may start so)
 *   isn N / peer_isn N  absolute initial sequence numbers (ours, the peer's)
 *   connect PORT | listen PORT | accept | send N | recv N | close | shutdown
 *   state NAME          the socket's TCP state (established, time_wait, closed ...)
 *   < FLAGS SEQ:END(LEN) [ack A] [win W] [<mss M,wscale S,nop>]   inject from the peer
 *   > FLAGS SEQ:END(LEN) [ack A] [win W] [<mss M,wscale S>]       expect the stack to send
 *   > none              expect that nothing was sent
 *
 * FLAGS are packetdrill's: S SYN, F FIN, R RST, P PSH, '.' ACK.  Sequence
 * numbers are relative to the sender's ISN and acknowledgements to the
 * other side's, so a script reads the same whatever the ISNs; the scripts
 * put them next to 2^32.  A line that fails is reported with its number.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "harness.h"
#include "tap.h"

enum { PEER_PORT = 40000 };

struct run {
    struct harness h;
    uint32_t isn, peer_isn;
    uint16_t lport, rport;
    int sock, listener;
    char why[160];
};

struct pkt {
    uint8_t flags;
    uint32_t seq, len, ack, win;
    bool has_ack, has_win, has_mss, has_ws;
    uint16_t mss;
    uint8_t ws;
};

static uint8_t parse_flags(const char *f)
{
    uint8_t v = 0;
    for (; *f; f++) {
        v |= *f == 'S'   ? NET_TCP_SYN
             : *f == 'F' ? NET_TCP_FIN
             : *f == 'R' ? NET_TCP_RST
             : *f == 'P' ? NET_TCP_PSH
             : *f == '.' ? NET_TCP_ACK
                         : 0;
    }
    return v;
}

/* Parses "FLAGS SEQ:END(LEN) [ack A] [win W] [<opts>]" from the words after '<' or '>'. */
static int parse_pkt(char **w, int n, struct pkt *p)
{
    memset(p, 0, sizeof(*p));
    unsigned end = 0;
    if (n < 2 || sscanf(w[1], "%u:%u(%u)", &p->seq, &end, &p->len) != 3) {
        return ZERR_INVAL;
    }
    p->flags = parse_flags(w[0]);
    for (int i = 2; i < n; i++) {
        if (strcmp(w[i], "ack") == 0 && i + 1 < n) {
            p->has_ack = true;
            p->ack = (uint32_t)strtoul(w[++i], NULL, 10);
        } else if (strcmp(w[i], "win") == 0 && i + 1 < n) {
            p->has_win = true;
            p->win = (uint32_t)strtoul(w[++i], NULL, 10);
        } else if (w[i][0] == '<') {
            /* The option list may span words: "<mss", "1460,wscale", "7>". */
            for (; i < n; i++) {
                if (strcmp(w[i], "<mss") == 0 || strcmp(w[i], "mss") == 0 ||
                    strstr(w[i], ",mss") != NULL) {
                    p->has_mss = i + 1 < n;
                    p->mss = p->has_mss ? (uint16_t)atoi(w[i + 1]) : 0;
                }
                if (strstr(w[i], "wscale") != NULL) {
                    p->has_ws = i + 1 < n;
                    p->ws = p->has_ws ? (uint8_t)atoi(w[i + 1]) : 0;
                }
            }
        }
    }
    return 0;
}

static void inject(struct run *r, const struct pkt *p)
{
    uint8_t opts[8];
    size_t optlen = 0;
    if (p->has_mss) {
        opts[optlen++] = 2;
        opts[optlen++] = 4;
        net_put16(opts + optlen, p->mss);
        optlen += 2;
    }
    if (p->has_ws) {
        opts[optlen++] = 1;
        opts[optlen++] = 3;
        opts[optlen++] = 3;
        opts[optlen++] = p->ws;
    }
    static uint8_t data[65536];
    memset(data, 'd', p->len < sizeof(data) ? p->len : sizeof(data));
    h_inject_tcp(&r->h, r->rport, r->lport, r->peer_isn + p->seq, p->has_ack ? r->isn + p->ack : 0,
                 p->flags, (uint16_t)(p->has_win ? p->win : 65535), opts, optlen, data, p->len);
}

/* Compares what the stack sent with p; fills r->why on a difference. */
static bool expect(struct run *r, const struct pkt *p)
{
    struct h_seg g;
    do {
        if (!h_next(&r->h, &g)) {
            snprintf(r->why, sizeof(r->why), "nothing was sent");
            return false;
        }
    } while (g.ethertype != NET_ETH_IPV4 || g.proto != NET_IP_TCP);
    if (r->lport == 0 && (g.tcp.flags & NET_TCP_SYN)) {
        r->lport = g.tcp.sport;
    }
    uint32_t seq = g.tcp.seq - r->isn, ack = g.tcp.ack - r->peer_isn;
    if (g.tcp.flags != p->flags || seq != p->seq || g.tcp.len != p->len ||
        (p->has_ack && ack != p->ack) || (p->has_win && g.tcp.wnd != p->win) ||
        (p->has_mss && (!g.opts.has_mss || g.opts.mss != p->mss)) ||
        (p->has_ws && (!g.opts.has_ws || g.opts.wscale != p->ws))) {
        snprintf(r->why, sizeof(r->why), "sent flags %#x %u:%u(%zu) ack %u win %u", g.tcp.flags,
                 seq, seq + (uint32_t)g.tcp.len, g.tcp.len, ack, g.tcp.wnd);
        return false;
    }
    return true;
}

static const char *const states[] = {"closed",      "listen",     "syn_sent",   "syn_rcvd",
                                     "established", "fin_wait_1", "fin_wait_2", "close_wait",
                                     "closing",     "last_ack",   "time_wait"};

/* The state of the script's socket, looked up by port once the handle is released. */
static int sock_state(struct run *r)
{
    struct net_sock_info info;
    if (net_sock_info(r->h.s, r->sock, &info) == 0) {
        return (int)info.state;
    }
    for (unsigned i = 0; i < NET_MAX_TCP; i++) {
        const struct net_tcb *t = &r->h.s->tcp[i];
        if (t->used && t->state != NET_TCP_LISTEN && t->lport == r->lport) {
            return t->state;
        }
    }
    return NET_TCP_CLOSED;
}

/* Runs a socket call; false (with r->why) when it fails. */
static bool call(struct run *r, char **w, int n)
{
    uint64_t now = r->h.now;
    long v = 0;
    static uint8_t buf[65536];
    if (strcmp(w[0], "connect") == 0 && n == 2) {
        r->h.random_value = r->isn;
        r->rport = (uint16_t)atoi(w[1]);
        r->lport = 0; /* learnt from the SYN */
        v = r->sock = net_tcp_connect(r->h.s, H_PEER, r->rport, now);
    } else if (strcmp(w[0], "listen") == 0 && n == 2) {
        r->lport = (uint16_t)atoi(w[1]);
        r->h.random_value = r->isn;
        v = r->listener = net_tcp_listen(r->h.s, r->lport, 4);
    } else if (strcmp(w[0], "accept") == 0) {
        v = r->sock = net_tcp_accept(r->h.s, r->listener);
    } else if (strcmp(w[0], "send") == 0 && n == 2) {
        memset(buf, 's', sizeof(buf));
        v = net_tcp_send(r->h.s, r->sock, buf, (size_t)atoi(w[1]), now);
        v = v == atoi(w[1]) ? 0 : -1;
    } else if (strcmp(w[0], "recv") == 0 && n == 2) {
        v = net_tcp_recv(r->h.s, r->sock, buf, sizeof(buf), now);
        v = v == atoi(w[1]) ? 0 : -1;
    } else if (strcmp(w[0], "close") == 0) {
        v = net_tcp_close(r->h.s, r->sock, now);
    } else if (strcmp(w[0], "shutdown") == 0) {
        v = net_tcp_shutdown(r->h.s, r->sock, now);
    } else if (strcmp(w[0], "state") == 0 && n == 2) {
        int st = sock_state(r);
        v = strcmp(states[st], w[1]) == 0 ? 0 : -1;
        if (v != 0) {
            snprintf(r->why, sizeof(r->why), "state is %s", states[st]);
            return false;
        }
    } else {
        snprintf(r->why, sizeof(r->why), "unknown command %s", w[0]);
        return false;
    }
    if (v < 0) {
        snprintf(r->why, sizeof(r->why), "%s returned %ld", w[0], v);
        return false;
    }
    return true;
}

/* Runs one line (already split into words).  Returns false with r->why on failure. */
static bool step(struct run *r, char **w, int n)
{
    if (n > 0 && w[0][0] == '+') {
        h_advance(&r->h, (uint64_t)(atof(w[0] + 1) * 1000 + 0.5));
        w++;
        n--;
    }
    if (n == 0) {
        return true;
    }
    struct pkt p;
    if ((strcmp(w[0], "isn") == 0 || strcmp(w[0], "peer_isn") == 0) && n == 2) {
        *(w[0][0] == 'i' ? &r->isn : &r->peer_isn) = (uint32_t)strtoul(w[1], NULL, 0);
        return true;
    }
    if (strcmp(w[0], ">") == 0 && n == 2 && strcmp(w[1], "none") == 0) {
        if (h_pending(&r->h) != 0) {
            snprintf(r->why, sizeof(r->why), "%u frames were sent", h_pending(&r->h));
            return false;
        }
        return true;
    }
    if (strcmp(w[0], "<") == 0 || strcmp(w[0], ">") == 0) {
        if (parse_pkt(w + 1, n - 1, &p) != 0) {
            snprintf(r->why, sizeof(r->why), "bad packet line");
            return false;
        }
        if (w[0][0] == '<') {
            inject(r, &p);
            return true;
        }
        return expect(r, &p);
    }
    return call(r, w, n);
}

static void run_script(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        ok(0, "open %s", path);
        return;
    }
    struct run r;
    memset(&r, 0, sizeof(r));
    r.rport = PEER_PORT;
    r.lport = 9; /* closed until a script listens or connects */
    h_init(&r.h, NULL);
    h_learn_peer(&r.h);
    char line[256];
    int lineno = 0;
    bool pass = true;
    while (pass && fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        char *w[24];
        int n = 0;
        for (char *t = strtok(line, " \t\n"); t != NULL && n < 24; t = strtok(NULL, " \t\n")) {
            w[n++] = t;
        }
        pass = step(&r, w, n);
    }
    if (pass && h_pending(&r.h) != 0) {
        pass = false;
        snprintf(r.why, sizeof(r.why), "%u frames sent after the last line", h_pending(&r.h));
    }
    ok(pass, "%s", strrchr(path, '/') + 1);
    if (!pass) {
        tap_diag("line %d: %s", lineno, r.why);
    }
    fclose(f);
    h_free(&r.h);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests/lib/net/scripts";
    struct dirent **names;
    int n = scandir(dir, &names, NULL, by_name);
    tap_no_plan();
    ok(n > 2, "scripts found in %s", dir);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]->d_name);
        if (len > 4 && strcmp(names[i]->d_name + len - 4, ".pkt") == 0) {
            char path[512];
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
            run_script(path);
        }
        free(names[i]);
    }
    free(names);
    return tap_done();
}
