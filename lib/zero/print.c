/* Console output for user programs, through the console capability. */
#include <stdarg.h>

#include "base/fmt.h"
#include "zero/zero.h"

int64_t zero_write(const char *s, uint64_t n)
{
    return zsys3(SYS_DEBUG_WRITE, ZERO_SLOT_CONSOLE, (uint64_t)(uintptr_t)s, n);
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
