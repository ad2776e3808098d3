/*
 * zero key: key files for principals whose key lives outside the node, and
 * sealing a disk's key slot under a passphrase.
 *
 *   zero key gen OUT          a new Ed25519 key file (mode 0600)
 *   zero key pub FILE         its public key as hex
 *   zero key seal DISK        seals a plain key slot (docs/identity.md)
 *
 * A key file is one line: the 32-byte Ed25519 seed (RFC 8032 private key)
 * as 64 lower-case hex digits, then a newline (docs/formats.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/errors.h"
#include "crypto/ct.h"
#include "crypto/ed25519.h"
#include "hal/hal.h"
#include "services/axiom/axiom.h"
#include "tools/passphrase/passphrase.h"
#include "tools/zero/zero.h"
#include "tools/zero/key_file.h"

const char zero_help_key[] = "key files (gen, pub) and sealing a disk's key slot (seal)";

static void key_usage(FILE *f)
{
    fprintf(f,
            "usage: zero key gen OUT\n"
            "       zero key pub FILE\n"
            "       zero key seal DISK [--passphrase-fd N] [--kdf T,MKIB,P]\n\n"
            "gen writes a new Ed25519 key file (mode 0600, refuses to overwrite);\n"
            "pub prints its public key as hex.  seal encrypts the root secret in the\n"
            "key slot of DISK under a passphrase (Argon2id and XChaCha20-Poly1305),\n"
            "asked twice at the terminal or read as the first line of fd N; --kdf\n"
            "sets the Argon2id passes, memory in KiB and lanes (default %u,%u,%u).\n",
            KEYSLOT_T_COST, KEYSLOT_M_KIB, KEYSLOT_LANES);
}

static int key_gen(const char *out)
{
    uint8_t seed[ED25519_SEED_LEN];
    if (hal_entropy(seed, sizeof(seed)) != 0) {
        fprintf(stderr, "zero key: no entropy from the system\n");
        return ZERO_EXIT_USAGE;
    }
    int err = key_file_write(out, seed);
    secure_zero(seed, sizeof(seed));
    if (err != 0) {
        fprintf(stderr, "zero key: cannot write %s: %s\n", out,
                err == ZERR_EXIST ? "it exists" : zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    return ZERO_EXIT_OK;
}

static int key_pub(const char *path)
{
    uint8_t seed[ED25519_SEED_LEN], pub[ED25519_PUB_LEN];
    int err = key_file_read(path, seed);
    if (err != 0) {
        fprintf(stderr, "zero key: %s: %s\n", path,
                err == ZERR_CORRUPT ? "not a key file (64 hex digits and a newline)"
                                    : zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    ed25519_pubkey(pub, seed);
    secure_zero(seed, sizeof(seed));
    for (int i = 0; i < ED25519_PUB_LEN; i++) {
        printf("%02x", pub[i]);
    }
    printf("\n");
    return ZERO_EXIT_OK;
}

/* Parses "T,M,P" into kdf; returns false if it is not three numbers. */
static bool parse_kdf(const char *s, struct keyslot_kdf *kdf)
{
    unsigned t, m, p;
    char tail;
    if (sscanf(s, "%u,%u,%u%c", &t, &m, &p, &tail) != 3) {
        return false;
    }
    kdf->t_cost = t;
    kdf->m_kib = m;
    kdf->lanes = p;
    return true;
}

/* Seals the plain slot's root secret under pass into dev, then reads the
 * new slot back and opens it, to be sure it gives the same secret. */
static int seal_checked(struct blk *dev, const struct ax_layout *lay, uint8_t slot[KEYSLOT_LEN],
                        const char *pass, size_t len, const struct keyslot_kdf *kdf)
{
    uint8_t root[KEYS_SECRET_LEN], back[KEYS_SECRET_LEN];
    int err = keyslot_open(slot, NULL, 0, root);

    if (err != 0) {
        goto wipe_secrets;
    }
    err = keyslot_seal(root, lay->node_pub, pass, len, kdf, slot);
    if (err != 0) {
        goto wipe_secrets;
    }
    err = ax_write_keyslot(dev, lay, slot);
    if (err != 0) {
        goto wipe_secrets;
    }
    err = ax_read_keyslot(dev, lay, slot);
    if (err != 0) {
        goto wipe_secrets;
    }
    err = keyslot_open(slot, pass, len, back);
    if (err == 0 && !ct_equal(root, back, sizeof(root))) {
        err = ZERR_CORRUPT;
    }
wipe_secrets:
    secure_zero(root, sizeof(root));
    secure_zero(back, sizeof(back));
    return err;
}

/* Seals the plain slot of dev; the passphrase comes from pass_fd or the
 * terminal.  Reads the new slot back and opens it before reporting. */
static int seal_slot(struct blk *dev, const char *path, int pass_fd, const struct keyslot_kdf *kdf)
{
    struct ax_layout lay;
    uint8_t slot[KEYSLOT_LEN];
    char why[160] = "", pass[KEYSLOT_PASS_MAX];
    int err = ax_read_super(dev, &lay, NULL, why, sizeof(why));
    if (err == 0) {
        err = ax_read_keyslot(dev, &lay, slot);
    }
    if (err != 0) {
        fprintf(stderr, "zero key: %s: %s\n", path, why[0] ? why : zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    if (keyslot_check(slot, lay.node_pub) != KEYSLOT_PLAIN) {
        fprintf(stderr, "zero key: %s: the key slot is sealed already\n", path);
        return ZERO_EXIT_NO;
    }
    long len = pass_read(pass_fd, "new passphrase: ", true, pass, sizeof(pass));
    if (len < 0) {
        fprintf(stderr, "zero key: no passphrase: %s\n",
                len == ZERR_INVAL ? "empty, too long, or the two differ" : zerr_text((int)len));
        return ZERO_EXIT_USAGE;
    }
    err = seal_checked(dev, &lay, slot, pass, (size_t)len, kdf);
    secure_zero(pass, sizeof(pass));
    if (err != 0) {
        fprintf(stderr, "zero key: cannot seal %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    printf("sealed: %s (Argon2id t=%u m=%u KiB p=%u, XChaCha20-Poly1305)\n", path, kdf->t_cost,
           kdf->m_kib, kdf->lanes);
    return ZERO_EXIT_OK;
}

static int key_seal(int argc, char **argv)
{
    struct keyslot_kdf kdf = {KEYSLOT_T_COST, KEYSLOT_M_KIB, KEYSLOT_LANES};
    const char *path = NULL;
    int pass_fd = -1;
    for (int i = 2; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--passphrase-fd") == 0) {
            pass_fd = pass_parse_fd(argv[++i]);
            if (pass_fd < 0) {
                fprintf(stderr, "zero key: --passphrase-fd needs a file descriptor number\n");
                return ZERO_EXIT_USAGE;
            }
        } else if (i + 1 < argc && strcmp(argv[i], "--kdf") == 0) {
            if (!parse_kdf(argv[++i], &kdf)) {
                fprintf(stderr, "zero key: --kdf wants T,MKIB,P\n");
                return ZERO_EXIT_USAGE;
            }
        } else if (path == NULL && argv[i][0] != '-') {
            path = argv[i];
        } else {
            key_usage(stderr);
            return ZERO_EXIT_USAGE;
        }
    }
    if (path == NULL) {
        key_usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    struct blk dev;
    int err = blk_open(&dev, path, 0);
    if (err != 0) {
        fprintf(stderr, "zero key: cannot open %s: %s\n", path, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    int rc = seal_slot(&dev, path, pass_fd, &kdf);
    blk_close(&dev);
    return rc;
}

int zero_cmd_key(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        key_usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc == 3 && strcmp(argv[1], "gen") == 0) {
        return key_gen(argv[2]);
    }
    if (argc == 3 && strcmp(argv[1], "pub") == 0) {
        return key_pub(argv[2]);
    }
    if (argc >= 3 && strcmp(argv[1], "seal") == 0) {
        return key_seal(argc, argv);
    }
    key_usage(stderr);
    return ZERO_EXIT_USAGE;
}
