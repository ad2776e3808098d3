/* lib/base formatter, hex helpers and error names. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "base/errors.h"
#include "base/fmt.h"
#include "tap.h"

static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static const char *fmt(const char *f, ...)
{
    static char buf[256];
    va_list ap;

    va_start(ap, f);
    zfmt_vsnprintf(buf, sizeof(buf), f, ap);
    va_end(ap);
    return buf;
}

/* Every conversion must match the C library's snprintf byte for byte. */
static void fmt_matches_libc(void)
{
    char want[256];

    snprintf(want, sizeof(want), "%d|%i|%u|%x|%X|%o", -42, INT_MIN, UINT_MAX, 0xbeefu, 0xbeefu, 8u);
    is_str(fmt("%d|%i|%u|%x|%X|%o", -42, INT_MIN, UINT_MAX, 0xbeefu, 0xbeefu, 8u), want,
           "fmt_integers_match_libc");
    snprintf(want, sizeof(want), "%ld|%lld|%llu|%zu|%lx", LONG_MIN, LLONG_MIN, ULLONG_MAX,
             (size_t)SIZE_MAX, 0xdeadbeefUL);
    is_str(fmt("%ld|%lld|%llu|%zu|%lx", LONG_MIN, LLONG_MIN, ULLONG_MAX, (size_t)SIZE_MAX,
               0xdeadbeefUL),
           want, "fmt_long_modifiers_match_libc");
    snprintf(want, sizeof(want), "[%5d][%-5d][%05d][%-5s][%5s][%.3s][%.*s][%c][%%]", 42, 42, -42,
             "ab", "ab", "abcdef", 2, "xyz", 'q');
    is_str(fmt("[%5d][%-5d][%05d][%-5s][%5s][%.3s][%.*s][%c][%%]", 42, 42, -42, "ab", "ab",
               "abcdef", 2, "xyz", 'q'),
           want, "fmt_width_precision_flags_match_libc");
    snprintf(want, sizeof(want), "%08x|%2x|%016llx", 0xabu, 0xabcu, 1ULL);
    is_str(fmt("%08x|%2x|%016llx", 0xabu, 0xabcu, 1ULL), want, "fmt_zero_pad_hex_matches_libc");
}

static void fmt_truncates_and_reports_length(void)
{
    char small[8];
    size_t n = zfmt_snprintf(small, sizeof(small), "%s", "0123456789");

    is_int(n, 10, "fmt_returns_full_length_when_cut");
    is_str(small, "0123456", "fmt_cut_output_is_nul_terminated");
    is_int(zfmt_snprintf(NULL, 0, "%d", 12345), 5, "fmt_measures_with_null_buffer");
    const char *volatile null_string = NULL;
    is_str(fmt("%s", null_string), "(null)", "fmt_null_string_is_visible");
    const char *volatile odd_format = "%q";
    char out[8];
    zfmt_snprintf(out, sizeof(out), odd_format, 0);
    is_str(out, "%q", "fmt_unknown_conversion_is_printed_verbatim");
}

static void hex_round_trips(void)
{
    const unsigned char bytes[] = {0x00, 0x01, 0xab, 0xff};
    unsigned char back[4];
    char hex[9];

    zfmt_hex(hex, bytes, sizeof(bytes));
    is_str(hex, "0001abff", "hex_encodes_lower_case");
    is_int(zfmt_unhex(back, 4, "0001ABff", 8), 0, "unhex_accepts_mixed_case");
    is_mem(back, bytes, 4, "unhex_round_trips");
    is_int(zfmt_unhex(back, 4, "0001abf", 7), ZERR_INVAL, "unhex_rejects_odd_length");
    is_int(zfmt_unhex(back, 4, "0001abfg", 8), ZERR_INVAL, "unhex_rejects_non_hex_digit");
}

static void error_names(void)
{
    is_str(zerr_name(ZERR_IO), "ZERR_IO", "zerr_name_names_codes");
    is_str(zerr_name(0), "ZERR_OK", "zerr_name_of_success");
    is_str(zerr_name(ZERR_MIN - 1), "ZERR_UNKNOWN", "zerr_name_of_unknown_code");
    is_str(zerr_name(7), "ZERR_UNKNOWN", "zerr_name_of_positive_code");
    is_str(zerr_text(ZERR_DENIED), "denied by policy", "zerr_text_describes_codes");
}

int main(void)
{
    tap_no_plan();
    fmt_matches_libc();
    fmt_truncates_and_reports_length();
    hex_round_trips();
    error_names();
    return tap_done();
}
