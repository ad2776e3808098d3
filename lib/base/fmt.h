/*
 * A small printf-style formatter for code without a C library.
 *
 * Conversions: %d %i %u %x %X %o %p %s %c %%, with the length modifiers
 * l, ll, z and h/hh (accepted, values are promoted anyway), flags '-' and '0',
 * a field width, and a precision for %s (".N" or ".*").  Floating point is
 * not supported.  The output is always NUL-terminated when size > 0.
 */
#ifndef ZERO_BASE_FMT_H
#define ZERO_BASE_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Formats into buf (at most size bytes including the NUL).  Returns the
 * length the full output would have, like C99 snprintf, so a return value
 * >= size means the output was cut.
 */
size_t zfmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t zfmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes the lower-case hex of n bytes into out (2n chars + NUL). */
void zfmt_hex(char *out, const void *bytes, size_t n);

/*
 * Parses exactly 2n hex digits from hex into out.  Returns 0, or ZERR_INVAL
 * if hex has a non-hex character or is not exactly 2n characters long.
 */
int zfmt_unhex(void *out, size_t n, const char *hex, size_t hex_len);

#endif
