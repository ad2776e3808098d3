/*
 * The hosted platform: Zero OS as one Linux process.  Console is stdin and
 * stdout, memory comes from mmap, the block device is a file, entropy comes
 * from getrandom(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
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

void *hal_page_alloc(size_t npages)
{
    void *p = mmap(NULL, npages * HAL_PAGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    return p == MAP_FAILED ? NULL : p;
}

void hal_page_free(void *p, size_t npages)
{
    if (p != NULL) {
        munmap(p, npages * HAL_PAGE_SIZE);
    }
}

uint64_t hal_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void hal_wait_until(uint64_t deadline_ns)
{
    uint64_t now = hal_clock_ns();
    struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};

    if (now >= deadline_ns) {
        return;
    }
    uint64_t ms = (deadline_ns - now + 999999u) / 1000000u;
    poll(&pfd, 1, ms > 60000 ? 60000 : (int)ms);
}

int hal_entropy(void *buf, size_t n)
{
    unsigned char *p = buf;

    while (n > 0) {
        ssize_t r = getrandom(p, n, 0);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return ZERR_IO;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
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
