/*
 * zero manifest: the signed boot manifest of a Zero OS image (docs/boot.md).
 *
 *   zero manifest build SPEC DIR -o OUT   the manifest body of the images in DIR
 *   zero manifest sign KEY BODY -o OUT    signs a body with a release key file
 *   zero manifest show FILE [--key HEX]   prints a signed manifest, checks its signature
 *   zero manifest check FILE DIR --key HEX  also checks every image in DIR against it
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "crypto/blake3.h"
#include "crypto/ed25519.h"
#include "services/init/manifest/manifest.h"
#include "tools/zero/key_file.h"
#include "tools/zero/manifest_io.h"
#include "tools/zero/zero.h"

const char zero_help_manifest[] = "the signed boot manifest of an image (build, sign, show, check)";

static void manifest_usage(FILE *f)
{
    fprintf(f, "usage: zero manifest build SPEC DIR -o OUT\n"
               "       zero manifest sign KEY BODY -o OUT\n"
               "       zero manifest show FILE [--key PUBHEX]\n"
               "       zero manifest check FILE DIR --key PUBHEX\n\n"
               "build reads SPEC (lines 'kernel FILE' and 'program NAME image=FILE arg=N\n"
               "deps=A,B caps=X,Y mem=PAGES threads=N restart=yes|no'; '#' starts a comment),\n"
               "hashes the kernel and every image in DIR with BLAKE3 and writes the manifest\n"
               "body (deterministic CBOR).  sign signs a body with an Ed25519 key file\n"
               "(zero key gen) into a signed manifest.  show prints one and checks its\n"
               "signature under --key (the release public key as 64 hex digits), or under\n"
               "the key it names when there is no --key.  check also hashes every image of\n"
               "the manifest in DIR and names each that differs.  Exit 1 when a check fails.\n");
}

/* ---- build: the spec file ---- */

/* Copies a comma-separated list into names (stride bytes each); -1 if bad. */
static int spec_list(const char *v, char *names, size_t stride, uint32_t max, size_t len,
                     uint32_t *n)
{
    *n = 0;
    if (strcmp(v, "-") == 0 || *v == '\0') {
        return 0;
    }
    while (*v != '\0') {
        const char *end = strchr(v, ',');
        size_t k = end != NULL ? (size_t)(end - v) : strlen(v);
        if (*n >= max || !mf_name_valid(v, k, len)) {
            return -1;
        }
        memcpy(names + *n * stride, v, k);
        names[*n * stride + k] = '\0';
        (*n)++;
        v += k + (end != NULL);
    }
    return 0;
}

static int spec_uint(const char *v, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*v == '\0' || *v == '-' || *end != '\0' || errno != 0 || x > max) {
        return -1;
    }
    *out = x;
    return 0;
}

/* Applies one key=value word of a program line; -1 if bad. */
static int spec_field(struct mf_program *p, const char *w)
{
    const char *v = strchr(w, '=');
    uint64_t x = 0;
    int r = 0;
    if (v == NULL) {
        return -1;
    }
    size_t k = (size_t)(v++ - w);
    if (k == 5 && memcmp(w, "image", 5) == 0 && mf_name_valid(v, strlen(v), MF_FILE_MAX)) {
        strcpy(p->image, v);
    } else if (k == 3 && memcmp(w, "arg", 3) == 0) {
        r = spec_uint(v, UINT64_MAX, &p->arg);
    } else if (k == 4 && memcmp(w, "deps", 4) == 0) {
        r = spec_list(v, &p->deps[0][0], sizeof(p->deps[0]), MF_DEPS_MAX, MF_NAME_MAX, &p->ndeps);
    } else if (k == 4 && memcmp(w, "caps", 4) == 0) {
        r = spec_list(v, &p->caps[0][0], sizeof(p->caps[0]), MF_CAPS_MAX, MF_CAP_MAX, &p->ncaps);
    } else if (k == 3 && memcmp(w, "mem", 3) == 0) {
        r = spec_uint(v, UINT64_MAX, &p->mem_pages);
    } else if (k == 7 && memcmp(w, "threads", 7) == 0) {
        r = spec_uint(v, UINT32_MAX, &x);
        p->threads = (uint32_t)x;
    } else if (k == 7 && memcmp(w, "restart", 7) == 0 &&
               (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0)) {
        p->restartable = strcmp(v, "yes") == 0;
    } else {
        r = -1;
    }
    return r;
}

/* Parses one line (words split in place); -1 with a message if bad. */
static int spec_line(struct mf_manifest *m, char *line, int lineno)
{
    char *words[16];
    int n = 0;
    for (char *t = strtok(line, " \t\r\n"); t != NULL && n < 16; t = strtok(NULL, " \t\r\n")) {
        words[n++] = t;
    }
    if (n == 0 || words[0][0] == '#') {
        return 0;
    }
    if (strcmp(words[0], "kernel") == 0 && n == 2 &&
        mf_name_valid(words[1], strlen(words[1]), MF_FILE_MAX)) {
        strcpy(m->kernel, words[1]);
        return 0;
    }
    if (strcmp(words[0], "program") == 0 && n >= 2 && m->nprograms < MF_PROGRAMS_MAX &&
        mf_name_valid(words[1], strlen(words[1]), MF_NAME_MAX)) {
        struct mf_program *p = &m->p[m->nprograms++];
        strcpy(p->name, words[1]);
        strcpy(p->image, words[1]);
        for (int i = 2; i < n; i++) {
            if (spec_field(p, words[i]) != 0) {
                fprintf(stderr, "zero manifest: line %d: bad field '%s'\n", lineno, words[i]);
                return -1;
            }
        }
        return 0;
    }
    fprintf(stderr, "zero manifest: line %d: expected 'kernel FILE' or 'program NAME ...'\n",
            lineno);
    return -1;
}

static int spec_read(const char *path, struct mf_manifest *m)
{
    char line[512];
    int lineno = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "zero manifest: %s: %s\n", path, strerror(errno));
        return -1;
    }
    memset(m, 0, sizeof(*m));
    int r = 0;
    while (r == 0 && fgets(line, sizeof(line), f) != NULL) {
        r = spec_line(m, line, ++lineno);
    }
    fclose(f);
    return r;
}

/* Hashes DIR/name into out; -1 with a message if unreadable. */
static int hash_image(const char *dir, const char *name, uint8_t out[MF_HASH_LEN])
{
    char path[1024];
    size_t len = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    uint8_t *buf = mio_read_file(path, MIO_IMAGE_MAX, &len);
    if (buf == NULL) {
        return -1;
    }
    blake3_hash(buf, len, out);
    free(buf);
    return 0;
}

static int manifest_build(const char *spec, const char *dir, const char *out)
{
    static struct mf_manifest m;
    static uint8_t body[MF_BODY_MAX];
    size_t len = 0;
    int bad = 0;
    if (spec_read(spec, &m) != 0) {
        return ZERO_EXIT_USAGE;
    }
    int r = hash_image(dir, m.kernel, m.kernel_hash);
    for (uint32_t i = 0; r == 0 && i < m.nprograms; i++) {
        r = hash_image(dir, m.p[i].image, m.p[i].hash);
    }
    if (r != 0) {
        return ZERO_EXIT_USAGE;
    }
    int err = mf_order(&m, &bad);
    if (err != 0) {
        fprintf(stderr, "zero manifest: %s: %s%s\n", spec,
                err == ZERR_NOENT ? "unknown dependency of " : "dependency cycle or duplicate",
                err == ZERR_NOENT ? m.p[bad].name : "");
        return ZERO_EXIT_USAGE;
    }
    err = mf_encode(&m, body, sizeof(body), &len);
    if (err != 0) {
        fprintf(stderr, "zero manifest: %s: cannot encode (%s)\n", spec, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    return mio_write_file(out, body, len) == 0 ? 0 : ZERO_EXIT_USAGE;
}

static int manifest_sign(const char *keyfile, const char *bodyfile, const char *out)
{
    static struct mf_manifest m;
    static uint8_t msg[sizeof(MF_DOMAIN) + MF_BODY_MAX];
    static uint8_t file[MF_FILE_SIZE_MAX];
    uint8_t seed[ED25519_SEED_LEN];
    struct mf_signed s;
    size_t blen = 0, mlen = 0, flen = 0;
    int err = key_file_read(keyfile, seed);
    if (err != 0) {
        fprintf(stderr, "zero manifest: %s: cannot read the key (%s)\n", keyfile, zerr_text(err));
        return ZERO_EXIT_USAGE;
    }
    uint8_t *body = mio_read_file(bodyfile, MF_BODY_MAX, &blen);
    err = body == NULL ? ZERR_IO : mf_decode(body, blen, &m);
    if (err != 0) {
        fprintf(stderr, "zero manifest: %s: not a manifest body (%s)\n", bodyfile, zerr_text(err));
        free(body);
        return ZERO_EXIT_USAGE;
    }
    memset(&s, 0, sizeof(s));
    s.body = body;
    s.body_len = blen;
    ed25519_pubkey(s.pub, seed);
    (void)mf_message(body, blen, msg, sizeof(msg), &mlen);
    ed25519_sign(s.sig, msg, mlen, seed, s.pub);
    memset(seed, 0, sizeof(seed));
    err = mf_signed_encode(&s, file, sizeof(file), &flen);
    free(body);
    return err == 0 && mio_write_file(out, file, flen) == 0 ? 0 : ZERO_EXIT_USAGE;
}

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

static void print_manifest(const struct mf_manifest *m)
{
    printf("kernel %s b3:", m->kernel);
    print_hex(m->kernel_hash, MF_HASH_LEN);
    printf("\n");
    for (uint32_t k = 0; k < m->nprograms; k++) {
        const struct mf_program *p = &m->p[m->order[k]];
        printf("program %s image=%s arg=%llu deps=", p->name, p->image, (unsigned long long)p->arg);
        for (uint32_t i = 0; i < p->ndeps; i++) {
            printf("%s%s", i ? "," : "", p->deps[i]);
        }
        printf("%s caps=", p->ndeps ? "" : "-");
        for (uint32_t i = 0; i < p->ncaps; i++) {
            printf("%s%s", i ? "," : "", p->caps[i]);
        }
        printf("%s mem=%llu threads=%u restart=%s b3:", p->ncaps ? "" : "-",
               (unsigned long long)p->mem_pages, p->threads, p->restartable ? "yes" : "no");
        print_hex(p->hash, MF_HASH_LEN);
        printf("\n");
    }
}

/* Reads and verifies the signed manifest at path into *m; exit status. */
static int manifest_load(const char *path, const char *keyhex, struct mf_manifest *m)
{
    uint8_t key[MF_PUB_LEN];
    uint8_t hash[MF_HASH_LEN];
    struct mf_signed s;
    size_t len = 0;
    uint8_t *buf = mio_read_file(path, MF_FILE_SIZE_MAX, &len);
    int err = buf == NULL ? ZERR_IO : mf_signed_decode(buf, len, &s);
    if (err == 0 && keyhex != NULL && zfmt_unhex(key, sizeof(key), keyhex, strlen(keyhex)) != 0) {
        fprintf(stderr, "zero manifest: --key takes 64 hex digits\n");
        free(buf);
        return ZERO_EXIT_USAGE;
    }
    if (err != 0) {
        fprintf(stderr, "zero manifest: %s: not a signed manifest (%s)\n", path, zerr_text(err));
        free(buf);
        return ZERO_EXIT_USAGE;
    }
    blake3_hash(buf, len, hash);
    err = mf_signed_verify(&s, keyhex != NULL ? key : s.pub, m);
    printf("manifest %s b3:", path);
    print_hex(hash, sizeof(hash));
    printf("\nsigned by ");
    print_hex(s.pub, MF_PUB_LEN);
    printf(": %s%s\n", err == 0 ? "signature good" : zerr_text(err),
           keyhex == NULL ? " (no --key: not checked against a release key)" : "");
    free(buf);
    return err == 0 ? 0 : ZERO_EXIT_NO;
}

static int manifest_check(const char *path, const char *dir, const char *keyhex)
{
    static struct mf_manifest m;
    uint8_t h[MF_HASH_LEN];
    int status = manifest_load(path, keyhex, &m);
    if (status != 0) {
        return status;
    }
    int bad = hash_image(dir, m.kernel, h) != 0 || memcmp(h, m.kernel_hash, MF_HASH_LEN) != 0;
    if (bad) {
        printf("kernel %s: differs from the manifest\n", m.kernel);
    }
    for (uint32_t i = 0; i < m.nprograms; i++) {
        if (hash_image(dir, m.p[i].image, h) != 0 || memcmp(h, m.p[i].hash, MF_HASH_LEN) != 0) {
            printf("program %s: image %s differs from the manifest\n", m.p[i].name, m.p[i].image);
            bad = 1;
        }
    }
    printf("%s\n", bad ? "images: MISMATCH" : "images: all match");
    return bad ? ZERO_EXIT_NO : 0;
}

/* Finds "-o OUT" or "--key HEX" in argv; NULL if absent. */
static const char *opt(int argc, char **argv, const char *name)
{
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return argv[i + 1];
        }
    }
    return NULL;
}

int zero_cmd_manifest(int argc, char **argv)
{
    if (zero_wants_help(argc, argv)) {
        manifest_usage(stdout);
        return 0;
    }
    const char *sub = argc > 1 ? argv[1] : "";
    const char *out = opt(argc, argv, "-o");
    const char *key = opt(argc, argv, "--key");
    if (strcmp(sub, "build") == 0 && argc == 6 && out != NULL) {
        return manifest_build(argv[2], argv[3], out);
    }
    if (strcmp(sub, "sign") == 0 && argc == 6 && out != NULL) {
        return manifest_sign(argv[2], argv[3], out);
    }
    if (strcmp(sub, "show") == 0 && (argc == 3 || (argc == 5 && key != NULL))) {
        static struct mf_manifest m;
        int status = manifest_load(argv[2], key, &m);
        if (status == 0) {
            print_manifest(&m);
        }
        return status;
    }
    if (strcmp(sub, "check") == 0 && argc == 6 && key != NULL) {
        return manifest_check(argv[2], argv[3], key);
    }
    manifest_usage(stderr);
    return ZERO_EXIT_USAGE;
}
