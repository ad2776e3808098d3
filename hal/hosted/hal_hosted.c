/*
 * The hosted platform: Zero OS as one Linux process.  Console is stdin and
 * stdout, memory comes from mmap, the block device is a file, entropy comes
 * from getrandom(2).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "hal/hal.h"

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
