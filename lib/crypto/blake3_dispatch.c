/*
 * Chooses the BLAKE3 back end.  On hosted x86_64 builds (ZERO_BLAKE3_SIMD)
 * the CPU is asked once, with CPUID and XGETBV, which vector extensions it
 * has and the OS enables; the answer is cached in a single word because it
 * is a fixed property of the machine, and racing first callers store the
 * same value.  Everywhere else the portable code runs.
 */
#include "crypto/internal/blake3_impl.h"

static const b3_backend backend_portable = {
    "portable", 1, b3_hash_many_portable, b3_compress_in_place_portable, b3_compress_xof_portable};

#if defined(ZERO_BLAKE3_SIMD)
static const b3_backend backend_sse41 = {"sse41", 4, b3_hash_many_sse41, b3_compress_in_place_sse41,
                                         b3_compress_xof_sse41};
static const b3_backend backend_avx2 = {"avx2", 8, b3_hash_many_avx2, b3_compress_in_place_sse41,
                                        b3_compress_xof_sse41};
static const b3_backend backend_avx512 = {"avx512", 16, b3_hash_many_avx512,
                                          b3_compress_in_place_avx512, b3_compress_xof_avx512};

enum { FEAT_SSE41 = 1, FEAT_AVX2 = 2, FEAT_AVX512 = 4, FEAT_KNOWN = 0x80 };

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

static uint64_t xgetbv0(void)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

/* Returns the FEAT_* bits of vector extensions both CPU and OS support. */
static unsigned detect_features(void)
{
    uint32_t r[4];
    unsigned f = FEAT_KNOWN;
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    cpuid(1, 0, r);
    if (r[2] & (1u << 19)) {
        f |= FEAT_SSE41;
    }
    bool osxsave = (r[2] & (1u << 27)) != 0;
    if (!osxsave || max_leaf < 7) {
        return f;
    }
    uint64_t xcr0 = xgetbv0();
    cpuid(7, 0, r);
    if ((f & FEAT_SSE41) && (xcr0 & 0x6) == 0x6 && (r[1] & (1u << 5))) {
        f |= FEAT_AVX2;
    }
    /* AVX512F (bit 16) and AVX512VL (bit 31), opmask and ZMM state; the
     * AVX-512 code hands leftovers to the AVX2 code. */
    if ((f & FEAT_AVX2) && (xcr0 & 0xe6) == 0xe6 && (r[1] & (1u << 16)) && (r[1] & (1u << 31))) {
        f |= FEAT_AVX512;
    }
    return f;
}

/* 0 until the first call; relaxed atomics make the benign race defined. */
static unsigned cached_features;

const b3_backend *b3_select_backend(void)
{
    unsigned f = __atomic_load_n(&cached_features, __ATOMIC_RELAXED);
    if (f == 0) {
        f = detect_features();
        __atomic_store_n(&cached_features, f, __ATOMIC_RELAXED);
    }
    if (f & FEAT_AVX512) {
        return &backend_avx512;
    }
    if (f & FEAT_AVX2) {
        return &backend_avx2;
    }
    if (f & FEAT_SSE41) {
        return &backend_sse41;
    }
    return &backend_portable;
}
#else
const b3_backend *b3_select_backend(void)
{
    return &backend_portable;
}
#endif

const char *blake3_backend(void)
{
    return b3_select_backend()->name;
}
