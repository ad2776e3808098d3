/*
 * Memory and string functions for portable code.
 *
 * On hosted and wasm these are the C library's; on the freestanding x86_64
 * build lib/base/string.c provides them (the compiler may also emit calls to
 * memcpy/memset/memmove/memcmp on its own, so the names must be the
 * standard ones).
 */
#ifndef ZERO_BASE_STRING_H
#define ZERO_BASE_STRING_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#endif

#endif
