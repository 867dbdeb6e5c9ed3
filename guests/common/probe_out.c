/* The probe guests' console formatter and statistics (see probe_out.h); each probe provides say_putc. */
#include <stdarg.h>
#include "probe_out.h"

static void put_str(const char *s)
{
	while (*s)
		say_putc(*s++);
}

static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int n = 0;

	do {
		unsigned d = (unsigned)(v % base);
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (n)
		say_putc(buf[--n]);
}

void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%' || !fmt[1]) {
			say_putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 'u':
			put_num(va_arg(ap, unsigned), 10);
			break;
		case 'x':
			put_num(va_arg(ap, unsigned), 16);
			break;
		case 'U':
			put_num(va_arg(ap, uint64_t), 10);
			break;
		case 'X':
			put_num(va_arg(ap, uint64_t), 16);
			break;
		case 'd': {
			int v = va_arg(ap, int);
			if (v < 0) {
				say_putc('-');
				put_num((uint64_t)-(int64_t)v, 10);
			} else {
				put_num((uint64_t)v, 10);
			}
			break;
		}
		case 's':
			put_str(va_arg(ap, const char *));
			break;
		default:
			say_putc('%');
			say_putc(*fmt);
		}
	}
	va_end(ap);
}

void probe_report(const char *name, const uint64_t *v, unsigned n, uint64_t mul, uint64_t div,
		  uint64_t *scratch)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t x = v[i] * mul / div;
		unsigned j = i;

		sum += x;
		for (; j > 0 && scratch[j - 1] > x; j--)
			scratch[j] = scratch[j - 1];
		scratch[j] = x;
	}
	say("probe %s: n=%u min=%U median=%U max=%U mean=%U\n", name, n, scratch[0],
	    scratch[n / 2], scratch[n - 1], sum / n);
	for (unsigned i = 0, k = 0; i < n; k++) {
		unsigned j = i;

		while (j < n && scratch[j] == scratch[i])
			j++;
		if (k % 8 == 0)
			say("%sprobe hist %s:", k ? "\n" : "", name);
		say(" %U:%u", scratch[i], j - i);
		i = j;
	}
	say("\n");
}
