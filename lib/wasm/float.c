/*
 * Float operations WebAssembly needs beyond the four IEEE operations and
 * sqrt, written without libm so that the same bits come out on every
 * platform: rounding to integral values, min/max with the NaN and signed-zero
 * rules, NaN canonicalization and float-to-integer conversions.
 */
#include "wasm/internal/wasm_int.h"

static uint32_t bits32(float f)
{
    uint32_t b;
    memcpy(&b, &f, 4);
    return b;
}

static uint64_t bits64(double d)
{
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static float from32(uint32_t b)
{
    float f;
    memcpy(&f, &b, 4);
    return f;
}

static double from64(uint64_t b)
{
    double d;
    memcpy(&d, &b, 8);
    return d;
}

uint32_t wasm_f32_canon(uint32_t b)
{
    return (b & 0x7fffffffu) > 0x7f800000u ? WASM_F32_CANONICAL_NAN : b;
}

uint64_t wasm_f64_canon(uint64_t b)
{
    return (b & 0x7fffffffffffffffull) > 0x7ff0000000000000ull ? WASM_F64_CANONICAL_NAN : b;
}

float wasm_f32_trunc(float x)
{
    uint32_t b = bits32(x);
    int e = (int)((b >> 23) & 0xff) - 127;
    if (e >= 23) {
        return x; /* integral already, or inf/NaN */
    }
    if (e < 0) {
        return from32(b & 0x80000000u);
    }
    return from32(b & ~((1u << (23 - e)) - 1));
}

double wasm_f64_trunc(double x)
{
    uint64_t b = bits64(x);
    int e = (int)((b >> 52) & 0x7ff) - 1023;
    if (e >= 52) {
        return x;
    }
    if (e < 0) {
        return from64(b & 0x8000000000000000ull);
    }
    return from64(b & ~((1ull << (52 - e)) - 1));
}

float wasm_f32_floor(float x)
{
    float t = wasm_f32_trunc(x);
    return (x < 0 && t != x) ? t - 1.0f : t;
}

double wasm_f64_floor(double x)
{
    double t = wasm_f64_trunc(x);
    return (x < 0 && t != x) ? t - 1.0 : t;
}

float wasm_f32_ceil(float x)
{
    float t = wasm_f32_trunc(x);
    return (x > 0 && t != x) ? t + 1.0f : t;
}

double wasm_f64_ceil(double x)
{
    double t = wasm_f64_trunc(x);
    return (x > 0 && t != x) ? t + 1.0 : t;
}

float wasm_f32_nearest(float x)
{
    uint32_t b = bits32(x);
    int e = (int)((b >> 23) & 0xff) - 127;
    if (e >= 23) {
        return x;
    }
    /* adding 2^23 to |x| < 2^23 rounds to an integer, ties to even */
    float ax = from32(b & 0x7fffffffu);
    float r = (ax + 8388608.0f) - 8388608.0f;
    return from32(bits32(r) | (b & 0x80000000u));
}

double wasm_f64_nearest(double x)
{
    uint64_t b = bits64(x);
    int e = (int)((b >> 52) & 0x7ff) - 1023;
    if (e >= 52) {
        return x;
    }
    double ax = from64(b & 0x7fffffffffffffffull);
    double r = (ax + 4503599627370496.0) - 4503599627370496.0;
    return from64(bits64(r) | (b & 0x8000000000000000ull));
}

float wasm_f32_min(float a, float b)
{
    if (a != a || b != b) {
        return from32(WASM_F32_CANONICAL_NAN);
    }
    if (a == b) {
        return from32(bits32(a) | bits32(b)); /* -0 wins */
    }
    return a < b ? a : b;
}

float wasm_f32_max(float a, float b)
{
    if (a != a || b != b) {
        return from32(WASM_F32_CANONICAL_NAN);
    }
    if (a == b) {
        return from32(bits32(a) & bits32(b)); /* +0 wins */
    }
    return a > b ? a : b;
}

double wasm_f64_min(double a, double b)
{
    if (a != a || b != b) {
        return from64(WASM_F64_CANONICAL_NAN);
    }
    if (a == b) {
        return from64(bits64(a) | bits64(b));
    }
    return a < b ? a : b;
}

double wasm_f64_max(double a, double b)
{
    if (a != a || b != b) {
        return from64(WASM_F64_CANONICAL_NAN);
    }
    if (a == b) {
        return from64(bits64(a) & bits64(b));
    }
    return a > b ? a : b;
}

/*
 * Conversion kinds: bit 0 unsigned, bit 1 source f64, bit 2 result i64.
 * lo/hi are the exclusive bounds of the source values that convert.
 */
static int convert(unsigned kind, bool sat, uint64_t in, uint64_t *out)
{
    static const double lo[8] = {-2147483649.0,          -1.0, -2147483649.0,          -1.0,
                                 -9223372036854777856.0, -1.0, -9223372036854777856.0, -1.0};
    static const double hi[8] = {2147483648.0,          4294967296.0,
                                 2147483648.0,          4294967296.0,
                                 9223372036854775808.0, 18446744073709551616.0,
                                 9223372036854775808.0, 18446744073709551616.0};
    double x = (kind & 2) ? from64(in) : (double)from32((uint32_t)in);
    bool is_unsigned = kind & 1;
    bool wide = kind & 4;
    if (x != x) {
        if (!sat) {
            return WASM_TRAP_INVALID_CONVERSION;
        }
        *out = 0;
        return 0;
    }
    if (!(x > lo[kind] && x < hi[kind])) {
        if (!sat) {
            return WASM_TRAP_INT_OVERFLOW;
        }
        bool neg = x < 0;
        if (is_unsigned) {
            *out = neg ? 0 : (wide ? UINT64_MAX : UINT32_MAX);
        } else if (wide) {
            *out = neg ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX;
        } else {
            *out = neg ? (uint32_t)INT32_MIN : (uint32_t)INT32_MAX;
        }
        return 0;
    }
    if (is_unsigned) {
        *out = wide ? (uint64_t)x : (uint32_t)x;
    } else {
        *out = wide ? (uint64_t)(int64_t)x : (uint32_t)(int32_t)x;
    }
    return 0;
}

int wasm_trunc(uint32_t op, uint64_t in, uint64_t *out)
{
    if (op >= WASM_OP_FC) {
        return convert(op - WASM_OP_FC, true, in, out);
    }
    /* 0xa8..0xab: i32 from f32 s/u, f64 s/u; 0xae..0xb1: i64 likewise */
    unsigned k = op <= 0xab ? op - 0xa8 : (op - 0xae) | 4;
    return convert(k, false, in, out);
}
