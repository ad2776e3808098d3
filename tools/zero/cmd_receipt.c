/*
 * zero receipt verify RECEIPT --key NODE-PUBKEY: checks a receipt offline
 * (docs/formats.md "Receipt"): the entry decodes, its hash is a leaf of the
 * checkpoint's Merkle tree by the inclusion proof, and the checkpoint is
 * signed by the node key given.  RECEIPT is the file zero export --receipt
 * writes, or the hex the terminal's receipt command prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/blake3.h"
#include "services/axiom/axiom.h"
#include "tools/zero/zero.h"

const char zero_help_receipt[] = "verify a receipt offline with the node's public key";

static void usage(FILE *out)
{
    fprintf(out, "usage: zero receipt verify RECEIPT --key NODE-PUBKEY\n"
                 "\n"
                 "Checks RECEIPT (a receipt file, or the hex the terminal's 'receipt SEQ'\n"
                 "prints, with or without its 'receipt #SEQ ' prefix) with nothing but the\n"
                 "node's public key (64 hex digits): the entry is leaf SEQ of the tree of the\n"
                 "checkpoint, which the key signed.  Exit 0 if it holds, 1 if not.\n");
}

/* Reads path; a text of hex digits (after an optional "receipt #N ") becomes its bytes. */
static size_t read_receipt(const char *path, uint8_t *buf, size_t cap)
{
    static char raw[2 * AX_RECEIPT_MAX + 64];
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(raw, 1, sizeof(raw) - 1, f) : 0;

    if (f != NULL) {
        fclose(f);
    }
    raw[n] = '\0';
    char *p = raw;
    if (strncmp(p, "receipt #", 9) == 0 && strchr(p, ' ') != NULL) {
        p = strchr(p, ' ') + 1;
        p = strchr(p, ' ') != NULL ? strchr(p, ' ') + 1 : p;
    }
    size_t h = strspn(p, "0123456789abcdef");
    bool text = h > 0 && h % 2 == 0 && (p[h] == '\0' || (p[h] == '\n' && p[h + 1] == '\0'));
    if (text && h / 2 <= cap && zfmt_unhex(buf, h / 2, p, h) == 0) {
        return h / 2;
    }
    if (n > cap) {
        return 0;
    }
    memcpy(buf, raw, n);
    return n;
}

int zero_cmd_receipt(int argc, char **argv)
{
    static uint8_t buf[AX_RECEIPT_MAX];
    static struct ax_receipt rc;
    static struct ax_entry e;
    uint8_t key[ID_PUB_LEN];
    uint8_t hash[AX_HASH_LEN];
    char hex[2 * AX_HASH_LEN + 1];
    char why[200] = "";

    if (zero_wants_help(argc, argv)) {
        usage(stdout);
        return ZERO_EXIT_OK;
    }
    if (argc != 5 || strcmp(argv[1], "verify") != 0 || strcmp(argv[3], "--key") != 0 ||
        strlen(argv[4]) != 2 * ID_PUB_LEN || zfmt_unhex(key, ID_PUB_LEN, argv[4], 64) != 0) {
        usage(stderr);
        return ZERO_EXIT_USAGE;
    }
    size_t len = read_receipt(argv[2], buf, sizeof(buf));
    int err = len > 0 ? ax_receipt_decode(buf, len, &rc) : ZERR_IO;
    if (err != 0) {
        printf("receipt refused: not a receipt (%s)\n", zerr_text(err));
        return ZERO_EXIT_NO;
    }
    if (memcmp(rc.node_pub, key, ID_PUB_LEN) != 0) {
        printf("receipt refused: signed by another node key\n");
        return ZERO_EXIT_NO;
    }
    err = ax_receipt_verify(&rc, &e, why, sizeof(why));
    if (err != 0) {
        printf("receipt refused: %s\n", why[0] ? why : zerr_text(err));
        return ZERO_EXIT_NO;
    }
    blake3_hash(rc.entry, rc.entry_len, hash);
    zfmt_hex(hex, hash, AX_HASH_LEN);
    printf("ok: entry #%llu %s (%s by %s) is in the log signed at %llu entries\n",
           (unsigned long long)e.seq, hex, ax_kind_name(e.a.kind), e.a.proposer,
           (unsigned long long)rc.cp.size);
    return ZERO_EXIT_OK;
}
