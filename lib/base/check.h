/*
 * Checked integer arithmetic.  Each helper stores the result in *out and
 * returns true when the operation overflowed (then *out is unspecified).
 * Use them on every size or offset that comes from outside: syscall
 * arguments, message fields, on-disk and wire formats.
 */
#ifndef ZERO_BASE_CHECK_H
#define ZERO_BASE_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool zck_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_add_overflow(a, b, out);
}

static inline bool zck_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

static inline bool zck_sub_u64(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_sub_overflow(a, b, out);
}

static inline bool zck_add_size(size_t a, size_t b, size_t *out)
{
    return __builtin_add_overflow(a, b, out);
}

static inline bool zck_mul_size(size_t a, size_t b, size_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

/* True when [off, off + len) lies inside [0, limit). */
static inline bool zck_range_ok(uint64_t off, uint64_t len, uint64_t limit)
{
    uint64_t end;

    return !zck_add_u64(off, len, &end) && end <= limit;
}

/* Rounds v up to a multiple of align (a power of two); true on overflow. */
static inline bool zck_align_up(uint64_t v, uint64_t align, uint64_t *out)
{
    uint64_t t;

    if (zck_add_u64(v, align - 1, &t)) {
        return true;
    }
    *out = t & ~(align - 1);
    return false;
}

#endif
