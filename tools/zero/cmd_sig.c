/*
 * zero sig: Ed25519 key derivation, signing and verification, hex in and
 * hex out.  Verification exits 0 for a valid signature, 1 for an invalid
 * one and 2 for a usage or input error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fmt.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "tools/zero/zero.h"

const char zero_help_sig[] = "Ed25519: public key from a seed, sign, verify (hex in, hex out)";

#define SIG_MAX_MSG (256u << 20)

struct sig_args {
    const char *seed, *pub, *sig, *msg_hex, *file;
};

static void sig_usage(FILE *f)
{
    fprintf(f, "usage: zero sig pubkey --seed HEX\n"
               "       zero sig sign --seed HEX (--msg-hex HEX | FILE)\n"
               "       zero sig verify --pub HEX --sig HEX (--msg-hex HEX | FILE)\n\n"
               "Ed25519 (RFC 8032).  The seed (private key) and public key are 32 bytes, a\n"
               "signature 64 bytes, all as hex.  FILE '-' reads the message from stdin.\n"
               "verify prints 'valid' and exits 0, or prints 'invalid' and exits 1.\n");
}

/* Decodes hex of any even length into a new buffer; returns NULL if s is
 * not hex. */
static uint8_t *hex_alloc(const char *s, size_t *n)
{
    size_t len = strlen(s);
    if (len % 2 != 0) {
        return NULL;
    }
    uint8_t *out = malloc(len / 2 + 1);
    if (out != NULL && zfmt_unhex(out, len / 2, s, len) != 0) {
        free(out);
        return NULL;
    }
    *n = len / 2;
    return out;
}

/* Decodes exactly n bytes of hex for option name; prints why on failure. */
static int hex_fixed(const char *name, const char *s, uint8_t *out, size_t n)
{
    size_t got = 0;
    uint8_t *b = s != NULL ? hex_alloc(s, &got) : NULL;
    if (s == NULL) {
        fprintf(stderr, "zero sig: %s is required\n", name);
    } else if (b == NULL || got != n) {
        fprintf(stderr, "zero sig: %s must be %zu bytes as %zu hex digits\n", name, n, 2 * n);
    } else {
        memcpy(out, b, n);
    }
    if (b != NULL) {
        secure_zero(b, got);
    }
    free(b);
    return b != NULL && got == n ? 0 : -1;
}

static uint8_t *read_stream(FILE *f, size_t *n)
{
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - len, f);
        if (ferror(f) || len > SIG_MAX_MSG) {
            break;
        }
        if (len < cap) {
            *n = len;
            return buf;
        }
        uint8_t *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    free(buf);
    return NULL;
}

/* Loads the message from --msg-hex or FILE; prints why on failure. */
static uint8_t *load_message(const struct sig_args *a, size_t *n)
{
    if ((a->msg_hex == NULL) == (a->file == NULL)) {
        fprintf(stderr, "zero sig: give the message as --msg-hex HEX or as one FILE\n");
        return NULL;
    }
    if (a->msg_hex != NULL) {
        uint8_t *m = hex_alloc(a->msg_hex, n);
        if (m == NULL) {
            fprintf(stderr, "zero sig: --msg-hex is not hex (an even number of hex digits)\n");
        }
        return m;
    }
    int is_stdin = strcmp(a->file, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(a->file, "rb");
    if (f == NULL) {
        fprintf(stderr, "zero sig: %s: %s\n", a->file, strerror(errno));
        return NULL;
    }
    uint8_t *m = read_stream(f, n);
    if (m == NULL) {
        fprintf(stderr, "zero sig: %s: cannot read (or larger than %u bytes)\n", a->file,
                SIG_MAX_MSG);
    }
    if (!is_stdin) {
        fclose(f);
    }
    return m;
}

static int sig_parse(int argc, char **argv, struct sig_args *a)
{
    for (int i = 2; i < argc; i++) {
        const char *opt = argv[i];
        const char **slot = NULL;
        if (strcmp(opt, "--seed") == 0) {
            slot = &a->seed;
        } else if (strcmp(opt, "--pub") == 0) {
            slot = &a->pub;
        } else if (strcmp(opt, "--sig") == 0) {
            slot = &a->sig;
        } else if (strcmp(opt, "--msg-hex") == 0) {
            slot = &a->msg_hex;
        } else if ((opt[0] != '-' || strcmp(opt, "-") == 0) && a->file == NULL) {
            a->file = opt;
            continue;
        } else {
            fprintf(stderr, "zero sig: unexpected argument '%s'\n", opt);
            return -1;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "zero sig: %s needs a value\n", opt);
            return -1;
        }
        *slot = argv[++i];
    }
    return 0;
}

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
    putchar('\n');
}

static int sig_pubkey(const struct sig_args *a)
{
    uint8_t seed[32], pub[32];
    if (hex_fixed("--seed", a->seed, seed, 32) != 0) {
        return ZERO_EXIT_USAGE;
    }
    ed25519_pubkey(pub, seed);
    secure_zero(seed, sizeof(seed));
    print_hex(pub, 32);
    return ZERO_EXIT_OK;
}

static int sig_sign(const struct sig_args *a)
{
    uint8_t seed[32], pub[32], sig[64];
    size_t n = 0;
    if (hex_fixed("--seed", a->seed, seed, 32) != 0) {
        return ZERO_EXIT_USAGE;
    }
    uint8_t *msg = load_message(a, &n);
    if (msg == NULL) {
        secure_zero(seed, sizeof(seed));
        return ZERO_EXIT_USAGE;
    }
    ed25519_pubkey(pub, seed);
    ed25519_sign(sig, msg, n, seed, pub);
    secure_zero(seed, sizeof(seed));
    free(msg);
    print_hex(sig, 64);
    return ZERO_EXIT_OK;
}

static int sig_verify(const struct sig_args *a)
{
    uint8_t pub[32], sig[64];
    size_t n = 0;
    if (hex_fixed("--pub", a->pub, pub, 32) != 0 || hex_fixed("--sig", a->sig, sig, 64) != 0) {
        return ZERO_EXIT_USAGE;
    }
    uint8_t *msg = load_message(a, &n);
    if (msg == NULL) {
        return ZERO_EXIT_USAGE;
    }
    int err = ed25519_verify(sig, msg, n, pub);
    free(msg);
    puts(err == 0 ? "valid" : "invalid");
    return err == 0 ? ZERO_EXIT_OK : ZERO_EXIT_NO;
}

int zero_cmd_sig(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        sig_usage(stdout);
        return ZERO_EXIT_OK;
    }
    struct sig_args a = {0};
    if (argc < 2 || sig_parse(argc, argv, &a) != 0) {
        sig_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    const char *verb = argv[1];
    if (strcmp(verb, "pubkey") == 0 && !a.pub && !a.sig && !a.msg_hex && !a.file) {
        return sig_pubkey(&a);
    }
    if (strcmp(verb, "sign") == 0 && !a.pub && !a.sig) {
        return sig_sign(&a);
    }
    if (strcmp(verb, "verify") == 0 && !a.seed) {
        return sig_verify(&a);
    }
    fprintf(stderr, "zero sig: unknown subcommand or misplaced option for '%s'\n", verb);
    sig_usage(stderr);
    return ZERO_EXIT_USAGE;
}
