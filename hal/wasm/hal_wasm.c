/*
 * The wasm platform: Zero OS as a WebAssembly (WASI preview 1) program run
 * by Node or a browser shim.  Console is fd 0/1, memory comes from the
 * module's linear memory, entropy from random_get, time from the monotonic
 * clock.  The block device is the POSIX file backend shared with hosted
 * (hal/hosted/blk_file.c), which WASI's file calls serve.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/errors.h"
#include "hal/hal.h"

int getentropy(void *buf, size_t len);

/*
 * WASI has no working directory; the launcher passes the caller's as PWD
 * and wasi-libc resolves relative paths against the one set here.  Every
 * wasm program links this: mk/config.mk exports it, which keeps the linker
 * from dropping it as unreferenced.
 */
void hal_wasm_enter_cwd(void);
__attribute__((constructor)) void hal_wasm_enter_cwd(void)
{
    const char *pwd = getenv("PWD");

    if (pwd != NULL && pwd[0] == '/') {
        (void)chdir(pwd);
    }
}

void *hal_page_alloc(size_t npages)
{
    void *p = aligned_alloc(HAL_PAGE_SIZE, npages * HAL_PAGE_SIZE);

    if (p != NULL) {
        memset(p, 0, npages * HAL_PAGE_SIZE);
    }
    return p;
}

void hal_page_free(void *p, size_t npages)
{
    (void)npages;
    free(p);
}

void hal_wait_until(uint64_t deadline_ns)
{
    uint64_t now = hal_clock_ns();

    if (now < deadline_ns) {
        uint64_t d = deadline_ns - now;
        struct timespec ts = {.tv_sec = (time_t)(d / 1000000000u),
                              .tv_nsec = (long)(d % 1000000000u)};
        nanosleep(&ts, NULL);
    }
}

int hal_entropy(void *buf, size_t n)
{
    unsigned char *p = buf;

    while (n > 0) {
        size_t chunk = n > 256 ? 256 : n; /* getentropy's limit per call */
        if (getentropy(p, chunk) != 0) {
            return ZERR_IO;
        }
        p += chunk;
        n -= chunk;
    }
    return 0;
}
