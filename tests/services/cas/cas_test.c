/*
 * Content-addressed store: the gear table is its documented derivation,
 * chunk cuts obey the parameters and resist shifted content, put and read
 * round-trip at every size boundary with `b3sum`'s hash, versions share
 * chunks, a damaged chunk fails exactly the reads that touch it and the
 * scrub names it with every file that uses it, and bad chunk lists and
 * full indexes are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "base/endian.h"
#include "base/errors.h"
#include "crypto/blake3.h"
#include "services/cas/cas.h"
#include "tap.h"

#define SPACE_BYTES (48u << 20)
#define TAB 8192

/* A memory space: objects are appended to one arena. */
struct mem_space {
    uint8_t *arena;
    uint64_t used;
    int fail_reads;
};

static int mem_write(void *sp, const void *p, uint32_t n, uint64_t *loc)
{
    struct mem_space *m = sp;

    if (m->used + n > SPACE_BYTES) {
        return ZERR_FULL;
    }
    memcpy(m->arena + m->used, p, n);
    *loc = m->used;
    m->used += n;
    return 0;
}

static int mem_read(void *sp, uint64_t loc, void *p, uint32_t n)
{
    struct mem_space *m = sp;

    if (m->fail_reads) {
        return ZERR_IO;
    }
    memcpy(p, m->arena + loc, n);
    return 0;
}

static void mem_release(void *sp, uint64_t loc, uint32_t n)
{
    (void)sp;
    (void)loc;
    (void)n;
}

static const struct cas_space_ops mem_ops = {mem_write, mem_read, mem_release};

static struct mem_space space;
static struct cas cas;
static struct cas_obj *tab;
static uint8_t *chunk_buf, *list_buf;

static void fresh(uint32_t cap)
{
    space.used = 0;
    space.fail_reads = 0;
    cas_init(&cas, &mem_ops, &space, tab, cap, chunk_buf, list_buf, 1u << 20);
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static void fill_random(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        p[i] = (uint8_t)(rng >> 24);
    }
}

static void test_gear_table(void)
{
    uint8_t out[2048];
    blake3_hasher h;
    const char *ctx = "Zero OS 2026 FastCDC gear table v1";
    int same = 1;

    blake3_init(&h);
    blake3_update(&h, ctx, strlen(ctx));
    blake3_finalize(&h, out, sizeof(out));
    for (int i = 0; i < 256; i++) {
        same &= cas_gear_table()[i] == le64_get(out + 8 * i);
    }
    ok(same, "gear table is the BLAKE3 output of its documented string");
}

/* Cuts of p[0..n) into cuts[]; returns their count. */
static size_t cut_all(const uint8_t *p, size_t n, size_t *cuts, size_t max)
{
    size_t k = 0, off = 0;

    while (off < n && k < max) {
        size_t c = cas_chunk_cut(p + off, n - off);
        off += c;
        cuts[k++] = off;
    }
    return k;
}

static void test_chunking(uint8_t *data, size_t n)
{
    static size_t a[4096], b[4096];
    size_t na = cut_all(data, n, a, 4096), bad = 0, shared = 0;

    if (na == 0) {
        ok(0, "content has chunks");
        return;
    }

    for (size_t i = 0; i < na; i++) {
        size_t len = a[i] - (i == 0 ? 0 : a[i - 1]);
        bad += len > CAS_CHUNK_MAX || (i + 1 < na && len < CAS_CHUNK_MIN);
    }
    is_int(bad, 0, "every chunk within [MIN, MAX], only the last shorter");
    is_int(a[na - 1], n, "cuts cover the content");
    ok(n / na > CAS_CHUNK_AVG / 2 && n / na < CAS_CHUNK_AVG * 2, "mean chunk %zu near %u", n / na,
       CAS_CHUNK_AVG);
    is_int(cas_chunk_cut(data, 100), 100, "short content is one chunk");
    is_int(cas_chunk_cut(data, CAS_CHUNK_MIN), CAS_CHUNK_MIN, "MIN bytes are one chunk");
    static uint8_t zeros[CAS_CHUNK_MAX + 10];
    is_int(cas_chunk_cut(zeros, sizeof(zeros)), CAS_CHUNK_MAX, "no cut point: MAX");

    /* 7 bytes inserted near the front move every later boundary by 7. */
    memmove(data + 1007, data + 1000, n - 1007);
    fill_random(data + 1000, 7);
    size_t nb = cut_all(data, n, b, 4096);
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (a[i] + 7 == b[j]) {
            shared++, i++, j++;
        } else if (a[i] + 7 < b[j]) {
            i++;
        } else {
            j++;
        }
    }
    ok(shared + 3 >= na, "boundaries after an insertion realign (%zu of %zu)", shared, na);
}

static void check_roundtrip(const uint8_t *data, uint64_t n, const char *what)
{
    uint8_t h[32], want[32];
    static uint8_t back[4u << 20];
    size_t got = 0;
    uint64_t size = 0;

    blake3_hash(data, n, want);
    int err = cas_put(&cas, data, n, h, NULL);
    is_int(err, 0, what);
    is_mem(h, want, 32, "put returns the BLAKE3 of the content");
    err = cas_size(&cas, h, &size, NULL);
    ok(err == 0 && size == n, "%s: size %llu", what, (unsigned long long)size);
    memset(back, 0xAA, n);
    err = cas_read(&cas, h, 0, back, sizeof(back), &got, NULL);
    ok(err == 0 && got == n && memcmp(back, data, n) == 0, "%s: read back whole", what);
    if (n > 10) {
        uint64_t off = n / 3, len = n / 2;
        err = cas_read(&cas, h, off, back, len, &got, NULL);
        ok(err == 0 && got == len && memcmp(back, data + off, len) == 0, "%s: read a middle range",
           what);
    }
}

static void test_roundtrip(uint8_t *data)
{
    static const uint64_t sizes[] = {
        0, 1, CAS_CHUNK_MIN, CAS_CHUNK_MIN + 1, CAS_CHUNK_MAX + 1, 3u << 20};
    uint8_t h[32];
    size_t got;

    fresh(TAB);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        check_roundtrip(data, sizes[i], "put");
    }
    blake3_hash(data, 3u << 20, h);
    is_int(cas_read(&cas, h, (3u << 20) + 1, chunk_buf, 1, &got, NULL), ZERR_RANGE,
           "read past the end is a range error");
    h[0] ^= 1;
    is_int(cas_read(&cas, h, 0, chunk_buf, 1, &got, NULL), ZERR_NOENT, "unknown hash: no entry");
}

/* The hash `b3sum` printed for the 1 MiB pattern below. */
static void test_b3sum_vector(uint8_t *data)
{
    static const char want[] = "4a7be8036661fa0a002e7e0d27035be7dcd612a0ae94584a442f5e516efc10ec";
    char hex[65];
    uint8_t h[32];

    for (uint64_t i = 0; i < (1u << 20); i++) {
        data[i] = (uint8_t)(i * 31 + (i >> 11) * 7 + (i * i >> 13));
    }
    fresh(TAB);
    ok(cas_put(&cas, data, 1u << 20, h, NULL) == 0, "put the 1 MiB pattern");
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = "0123456789abcdef"[h[i] >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
    }
    hex[64] = 0;
    is_str(hex, want, "the name is what b3sum prints");
}

static void test_dedup(uint8_t *data)
{
    struct cas_put_stats st1, st2, st3;
    uint8_t h1[32], h2[32], h3[32];
    size_t n = 4u << 20;

    fresh(TAB);
    fill_random(data, n);
    ok(cas_put(&cas, data, n, h1, &st1) == 0, "put version 1");
    memmove(data + 2000100, data + 2000000, n - 2000100);
    fill_random(data + 2000000, 100);
    ok(cas_put(&cas, data, n, h2, &st2) == 0, "put version 2 (100 bytes inserted)");
    ok(st2.new_chunks <= 4 && st2.new_bytes < 3 * CAS_CHUNK_MAX + 200000,
       "version 2 stores %u new objects, %llu bytes", st2.new_chunks,
       (unsigned long long)st2.new_bytes);
    ok(cas_put(&cas, data, n, h3, &st3) == 0 && memcmp(h2, h3, 32) == 0 && st3.new_bytes == 0,
       "putting the same content again stores nothing");
}

struct report {
    int n;
    uint8_t object[8][32];
    uint8_t file[8][32];
};

static void on_damage(void *ctx, const uint8_t object[32], const uint8_t *file)
{
    struct report *r = ctx;

    if (r->n < 8) {
        memcpy(r->object[r->n], object, 32);
        memcpy(r->file[r->n], file, 32);
    }
    r->n++;
}

static int reported(const struct report *r, const uint8_t object[32], const uint8_t file[32])
{
    for (int i = 0; i < r->n && i < 8; i++) {
        if (memcmp(r->object[i], object, 32) == 0 && memcmp(r->file[i], file, 32) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Corrupts one byte of the stored chunk i of the file of n bytes at data. */
static void corrupt_chunk(const uint8_t *data, size_t n, uint32_t i, uint8_t chunk[32],
                          uint64_t *start)
{
    size_t off = 0, cut = 0;

    for (uint32_t k = 0; k <= i; k++) {
        off += cut;
        cut = cas_chunk_cut(data + off, n - off);
    }
    blake3_hash(data + off, cut, chunk);
    *start = off;
    for (uint64_t a = 0; a + cut <= space.used; a++) {
        if (memcmp(space.arena + a, data + off, cut) == 0) {
            space.arena[a + cut / 2] ^= 0x40;
            return;
        }
    }
}

static void test_damage(uint8_t *data, uint8_t *copy)
{
    uint8_t a[32], b[32], other[32], chunk[32];
    struct cas_scrub_stats st;
    struct cas_fault f;
    struct report r = {0};
    size_t n = 2u << 20, got;
    uint64_t start;

    fresh(TAB);
    fill_random(data, n);
    memcpy(copy, data, n);
    copy[n - 10] ^= 1; /* b shares every chunk of a but the last */
    ok(cas_put(&cas, data, n, a, NULL) == 0 && cas_put(&cas, copy, n, b, NULL) == 0,
       "put two files sharing chunks");
    fill_random(copy, 100000);
    ok(cas_put(&cas, copy, 100000, other, NULL) == 0, "put an unrelated file");
    ok(cas_scrub(&cas, on_damage, &r, &st) == 0 && r.n == 0, "scrub of a sound store is clean");
    corrupt_chunk(data, n, 3, chunk, &start);
    int err = cas_read(&cas, a, 0, copy, n, &got, &f);
    is_int(err, ZERR_CORRUPT, "a read through the damaged chunk fails");
    ok(memcmp(f.object, chunk, 32) == 0 && f.chunk == 3 && f.offset == start && !f.is_list,
       "the fault names the chunk, its index and offset");
    ok(got == start && memcmp(copy, data, start) == 0, "bytes before the chunk were delivered");
    err = cas_read(&cas, a, start + CAS_CHUNK_MAX + 1, copy, 1000, &got, NULL);
    ok(err == 0 && memcmp(copy, data + start + CAS_CHUNK_MAX + 1, 1000) == 0,
       "a read of the same file that misses the chunk works");
    ok(cas_read(&cas, other, 0, copy, 100000, &got, NULL) == 0 && got == 100000,
       "an unrelated file reads fine");
    err = cas_scrub(&cas, on_damage, &r, &st);
    is_int(err, ZERR_CORRUPT, "scrub reports damage");
    is_int(st.damaged, 1, "exactly one damaged object");
    ok(reported(&r, chunk, a) && reported(&r, chunk, b) && reported(&r, chunk, chunk),
       "scrub names the chunk with both files that use it (%d reports)", r.n);
    is_int(r.n, 3, "and nothing else");
    space.fail_reads = 1;
    is_int(cas_read(&cas, other, 0, copy, 10, &got, NULL), ZERR_IO, "a space error passes up");
    space.fail_reads = 0;
}

static void test_bad_lists(void)
{
    static uint8_t l[CAS_LIST_HEADER + 3 * CAS_LIST_ENTRY];
    uint8_t h[32] = {1};
    struct cas_list out;
    size_t full = sizeof(l);

    cas_list_put_header(l, 2 * CAS_CHUNK_MIN + 5, h, 3);
    cas_list_put_entry(l, 0, h, CAS_CHUNK_MIN);
    cas_list_put_entry(l, 1, h, CAS_CHUNK_MIN);
    cas_list_put_entry(l, 2, h, 5);
    is_int(cas_list_decode(l, full, &out), 0, "a good list decodes");
    ok(out.count == 3 && out.size == 2 * CAS_CHUNK_MIN + 5, "with its count and size");
    is_int(cas_list_decode(l, full - 1, &out), ZERR_TRUNCATED, "truncated list");
    is_int(cas_list_decode(l, 10, &out), ZERR_TRUNCATED, "truncated header");
    l[0] ^= 1;
    is_int(cas_list_decode(l, full, &out), ZERR_CORRUPT, "bad magic");
    l[0] ^= 1;
    l[53] = 1;
    is_int(cas_list_decode(l, full, &out), ZERR_NONCANONICAL, "reserved bytes must be zero");
    l[53] = 0;
    cas_list_put_entry(l, 1, h, CAS_CHUNK_MIN - 1);
    is_int(cas_list_decode(l, full, &out), ZERR_CORRUPT, "a short chunk before the last");
    cas_list_put_entry(l, 1, h, CAS_CHUNK_MIN + 1);
    is_int(cas_list_decode(l, full, &out), ZERR_CORRUPT, "lengths not summing to the size");
    cas_list_put_header(l, CAS_CHUNK_MIN, h, 1);
    is_int(cas_list_decode(l, CAS_LIST_HEADER + CAS_LIST_ENTRY, &out), ZERR_CORRUPT,
           "a one-chunk list");
}

static void test_full(uint8_t *data)
{
    uint8_t h[32];
    int err = 0;

    fresh(16);
    for (int i = 0; i < 20 && err == 0; i++) {
        data[0] = (uint8_t)i;
        err = cas_put(&cas, data, 100, h, NULL);
    }
    is_int(err, ZERR_FULL, "a full index refuses new content");
    fresh(TAB);
    fill_random(data, SPACE_BYTES + CAS_CHUNK_MAX);
    err = cas_put(&cas, data, SPACE_BYTES + CAS_CHUNK_MAX, h, NULL);
    is_int(err, ZERR_FULL, "a full space refuses new content");
}

int main(void)
{
    uint8_t *data = malloc(SPACE_BYTES + CAS_CHUNK_MAX);
    uint8_t *copy = malloc(4u << 20);

    space.arena = malloc(SPACE_BYTES);
    tab = calloc(TAB, sizeof(*tab));
    chunk_buf = malloc(CAS_CHUNK_MAX);
    list_buf = malloc(1u << 20);
    tap_no_plan();
    test_gear_table();
    fill_random(data, 8u << 20);
    test_chunking(data, 8u << 20);
    fill_random(data, 4u << 20);
    test_roundtrip(data);
    test_b3sum_vector(data);
    test_dedup(data);
    test_damage(data, copy);
    test_bad_lists();
    test_full(data);
    free(data);
    free(copy);
    free(space.arena);
    free(tab);
    free(chunk_buf);
    free(list_buf);
    return tap_done();
}
