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
