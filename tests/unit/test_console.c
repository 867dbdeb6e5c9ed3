/* Unit tests of the tagged console (src/core/console.c, console_out.c) against a fake UART. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch.h"
#include "console.h"
#include "platform.h"

const struct platform platform = {.name = "host"};

/* The fake UART: what it sent, and whether its transmitter has room. */
static char sent[16384];
static size_t sent_len;
static bool uart_full;
static unsigned ready_polls;
/* While set, each poll of the UART queues a line from "another CPU"
 * (a guest's if intruder_line is set, except the last, which is Baohu's). */
static unsigned intruding_lines;
static struct console_line *intruder_line;

static uint64_t now_ns;

uint64_t arch_time_ns(void)
{
    now_ns += 1000; /* every look at the clock costs 1 us */
    return now_ns;
}

void uart_init(unsigned long base)
{
    (void)base;
}

bool uart_tx_ready(void)
{
    ready_polls++;
    if (intruding_lines) {
        intruding_lines--;
        if (intruder_line && intruding_lines) {
            for (const char *s = "flood flood flood flood flood flood\n"; *s; s++)
                console_guest_putc(intruder_line, "flood", *s);
        } else {
            console_log("other cpu line %u", intruding_lines);
        }
    }
    return !uart_full;
}

void uart_tx(char c)
{
    assert_false(uart_full);
    assert_true(sent_len < sizeof(sent) - 1);
    sent[sent_len++] = c;
    sent[sent_len] = 0;
}

static struct console_line vm_a, vm_b;

/* Empty whatever an earlier test left queued, then start clean. */
static int setup(void **state)
{
    (void)state;
    uart_full = false;
    intruding_lines = 0;
    intruder_line = NULL;
    for (int i = 0; i < 64; i++)
        console_out_drain();
    memset(sent, 0, sizeof sent);
    sent_len = 0;
    memset(&vm_a, 0, sizeof vm_a);
    memset(&vm_b, 0, sizeof vm_b);
    return 0;
}

static void guest_puts(struct console_line *l, const char *name, const char *s)
{
    for (; *s; s++)
        console_guest_putc(l, name, *s);
}

static void baohu_lines_are_tagged_and_whole(void **state)
{
    (void)state;
    console_log("hello %d", 42);
    assert_string_equal(sent, "[baohu] hello 42\r\n");
}

static void guest_output_is_held_until_its_line_ends(void **state)
{
    (void)state;
    guest_puts(&vm_a, "rtos", "tick");
    assert_int_equal(sent_len, 0);
    /* Another source's whole line goes out between, untouched. */
    guest_puts(&vm_b, "app", "other\n");
    console_log("mid");
    guest_puts(&vm_a, "rtos", " 3\n");
    assert_string_equal(sent, "[app] other\r\n[baohu] mid\r\n[rtos] tick 3\r\n");
}

static void a_long_line_stays_whole_when_nobody_prints_between(void **state)
{
    (void)state;
    for (int i = 0; i < CONSOLE_LINE_MAX + 5; i++)
        console_guest_putc(&vm_a, "vm", 'x');
    console_guest_putc(&vm_a, "vm", '\n');
    char want[512];
    size_t n = (size_t)snprintf(want, sizeof want, "[vm] ");
    memset(want + n, 'x', CONSOLE_LINE_MAX + 5);
    n += CONSOLE_LINE_MAX + 5;
    snprintf(want + n, sizeof want - n, "\r\n");
    assert_string_equal(sent, want);
}

static void a_long_line_cut_by_another_source_goes_on_under_its_tag(void **state)
{
    (void)state;
    for (int i = 0; i < CONSOLE_LINE_MAX; i++)
        console_guest_putc(&vm_a, "vm", 'x');
    console_log("between");
    guest_puts(&vm_a, "vm", "yy\n");
    char want[512];
    size_t n = (size_t)snprintf(want, sizeof want, "[vm] ");
    memset(want + n, 'x', CONSOLE_LINE_MAX);
    n += CONSOLE_LINE_MAX;
    snprintf(want + n, sizeof want - n, "\r\n[baohu] between\r\n[vm] yy\r\n");
    assert_string_equal(sent, want);
}

static void a_prompt_shows_and_the_echo_continues_its_line(void **state)
{
    (void)state;
    guest_puts(&vm_a, "linux", "/ # ");
    assert_int_equal(sent_len, 0);
    console_guest_flush(&vm_a, "linux");
    assert_string_equal(sent, "[linux] / # ");
    /* The echo of what is typed, one flush per key. */
    guest_puts(&vm_a, "linux", "e");
    console_guest_flush(&vm_a, "linux");
    guest_puts(&vm_a, "linux", "cho\r\n");
    assert_string_equal(sent, "[linux] / # echo\r\n");
    /* Open again, then another VM's line: the prompt line ends first. */
    guest_puts(&vm_a, "linux", "/ # ");
    console_guest_flush(&vm_a, "linux");
    guest_puts(&vm_b, "rtos", "tick\n");
    guest_puts(&vm_a, "linux", "ls\n");
    assert_string_equal(sent, "[linux] / # echo\r\n[linux] / # \r\n[rtos] tick\r\n[linux] ls\r\n");
    /* Flushing nothing prints nothing. */
    console_guest_flush(&vm_a, "linux");
    assert_int_equal(strcmp(sent + sent_len - 12, "[linux] ls\r\n"), 0);
}

static void forged_tags_stay_under_the_guests_own_tag(void **state)
{
    (void)state;
    guest_puts(&vm_a, "evil", "ok\n[baohu] forged\n");
    guest_puts(&vm_a, "evil", "abc\r[rtos] cr trick\n");
    guest_puts(&vm_a, "evil", "\x1b[2K\x1b[1G[baohu] erased\n");
    guest_puts(&vm_a, "evil", "c1 \x9b" "2K\x7f end\n");
    assert_string_equal(sent, "[evil] ok\r\n"
                              "[evil] [baohu] forged\r\n"
                              "[evil] abc[rtos] cr trick\r\n"
                              "[evil] ?[2K?[1G[baohu] erased\r\n"
                              "[evil] c1 ?2K? end\r\n");
}

static void sanitise_keeps_text_and_drops_or_marks_controls(void **state)
{
    (void)state;
    assert_int_equal(console_sanitise('a'), 'a');
    assert_int_equal(console_sanitise('~'), '~');
    assert_int_equal(console_sanitise('\t'), '\t');
    assert_int_equal(console_sanitise('\n'), '\n');
    assert_int_equal(console_sanitise('\r'), 0);
    assert_int_equal(console_sanitise('\x1b'), '?');
    assert_int_equal(console_sanitise('\b'), '?');
    assert_int_equal(console_sanitise('\0'), '?');
    assert_int_equal(console_sanitise((char)0x9b), '?');
    assert_int_equal(console_sanitise((char)0xff), '?');
}

static void a_stuck_uart_costs_a_bounded_wait_and_is_counted(void **state)
{
    (void)state;
    struct console_stats before, after;
    console_stats_get(&before);
    uart_full = true;
    uint64_t t0 = now_ns;
    console_log("lost one");
    uint64_t first = now_ns - t0;
    /* One wait of about 1 ms, not forever. */
    assert_true(first >= 1000000 && first < 1100000);
    t0 = now_ns;
    unsigned polls0 = ready_polls;
    for (int i = 0; i < 10; i++)
        console_log("lost more %d", i);
    /* While stuck: one poll per line and no waiting. */
    assert_int_equal(ready_polls - polls0, 10);
    assert_true(now_ns - t0 < 20000);
    assert_int_equal(sent_len, 0);
    console_stats_get(&after);
    assert_int_equal(after.lines_dropped - before.lines_dropped, 11);
    assert_int_equal(after.uart_timeouts - before.uart_timeouts, 1);
    assert_true(after.bytes_dropped - before.bytes_dropped >= 11 * 17);

    /* Back: the new line, then the count of what was dropped, both whole. */
    uart_full = false;
    console_log("back");
    char want[160];
    snprintf(want, sizeof want, "[baohu] back\r\n[baohu] console: %lu lines (",
             (unsigned long)after.lines_dropped);
    assert_int_equal(strncmp(sent, want, strlen(want)), 0);
    assert_non_null(strstr(sent, " dropped, "));
    assert_int_equal(strcmp(sent + sent_len - 2, "\r\n"), 0);
}

/* Full in the middle of a line: the rest of it is dropped, and the next
 * line starts on a line of its own. */

static void a_line_cut_by_a_stall_does_not_run_into_the_next(void **state)
{
    (void)state;
    guest_puts(&vm_a, "vm", "par");
    /* Stall the UART from the first byte of this line. */
    uart_full = true;
    guest_puts(&vm_a, "vm", "tial\n");
    assert_int_equal(sent_len, 0);
    uart_full = false;
    guest_puts(&vm_a, "vm", "next\n");
    const char *nl = strstr(sent, "[vm] next\r\n");
    assert_non_null(nl);
    assert_true(nl == sent || nl[-1] == '\n');
    assert_null(strstr(sent, "partial"));
}

static void lines_from_other_cpus_while_draining_are_queued_whole_or_dropped(void **state)
{
    (void)state;
    struct console_stats before, after;
    console_stats_get(&before);
    /* Every poll of the UART, "another CPU" queues a line: far more than
     * the queue holds. None of them waits, none deadlocks. */
    intruding_lines = 400;
    console_log("first");
    intruding_lines = 0;
    for (int i = 0; i < 64; i++)
        console_out_drain();
    console_stats_get(&after);
    assert_true(after.queue_full > before.queue_full);
    assert_int_equal(strncmp(sent, "[baohu] first\r\n", 15), 0);
    /* Every line printed is one whole line. */
    for (char *p = sent; *p;) {
        char *e = strstr(p, "\r\n");
        assert_non_null(e);
        assert_int_equal(strncmp(p, "[baohu] ", 8), 0);
        assert_null(memchr(p + 1, '[', (size_t)(e - p - 1)));
        p = e + 2;
    }
}

/* A guest flooding its console while the UART is slow: its lines are
 * dropped once the queue is down to Baohu's reserve; Baohu's still go in. */
static void a_flooding_guest_cannot_crowd_out_baohus_lines(void **state)
{
    (void)state;
    struct console_stats before, after;
    console_stats_get(&before);
    /* 200 polls of the drainer's: 199 flood lines (the queue is full for
     * guests long before), then one Baohu line, which still fits. */
    intruder_line = &vm_b;
    intruding_lines = 200;
    guest_puts(&vm_a, "vm", "start\n");
    assert_int_equal(intruding_lines, 0);
    for (int i = 0; i < 64; i++)
        console_out_drain();
    console_stats_get(&after);
    assert_true(after.queue_full > before.queue_full);
    assert_non_null(strstr(sent, "\r\n[baohu] other cpu line 0\r\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(baohu_lines_are_tagged_and_whole, setup),
        cmocka_unit_test_setup(guest_output_is_held_until_its_line_ends, setup),
        cmocka_unit_test_setup(a_long_line_stays_whole_when_nobody_prints_between, setup),
        cmocka_unit_test_setup(a_long_line_cut_by_another_source_goes_on_under_its_tag, setup),
        cmocka_unit_test_setup(a_prompt_shows_and_the_echo_continues_its_line, setup),
        cmocka_unit_test_setup(forged_tags_stay_under_the_guests_own_tag, setup),
        cmocka_unit_test_setup(sanitise_keeps_text_and_drops_or_marks_controls, setup),
        cmocka_unit_test_setup(a_stuck_uart_costs_a_bounded_wait_and_is_counted, setup),
        cmocka_unit_test_setup(a_line_cut_by_a_stall_does_not_run_into_the_next, setup),
        cmocka_unit_test_setup(lines_from_other_cpus_while_draining_are_queued_whole_or_dropped, setup),
        cmocka_unit_test_setup(a_flooding_guest_cannot_crowd_out_baohus_lines, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
