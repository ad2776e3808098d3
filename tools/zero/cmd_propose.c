/*
 * zero propose: a signed proposal made outside the node, with a key file
 * the node never sees (docs/formats.md, "Signed proposal").
 *
 *   zero propose --key FILE --proposer NAME --number N [--hex] ACTION ARGS...
 *
 * writes the proposal's CBOR to standard output (hex and a newline with
 * --hex, for the terminal's submit command).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "services/axiom/axiom.h"
#include "tools/zero/key_file.h"
#include "tools/zero/zero.h"

const char zero_help_propose[] = "write a proposal signed with a key file (for submit)";

static void propose_usage(FILE *f)
{
    fprintf(f,
            "usage: zero propose --key FILE --proposer NAME --number N [--hex] ACTION ARGS...\n\n"
            "ACTION ARGS is one of:\n"
            "  note TEXT...\n"
            "  id.create NAME KIND [PUBKEY]     (PUBKEY: the new principal holds its own key)\n"
            "  id.rotate NAME PUBKEY\n"
            "  id.revoke NAME\n"
            "  policy.add allow|deny RULE...\n"
            "  policy.remove N\n\n"
            "N is the proposer's next signed-proposal number (1 for its first).  The\n"
            "proposal goes to standard output: CBOR, or hex with --hex.\n");
}

struct propose_args {
    const char *key, *proposer;
    uint64_t number;
    bool hex;
    int first; /* argv index of ACTION */
};

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    *out = v;
    return s[0] >= '0' && s[0] <= '9' && *end == '\0';
}

static int parse_opts(int argc, char **argv, struct propose_args *pa)
{
    memset(pa, 0, sizeof(*pa));
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--hex") == 0) {
            pa->hex = true;
        } else if (i + 1 < argc && strcmp(argv[i], "--key") == 0) {
            pa->key = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--proposer") == 0) {
            pa->proposer = argv[++i];
        } else if (i + 1 < argc && strcmp(argv[i], "--number") == 0) {
            if (!parse_u64(argv[++i], &pa->number) || pa->number == 0) {
                fprintf(stderr, "zero propose: --number must be 1 or more\n");
                return ZERO_EXIT_USAGE;
            }
        } else {
            break;
        }
    }
    pa->first = i;
    if (pa->key == NULL || pa->proposer == NULL || pa->number == 0 || i >= argc) {
        propose_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    if (!id_name_valid(pa->proposer, strlen(pa->proposer))) {
        fprintf(stderr, "zero propose: invalid proposer name '%s'\n", pa->proposer);
        return ZERO_EXIT_USAGE;
    }
    return 0;
}

/* Joins argv[from..argc) with spaces into out (cap bytes). */
static bool join(int argc, char **argv, int from, char *out, size_t cap)
{
    size_t pos = 0;
    out[0] = '\0';
    for (int i = from; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (pos + n + 2 > cap) {
            return false;
        }
        if (i > from) {
            out[pos++] = ' ';
        }
        memcpy(out + pos, argv[i], n + 1);
        pos += n;
    }
    return argc > from;
}

static bool copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (!id_name_valid(src, n)) {
        return false;
    }
    memcpy(dst, src, n + 1);
    return true;
}

static bool parse_pub(const char *hex, uint8_t pub[ID_PUB_LEN])
{
    return zfmt_unhex(pub, ID_PUB_LEN, hex, strlen(hex)) == 0;
}

/* Fills the action from ACTION ARGS; text backs a note's bytes. */
static bool build_action(int argc, char **argv, struct ax_action *a, char *text, size_t cap)
{
    const char *act = argv[0];
    uint64_t v = 0;
    if (strcmp(act, "note") == 0 && join(argc, argv, 1, text, cap)) {
        a->kind = AX_NOTE;
        a->data = (const uint8_t *)text;
        a->data_len = strlen(text);
        return a->data_len <= AX_NOTE_MAX;
    }
    if (strcmp(act, "id.create") == 0 && (argc == 3 || argc == 4)) {
        a->kind = AX_ID_CREATE;
        a->id_kind = id_kind_parse(argv[2], strlen(argv[2]));
        a->external = argc == 4;
        return copy_name(a->name, argv[1]) && a->id_kind != ID_KIND_NONE &&
               (argc == 3 || parse_pub(argv[3], a->pub));
    }
    if (strcmp(act, "id.rotate") == 0 && argc == 3) {
        a->kind = AX_ID_ROTATE;
        a->external = true;
        return copy_name(a->name, argv[1]) && parse_pub(argv[2], a->pub);
    }
    if (strcmp(act, "id.revoke") == 0 && argc == 2) {
        a->kind = AX_ID_REVOKE;
        return copy_name(a->name, argv[1]);
    }
    if (strcmp(act, "policy.add") == 0 && argc >= 3 &&
        (strcmp(argv[1], "allow") == 0 || strcmp(argv[1], "deny") == 0)) {
        a->kind = AX_POLICY_ADD;
        a->effect = argv[1][0] == 'a' ? POLICY_ALLOW : POLICY_DENY;
        return join(argc, argv, 2, a->rule, sizeof(a->rule));
    }
    if (strcmp(act, "policy.remove") == 0 && argc == 2 && parse_u64(argv[1], &v) && v > 0 &&
        v <= UINT32_MAX) {
        a->kind = AX_POLICY_REMOVE;
        a->rule_id = (uint32_t)v;
        return true;
    }
    return false;
}

/* Signs a with seed and writes the proposal to stdout. */
static int sign_and_write(struct ax_action *a, const uint8_t seed[ED25519_SEED_LEN], bool hex)
{
    static uint8_t msg[AX_ENTRY_MAX], out[AX_PROPOSAL_MAX];
    static char text[2 * AX_PROPOSAL_MAX + 1];
    uint8_t pub[ED25519_PUB_LEN];
    size_t len = 0;
    int err = ax_proposal_message(a, msg, sizeof(msg), &len);
    if (err == 0) {
        ed25519_pubkey(pub, seed);
        ed25519_sign(a->sig, msg, len, seed, pub);
        err = ax_proposal_encode(a, out, sizeof(out), &len);
    }
    if (err != 0) {
        fprintf(stderr, "zero propose: cannot encode the proposal: %s\n", zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    if (hex) {
        zfmt_hex(text, out, len);
        printf("%s\n", text);
    } else {
        fwrite(out, 1, len, stdout);
    }
    return fflush(stdout) == 0 ? ZERO_EXIT_OK : ZERO_EXIT_USAGE;
}

int zero_cmd_propose(int argc, char **argv)
{
    static char text[AX_NOTE_MAX + 2];
    struct propose_args pa;
    struct ax_action a;
    uint8_t seed[ED25519_SEED_LEN];

    if (zero_wants_help(argc, argv)) {
        propose_usage(stdout);
        return ZERO_EXIT_OK;
    }
    int rc = parse_opts(argc, argv, &pa);
    if (rc != 0) {
        return rc;
    }
    memset(&a, 0, sizeof(a));
    memcpy(a.proposer, pa.proposer, strlen(pa.proposer) + 1);
    a.has_sig = true;
    a.has_nonce = true;
    a.nonce = pa.number;
    if (!build_action(argc - pa.first, argv + pa.first, &a, text, sizeof(text))) {
        fprintf(stderr, "zero propose: bad action or arguments: %s\n", argv[pa.first]);
        propose_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    int err = key_file_read(pa.key, seed);
    if (err != 0) {
        fprintf(stderr, "zero propose: %s: %s\n", pa.key,
                err == ZERR_CORRUPT ? "not a key file" : zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    rc = sign_and_write(&a, seed, pa.hex);
    secure_zero(seed, sizeof(seed));
    return rc;
}
