/*
 * zero login: answers the terminal's log-in challenge for a principal
 * whose key lives outside the node (docs/identity.md, "Logging in at the
 * console").
 *
 *   zero login --key FILE NAME CHALLENGE                   prints the signature as hex
 *   zero login --key FILE --submit SOCKET NAME CHALLENGE   sends it to the node
 */
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "services/identity/identity.h"
#include "services/identity/login.h"
#include "tools/zero/key_file.h"
#include "tools/zero/zero.h"

const char zero_help_login[] = "sign the terminal's log-in challenge with a key file";

static void login_usage(FILE *f)
{
    fprintf(f, "usage: zero login --key FILE [--submit SOCKET] NAME CHALLENGE\n\n"
               "At the terminal, 'login NAME' prints a challenge for a principal that\n"
               "holds its own key.  This signs \"Zero OS login v1\" NUL NAME NUL CHALLENGE\n"
               "with the key file's Ed25519 key and prints the signature as 128 hex\n"
               "digits; type 'login NAME SIGNATURE' at the terminal to finish.  With\n"
               "--submit the signature goes to the node instead, over the socket of\n"
               "zero-hosted --listen or the x86_64 node's COM2 (docs/formats.md,\n"
               "\"Socket protocol\"), and the node's answer is printed: 'logged in as\n"
               "NAME' (exit 0), 'denied: REASON' (exit 1) or 'error: REASON' (exit 2).\n");
}

/* Sends name's signature to the node at sock (request type 5) and prints its answer. */
static int login_submit(const char *sock, const char *name, const uint8_t sig[ED25519_SIG_LEN])
{
    uint8_t body[1 + ID_NAME_MAX + 1 + ED25519_SIG_LEN];
    size_t n = strlen(name);

    body[0] = 5;
    memcpy(body + 1, name, n + 1);
    memcpy(body + 1 + n + 1, sig, ED25519_SIG_LEN);
    return zero_submit_exchange(sock, body, 1 + n + 1 + ED25519_SIG_LEN);
}

/* Signs the challenge (hex) for name with the key in path; prints the
 * signature, or sends it to sock when that is not NULL. */
static int login_sign(const char *path, const char *sock, const char *name, const char *chhex)
{
    uint8_t seed[ED25519_SEED_LEN], pub[ED25519_PUB_LEN], sig[ED25519_SIG_LEN];
    uint8_t ch[ID_CHALLENGE_LEN], msg[ID_LOGIN_MSG_MAX];
    char hex[2 * ED25519_SIG_LEN + 1];

    if (strlen(chhex) != 2 * ID_CHALLENGE_LEN || zfmt_unhex(ch, sizeof(ch), chhex, strlen(chhex))) {
        fprintf(stderr, "zero login: CHALLENGE must be %d bytes as %d hex digits\n",
                ID_CHALLENGE_LEN, 2 * ID_CHALLENGE_LEN);
        return ZERO_EXIT_USAGE;
    }
    size_t len = id_login_message(name, ch, msg);
    if (len == 0) {
        fprintf(stderr, "zero login: invalid principal name '%s'\n", name);
        return ZERO_EXIT_USAGE;
    }
    int err = key_file_read(path, seed);
    if (err != 0) {
        fprintf(stderr, "zero login: cannot read key file %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    ed25519_pubkey(pub, seed);
    ed25519_sign(sig, msg, len, seed, pub);
    secure_zero(seed, sizeof(seed));
    if (sock != NULL) {
        return login_submit(sock, name, sig);
    }
    zfmt_hex(hex, sig, sizeof(sig));
    printf("%s\n", hex);
    return ZERO_EXIT_OK;
}

int zero_cmd_login(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        login_usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc == 7 && strcmp(argv[1], "--key") == 0 && strcmp(argv[3], "--submit") == 0) {
        return login_sign(argv[2], argv[4], argv[5], argv[6]);
    }
    if (argc != 5 || strcmp(argv[1], "--key") != 0) {
        login_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    return login_sign(argv[2], NULL, argv[3], argv[4]);
}
