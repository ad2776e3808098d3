/*
 * zero log PATH [--json]: lists the entries of a disk or export as they
 * verify, one per line, or as JSON Lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "services/axiom/axiom.h"
#include "services/axiom/service.h"
#include "tools/zero/zero.h"

const char zero_help_log[] = "list the Axiom entries of a disk or export (--json: JSON Lines)";

static void log_usage(FILE *f)
{
    fprintf(f, "usage: zero log PATH [--json]\n\n"
               "Lists the entries of the Axiom log on PATH (a disk image or a 'zero export'\n"
               "file) in order, verifying as it goes. --json prints one JSON object per\n"
               "line. Exits 1 if verification stops early (the entries before the bad one\n"
               "are listed), 2 if PATH cannot be read.\n");
}

/* Prints s as a JSON string. */
static void json_str(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20 || c >= 0x7f) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void json_hex(const char *key, const uint8_t *p, size_t n)
{
    char hex[2 * AX_NOTE_MAX + 1];

    zfmt_hex(hex, p, n);
    printf("\"%s\":\"%s\"", key, hex);
}

/* formats.md "JSON Lines": a network entry's address, port, local_port. */
static void json_net(const struct ax_action *a)
{
    uint32_t ip = a->net.ip;

    if (a->kind != AX_NET_LISTEN) {
        printf("\"address\":\"%u.%u.%u.%u\",\"port\":%u%s", (unsigned)(ip >> 24),
               (unsigned)(ip >> 16) & 255u, (unsigned)(ip >> 8) & 255u, (unsigned)ip & 255u,
               (unsigned)a->net.port, a->kind == AX_NET_ACCEPT ? "," : "");
    }
    if (a->kind != AX_NET_CONNECT) {
        printf("\"local_port\":%u", (unsigned)a->net.local_port);
    }
}

/* formats.md "JSON Lines": a service entry's name and the fields it has. */
static void json_svc(const struct ax_action *a)
{
    static const char *const how[] = {"?", "exited", "faulted", "killed"};

    printf("\"name\":");
    json_str(a->name, strlen(a->name));
    if (a->kind == AX_SVC_START) {
        printf(",\"pid\":%llu,\"delay_ms\":%llu", (unsigned long long)a->svc.pid,
               (unsigned long long)a->svc.delay_ms);
    } else if (a->kind == AX_SVC_EXIT) {
        printf(",\"pid\":%llu,\"how\":\"%s\",\"status\":%llu,\"fault_kind\":%u,"
               "\"fault_address\":%llu",
               (unsigned long long)a->svc.pid, how[a->svc.how <= 3 ? a->svc.how : 0],
               (unsigned long long)a->svc.status, (unsigned)a->svc.fault_kind,
               (unsigned long long)a->svc.fault_addr);
    } else if (a->kind == AX_SVC_HOLD) {
        printf(",\"reason\":");
        json_str(a->svc.reason, strlen(a->svc.reason));
    }
}

static void json_payload(const struct ax_action *a)
{
    printf("\"payload\":{");
    switch (a->kind) {
    case AX_GENESIS:
    case AX_ID_CREATE:
    case AX_ID_ROTATE:
        printf("\"name\":");
        json_str(a->name, strlen(a->name));
        if (a->kind != AX_ID_ROTATE) {
            printf(",\"kind\":\"%s\"", id_kind_name(a->id_kind));
        }
        putchar(',');
        json_hex("public_key", a->pub, ID_PUB_LEN);
        break;
    case AX_ID_REVOKE:
    case AX_ACT_AS:
        printf("\"name\":");
        json_str(a->name, strlen(a->name));
        break;
    case AX_POLICY_ADD:
        printf("\"effect\":\"%s\",\"rule\":", policy_effect_name(a->effect));
        json_str(a->rule, strlen(a->rule));
        break;
    case AX_POLICY_REMOVE:
        printf("\"rule_id\":%u", (unsigned)a->rule_id);
        break;
    case AX_NET_CONNECT:
    case AX_NET_LISTEN:
    case AX_NET_ACCEPT:
        json_net(a);
        break;
    case AX_SVC_START:
    case AX_SVC_EXIT:
    case AX_SVC_HOLD:
    case AX_SVC_RESTART:
    case AX_SVC_KILL:
        json_svc(a);
        break;
    default:
        json_hex("data", a->data, a->data_len);
        break;
    }
    putchar('}');
}

static void log_json(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    (void)arg;
    printf("{\"seq\":%llu,", (unsigned long long)e->seq);
    json_hex("hash", hash, AX_HASH_LEN);
    putchar(',');
    json_hex("prev", e->prev, AX_HASH_LEN);
    printf(",\"proposer\":");
    json_str(e->a.proposer, strlen(e->a.proposer));
    printf(",\"action\":\"%s\",", ax_kind_name(e->a.kind));
    json_payload(&e->a);
    printf(",\"decision\":{\"allow\":%s,\"rule\":%u},", e->dec.allow ? "true" : "false",
           (unsigned)e->dec.rule);
    json_hex("state_root", e->state_root, AX_HASH_LEN);
    if (e->a.has_sig) {
        putchar(',');
        json_hex("signature", e->a.sig, AX_SIG_LEN);
    }
    if (e->a.has_nonce) {
        printf(",\"proposal_number\":%llu", (unsigned long long)e->a.nonce);
    }
    printf("}\n");
}

static void log_text(void *arg, const struct ax_entry *e, const uint8_t hash[AX_HASH_LEN])
{
    char hex[65];
    char what[96];

    (void)arg;
    zfmt_hex(hex, hash, AX_HASH_LEN);
    axiom_describe(e, what, sizeof(what));
    printf("#%-6llu %s %-12s %-13s %s [rule #%u]\n", (unsigned long long)e->seq, hex, e->a.proposer,
           ax_kind_name(e->a.kind), what, (unsigned)e->dec.rule);
}

int zero_cmd_log(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false;

    if (zero_wants_help(argc, argv)) {
        log_usage(stdout);
        return ZERO_EXIT_OK;
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            log_usage(stderr);
            return ZERO_EXIT_USAGE;
        }
    }
    if (path == NULL) {
        log_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    struct blk dev;
    int err = zero_open_image(path, &dev);
    if (err == ZERR_TRUNCATED) {
        fprintf(stderr, "zero log: %s: %s\n", path, ZERO_PARTIAL_SECTOR);
        return ZERO_EXIT_NO;
    }
    if (err != 0) {
        fprintf(stderr, "zero log: cannot open %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    struct ax_state *st = malloc(sizeof(*st));
    struct ax_replay r;
    uint8_t kind = 0;
    uint64_t tail = 0;
    int rc = ZERO_EXIT_OK;
    if (st == NULL) {
        blk_close(&dev);
        return ZERO_EXIT_USAGE;
    }
    ax_replay_init(&r, st, json ? log_json : log_text, NULL);
    err = axiom_replay_device(&dev, &r, &kind, &tail);
    fflush(stdout);
    if (err == ZERR_UNSUPPORTED) {
        fprintf(stderr, "zero log: %s: %s\n", path, r.why);
        rc = ZERO_EXIT_USAGE;
    } else if (err != 0 && err != ZERR_TRUNCATED) {
        fprintf(stderr, "zero log: %s: verification stopped at entry #%llu: %s\n", path,
                (unsigned long long)(r.bad_seq == AX_NO_ENTRY ? 0 : r.bad_seq), r.why);
        rc = ZERO_EXIT_NO;
    }
    free(st);
    blk_close(&dev);
    return rc;
}
