/*
 * Invariant checks.  ZASSERT names the invariant that broke, so a failure
 * report reads like a diagnosis: "assertion failed: cap slot is free
 * (lib/cap/cap.c:120)".  Never assert on anything an untrusted caller can
 * cause; return an error code instead.
 */
#ifndef ZERO_BASE_ASSERT_H
#define ZERO_BASE_ASSERT_H

/* Formats a message and stops the system (kernel) or process (hosted). */
_Noreturn void zpanic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ZASSERT(cond, invariant)                                                     \
    do {                                                                             \
        if (!(cond)) {                                                               \
            zpanic("assertion failed: %s (%s:%d)", (invariant), __FILE__, __LINE__); \
        }                                                                            \
    } while (0)

#endif
