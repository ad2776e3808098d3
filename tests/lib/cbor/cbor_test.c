/*
 * Deterministic CBOR: encodings of RFC 8949 Appendix A, round trips through
 * the getters, and every rejection the strict decoder promises.
 */
#include <stdio.h>
#include <string.h>

#include "base/errors.h"
#include "cbor/cbor.h"
#include "tap.h"

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t n = 0;
    for (; hex[0] && hex[1]; hex += 2) {
        unsigned v;
        sscanf(hex, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void strip_spaces(const char *in, char *out)
{
    for (; *in; in++) {
        if (*in != ' ') {
            *out++ = *in;
        }
    }
    *out = 0;
}

/* Checks that the encoder's output equals hex. */
static void is_enc(const cbor_enc *e, const char *hex, const char *name)
{
    uint8_t want[256];
    char clean[512];
    strip_spaces(hex, clean);
    size_t n = unhex(clean, want);
    size_t len = 0;
    int err = cbor_enc_finish(e, &len);
    ok(err == 0 && len == n && memcmp(e->buf, want, n) == 0, "%s", name);
}

static void test_integers(void)
{
    static const struct {
        uint64_t v;
        const char *hex;
    } u[] = {
        {0, "00"},
        {23, "17"},
        {24, "1818"},
        {255, "18ff"},
        {256, "190100"},
        {65535, "19ffff"},
        {65536, "1a00010000"},
        {1000000, "1a000f4240"},
        {4294967295ULL, "1affffffff"},
        {4294967296ULL, "1b0000000100000000"},
        {18446744073709551615ULL, "1bffffffffffffffff"},
    };
    uint8_t buf[16];
    for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
        cbor_enc e;
        cbor_enc_init(&e, buf, sizeof(buf));
        cbor_put_uint(&e, u[i].v);
        char name[80];
        snprintf(name, sizeof(name), "cbor_encodes_uint_%llu_shortest", (unsigned long long)u[i].v);
        is_enc(&e, u[i].hex, name);
        cbor_dec d;
        uint64_t got = 0;
        cbor_dec_init(&d, buf, e.len);
        ok(cbor_get_uint(&d, &got) == 0 && got == u[i].v && cbor_dec_finish(&d) == 0 &&
               cbor_validate(buf, e.len, 0) == 0,
           "cbor_uint_round_trips_%llu", (unsigned long long)u[i].v);
    }
    static const struct {
        int64_t v;
        const char *hex;
    } s[] = {
        {-1, "20"},
        {-10, "29"},
        {-24, "37"},
        {-25, "3818"},
        {-100, "3863"},
        {-1000, "3903e7"},
        {INT64_MIN, "3b7fffffffffffffff"},
        {INT64_MAX, "1b7fffffffffffffff"},
    };
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        cbor_enc e;
        cbor_enc_init(&e, buf, sizeof(buf));
        cbor_put_int(&e, s[i].v);
        char name[80];
        snprintf(name, sizeof(name), "cbor_encodes_int_%lld_shortest", (long long)s[i].v);
        is_enc(&e, s[i].hex, name);
        cbor_dec d;
        int64_t got = 0;
        cbor_dec_init(&d, buf, e.len);
        ok(cbor_get_int(&d, &got) == 0 && got == s[i].v && cbor_dec_finish(&d) == 0,
           "cbor_int_round_trips_%lld", (long long)s[i].v);
    }
    uint8_t big[9];
    cbor_dec d;
    int64_t got;
    cbor_dec_init(&d, big, unhex("3b8000000000000000", big));
    is_int(cbor_get_int(&d, &got), ZERR_RANGE, "cbor_get_int_rejects_negint_below_int64_min");
    cbor_dec_init(&d, big, unhex("1b8000000000000000", big));
    is_int(cbor_get_int(&d, &got), ZERR_RANGE, "cbor_get_int_rejects_uint_above_int64_max");
    uint64_t gu;
    cbor_dec_init(&d, big, unhex("20", big));
    is_int(cbor_get_uint(&d, &gu), ZERR_CORRUPT, "cbor_get_uint_rejects_negative");
}

static void test_composite(void)
{
    uint8_t buf[128];
    cbor_enc e;
    /* {1: h'0102', 2: "a\u00fc", 3: [true, false, null], 4: -2, 5: 1(0)} */
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_map(&e, 5);
    cbor_put_uint(&e, 1);
    cbor_put_bytes(&e, "\x01\x02", 2);
    cbor_put_uint(&e, 2);
    cbor_put_text(&e, "a\xc3\xbc", 3);
    cbor_put_uint(&e, 3);
    cbor_put_array(&e, 3);
    cbor_put_bool(&e, true);
    cbor_put_bool(&e, false);
    cbor_put_null(&e);
    cbor_put_uint(&e, 4);
    cbor_put_int(&e, -2);
    cbor_put_uint(&e, 5);
    cbor_put_tag(&e, 1);
    cbor_put_uint(&e, 0);
    is_enc(&e,
           "a5"
           "01420102"
           "0263 61c3bc"
           "0383f5f4f6"
           "0421"
           "05c100",
           "cbor_encodes_nested_map");
    size_t len = e.len;
    is_int(cbor_validate(buf, len, 2), 0, "cbor_validate_accepts_canonical_map");
    is_int(cbor_validate(buf, len, 1), ZERR_LIMIT, "cbor_validate_enforces_depth_limit");

    cbor_dec d;
    cbor_dec_init(&d, buf, len);
    uint64_t n = 0, k = 0, tag = 9, zero = 9;
    const uint8_t *bp;
    const char *sp;
    size_t bn = 0, sn = 0;
    bool t = false, f = true;
    int64_t neg = 0;
    enum cbor_type ty = CBOR_UINT;
    int err = cbor_get_map(&d, &n);
    err |= cbor_get_uint(&d, &k) | cbor_get_bytes(&d, &bp, &bn);
    err |= cbor_get_uint(&d, &k) | cbor_get_text(&d, &sp, &sn);
    err |= cbor_get_uint(&d, &k) | cbor_peek(&d, &ty);
    ok(ty == CBOR_ARRAY, "cbor_peek_reports_array");
    err |= cbor_skip(&d);
    err |= cbor_get_uint(&d, &k) | cbor_get_int(&d, &neg);
    err |= cbor_get_uint(&d, &k) | cbor_get_tag(&d, &tag) | cbor_get_uint(&d, &zero);
    ok(err == 0 && n == 5 && bn == 2 && bp[1] == 2 && sn == 3 && memcmp(sp, "a\xc3\xbc", 3) == 0 &&
           neg == -2 && tag == 1 && zero == 0 && k == 5 && cbor_dec_finish(&d) == 0,
       "cbor_getters_read_back_nested_map");

    cbor_dec_init(&d, buf + 12, 3);
    ok(cbor_get_bool(&d, &t) == 0 && cbor_get_bool(&d, &f) == 0 && cbor_get_null(&d) == 0 && t &&
           !f,
       "cbor_getters_read_simple_values");

    /* Measuring with a NULL buffer, then a buffer one byte short. */
    cbor_enc m;
    cbor_enc_init(&m, NULL, 0);
    cbor_put_text(&m, "hello", 5);
    size_t need = 0;
    is_int(cbor_enc_finish(&m, &need), ZERR_FULL, "cbor_measure_reports_full");
    is_int(need, 6, "cbor_measure_counts_needed_bytes");
    uint8_t small[5];
    cbor_enc_init(&m, small, sizeof(small));
    cbor_put_text(&m, "hello", 5);
    cbor_put_uint(&m, 1);
    is_int(cbor_enc_finish(&m, &need), ZERR_FULL, "cbor_encoder_reports_overflow");
    is_int(need, 7, "cbor_encoder_overflow_reports_size_needed");

    ok(cbor_text_key_cmp("b", 1, "aa", 2) < 0 && cbor_text_key_cmp("ab", 2, "aa", 2) > 0,
       "cbor_text_key_cmp_orders_by_length_then_bytes");
}

struct bad {
    const char *hex;
    int err;
    const char *name;
};

static const struct bad bad_inputs[] = {
    {"1817", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_uint8"},
    {"190017", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_uint16"},
    {"1a000000ff", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_uint32"},
    {"1b00000000ffffffff", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_uint64"},
    {"3800", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_negint"},
    {"580161", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_string_length"},
    {"99000100", ZERR_NONCANONICAL, "cbor_rejects_non_shortest_array_count"},
    {"5f4101ff", ZERR_NONCANONICAL, "cbor_rejects_indefinite_bytes"},
    {"7f6161ff", ZERR_NONCANONICAL, "cbor_rejects_indefinite_text"},
    {"9f01ff", ZERR_NONCANONICAL, "cbor_rejects_indefinite_array"},
    {"bf0101ff", ZERR_NONCANONICAL, "cbor_rejects_indefinite_map"},
    {"a202010101", ZERR_NONCANONICAL, "cbor_rejects_unsorted_map_keys"},
    {"a201010101", ZERR_NONCANONICAL, "cbor_rejects_duplicate_map_keys"},
    {"a2616201616101", ZERR_NONCANONICAL, "cbor_rejects_unsorted_text_keys"},
    {"a2626161016162 01", ZERR_NONCANONICAL, "cbor_rejects_longer_key_before_shorter"},
    {"a220010101", ZERR_NONCANONICAL, "cbor_rejects_negint_key_before_uint_key"},
    {"a201012001", 0, "cbor_accepts_uint_key_before_negint_key"},
    {"0000", ZERR_CORRUPT, "cbor_rejects_trailing_bytes"},
    {"", ZERR_TRUNCATED, "cbor_rejects_empty_input"},
    {"19ff", ZERR_TRUNCATED, "cbor_rejects_truncated_head"},
    {"4301", ZERR_TRUNCATED, "cbor_rejects_truncated_bytes"},
    {"820101"
     "01",
     ZERR_CORRUPT, "cbor_rejects_extra_array_item"},
    {"8301", ZERR_TRUNCATED, "cbor_rejects_truncated_array"},
    {"a101", ZERR_TRUNCATED, "cbor_rejects_map_missing_value"},
    {"9bffffffffffffffff", ZERR_TRUNCATED, "cbor_rejects_huge_array_count"},
    {"c1", ZERR_TRUNCATED, "cbor_rejects_tag_without_item"},
    {"f7", ZERR_CORRUPT, "cbor_rejects_undefined"},
    {"f0", ZERR_CORRUPT, "cbor_rejects_unassigned_simple_value"},
    {"f820", ZERR_CORRUPT, "cbor_rejects_one_byte_simple_value"},
    {"f93c00", ZERR_CORRUPT, "cbor_rejects_half_float"},
    {"fb3ff0000000000000", ZERR_CORRUPT, "cbor_rejects_double_float"},
    {"1c", ZERR_CORRUPT, "cbor_rejects_reserved_additional_info"},
    {"1f", ZERR_CORRUPT, "cbor_rejects_indefinite_integer"},
    {"ff", ZERR_CORRUPT, "cbor_rejects_lone_break"},
    {"62c328", ZERR_CORRUPT, "cbor_rejects_invalid_utf8"},
    {"62c0af", ZERR_CORRUPT, "cbor_rejects_overlong_utf8"},
    {"63eda080", ZERR_CORRUPT, "cbor_rejects_utf8_surrogate"},
    {"64f4908080", ZERR_CORRUPT, "cbor_rejects_utf8_above_max_code_point"},
};

static void test_rejections(void)
{
    for (size_t i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
        char hex[128];
        uint8_t buf[64];
        strip_spaces(bad_inputs[i].hex, hex);
        size_t n = unhex(hex, buf);
        is_int(cbor_validate(buf, n, 8), bad_inputs[i].err, bad_inputs[i].name);
    }
    /* The getters apply the same head rules. */
    uint8_t buf[16];
    cbor_dec d;
    uint64_t v;
    cbor_dec_init(&d, buf, unhex("1817", buf));
    is_int(cbor_get_uint(&d, &v), ZERR_NONCANONICAL, "cbor_get_uint_rejects_non_shortest");
    is_int(cbor_get_uint(&d, &v), ZERR_NONCANONICAL, "cbor_decoder_error_is_sticky");
    enum cbor_type t;
    is_int(cbor_peek(&d, &t), ZERR_NONCANONICAL, "cbor_peek_returns_sticky_error");
    is_int(cbor_dec_finish(&d), ZERR_NONCANONICAL, "cbor_dec_finish_returns_sticky_error");
    cbor_dec_init(&d, buf, unhex("9f01ff", buf));
    is_int(cbor_get_array(&d, &v), ZERR_NONCANONICAL, "cbor_get_array_rejects_indefinite");
    cbor_dec_init(&d, buf, unhex("6161", buf));
    const uint8_t *p;
    size_t n;
    is_int(cbor_get_bytes(&d, &p, &n), ZERR_CORRUPT, "cbor_get_bytes_rejects_text");
    cbor_dec_init(&d, buf, unhex("0101", buf));
    ok(cbor_get_uint(&d, &v) == 0 && cbor_dec_finish(&d) == ZERR_CORRUPT,
       "cbor_dec_finish_rejects_unconsumed_input");
    cbor_dec_init(&d, buf, unhex("9bffffffffffffffff", buf));
    is_int(cbor_skip(&d), ZERR_TRUNCATED, "cbor_skip_rejects_huge_count");
    cbor_dec_init(&d, buf, unhex("8282010280", buf));
    ok(cbor_skip(&d) == 0 && cbor_dec_finish(&d) == 0, "cbor_skip_consumes_nested_item");
}

static uint64_t rng_state = 0x243f6a8885a308d3ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Emits a random item nested at most depth deep, maps with ascending
 * unsigned keys (canonical by construction). */
static void put_random(cbor_enc *e, int depth)
{
    static const uint64_t edges[] = {
        0, 23, 24, 255, 256, 65535, 65536, 0xffffffffULL, 0x100000000ULL, UINT64_MAX};
    unsigned kind = (unsigned)(rng() % (depth > 0 ? 9 : 6));
    uint64_t n = rng() % 5;
    switch (kind) {
    case 0:
        cbor_put_uint(e, edges[rng() % 10] + (rng() % 2));
        break;
    case 1:
        cbor_put_int(e, -(int64_t)(edges[rng() % 9] % INT64_MAX) - 1);
        break;
    case 2:
        cbor_put_bytes(e, "\x00\xff\x10\x20", (size_t)n);
        break;
    case 3:
        cbor_put_text(e, "z\xc3\xa9ro", (size_t)(n == 2 ? 3 : n));
        break;
    case 4:
        cbor_put_bool(e, n & 1);
        break;
    case 5:
        cbor_put_null(e);
        break;
    case 6:
        cbor_put_array(e, n);
        for (uint64_t i = 0; i < n; i++) {
            put_random(e, depth - 1);
        }
        break;
    case 7:
        cbor_put_map(e, n);
        for (uint64_t i = 0; i < n; i++) {
            cbor_put_uint(e, i * 30);
            put_random(e, depth - 1);
        }
        break;
    default:
        cbor_put_tag(e, rng() % 300);
        put_random(e, depth - 1);
        break;
    }
}

/* Whatever the encoder writes validates, is skipped whole, and encodes to
 * the size measured beforehand. */
static void test_random_round_trips(void)
{
    static uint8_t buf[1 << 16];
    int all_ok = 1;
    for (int i = 0; i < 3000; i++) {
        uint64_t seed = rng_state;
        cbor_enc m;
        cbor_enc_init(&m, NULL, 0);
        put_random(&m, 4);
        size_t need = 0;
        cbor_enc_finish(&m, &need);
        rng_state = seed;
        cbor_enc e;
        cbor_enc_init(&e, buf, sizeof(buf));
        put_random(&e, 4);
        size_t len = 0;
        cbor_dec d;
        cbor_dec_init(&d, buf, e.len);
        all_ok &= cbor_enc_finish(&e, &len) == 0 && len == need;
        all_ok &= cbor_validate(buf, len, 8) == 0;
        all_ok &= cbor_skip(&d) == 0 && cbor_dec_finish(&d) == 0;
        /* Every proper prefix is truncated. */
        if (len > 1) {
            all_ok &=
                cbor_validate(buf, len - 1 - (size_t)(rng() % (len - 1)), 8) == ZERR_TRUNCATED;
        }
    }
    ok(all_ok, "cbor_random_encodings_validate_skip_and_measure");
}

static void test_null_input(void)
{
    cbor_dec d;
    uint64_t v;
    is_int(cbor_validate(NULL, 0, 4), ZERR_TRUNCATED, "cbor_validate_null_empty_is_truncated");
    is_int(cbor_validate(NULL, 5, 4), ZERR_INVAL, "cbor_validate_null_with_length_is_invalid");
    cbor_dec_init(&d, NULL, 0);
    is_int(cbor_get_uint(&d, &v), ZERR_TRUNCATED, "cbor_get_on_null_empty_is_truncated");
    cbor_dec_init(&d, NULL, 0);
    is_int(cbor_dec_finish(&d), 0, "cbor_dec_finish_on_null_empty_is_done");
    cbor_enc e;
    cbor_enc_init(&e, NULL, 0);
    cbor_put_bytes(&e, NULL, 0);
    size_t len = 0;
    ok(cbor_enc_finish(&e, &len) == ZERR_FULL && len == 1, "cbor_measures_empty_bytes_from_null");
}

static void test_depth(void)
{
    uint8_t buf[CBOR_MAX_DEPTH + 8];
    memset(buf, 0x81, sizeof(buf));
    buf[CBOR_MAX_DEPTH] = 0x00;
    is_int(cbor_validate(buf, CBOR_MAX_DEPTH + 1, 1000), 0,
           "cbor_validate_accepts_max_depth_nesting");
    buf[CBOR_MAX_DEPTH] = 0x81;
    buf[CBOR_MAX_DEPTH + 1] = 0x00;
    is_int(cbor_validate(buf, CBOR_MAX_DEPTH + 2, 1000), ZERR_LIMIT,
           "cbor_validate_caps_depth_at_cbor_max_depth");
    is_int(cbor_validate(buf + CBOR_MAX_DEPTH + 1, 1, 0), 0, "cbor_validate_depth_0_allows_scalar");
}

int main(void)
{
    tap_no_plan();
    test_integers();
    test_composite();
    test_rejections();
    test_depth();
    test_null_input();
    test_random_round_trips();
    return tap_done();
}
