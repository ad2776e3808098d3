/*
 * TAP (Test Anything Protocol) for Zero OS tests.
 *
 * A test program calls tap_plan(n) (or tap_no_plan()), then ok()/is_*() for
 * each assertion, and returns tap_done().  A failed assertion prints the
 * expression or the two values and the source line as TAP diagnostics.
 * Output goes through tap_emit(), which each environment provides: the
 * hosted one (tests/tap.c) writes to stdout, a kernel test build writes to
 * the serial console.
 */
#ifndef ZERO_TESTS_TAP_H
#define ZERO_TESTS_TAP_H

#include <stddef.h>
#include <stdint.h>

/* Provided by the environment: writes n bytes of TAP output. */
void tap_emit(const char *s, size_t n);

void tap_plan(unsigned n);
void tap_no_plan(void);
/* Prints a "# ..." diagnostic line. */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Skips n tests with a reason. */
void tap_skip(unsigned n, const char *reason);
/* Ends the run; returns the process exit status (0 only if all passed). */
int tap_done(void);

int tap_ok(int pass, const char *expr, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int tap_is_int(int64_t got, int64_t want, const char *file, int line, const char *name);
int tap_is_mem(const void *got, const void *want, size_t n, const char *file, int line,
               const char *name);
int tap_is_str(const char *got, const char *want, const char *file, int line, const char *name);

#define ok(cond, ...) tap_ok(!!(cond), #cond, __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, name) \
    tap_is_int((int64_t)(got), (int64_t)(want), __FILE__, __LINE__, (name))
#define is_mem(got, want, n, name) tap_is_mem((got), (want), (n), __FILE__, __LINE__, (name))
#define is_str(got, want, name) tap_is_str((got), (want), __FILE__, __LINE__, (name))

#endif
