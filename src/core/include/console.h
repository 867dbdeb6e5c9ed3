/* The tagged console: every line says who wrote it. */
#ifndef BAOHU_CONSOLE_H
#define BAOHU_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>
#include "spinlock.h"

#define CONSOLE_LINE_MAX 160

/* A VM's partial output line, flushed with its name on '\n' or when full. */
struct console_line {
    spinlock_t lock; /* several vCPUs of one VM write the same line */
    char buf[CONSOLE_LINE_MAX];
    size_t len;
};

void console_init(void);
/* Baohu's own messages: one tagged line per call (no '\n' needed). */
void console_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append a guest character to `line`; a full line is printed tagged with `name`. */
void console_guest_putc(struct console_line *line, const char *name, char c);

/* The console UART driver (src/drivers/<uart>.c) provides these. */
void uart_init(unsigned long base);
void uart_putc(char c);

/* Formatting (printf subset: %s %c %d %i %u %x %p %%, flags 0 and width, l/ll/z). */
int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
