#include "base/fmt.h"

#include <stdbool.h>
#include <stdint.h>

#include "base/errors.h"

/* Output cursor: counts every byte, stores those that fit. */
struct fmt_out {
    char *buf;
    size_t size;
    size_t len;
};

struct fmt_spec {
    bool left;
    bool zero;
    size_t width;
    size_t precision;
    bool has_precision;
    int longs;
};

static void out_char(struct fmt_out *o, char c)
{
    if (o->len + 1 < o->size) {
        o->buf[o->len] = c;
    }
    o->len++;
}

static void out_pad(struct fmt_out *o, char c, size_t n)
{
    while (n-- > 0) {
        out_char(o, c);
    }
}

/* Emits s (n bytes) padded to the spec's width. */
static void out_field(struct fmt_out *o, const struct fmt_spec *sp, const char *s, size_t n)
{
    size_t pad = sp->width > n ? sp->width - n : 0;

    if (!sp->left) {
        out_pad(o, ' ', pad);
    }
    for (size_t i = 0; i < n; i++) {
        out_char(o, s[i]);
    }
    if (sp->left) {
        out_pad(o, ' ', pad);
    }
}

/* Emits an integer: magnitude v in base, with a sign if negative. */
static void out_number(struct fmt_out *o, const struct fmt_spec *sp, uint64_t v, bool negative,
                       unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;
    size_t total;

    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    total = n + (negative ? 1 : 0);
    if (sp->zero && !sp->left) {
        if (negative) {
            out_char(o, '-');
        }
        out_pad(o, '0', sp->width > total ? sp->width - total : 0);
    } else {
        if (!sp->left) {
            out_pad(o, ' ', sp->width > total ? sp->width - total : 0);
        }
        if (negative) {
            out_char(o, '-');
        }
    }
    while (n > 0) {
        out_char(o, tmp[--n]);
    }
    if (sp->left) {
        out_pad(o, ' ', sp->width > total ? sp->width - total : 0);
    }
}

/* Parses flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct fmt_spec *sp, va_list *ap)
{
    *sp = (struct fmt_spec){0};
    for (;; f++) {
        if (*f == '-') {
            sp->left = true;
        } else if (*f == '0') {
            sp->zero = true;
        } else {
            break;
        }
    }
    if (*f == '*') {
        int w = va_arg(*ap, int);
        sp->width = w < 0 ? 0 : (size_t)w;
        f++;
    }
    while (*f >= '0' && *f <= '9') {
        sp->width = sp->width * 10 + (size_t)(*f++ - '0');
    }
    if (*f == '.') {
        f++;
        sp->has_precision = true;
        if (*f == '*') {
            int p = va_arg(*ap, int);
            sp->precision = p < 0 ? 0 : (size_t)p;
            f++;
        }
        while (*f >= '0' && *f <= '9') {
            sp->precision = sp->precision * 10 + (size_t)(*f++ - '0');
        }
    }
    for (;; f++) {
        if (*f == 'l') {
            sp->longs++;
        } else if (*f == 'z') {
            sp->longs = 3;
        } else if (*f != 'h') {
            break;
        }
    }
    return f;
}

static uint64_t arg_unsigned(const struct fmt_spec *sp, va_list *ap)
{
    if (sp->longs == 3) {
        return va_arg(*ap, size_t);
    }
    if (sp->longs == 2) {
        return va_arg(*ap, unsigned long long);
    }
    if (sp->longs == 1) {
        return va_arg(*ap, unsigned long);
    }
    return va_arg(*ap, unsigned int);
}

static int64_t arg_signed(const struct fmt_spec *sp, va_list *ap)
{
    if (sp->longs == 3) {
        return (int64_t)va_arg(*ap, size_t);
    }
    if (sp->longs == 2) {
        return va_arg(*ap, long long);
    }
    if (sp->longs == 1) {
        return va_arg(*ap, long);
    }
    return va_arg(*ap, int);
}

static void out_string(struct fmt_out *o, const struct fmt_spec *sp, const char *s)
{
    size_t n = 0;

    if (s == NULL) {
        s = "(null)";
    }
    while (s[n] != '\0' && (!sp->has_precision || n < sp->precision)) {
        n++;
    }
    out_field(o, sp, s, n);
}

/* Formats one conversion c with its spec. */
static void out_conversion(struct fmt_out *o, struct fmt_spec *sp, char c, va_list *ap)
{
    switch (c) {
    case 'd':
    case 'i': {
        int64_t v = arg_signed(sp, ap);
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        out_number(o, sp, mag, v < 0, 10, false);
        break;
    }
    case 'u':
        out_number(o, sp, arg_unsigned(sp, ap), false, 10, false);
        break;
    case 'x':
    case 'X':
        out_number(o, sp, arg_unsigned(sp, ap), false, 16, c == 'X');
        break;
    case 'o':
        out_number(o, sp, arg_unsigned(sp, ap), false, 8, false);
        break;
    case 'p':
        out_char(o, '0');
        out_char(o, 'x');
        sp->zero = true;
        sp->width = 16;
        out_number(o, sp, (uint64_t)(uintptr_t)va_arg(*ap, void *), false, 16, false);
        break;
    case 's':
        out_string(o, sp, va_arg(*ap, const char *));
        break;
    case 'c': {
        char ch = (char)va_arg(*ap, int);
        out_field(o, sp, &ch, 1);
        break;
    }
    case '%':
        out_char(o, '%');
        break;
    default:
        /* An unknown conversion is printed as it stands, so it is visible. */
        out_char(o, '%');
        if (c != '\0') {
            out_char(o, c);
        }
        break;
    }
}

size_t zfmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_out o = {buf, size, 0};
    struct fmt_spec sp;
    va_list args;

    va_copy(args, ap);
    while (*fmt != '\0') {
        if (*fmt != '%') {
            out_char(&o, *fmt++);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &args);
        out_conversion(&o, &sp, *fmt, &args);
        if (*fmt != '\0') {
            fmt++;
        }
    }
    va_end(args);
    if (size > 0) {
        buf[o.len < size ? o.len : size - 1] = '\0';
    }
    return o.len;
}

size_t zfmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = zfmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void zfmt_hex(char *out, const void *bytes, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const unsigned char *b = bytes;

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int zfmt_unhex(void *out, size_t n, const char *hex, size_t hex_len)
{
    unsigned char *o = out;

    if (hex_len != 2 * n) {
        return ZERR_INVAL;
    }
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(hex[2 * i]);
        int lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return ZERR_INVAL;
        }
        o[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}
