/*
 * Chooses the BLAKE3 back end.  On hosted x86_64 builds (ZERO_BLAKE3_SIMD)
 * the platform is asked once which vector extensions the CPU has and the
 * OS enables (hal_cpu_vector_features); the answer is cached in a single
 * word because it is a fixed property of the machine, and racing first
 * callers store the same value.  Everywhere else the portable code runs.
 */
#include "crypto/internal/blake3_impl.h"

#if defined(ZERO_BLAKE3_SIMD)
#include "hal/hal.h"
#endif

static const b3_backend backend_portable = {
    "portable", 1, b3_hash_many_portable, b3_compress_in_place_portable, b3_compress_xof_portable,
    NULL};

#if defined(ZERO_BLAKE3_SIMD)
static const b3_backend backend_sse41 = {
    "sse41", 4, b3_hash_many_sse41, b3_compress_in_place_sse41, b3_compress_xof_sse41, NULL};
static const b3_backend backend_avx2 = {"avx2",
                                        8,
                                        b3_hash_many_avx2,
                                        b3_compress_in_place_sse41,
                                        b3_compress_xof_sse41,
                                        b3_hash_short8_avx2};
static const b3_backend backend_avx512 = {"avx512",
                                          16,
                                          b3_hash_many_avx512,
                                          b3_compress_in_place_avx512,
                                          b3_compress_xof_avx512,
                                          b3_hash_short8_avx2};

/* HAL_CPU_* bits with FEAT_KNOWN, 0 until the first call; relaxed atomics
 * make the benign race defined. */
enum { FEAT_KNOWN = 0x80 }; /* above every HAL_CPU_* bit */
static unsigned cached_features;

const b3_backend *b3_select_backend(void)
{
    unsigned f = __atomic_load_n(&cached_features, __ATOMIC_RELAXED);
    if (f == 0) {
        f = hal_cpu_vector_features() | FEAT_KNOWN;
        __atomic_store_n(&cached_features, f, __ATOMIC_RELAXED);
    }
    if (f & HAL_CPU_AVX512) {
        return &backend_avx512;
    }
    if (f & HAL_CPU_AVX2) {
        return &backend_avx2;
    }
    if (f & HAL_CPU_SSE41) {
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
