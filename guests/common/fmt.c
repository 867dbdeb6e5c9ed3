/* Minimal vsnprintf subset for console lines: %c %s %d %u %x, optional 'l', %%. Shared by both test guests (each gives vfmt/sfmt in its guest.h). */
#include "guest.h"

struct out {
	char *buf;
	unsigned len, size;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_num(struct out *o, uint64_t v, unsigned base, int neg)
{
	char tmp[20];
	unsigned n = 0;

	if (neg)
		put(o, '-');
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		put(o, tmp[--n]);
}

unsigned vfmt(char *buf, unsigned size, const char *fmt, va_list ap)
{
	struct out o = { buf, 0, size };

	for (; *fmt; fmt++) {
		int lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (*++fmt == 'l') {
			lng = 1;
			fmt++;
		}
		if (*fmt == 'c') {
			put(&o, (char)va_arg(ap, int));
		} else if (*fmt == 's') {
			const char *s = va_arg(ap, const char *);

			while (*s)
				put(&o, *s++);
		} else if (*fmt == 'd') {
			int64_t v = lng ? va_arg(ap, long) : va_arg(ap, int);

			put_num(&o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, v < 0);
		} else if (*fmt == 'u' || *fmt == 'x') {
			uint64_t v = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);

			put_num(&o, v, *fmt == 'x' ? 16 : 10, 0);
		} else if (*fmt == '%') {
			put(&o, '%');
		} else {
			break; /* unsupported or truncated conversion: stop here */
		}
	}
	if (size)
		buf[o.len] = '\0';
	return o.len;
}

unsigned sfmt(char *buf, unsigned size, const char *fmt, ...)
{
	va_list ap;
	unsigned n;

	va_start(ap, fmt);
	n = vfmt(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
