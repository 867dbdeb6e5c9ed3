/* The tagged console: every line says who wrote it, and no source can stall or forge another's. */
#ifndef BAOHU_CONSOLE_H
#define BAOHU_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "spinlock.h"

#define CONSOLE_LINE_MAX 160

/* A source's partial output line (a VM's console hypercall stream, its
 * virtual UART), queued with its tag on '\n' or when full. */
struct console_line {
    spinlock_t lock; /* several vCPUs of one VM write the same line */
    char buf[CONSOLE_LINE_MAX];
    size_t len;
};

/* What the console could not print, since boot (console_out.c). */
struct console_stats {
    uint64_t lines_dropped;  /* whole or cut lines not (fully) printed */
    uint64_t bytes_dropped;
    uint64_t queue_full;     /* lines refused because the queue was full */
    uint64_t uart_timeouts;  /* TX waits that hit CONSOLE_TX_WAIT_NS */
};

void console_init(void);
/* Baohu's own messages: one tagged line per call (no '\n' needed). */
void console_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Append a guest character to `line`; a full line is queued tagged with `name`.
 * The character is sanitised first (console_sanitise). */
void console_guest_putc(struct console_line *line, const char *name, char c);
/* The guest looks done writing for now (e.g. its UART driver stopped
 * transmitting): show its unfinished line, left open (console_out_text). */
void console_guest_flush(struct console_line *line, const char *name);
/* A guest byte as it may appear on the console: itself if printable ASCII
 * or '\t' or '\n', 0 to drop it ('\r'), '?' for any other control or
 * non-ASCII byte (ESC, C1 controls such as CSI 0x9b, DEL). */
char console_sanitise(char c);

/* The output queue (console_out.c). Queue one line "[tag] text\r\n" as a
 * whole, or drop and count it if the queue is full (for a guest's line:
 * full but for the part kept for Baohu's); never waits. */
void console_out_line(const char *tag, const char *text, size_t len);
/* The same for source `src` (its struct console_line); !complete leaves
 * the line open (a prompt): the source's next text continues it, and any
 * other source's first ends it with "\r\n", so text of two sources never
 * shares a line and each piece starts with its tag. */
void console_out_text(const void *src, const char *tag, const char *text, size_t len, bool complete);
/* Send queued bytes to the UART, at most CONSOLE_DRAIN_BUDGET of them, each
 * waiting at most CONSOLE_TX_WAIT_NS for room; returns at once if another
 * CPU is draining (it sends this caller's lines too). Holds no lock while
 * it waits on the UART. */
void console_out_drain(void);
void console_stats_get(struct console_stats *s);

/* Input (console_in.c): a byte typed on the console; the console UART's
 * receive interrupt, on the CPU it is routed to. */
void console_input(char c);
void console_rx_irq(void);

/* The console UART driver (src/drivers/<uart>.c) provides these; none waits. */
void uart_init(unsigned long base);
bool uart_tx_ready(void);  /* room for one more byte in the transmitter */
void uart_tx(char c);      /* write one byte; call only after uart_tx_ready() */
void uart_rx_enable(void); /* raise the UART's interrupt when a byte arrives */
int uart_rx(void);         /* a received byte, or -1 if none */

/* Formatting (printf subset: %s %c %d %i %u %x %p %%, flags 0 and width, l/ll/z). */
int fmt_vformat(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_format(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
