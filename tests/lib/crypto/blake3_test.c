/*
 * BLAKE3: the official test vectors (all three modes, full extended
 * output, every split of the input into updates), seeking, the back ends
 * against each other, and random inputs against b3sum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/blake3.h"
#include "crypto/internal/blake3_impl.h"
#include "tap.h"

#define VECTORS "tests/data/blake3/test_vectors.json"
#define MAX_XOF 131

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* Decodes the hex string value of "field" found after *pos; returns its
 * byte length or -1. */
static int json_hex(const char *json, const char **pos, const char *field, uint8_t *out, int cap)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\": \"", field);
    const char *p = strstr(*pos, pat);
    if (p == NULL) {
        return -1;
    }
    (void)json;
    p += strlen(pat);
    int n = 0;
    while (p[0] != '"' && n < cap) {
        int hi = hexval(p[0]);
        int lo = hexval(p[1]);
        if (hi < 0 || lo < 0) {
            return -1;
        }
        out[n++] = (uint8_t)(hi * 16 + lo);
        p += 2;
    }
    *pos = p;
    return n;
}

static void fill_input(uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(i % 251);
    }
}

/* Starts h in mode 0 (hash), 1 (keyed) or 2 (derive key). */
static void hash_mode_init(int mode, blake3_hasher *h)
{
    static const uint8_t key[] = "whats the Elvish word for friend";
    if (mode == 0) {
        blake3_init(h);
    } else if (mode == 1) {
        blake3_init_keyed(h, key);
    } else {
        blake3_init_derive_key(h, "BLAKE3 2019-12-27 16:29:52 test vectors context");
    }
}

/* Hashes input in pieces of step bytes with a fresh hasher per mode. */
static void hash_mode(int mode, const uint8_t *in, size_t len, size_t step, uint8_t *out,
                      size_t out_len)
{
    blake3_hasher h;
    hash_mode_init(mode, &h);
    for (size_t off = 0; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        blake3_update(&h, in + off, n);
    }
    blake3_finalize(&h, out, out_len);
}

static void check_case(size_t input_len, int mode, const uint8_t *want, int want_len)
{
    static const char *names[] = {"hash", "keyed_hash", "derive_key"};
    static const size_t steps[] = {1, 63, 64, 65, 1023, 1024, 1025, 4096, (size_t)-1};
    uint8_t *in = malloc(input_len + 1);
    fill_input(in, input_len);
    uint8_t out[MAX_XOF];
    int all_ok = 1;
    for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
        if (steps[s] != (size_t)-1 && steps[s] > input_len + 1 && s > 0) {
            continue;
        }
        hash_mode(mode, in, input_len, steps[s], out, (size_t)want_len);
        all_ok &= memcmp(out, want, (size_t)want_len) == 0;
    }
    ok(all_ok, "blake3_%s_matches_vector_len_%zu_every_split", names[mode], input_len);
    /* The default-length output is a prefix of the extended output, and
     * seeking into the XOF gives the matching suffix. */
    uint8_t seeked[MAX_XOF];
    blake3_hasher h;
    blake3_init(&h);
    if (mode == 0) {
        blake3_update(&h, in, input_len);
        blake3_finalize_seek(&h, 37, seeked, (size_t)want_len - 37);
        blake3_hash(in, input_len, out);
        ok(memcmp(out, want, 32) == 0 && memcmp(seeked, want + 37, (size_t)want_len - 37) == 0,
           "blake3_hash_and_seek_match_vector_len_%zu", input_len);
    } else if (mode == 2) {
        blake3_derive_key("BLAKE3 2019-12-27 16:29:52 test vectors context", in, input_len, out,
                          (size_t)want_len);
        ok(memcmp(out, want, (size_t)want_len) == 0, "blake3_derive_key_oneshot_len_%zu",
           input_len);
    } else {
        blake3_keyed_hash((const uint8_t *)"whats the Elvish word for friend", in, input_len, out);
        ok(memcmp(out, want, 32) == 0, "blake3_keyed_hash_oneshot_len_%zu", input_len);
    }
    free(in);
}

static void test_vectors(void)
{
    size_t len;
    char *json = slurp(VECTORS, &len);
    ok(json != NULL, "blake3_vectors_file_readable");
    if (json == NULL) {
        return;
    }
    const char *pos = json;
    int cases = 0;
    for (;;) {
        const char *p = strstr(pos, "\"input_len\": ");
        if (p == NULL) {
            break;
        }
        size_t input_len = (size_t)strtoul(p + 13, NULL, 10);
        pos = p + 13;
        static const char *fields[] = {"hash", "keyed_hash", "derive_key"};
        for (int mode = 0; mode < 3; mode++) {
            uint8_t want[MAX_XOF];
            int n = json_hex(json, &pos, fields[mode], want, MAX_XOF);
            ok(n == MAX_XOF, "blake3_vector_%s_len_%zu_parsed", fields[mode], input_len);
            if (n == MAX_XOF) {
                check_case(input_len, mode, want, n);
            }
        }
        cases++;
    }
    is_int(cases, 35, "blake3_vectors_file_has_35_cases");
    free(json);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Every back end the CPU supports gives the portable result. */
static void test_backends_agree(void)
{
    const b3_backend *be = b3_select_backend();
    tap_diag("blake3 back end: %s", be->name);
    enum { N = 16 };
    static uint8_t chunks[N][BLAKE3_CHUNK_LEN];
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < BLAKE3_CHUNK_LEN; j++) {
            chunks[i][j] = (uint8_t)rng();
        }
    }
    const uint8_t *inputs[N];
    for (int i = 0; i < N; i++) {
        inputs[i] = chunks[i];
    }
    uint32_t key[8];
    for (int i = 0; i < 8; i++) {
        key[i] = (uint32_t)rng();
    }
    for (size_t n = 1; n <= N; n++) {
        uint8_t want[N * 32];
        uint8_t got[N * 32];
        uint64_t counter = 0xfffffffeULL - 3; /* carries into the high word */
        b3_hash_many_portable(inputs, n, 16, key, counter, true, 0, B3_CHUNK_START, B3_CHUNK_END,
                              want);
        be->hash_many(inputs, n, 16, key, counter, true, 0, B3_CHUNK_START, B3_CHUNK_END, got);
        ok(memcmp(want, got, n * 32) == 0, "blake3_%s_chunks_match_portable_n_%zu", be->name, n);
        b3_hash_many_portable(inputs, n, 1, key, 0, false, B3_PARENT, 0, 0, want);
        be->hash_many(inputs, n, 1, key, 0, false, B3_PARENT, 0, 0, got);
        ok(memcmp(want, got, n * 32) == 0, "blake3_%s_parents_match_portable_n_%zu", be->name, n);
    }
}

/* Random inputs split at random points into updates give the one-shot
 * hash: exercises the subtree path at every alignment. */
static void test_random_splits(void)
{
    enum { MAX = 3 << 20 };
    uint8_t *buf = malloc(MAX);
    for (size_t i = 0; i < MAX; i++) {
        buf[i] = (uint8_t)rng();
    }
    int agree = 1;
    for (int round = 0; round < 40; round++) {
        size_t len = (size_t)(rng() % MAX);
        uint8_t want[48], got[48];
        blake3_hasher h;
        blake3_init(&h);
        blake3_update(&h, buf, len);
        blake3_finalize(&h, want, sizeof(want));
        blake3_init(&h);
        size_t off = 0;
        while (off < len) {
            size_t n = (size_t)(rng() % (round % 2 ? 70000 : 3000)) + 1;
            n = n > len - off ? len - off : n;
            blake3_update(&h, buf + off, n);
            off += n;
        }
        blake3_finalize(&h, got, sizeof(got));
        agree &= memcmp(want, got, sizeof(want)) == 0;
    }
    ok(agree, "blake3_random_update_splits_match_one_shot");
    free(buf);
}

/* Subtrees hashed apart (as parallel hashing does) and pushed in order,
 * then the rest updated, give the one-update hash in every mode: piece
 * sizes from one chunk to 64, two pieces exactly (the root is their
 * parent), pieces followed by a partial tail. */
static void test_subtrees(void)
{
    enum { MAX = 300 << 10 };
    uint8_t *buf = malloc(MAX);
    for (size_t i = 0; i < MAX; i++) {
        buf[i] = (uint8_t)rng();
    }
    int agree = 1, cases = 0;
    for (int mode = 0; mode < 3; mode++) {
        for (size_t piece = BLAKE3_CHUNK_LEN; piece <= 64 * BLAKE3_CHUNK_LEN; piece *= 4) {
            size_t lens[] = {2 * piece, 2 * piece + 1, 3 * piece + 1000, 4 * piece - 1};
            for (size_t k = 0; k < sizeof(lens) / sizeof(lens[0]) && lens[k] <= MAX; k++) {
                size_t len = lens[k];
                uint8_t want[40], got[40];
                hash_mode(mode, buf, len, len, want, sizeof(want));
                blake3_hasher h, fresh;
                hash_mode_init(mode, &h);
                fresh = h;
                size_t n = len / piece;
                for (size_t i = 0; i < n; i++) {
                    uint8_t cv[BLAKE3_OUT_LEN];
                    blake3_subtree_cv(&fresh, buf + i * piece, piece,
                                      (uint64_t)(i * piece / BLAKE3_CHUNK_LEN), cv);
                    blake3_push_subtree(&h, cv, piece);
                }
                blake3_update(&h, buf + n * piece, len - n * piece);
                blake3_finalize(&h, got, sizeof(got));
                agree &= memcmp(want, got, sizeof(want)) == 0;
                cases++;
            }
        }
    }
    ok(agree, "blake3_subtrees_pushed_in_order_match_one_update (%d cases)", cases);
    free(buf);
}

/* A hasher is a plain value: finalizing does not consume it, and a copy
 * continues independently. */
static void test_hasher_is_a_value(void)
{
    uint8_t a[32], b[32], c[32], d[32];
    blake3_hasher h;
    blake3_init(&h);
    blake3_update(&h, "zero", 4);
    blake3_update(&h, NULL, 0);
    blake3_finalize(&h, a, 32);
    blake3_finalize(&h, b, 32);
    is_mem(a, b, 32, "blake3_finalize_twice_gives_same_output");
    blake3_hasher fork = h;
    blake3_update(&fork, " os", 3);
    blake3_finalize(&fork, c, 32);
    blake3_hash("zero os", 7, d);
    is_mem(c, d, 32, "blake3_copied_hasher_continues_independently");
    blake3_finalize(&h, b, 32);
    is_mem(a, b, 32, "blake3_original_unchanged_by_copy");
    uint8_t xof[100], part[10];
    blake3_finalize(&h, xof, sizeof(xof));
    blake3_finalize_seek(&h, 90, part, 10);
    is_mem(part, xof + 90, 10, "blake3_seek_matches_xof_tail");
    memset(part, 0xa5, sizeof(part));
    blake3_finalize_seek(&h, 0, part, 0);
    ok(part[0] == 0xa5 && part[9] == 0xa5, "blake3_zero_length_output_writes_nothing");
}

/* Hashes random data with b3sum and with blake3 and compares the hex. */
static void test_against_b3sum(void)
{
    if (system("b3sum --version >/dev/null 2>&1") != 0) {
        tap_skip(1, "b3sum not installed");
        return;
    }
    char path[] = "/tmp/zero_blake3_XXXXXX";
    int fd = mkstemp(path);
    int agree = 0;
    int runs = 0;
    for (int i = 0; i < 24 && fd >= 0; i++) {
        size_t len = (size_t)(rng() % (i < 12 ? 5000 : 3000000));
        uint8_t *buf = malloc(len + 1);
        for (size_t j = 0; j < len; j++) {
            buf[j] = (uint8_t)rng();
        }
        if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, len, 0) != (ssize_t)len) {
            free(buf);
            break;
        }
        size_t out_len = 1 + (size_t)(rng() % 200);
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "b3sum --no-names --length %zu %s", out_len, path);
        FILE *p = popen(cmd, "r");
        char line[512] = {0};
        if (p == NULL || fgets(line, sizeof(line), p) == NULL) {
            line[0] = 0;
        }
        if (p != NULL) {
            pclose(p);
        }
        uint8_t out[200];
        blake3_hasher h;
        blake3_init(&h);
        blake3_update(&h, buf, len);
        blake3_finalize(&h, out, out_len);
        char hex[401];
        for (size_t j = 0; j < out_len; j++) {
            snprintf(hex + 2 * j, 3, "%02x", out[j]);
        }
        agree += strncmp(hex, line, 2 * out_len) == 0;
        runs++;
        free(buf);
    }
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    ok(runs == 24 && agree == runs, "blake3_matches_b3sum_on_random_inputs (%d/%d)", agree, runs);
}

/* blake3_hash_short_many gives blake3_hash of each head || body: groups
 * of every size, lengths of every block count and alignment (0 to a chunk
 * and past it), heads straddling blocks, mixed lengths within a group; the
 * vector lanes (hash_short8) and the one-message path both. */
static void test_short_many(void)
{
    enum { N = 300 };
    static uint8_t data[N][BLAKE3_CHUNK_LEN + 200];
    static blake3_msg msgs[N];
    static uint8_t got[N][32], want[N][32], joined[BLAKE3_CHUNK_LEN + 200];
    for (int i = 0; i < N; i++) {
        for (size_t j = 0; j < sizeof(data[i]); j++) {
            data[i][j] = (uint8_t)rng();
        }
        size_t total =
            i < 200 ? (size_t)i * 5 + (size_t)(i % 7) : (size_t)(rng() % (BLAKE3_CHUNK_LEN + 150));
        size_t head = i % 3 == 0 ? 0 : i % 3 == 1 ? 32 : (size_t)(rng() % (total + 1));
        if (head > total) {
            head = total;
        }
        msgs[i].head = head ? data[i] : NULL;
        msgs[i].head_len = head;
        msgs[i].body = total - head ? data[i] + head + 17 : NULL; /* not adjacent to head */
        msgs[i].body_len = total - head;
        memcpy(joined, data[i], head);
        memcpy(joined + head, data[i] + head + 17, total - head);
        blake3_hash(joined, total, want[i]);
    }
    int bad = 0;
    for (size_t n = 0; n <= 20; n++) { /* every group size, from every start */
        memset(got, 0, sizeof(got));
        blake3_hash_short_many(msgs + n * 7, n, got);
        for (size_t i = 0; i < n; i++) {
            bad += memcmp(got[i], want[n * 7 + i], 32) != 0;
        }
    }
    memset(got, 0, sizeof(got));
    blake3_hash_short_many(msgs, N, got);
    for (int i = 0; i < N; i++) {
        bad += memcmp(got[i], want[i], 32) != 0;
    }
    ok(bad == 0, "blake3_short_many_matches_one_by_one (%s, %d differ)", b3_select_backend()->name,
       bad);
    /* The official vector of the empty input through the many path. */
    static const uint8_t empty[32] = {0xaf, 0x13, 0x49, 0xb9, 0xf5, 0xf9, 0xa1, 0xa6,
                                      0xa0, 0x40, 0x4d, 0xea, 0x36, 0xdc, 0xc9, 0x49,
                                      0x9b, 0xcb, 0x25, 0xc9, 0xad, 0xc1, 0x12, 0xb7,
                                      0xcc, 0x9a, 0x93, 0xca, 0xe4, 0x1f, 0x32, 0x62};
    blake3_msg none[9] = {{NULL, 0, NULL, 0}};
    blake3_hash_short_many(none, 9, got);
    int same = 1;
    for (int i = 0; i < 9; i++) {
        same &= memcmp(got[i], empty, 32) == 0;
    }
    ok(same, "blake3_short_many_empty_messages_give_the_official_vector");
}

int main(void)
{
    tap_no_plan();
    test_short_many();
    test_vectors();
    test_backends_agree();
    test_random_splits();
    test_subtrees();
    test_hasher_is_a_value();
    test_against_b3sum();
    return tap_done();
}
