/* The console's output queue: whole lines in, bounded UART waits out, and a count of what was dropped. */
#include "arch.h"
#include "console.h"

/*
 * Every source (Baohu on each CPU, each VM's hypercall stream and virtual
 * UART) hands over whole lines; the queue takes a line in one copy under
 * a short lock, so lines never interleave. Whoever queued a line then
 * tries to become the one drainer: the UART is waited on by that CPU
 * only, with no lock held, so a UART that never drains (a guest cannot
 * own the console UART, but hardware flow control or a dead line can stall
 * it) costs the other CPUs nothing: their lines queue up or are dropped
 * and counted. The drainer itself waits at most CONSOLE_TX_WAIT_NS for a
 * byte; after a timeout the UART counts as stuck and is polled once per
 * line (not per byte) until it takes a byte again, and each line that
 * meets a stuck UART is dropped whole, so what does come out is still
 * whole tagged lines.
 */
#define CONSOLE_QUEUE_SIZE 4096u /* a power of two */
#define CONSOLE_TAG_MAX 32u
/* 1 ms: about eleven character times at 115200 baud (10 bits each), far
 * longer than a transmitter with a working line needs for one FIFO slot. */
#define CONSOLE_TX_WAIT_NS 1000000ull
/* Bytes one call sends at most: a CPU that happens to drain never pays for
 * another CPU's flood beyond this (lines left over go out with the next
 * line anyone queues). */
#define CONSOLE_DRAIN_BUDGET 1024u
#define CONSOLE_CHUNK 32u
/* Room only Baohu's own lines may use: a guest flooding its console cannot
 * crowd out Baohu's reports (a fault, a VM stopped) when the UART is slower
 * than the guest. */
#define CONSOLE_BAOHU_RESERVE 1024u

static spinlock_t queue_lock = SPINLOCK_INIT;
static char queue[CONSOLE_QUEUE_SIZE];
static uint32_t queue_head; /* free-running: next byte written at head % SIZE */
static uint32_t queue_tail;
static uint32_t draining;   /* set by the one CPU that drains */
/* The source whose last line went out unfinished (a prompt), or NULL: its
 * next text continues that line; anyone else's first ends it. */
static const void *open_src;

/* The drainer's state, touched only with `draining` held. */
static bool at_line_start = true;
static bool cutting;   /* dropping the rest of a line */
static bool cut_open;  /* a line was cut after some of it went out */
static bool stuck;
static uint64_t reported_drops;

static struct console_stats stats;

static void stat_add(uint64_t *counter, uint64_t n)
{
    __atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static void queue_put(uint32_t *at, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        queue[(*at)++ % CONSOLE_QUEUE_SIZE] = s[i];
}

void console_out_line(const char *tag, const char *text, size_t len)
{
    console_out_text(NULL, tag, text, len, true);
}

void console_out_text(const void *src, const char *tag, const char *text, size_t len, bool complete)
{
    size_t tag_len = 0;
    while (tag_len < CONSOLE_TAG_MAX && tag[tag_len])
        tag_len++;
    if (len > CONSOLE_LINE_MAX)
        len = CONSOLE_LINE_MAX;
    spin_lock(&queue_lock);
    bool continuing = src && open_src == src;
    bool close_other = open_src && !continuing;
    size_t total = (close_other ? 2 : 0) + (continuing ? 0 : 1 + tag_len + 2) + len + (complete ? 2 : 0);
    size_t reserve = src ? CONSOLE_BAOHU_RESERVE : 0;
    if (CONSOLE_QUEUE_SIZE - (queue_head - queue_tail) < total + reserve) {
        spin_unlock(&queue_lock);
        stat_add(&stats.queue_full, 1);
        stat_add(&stats.lines_dropped, 1);
        stat_add(&stats.bytes_dropped, total);
        return;
    }
    uint32_t at = queue_head;
    if (close_other)
        queue_put(&at, "\r\n", 2); /* the open line ends here, another source's starts */
    if (!continuing) {
        queue_put(&at, "[", 1);
        queue_put(&at, tag, tag_len);
        queue_put(&at, "] ", 2);
    }
    queue_put(&at, text, len);
    if (complete)
        queue_put(&at, "\r\n", 2);
    open_src = complete ? NULL : src;
    __atomic_store_n(&queue_head, at, __ATOMIC_RELEASE);
    spin_unlock(&queue_lock);
}

static size_t queue_take(char *out, size_t max)
{
    spin_lock(&queue_lock);
    size_t n = queue_head - queue_tail;
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++)
        out[i] = queue[(queue_tail + i) % CONSOLE_QUEUE_SIZE];
    queue_tail += (uint32_t)n;
    spin_unlock(&queue_lock);
    return n;
}

static bool queue_empty(void)
{
    return __atomic_load_n(&queue_head, __ATOMIC_ACQUIRE) ==
           __atomic_load_n(&queue_tail, __ATOMIC_RELAXED);
}

/* One byte to the UART, waiting at most CONSOLE_TX_WAIT_NS for room. */
static bool tx_bounded(char c)
{
    if (!uart_tx_ready()) {
        uint64_t t0 = arch_time_ns();
        while (!uart_tx_ready()) {
            if (arch_time_ns() - t0 > CONSOLE_TX_WAIT_NS) {
                stat_add(&stats.uart_timeouts, 1);
                return false;
            }
            arch_cpu_relax();
        }
    }
    uart_tx(c);
    return true;
}

/* The UART took bytes again after dropping some: say how many, once. */
static void report_drops(void)
{
    uint64_t lines = __atomic_load_n(&stats.lines_dropped, __ATOMIC_RELAXED);
    if (lines == reported_drops)
        return;
    reported_drops = lines;
    char text[CONSOLE_LINE_MAX];
    struct console_stats s;
    console_stats_get(&s);
    int n = fmt_format(text, sizeof(text),
                       "console: %lu lines (%lu bytes) dropped, %lu UART timeouts, %lu queue full",
                       (unsigned long)s.lines_dropped, (unsigned long)s.bytes_dropped,
                       (unsigned long)s.uart_timeouts, (unsigned long)s.queue_full);
    console_out_line("baohu", text, n > 0 ? (size_t)n : 0);
}

static void drop_from(char c)
{
    stat_add(&stats.lines_dropped, 1);
    stat_add(&stats.bytes_dropped, 1);
    cutting = c != '\n';
    at_line_start = c == '\n';
}

static void drain_byte(char c)
{
    if (cutting) {
        stat_add(&stats.bytes_dropped, 1);
        cutting = c != '\n';
        at_line_start = c == '\n';
        return;
    }
    if (at_line_start) {
        if (stuck) {
            /* One poll per line while the UART is stuck. */
            if (!uart_tx_ready()) {
                drop_from(c);
                return;
            }
            stuck = false;
        }
        report_drops();
        if (cut_open) {
            /* End the line that was cut, so this one starts on its own. */
            if (!tx_bounded('\r') || !tx_bounded('\n')) {
                stuck = true;
                drop_from(c);
                return;
            }
            cut_open = false;
        }
    }
    if (!tx_bounded(c)) {
        stuck = true;
        cut_open = cut_open || !at_line_start;
        drop_from(c);
        return;
    }
    at_line_start = c == '\n';
}

void console_out_drain(void)
{
    uint32_t budget = CONSOLE_DRAIN_BUDGET;
    while (budget && !queue_empty()) {
        if (__atomic_exchange_n(&draining, 1, __ATOMIC_ACQUIRE))
            return; /* the drainer sends our lines too */
        char chunk[CONSOLE_CHUNK];
        while (budget) {
            size_t n = queue_take(chunk, budget < CONSOLE_CHUNK ? budget : CONSOLE_CHUNK);
            if (n == 0)
                break;
            for (size_t i = 0; i < n; i++)
                drain_byte(chunk[i]);
            budget -= (uint32_t)n;
        }
        __atomic_store_n(&draining, 0, __ATOMIC_RELEASE);
        /* A line queued after our last take whose writer saw us draining
         * would wait for the next line otherwise: look again. */
    }
}

void console_stats_get(struct console_stats *s)
{
    s->lines_dropped = __atomic_load_n(&stats.lines_dropped, __ATOMIC_RELAXED);
    s->bytes_dropped = __atomic_load_n(&stats.bytes_dropped, __ATOMIC_RELAXED);
    s->queue_full = __atomic_load_n(&stats.queue_full, __ATOMIC_RELAXED);
    s->uart_timeouts = __atomic_load_n(&stats.uart_timeouts, __ATOMIC_RELAXED);
}
