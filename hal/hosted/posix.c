/*
 * The parts of the platform layer that are plain POSIX, shared by the hosted
 * (Linux) and wasm (WASI) platforms: console on fd 0/1, the monotonic clock,
 * one CPU, exit and panic.  The block device is blk_file.c, also shared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "hal/hal.h"

void hal_console_write(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(STDOUT_FILENO, s, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return;
        }
        s += w;
        n -= (size_t)w;
    }
}

long hal_console_read(char *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(STDIN_FILENO, buf, n);
        if (r >= 0) {
            return (long)r;
        }
        if (errno != EINTR) {
            return ZERR_IO;
        }
    }
}

uint64_t hal_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

unsigned hal_cpu_id(void)
{
    return 0;
}

unsigned hal_cpu_count(void)
{
    return 1;
}

#if defined(__x86_64__)
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

/* Asks the CPU (CPUID) and the OS (XGETBV: which register state it saves). */
unsigned hal_cpu_vector_features(void)
{
    uint32_t r[4];
    unsigned f = 0;
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    cpuid(1, 0, r);
    if (r[2] & (1u << 19)) {
        f |= HAL_CPU_SSE41;
    }
    bool osxsave = (r[2] & (1u << 27)) != 0;
    if (!osxsave || max_leaf < 7) {
        return f;
    }
    uint64_t xcr0 = xgetbv0();
    cpuid(7, 0, r);
    if ((f & HAL_CPU_SSE41) && (xcr0 & 0x6) == 0x6 && (r[1] & (1u << 5))) {
        f |= HAL_CPU_AVX2;
    }
    /* AVX512F (bit 16) and AVX512VL (bit 31), opmask and ZMM state. */
    if ((f & HAL_CPU_AVX2) && (xcr0 & 0xe6) == 0xe6 && (r[1] & (1u << 16)) && (r[1] & (1u << 31))) {
        f |= HAL_CPU_AVX512;
    }
    return f;
}
#else
unsigned hal_cpu_vector_features(void)
{
    return 0; /* wasm and other hosts: the portable code */
}
#endif

void hal_exit(int status)
{
    exit(status);
}

void hal_panic(const char *msg)
{
    fprintf(stderr, "zero: panic: %s\n", msg);
    fflush(stderr);
    abort();
}
