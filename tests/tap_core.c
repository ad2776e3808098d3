/*
 * TAP producer shared by every test environment.  Portable: it formats with
 * lib/base and writes through tap_emit().
 */
#include <stdarg.h>

#include "base/fmt.h"
#include "base/string.h"
#include "tap.h"

struct tap_state {
    unsigned planned;
    unsigned run;
    unsigned failed;
    int has_plan;
};

static struct tap_state tap;

static void tap_vprintf(const char *fmt, va_list ap)
{
    char line[512];
    size_t n = zfmt_vsnprintf(line, sizeof(line), fmt, ap);

    tap_emit(line, n < sizeof(line) ? n : sizeof(line) - 1);
}

static void tap_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void tap_printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    tap_vprintf(fmt, ap);
    va_end(ap);
}

void tap_plan(unsigned n)
{
    tap.planned = n;
    tap.has_plan = 1;
    tap_printf("1..%u\n", n);
}

void tap_no_plan(void)
{
    tap.has_plan = 0;
}

void tap_diag(const char *fmt, ...)
{
    char line[512];
    va_list ap;

    va_start(ap, fmt);
    zfmt_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    tap_printf("# %s\n", line);
}

void tap_skip(unsigned n, const char *reason)
{
    for (unsigned i = 0; i < n; i++) {
        tap.run++;
        tap_printf("ok %u # skip %s\n", tap.run, reason);
    }
}

int tap_done(void)
{
    if (!tap.has_plan) {
        tap_printf("1..%u\n", tap.run);
    } else if (tap.run != tap.planned) {
        tap_diag("planned %u tests but ran %u", tap.planned, tap.run);
        return 1;
    }
    if (tap.failed > 0) {
        tap_diag("failed %u of %u tests", tap.failed, tap.run);
        return 1;
    }
    return 0;
}

static int tap_result(int pass, const char *name)
{
    tap.run++;
    if (!pass) {
        tap.failed++;
    }
    tap_printf("%sok %u - %s\n", pass ? "" : "not ", tap.run, name);
    return pass;
}

int tap_ok(int pass, const char *expr, const char *file, int line, const char *fmt, ...)
{
    char name[256];
    va_list ap;

    va_start(ap, fmt);
    zfmt_vsnprintf(name, sizeof(name), fmt, ap);
    va_end(ap);
    if (!tap_result(pass, name)) {
        tap_diag("  failed: %s", expr);
        tap_diag("  at %s line %d", file, line);
    }
    return pass;
}

int tap_is_int(int64_t got, int64_t want, const char *file, int line, const char *name)
{
    int pass = got == want;

    if (!tap_result(pass, name)) {
        tap_diag("  got:      %lld", (long long)got);
        tap_diag("  expected: %lld", (long long)want);
        tap_diag("  at %s line %d", file, line);
    }
    return pass;
}

int tap_is_mem(const void *got, const void *want, size_t n, const char *file, int line,
               const char *name)
{
    const unsigned char *g = got;
    const unsigned char *w = want;
    int pass = memcmp(got, want, n) == 0;

    if (!tap_result(pass, name)) {
        size_t i = 0;
        while (i < n && g[i] == w[i]) {
            i++;
        }
        tap_diag("  first difference at byte %zu of %zu: got 0x%02x, expected 0x%02x", i, n, g[i],
                 w[i]);
        tap_diag("  at %s line %d", file, line);
    }
    return pass;
}

int tap_is_str(const char *got, const char *want, const char *file, int line, const char *name)
{
    int pass = got != NULL && want != NULL && strcmp(got, want) == 0;

    if (!tap_result(pass, name)) {
        tap_diag("  got:      '%s'", got);
        tap_diag("  expected: '%s'", want);
        tap_diag("  at %s line %d", file, line);
    }
    return pass;
}
