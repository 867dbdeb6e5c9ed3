/* A small printf-style formatter for the console (no libc in the hypervisor). */
#include <stdbool.h>
#include <stdint.h>
#include "console.h"

struct fmt_out {
    char *buf;
    size_t size;
    size_t len;
};

static void fmt_putc(struct fmt_out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void fmt_number(struct fmt_out *o, uint64_t v, unsigned base, bool negative,
                       unsigned width, char pad)
{
    char digits[24];
    unsigned n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v != 0);
    if (negative)
        digits[n++] = '-';
    if (negative && pad == '0') {
        /* "-0012": the sign goes before the zero padding. */
        fmt_putc(o, '-');
        n--;
        width = width ? width - 1 : 0;
    }
    for (unsigned i = n; i < width; i++)
        fmt_putc(o, pad);
    while (n > 0)
        fmt_putc(o, digits[--n]);
}

int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct fmt_out o = {buf, size, 0};
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            fmt_putc(&o, *p);
            continue;
        }
        p++;
        char pad = ' ';
        unsigned width = 0, longs = 0;
        if (*p == '0') {
            pad = '0';
            p++;
        }
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (unsigned)(*p++ - '0');
        while (*p == 'l' || *p == 'z') {
            longs += (*p == 'z') ? 2 : 1;
            p++;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            fmt_number(&o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            fmt_number(&o, v, *p == 'x' ? 16 : 10, false, width, pad);
            break;
        }
        case 'p':
            fmt_putc(&o, '0');
            fmt_putc(&o, 'x');
            fmt_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), 16, false, width, pad);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            size_t n = 0;
            for (const char *q = s; *q; q++)
                n++;
            for (size_t i = n; i < width; i++)
                fmt_putc(&o, ' ');
            while (*s)
                fmt_putc(&o, *s++);
            break;
        }
        case 'c':
            fmt_putc(&o, (char)va_arg(ap, int));
            break;
        case '%':
            fmt_putc(&o, '%');
            break;
        case '\0':
            p--;
            break;
        default:
            fmt_putc(&o, '%');
            fmt_putc(&o, *p);
            break;
        }
    }
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt_format(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vformat(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
