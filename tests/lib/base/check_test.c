/* lib/base checked arithmetic and the freestanding string functions. */
#include <stdint.h>

#include "base/check.h"
#include "base/string.h"
#include "tap.h"

static void checked_arithmetic(void)
{
    uint64_t r = 0;
    size_t s = 0;

    ok(!zck_add_u64(1, 2, &r) && r == 3, "add_u64_without_overflow");
    ok(zck_add_u64(UINT64_MAX, 1, &r), "add_u64_detects_overflow");
    ok(zck_mul_u64(UINT64_MAX / 2 + 1, 2, &r), "mul_u64_detects_overflow");
    ok(!zck_mul_u64(1u << 20, 1u << 20, &r) && r == 1ull << 40, "mul_u64_without_overflow");
    ok(zck_sub_u64(1, 2, &r), "sub_u64_detects_underflow");
    ok(zck_add_size(SIZE_MAX, 1, &s), "add_size_detects_overflow");
    ok(zck_mul_size(SIZE_MAX, 3, &s), "mul_size_detects_overflow");
    ok(zck_range_ok(4096, 4096, 8192), "range_ok_accepts_exact_fit");
    ok(!zck_range_ok(4096, 4097, 8192), "range_ok_rejects_past_end");
    ok(!zck_range_ok(UINT64_MAX, 2, UINT64_MAX), "range_ok_rejects_wrapping_range");
    ok(!zck_align_up(4097, 4096, &r) && r == 8192, "align_up_rounds_up");
    ok(zck_align_up(UINT64_MAX - 10, 4096, &r), "align_up_detects_overflow");
}

static void strings(void)
{
    char buf[16] = "abcdef";

    memmove(buf + 2, buf, 7);
    is_str(buf, "ababcdef", "memmove_handles_overlap_forward");
    memmove(buf, buf + 2, 7);
    is_str(buf, "abcdef", "memmove_handles_overlap_backward");
    ok(memcmp("abc", "abd", 3) < 0 && memcmp("abd", "abc", 3) > 0, "memcmp_orders_bytes");
    is_int(strnlen("abc", 2), 2, "strnlen_stops_at_max");
    ok(strcmp("a", "b") < 0 && strncmp("abX", "abY", 2) == 0, "strcmp_and_strncmp_order");
    ok(strchr("hello", 'l') != NULL && strchr("hello", 'z') == NULL, "strchr_finds_bytes");
}

int main(void)
{
    tap_no_plan();
    checked_arithmetic();
    strings();
    return tap_done();
}
