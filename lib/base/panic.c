#include <stdarg.h>

#include "base/assert.h"
#include "base/fmt.h"
#include "hal/hal.h"

void zpanic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;

    va_start(ap, fmt);
    zfmt_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    hal_panic(msg);
}
