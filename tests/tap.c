/* The hosted TAP environment: the portable producer plus stdout output. */
#include <stdio.h>

#include "tap.h"
#include "tap_core.c"

void tap_emit(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
    fflush(stdout);
}
