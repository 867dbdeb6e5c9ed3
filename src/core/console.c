/* The tagged console's lines: Baohu's messages and guests' sanitised output, one whole line per source. */
#include "console.h"
#include "platform.h"

void console_init(void)
{
    uart_init((unsigned long)platform.console.base);
}

void console_log(const char *fmt, ...)
{
    /* The line is built on this CPU's stack: Baohu's lines of different
     * CPUs are whole when they reach the queue. */
    char line[CONSOLE_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    fmt_vformat(line, sizeof(line), fmt, ap);
    va_end(ap);
    size_t n = 0;
    while (line[n])
        n++;
    console_out_line("baohu", line, n);
    console_out_drain();
}

char console_sanitise(char c)
{
    unsigned char u = (unsigned char)c;
    /* '\r' would move the cursor back over the tag and let the rest of the
     * line overwrite it; any other control (ESC starts cursor movement and
     * erase sequences, ECMA-48 §5.4; 0x80-0x9f are the C1 set, 0x9b a
     * one-byte CSI) could do the same. Only '\n' moves on, and it ends the
     * line: what follows starts a new line with this guest's tag. */
    if (c == '\r')
        return 0;
    if (c == '\n' || c == '\t' || (u >= 0x20 && u < 0x7f))
        return c;
    return '?';
}

void console_guest_putc(struct console_line *line, const char *name, char c)
{
    c = console_sanitise(c);
    if (!c)
        return;
    bool queued = false;
    spin_lock(&line->lock);
    if (c != '\n')
        line->buf[line->len++] = c;
    /* A full buffer goes out open: the line goes on, whole unless another
     * source prints in between. */
    if (c == '\n' || line->len == CONSOLE_LINE_MAX) {
        console_out_text(line, name, line->buf, line->len, c == '\n');
        line->len = 0;
        queued = true;
    }
    spin_unlock(&line->lock);
    /* Outside the line's lock: the UART is waited on with no lock held. */
    if (queued)
        console_out_drain();
}

void console_guest_flush(struct console_line *line, const char *name)
{
    bool queued = false;
    spin_lock(&line->lock);
    if (line->len) {
        console_out_text(line, name, line->buf, line->len, false);
        line->len = 0;
        queued = true;
    }
    spin_unlock(&line->lock);
    if (queued)
        console_out_drain();
}
