/* Host tests of the tagged console (console.c, console_out.c) through the hypercall putc path (hypercall.c) and console_log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "console.h"
#include "hypercall.h"
#include "ipc.h"
#include "platform.h"
#include "vm.h"
#include "vm_manage.h"
#include "watchdog.h"

/* ---- fakes: the UART and what hypercall.c calls besides the console */

/* The management and watchdog calls have their own tests (test_vm_manage.c). */
int64_t vm_manage_call(struct vcpu *caller, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    (void)caller, (void)fid, (void)args;
    return BAOHU_HC_ERR_DENIED;
}
int64_t watchdog_kick(struct vm *vm)
{
    (void)vm;
    return BAOHU_HC_ERR_NOT_SUPPORTED;
}

const struct platform platform = {.name = "fake", .cpu_count = 1};

static char uart[4096];
static size_t uart_len;
void uart_init(unsigned long base) { (void)base; }
bool uart_tx_ready(void) { return true; }
uint64_t arch_time_ns(void) { return 0; }
void uart_tx(char c)
{
    if (uart_len < sizeof(uart) - 1)
        uart[uart_len++] = c;
    uart[uart_len] = '\0';
}

int64_t ipc_notify(struct vm *vm, uint64_t index, uint64_t events)
{
    (void)vm, (void)index, (void)events;
    return BAOHU_HC_ERR_NOT_SUPPORTED;
}
int64_t ipc_events_take(struct vm *vm, uint64_t index)
{
    (void)vm, (void)index;
    return BAOHU_HC_ERR_NOT_SUPPORTED;
}

static struct vm vm;
static struct vcpu *v0;

static int64_t putc_hc(uint64_t c);

static int setup(void **state)
{
    (void)state;
    /* console_out.c remembers an open line per source (the VM's console
     * line, at the same address in every test): end it first. */
    if (v0)
        putc_hc('\n');
    memset(&vm, 0, sizeof(vm));
    vm.name = "guest";
    vm.vcpu_count = 1;
    vm.vcpus[0].vm = &vm;
    v0 = &vm.vcpus[0];
    uart_len = 0;
    uart[0] = '\0';
    return 0;
}

static int64_t putc_hc(uint64_t c)
{
    uint64_t args[HYPERCALL_ARGS] = {c};
    return hypercall_handle(v0, BAOHU_HC_CONSOLE_PUTC, args);
}

static void puts_hc(const char *s)
{
    while (*s)
        assert_int_equal(putc_hc((unsigned char)*s++), BAOHU_HC_OK);
}

/* Nothing is printed until the line ends; then it is one line tagged with the VM's name. */
static void test_guest_line_is_tagged(void **state)
{
    (void)state;
    puts_hc("hello");
    assert_int_equal(uart_len, 0);
    puts_hc("\n");
    assert_non_null(strstr(uart, "[guest] hello"));
    assert_int_equal(uart[0], '[');
    assert_int_equal(uart[uart_len - 1], '\n');
    /* The next line starts afresh. */
    uart_len = 0;
    puts_hc("again\n");
    assert_non_null(strstr(uart, "[guest] again"));
    assert_null(strstr(uart, "hello"));
}

/* A guest cannot rewrite the line or forge another tag: control characters
 * other than tab become '?', a carriage return is dropped. */
static void test_guest_control_characters(void **state)
{
    (void)state;
    puts_hc("a\rb\x1b[2Kc\td\x7f" "e\n");
    assert_non_null(strstr(uart, "[guest] ab?[2Kc\td?e"));
    assert_null(strchr(uart, '\x1b'));
    assert_null(strchr(uart, '\x7f'));
    /* The only '\r' is the console's own, before its '\n'. */
    for (size_t i = 0; i < uart_len; i++)
        if (uart[i] == '\r')
            assert_int_equal(uart[i + 1], '\n');
}

/* A line that never ends is printed when it is full, still tagged. */
static void test_guest_long_line(void **state)
{
    (void)state;
    for (unsigned i = 0; i < CONSOLE_LINE_MAX - 1; i++)
        putc_hc('x');
    assert_int_equal(uart_len, 0);
    putc_hc('x');
    assert_true(uart_len > CONSOLE_LINE_MAX);
    assert_int_equal(strncmp(uart, "[guest] ", 8), 0);
    size_t xs = 0;
    for (size_t i = 0; i < uart_len; i++)
        xs += uart[i] == 'x';
    assert_int_equal(xs, CONSOLE_LINE_MAX);
}

/* The hypercall takes one byte. */
static void test_putc_argument(void **state)
{
    (void)state;
    assert_int_equal(putc_hc(0x100), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(putc_hc(~0ull), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(putc_hc(0xff), BAOHU_HC_OK);
    assert_int_equal(putc_hc('\n'), BAOHU_HC_OK);
    assert_non_null(strstr(uart, "[guest] ?")); /* bytes >= 0x80 are sanitised to ? (console.c) */
}

/* Baohu's own lines are tagged "baohu" and formatted. */
static void test_console_log(void **state)
{
    (void)state;
    console_log("vm %s: %d faults, pc 0x%lx", "app", 3, 0x40080000ul);
    assert_non_null(strstr(uart, "[baohu] vm app: 3 faults, pc 0x40080000"));
    assert_int_equal(uart[uart_len - 1], '\n');
    /* A guest's partial line is not mixed into it. */
    uart_len = 0;
    puts_hc("partial");
    console_log("between");
    assert_null(strstr(uart, "partial"));
    puts_hc("\n");
    assert_non_null(strstr(uart, "[guest] partial"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_guest_line_is_tagged, setup),
        cmocka_unit_test_setup(test_guest_control_characters, setup),
        cmocka_unit_test_setup(test_guest_long_line, setup),
        cmocka_unit_test_setup(test_putc_argument, setup),
        cmocka_unit_test_setup(test_console_log, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
