/* Console output for user programs, through the console capability. */
#include <stdarg.h>

#include "base/fmt.h"
#include "zero/zero.h"

/*
 * Writes all n bytes (the kernel takes a bounded piece per call): n, or the
 * error of the first call that wrote nothing.
 */
int64_t zero_write(const char *s, uint64_t n)
{
    uint64_t done = 0;
    do {
        int64_t r =
            zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, (uint64_t)(uintptr_t)(s + done), n - done);
        if (r <= 0) {
            return done > 0 ? (int64_t)done : r;
        }
        done += (uint64_t)r;
    } while (done < n);
    return (int64_t)done;
}

void zprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    size_t n = zfmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    zero_write(buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}
