/* The tagged console: Baohu's messages and VM output, one whole line at a time. */
#include "console.h"
#include "platform.h"
#include "spinlock.h"

static spinlock_t console_lock = SPINLOCK_INIT;

void console_init(void)
{
    uart_init((unsigned long)platform.console.base);
}

static void console_puts_locked(const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        if (s[i] == '\n')
            uart_putc('\r');
        uart_putc(s[i]);
    }
}

static void console_line_out(const char *tag, const char *text, size_t len)
{
    spin_lock(&console_lock);
    uart_putc('[');
    console_puts_locked(tag, CONSOLE_LINE_MAX);
    console_puts_locked("] ", 2);
    console_puts_locked(text, len);
    console_puts_locked("\n", 1);
    spin_unlock(&console_lock);
}

void console_log(const char *fmt, ...)
{
    char line[CONSOLE_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(line, sizeof(line), fmt, ap);
    va_end(ap);
    size_t n = 0;
    while (line[n])
        n++;
    console_line_out("baohu", line, n);
}

void console_guest_putc(struct console_line *line, const char *name, char c)
{
    /* A guest cannot forge another source's tag: control characters other
     * than '\n' and '\t' are shown as '?', so no '\r' rewrites the line. */
    if (c == '\r')
        return;
    if (c != '\n' && c != '\t' && ((unsigned char)c < 0x20 || (unsigned char)c == 0x7f))
        c = '?';
    spin_lock(&line->lock);
    if (c != '\n')
        line->buf[line->len++] = c;
    if (c == '\n' || line->len == CONSOLE_LINE_MAX) {
        console_line_out(name, line->buf, line->len);
        line->len = 0;
    }
    spin_unlock(&line->lock);
}
