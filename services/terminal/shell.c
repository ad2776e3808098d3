/*
 * Terminal commands.  A command that changes state prints
 * "committed #SEQ HASH" only after the Axiom reports the entry durable,
 * "denied: REASON" when authority refuses it, and "error: REASON" for bad
 * input; the last two commit nothing.
 */
#include "services/terminal/shell.h"
#include "services/terminal/job.h"
#include "services/terminal/internal/shell.h"

#include "base/errors.h"
#include "base/fmt.h"
#include "base/string.h"
#include "hal/hal.h"
#include "services/axiom/service.h"
#include "services/identity/service.h"
#include "services/policy/service.h"
#include "services/terminal/net.h"
#include "services/terminal/fs_cmds.h"
#include "services/terminal/proc.h"
#include "services/terminal/time_cmd.h"
#include "services/terminal/svc.h"

#define SHELL_LOG_MAX 1000u

int shell_usage(struct term *t, const char *usage)
{
    term_printf(t, "usage: %s\n", usage);
    return ZERR_INVAL;
}

/* True if err is authority refusing a well-formed proposal (not bad input). */
static bool shell_refusal(int err)
{
    return err == ZERR_DENIED || err == ZERR_PERM || err == ZERR_BADSIG || err == ZERR_NOPRINCIPAL;
}

/* Prints the outcome of a state change. */
int shell_report(struct term *t, int err, const struct axiom_result *res)
{
    char hex[2 * AX_HASH_LEN + 1];

    if (err == 0) {
        zfmt_hex(hex, res->hash, AX_HASH_LEN);
        term_printf(t, "committed #%llu %s\n", (unsigned long long)res->seq, hex);
        return 0;
    }
    const char *why = res->why[0] != '\0' ? res->why : zerr_text(err);
    if (err == ZERR_NOPRINCIPAL && shell_of(t)->acting[0] == '\0') {
        why = "nobody is logged in (login NAME)";
    }
    term_printf(t, "%s: %s\n", shell_refusal(err) ? "denied" : "error", why);
    return err;
}

bool shell_copy_name(struct term *t, char *dst, const char *src)
{
    size_t n = strlen(src);

    if (!id_name_valid(src, n)) {
        term_printf(t, "error: invalid name '%s' (use [a-z0-9][a-z0-9._-], at most 32)\n", src);
        return false;
    }
    memcpy(dst, src, n + 1);
    return true;
}

static int shell_id_change(struct term *t, uint32_t op, const char *name, uint8_t kind,
                           const char *pubhex)
{
    struct shell *sh = shell_of(t);
    struct idsvc_req rq;
    struct axiom_result res;

    memset(&rq, 0, sizeof(rq));
    memset(&res, 0, sizeof(res));
    if (!shell_copy_name(t, rq.name, name)) {
        return ZERR_INVAL;
    }
    memcpy(rq.proposer, sh->acting, sizeof(rq.proposer));
    rq.kind = kind;
    if (pubhex != NULL) {
        if (zfmt_unhex(rq.pub, ID_PUB_LEN, pubhex, strlen(pubhex)) != 0) {
            term_printf(t, "error: --pubkey wants 32 bytes as 64 hex digits\n");
            return ZERR_INVAL;
        }
        rq.external = true;
    }
    return shell_report(t, idsvc_call(sh->rt, sh->self, sh->h_ident, op, &rq, &res), &res);
}

#define SHELL_PAGE 16u /* records per query */

static int shell_id_list(struct term *t)
{
    struct shell *sh = shell_of(t);
    static struct id_principal page[SHELL_PAGE];
    char hex[2 * ID_PUB_LEN + 1];
    uint32_t first = 0, n = 0, total = 1;

    term_printf(t, "%-20s %-8s %-20s %4s %-8s %s\n", "NAME", "KIND", "PARENT", "KEY", "STATUS",
                "PUBLIC KEY");
    while (first < total) {
        int err = axiom_get_principals(sh->rt, sh->self, sh->h_axiom, first, page, SHELL_PAGE, &n,
                                       &total);
        if (err != 0 || (n == 0 && first < total)) {
            term_printf(t, "error: the Axiom did not answer: %s\n", zerr_text(err ? err : ZERR_IO));
            return err != 0 ? err : ZERR_IO;
        }
        for (uint32_t i = 0; i < n; i++) {
            const struct id_principal *p = &page[i];
            zfmt_hex(hex, p->pub, ID_PUB_LEN);
            term_printf(t, "%-20s %-8s %-20s %4u %-8s %.16s...%s\n", p->name, id_kind_name(p->kind),
                        p->parent[0] ? p->parent : "-", (unsigned)p->key_gen,
                        p->revoked ? "revoked" : "active", hex, p->external ? " (own key)" : "");
        }
        first += n;
    }
    return 0;
}

/* Parses the options of id create/rotate from argv[3..argc): --kind KIND
 * (create only) and --pubkey HEX.  Returns false on anything else. */
static bool shell_id_opts(int argc, char **argv, bool create, uint8_t *kind, const char **pubhex)
{
    for (int i = 3; i < argc; i += 2) {
        if (i + 1 >= argc) {
            return false;
        }
        if (create && strcmp(argv[i], "--kind") == 0) {
            *kind = id_kind_parse(argv[i + 1], strlen(argv[i + 1]));
            if (*kind == ID_KIND_NONE) {
                return false;
            }
        } else if (strcmp(argv[i], "--pubkey") == 0) {
            *pubhex = argv[i + 1];
        } else {
            return false;
        }
    }
    return true;
}

static int cmd_id(struct term *t, int argc, char **argv)
{
    const char *usage = "id create NAME [--kind user|service|node|agent] [--pubkey HEX] | "
                        "id list | id rotate NAME [--pubkey HEX] | id revoke NAME";
    uint8_t kind = ID_KIND_USER;
    const char *pubhex = NULL;

    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        return shell_id_list(t);
    }
    if (argc == 3 && strcmp(argv[1], "revoke") == 0) {
        return shell_id_change(t, IDSVC_OP_REVOKE, argv[2], 0, NULL);
    }
    if (argc >= 3 && strcmp(argv[1], "rotate") == 0 &&
        shell_id_opts(argc, argv, false, &kind, &pubhex)) {
        return shell_id_change(t, IDSVC_OP_ROTATE, argv[2], 0, pubhex);
    }
    if (argc >= 3 && strcmp(argv[1], "create") == 0 &&
        shell_id_opts(argc, argv, true, &kind, &pubhex)) {
        return shell_id_change(t, IDSVC_OP_CREATE, argv[2], kind, pubhex);
    }
    return shell_usage(t, usage);
}

static int shell_policy_show(struct term *t)
{
    struct shell *sh = shell_of(t);
    static struct axiom_rule page[SHELL_PAGE];
    uint32_t first = 0, n = 0, total = 1;

    while (first < total) {
        int err =
            axiom_get_rules(sh->rt, sh->self, sh->h_axiom, first, page, SHELL_PAGE, &n, &total);
        if (err != 0 || (n == 0 && first < total)) {
            term_printf(t, "error: the Axiom did not answer: %s\n", zerr_text(err ? err : ZERR_IO));
            return err != 0 ? err : ZERR_IO;
        }
        for (uint32_t i = 0; i < n; i++) {
            term_printf(t, "#%-4u %-5s %s\n", (unsigned)page[i].id,
                        policy_effect_name(page[i].effect), page[i].text);
        }
        first += n;
    }
    term_printf(t, "#%-4u %-5s %s\n", 0u, "deny", "everything else (default)");
    return 0;
}

/* policy check PRINCIPAL ACTION RESOURCE: the Policy service's answer, nothing committed. */
static int shell_policy_check(struct term *t, char **argv)
{
    struct shell *sh = shell_of(t);
    struct axiom_check c;
    struct axiom_decision d;

    memset(&c, 0, sizeof(c));
    if (strlen(argv[2]) > ID_NAME_MAX || strlen(argv[3]) > ID_NAME_MAX ||
        strlen(argv[4]) > ID_NAME_MAX) {
        term_printf(t, "error: each word holds at most %d bytes\n", ID_NAME_MAX);
        return ZERR_INVAL;
    }
    memcpy(c.proposer, argv[2], strlen(argv[2]));
    memcpy(c.action, argv[3], strlen(argv[3]));
    memcpy(c.resource, argv[4], strlen(argv[4]));
    int err = polsvc_check(sh->rt, sh->self, sh->h_policy, &c, &d);
    if (err != 0) {
        term_printf(t, "error: %s\n", d.why[0] != '\0' ? d.why : zerr_text(err));
        return err;
    }
    term_printf(t, "%s (%s)\n", d.dec.allow ? "allowed" : "denied", d.why);
    return 0;
}

/* Joins argv[from..argc) with single spaces into out (cap bytes); false if too long. */
static bool shell_join(int argc, char **argv, int from, char *out, size_t cap)
{
    size_t pos = 0;

    for (int i = from; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (pos + n + 2 > cap) {
            return false;
        }
        if (i > from) {
            out[pos++] = ' ';
        }
        memcpy(out + pos, argv[i], n);
        pos += n;
    }
    out[pos] = '\0';
    return true;
}

static int shell_policy_change(struct term *t, struct polsvc_req *rq, uint32_t op)
{
    struct shell *sh = shell_of(t);
    struct axiom_result res;

    memset(&res, 0, sizeof(res));
    memcpy(rq->proposer, sh->acting, sizeof(rq->proposer));
    return shell_report(t, polsvc_call(sh->rt, sh->self, sh->h_policy, op, rq, &res), &res);
}

static int cmd_policy(struct term *t, int argc, char **argv)
{
    const char *usage = "policy show | policy allow RULE | policy deny RULE | policy remove N | "
                        "policy check PRINCIPAL ACTION RESOURCE";
    struct polsvc_req rq;

    memset(&rq, 0, sizeof(rq));
    if (argc == 2 && strcmp(argv[1], "show") == 0) {
        return shell_policy_show(t);
    }
    if (argc == 5 && strcmp(argv[1], "check") == 0) {
        return shell_policy_check(t, argv);
    }
    if (argc >= 3 && (strcmp(argv[1], "allow") == 0 || strcmp(argv[1], "deny") == 0)) {
        rq.effect = argv[1][0] == 'a' ? POLICY_ALLOW : POLICY_DENY;
        if (!shell_join(argc, argv, 2, rq.text, sizeof(rq.text))) {
            term_printf(t, "error: rule longer than %d bytes\n", POLICY_TEXT_MAX);
            return ZERR_LIMIT;
        }
        return shell_policy_change(t, &rq, POLSVC_OP_ADD);
    }
    if (argc == 3 && strcmp(argv[1], "remove") == 0) {
        const char *s = argv[2][0] == '#' ? argv[2] + 1 : argv[2];
        uint64_t v = 0;
        for (; *s >= '0' && *s <= '9' && v <= UINT32_MAX; s++) {
            v = v * 10 + (uint64_t)(*s - '0');
        }
        if (*s != '\0' || v == 0 || v > UINT32_MAX) {
            return shell_usage(t, usage);
        }
        rq.rule_id = (uint32_t)v;
        return shell_policy_change(t, &rq, POLSVC_OP_REMOVE);
    }
    return shell_usage(t, usage);
}

static int shell_axiom_head(struct term *t)
{
    struct shell *sh = shell_of(t);
    struct axiom_head h;
    char a[65], b[65], c[65];
    int err = axiom_get_head(sh->rt, sh->self, sh->h_axiom, &h);

    if (err != 0) {
        term_printf(t, "error: %s\n", zerr_text(err));
        return err;
    }
    zfmt_hex(a, h.head, AX_HASH_LEN);
    zfmt_hex(b, h.state_root, AX_HASH_LEN);
    zfmt_hex(c, h.tree_root, AX_HASH_LEN);
    term_printf(t, "sequence   #%llu (%llu entries)\nhead       %s\nstate root %s\ntree root  %s\n",
                (unsigned long long)(h.entries - 1), (unsigned long long)h.entries, a, b, c);
    return 0;
}

static int shell_axiom_verify(struct term *t)
{
    struct shell *sh = shell_of(t);
    struct axiom_result res;
    char root[65];
    int err = axiom_verify(sh->rt, sh->self, sh->h_axiom, &res);

    if (err != 0) {
        term_printf(t, "verify FAILED: %s\n", res.why[0] ? res.why : zerr_text(err));
        return err;
    }
    zfmt_hex(root, res.hash, AX_HASH_LEN);
    term_printf(t,
                "ok: %llu entries in %llu batches replayed from the disk; state root %s matches\n",
                (unsigned long long)res.seq, (unsigned long long)res.checkpoints, root);
    return 0;
}

/* The latest n entries, oldest first, SHELL_LOG_PAGE per query. */
#define SHELL_LOG_PAGE 32u

static int shell_axiom_log(struct term *t, uint64_t n)
{
    struct shell *sh = shell_of(t);
    static struct axiom_log_item items[SHELL_LOG_PAGE];
    char hex[65];
    struct axiom_head h;
    int herr = axiom_get_head(sh->rt, sh->self, sh->h_axiom, &h);
    if (herr != 0) {
        term_printf(t, "error: %s\n", zerr_text(herr));
        return herr;
    }
    uint32_t remaining = (uint32_t)(n < h.entries ? n : h.entries);

    while (remaining > 0) {
        uint32_t chunk = remaining < SHELL_LOG_PAGE ? remaining : SHELL_LOG_PAGE;
        uint32_t got = 0;
        int err =
            axiom_get_log(sh->rt, sh->self, sh->h_axiom, chunk, remaining - chunk, items, &got);
        if (err != 0) {
            term_printf(t, "error: %s\n", zerr_text(err));
            return err;
        }
        for (uint32_t i = 0; i < got; i++) {
            const struct axiom_log_item *it = &items[i];
            zfmt_hex(hex, it->hash, AX_HASH_LEN);
            term_printf(t, "#%-5llu %.16s %-12s %-13s %s  [rule #%u]\n",
                        (unsigned long long)it->seq, hex, it->proposer, ax_kind_name(it->kind),
                        it->subject, (unsigned)it->rule);
        }
        remaining -= chunk;
    }
    return 0;
}

static int cmd_axiom(struct term *t, int argc, char **argv)
{
    const char *usage = "axiom log [N] | axiom head | axiom verify";

    if (argc == 2 && strcmp(argv[1], "head") == 0) {
        return shell_axiom_head(t);
    }
    if (argc == 2 && strcmp(argv[1], "verify") == 0) {
        return shell_axiom_verify(t);
    }
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "log") == 0) {
        uint64_t n = 0;
        const char *s = argc == 3 ? argv[2] : "10";
        for (; *s >= '0' && *s <= '9' && n <= SHELL_LOG_MAX; s++) {
            n = n * 10 + (uint64_t)(*s - '0');
        }
        if (*s != '\0' || n == 0 || n > SHELL_LOG_MAX) {
            term_printf(t, "error: N must be 1..%u\n", SHELL_LOG_MAX);
            return ZERR_INVAL;
        }
        return shell_axiom_log(t, n);
    }
    return shell_usage(t, usage);
}

static int cmd_note(struct term *t, int argc, char **argv)
{
    struct shell *sh = shell_of(t);
    static char text[AX_NOTE_MAX + 1];
    struct ax_action a;
    struct axiom_result res;

    if (argc < 2) {
        return shell_usage(t, "note TEXT...");
    }
    if (!shell_join(argc, argv, 1, text, sizeof(text))) {
        term_printf(t, "error: a note holds at most %d bytes\n", AX_NOTE_MAX);
        return ZERR_LIMIT;
    }
    memset(&a, 0, sizeof(a));
    memset(&res, 0, sizeof(res));
    a.kind = AX_NOTE;
    memcpy(a.proposer, sh->acting, sizeof(a.proposer));
    a.data = (const uint8_t *)text;
    a.data_len = strlen(text);
    return shell_report(t, axiom_submit(sh->rt, sh->self, sh->h_axiom, &a, &res), &res);
}

/* Submits a signed proposal made outside the node (zero propose --hex):
 * it commits under its own proposer and signature, whoever types it. */
static int cmd_submit(struct term *t, int argc, char **argv)
{
    struct shell *sh = shell_of(t);
    static uint8_t bytes[AX_PROPOSAL_MAX];
    struct ax_action a;
    struct axiom_result res;
    size_t hex_len = argc == 2 ? strlen(argv[1]) : 0;

    if (argc != 2) {
        return shell_usage(t, "submit HEX");
    }
    if (hex_len % 2 != 0 || hex_len / 2 > sizeof(bytes) ||
        zfmt_unhex(bytes, hex_len / 2, argv[1], hex_len) != 0) {
        term_printf(t, "error: a signed proposal is hex of at most %u bytes\n", AX_PROPOSAL_MAX);
        return ZERR_INVAL;
    }
    int err = ax_proposal_decode(bytes, hex_len / 2, &a);
    if (err != 0) {
        term_printf(t, "error: not a signed proposal (%s)\n", zerr_text(err));
        return err;
    }
    return shell_report(t, axiom_submit(sh->rt, sh->self, sh->h_axiom, &a, &res), &res);
}

const struct term_cmd shell_cmds[] = {
    {"id", "id create NAME [--kind KIND] [--pubkey HEX]",
     "create a user, service, node or agent (an entry); --pubkey: it holds its own key", cmd_id},
    {"id", "id list", "list principals", cmd_id},
    {"id", "id rotate NAME [--pubkey HEX]", "give a principal a new key (an entry)", cmd_id},
    {"id", "id revoke NAME", "revoke a principal and all it issued (an entry)", cmd_id},
    {"policy", "policy show", "list the rules", cmd_policy},
    {"policy", "policy allow RULE", "add an allow rule (an entry; see docs/policy.md)", cmd_policy},
    {"policy", "policy deny RULE", "add a deny rule (an entry)", cmd_policy},
    {"policy", "policy remove N", "remove rule #N (an entry)", cmd_policy},
    {"policy", "policy check PRINCIPAL ACTION RESOURCE",
     "would PRINCIPAL be allowed ACTION on RESOURCE now? (nothing is committed)", cmd_policy},
    {"note", "note TEXT...", "record a note (an entry)", cmd_note},
    {"submit", "submit HEX", "commit a proposal signed outside the node (zero propose --hex)",
     cmd_submit},
    {"as", "as PRINCIPAL COMMAND...",
     "run one command as another principal (an act_as entry the policy allows)", shell_cmd_as},
    {"login", "login NAME [SIGNATURE]",
     "prove who you are: the operator's passphrase, or a signed challenge", shell_cmd_login},
    {"logout", "logout", "act as nobody until the next login", shell_cmd_logout},
    {"whoami", "whoami", "the principal commands act as", shell_cmd_whoami},
    {"axiom", "axiom log [N]", "the latest N entries (default 10)", cmd_axiom},
    {"axiom", "axiom head", "sequence, head hash, state root", cmd_axiom},
    {"axiom", "axiom verify", "replay the disk from genesis and check everything", cmd_axiom},
    {"job", "job run PROGRAM [--in [PATH=]HASH-OR-FILE]... [--out DIR] [--fuel N] [-- ARGS...]",
     "run a program (a content hash or a file) as a job; commits job.result", shell_cmd_job},
    {"job", "job show SEQ", "the job and result of entry #SEQ", shell_cmd_job},
    {"receipt", "receipt SEQ [FILE]",
     "the receipt of entry #SEQ, as hex (zero receipt verify); with FILE also as that file",
     shell_cmd_receipt},
    {"job", "job verify SEQ", "re-run the job of entry #SEQ from the store and compare",
     shell_cmd_job},
    {"net", "net", "the network: address, gateway, DNS, counters", shell_cmd_net},
    {"ping", "ping HOST", "ICMP echo to an address or a name (DNS)", shell_cmd_net},
    {"fetch", "fetch http://HOST[:PORT]/PATH [FILE]",
     "HTTP GET (commits net.connect first); prints the hash, stores into FILE", shell_cmd_net},
    {"httpd", "httpd [--port N] [DIR]",
     "serve DIR (else a page) over HTTP, read-only (commits net.listen first)", shell_cmd_net},
    {"nc", "nc HOST PORT | nc -l PORT",
     "send typed lines and print replies, or echo a peer's lines (commits first)", shell_cmd_net},
    SHELL_FS_CMDS,
    SHELL_SVC_CMDS,
    SHELL_PROC_CMDS,
    SHELL_TIME_CMDS,
};
const size_t shell_ncmds = sizeof(shell_cmds) / sizeof(shell_cmds[0]);
