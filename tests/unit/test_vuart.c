/* Unit tests of the virtual console UARTs (src/core/vuart.c with src/drivers/vuart_pl011.c or
 * vuart_ns16550.c, picked by VUART_NS16550): registers, receive queue, interrupt edges, output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vm.h"
#include "vuart.h"

#define BASE 0x09000000ull
#define IRQ 33u

static struct vm_config cfg = {.name = "g", .vuart = {.ipa = BASE, .irq = IRQ}};
static struct vm vm;
static struct vcpu vcpu;
static unsigned raised;
static char out[256];
static size_t out_len;
static unsigned flushes;
static unsigned logs;

void console_log(const char *fmt, ...)
{
    (void)fmt;
    logs++;
}

void arch_vm_virq_raise(struct vm *v, irqid_t irq)
{
    assert_ptr_equal(v, &vm);
    assert_int_equal(irq, IRQ);
    raised++;
}

void console_guest_putc(struct console_line *line, const char *name, char c)
{
    (void)line;
    (void)name;
    out[out_len++] = c;
}

void console_guest_flush(struct console_line *line, const char *name)
{
    (void)line;
    (void)name;
    flushes++;
}

static int setup(void **state)
{
    (void)state;
    memset(&vm, 0, sizeof vm);
    vm.config = &cfg;
    vm.name = cfg.name;
    vm.state = VM_RUNNING;
    vcpu.vm = &vm;
    raised = 0;
    out_len = 0;
    flushes = 0;
    logs = 0;
    memset(out, 0, sizeof out);
    vuart_reset(&vm);
    return 0;
}

static bool acc(uint64_t off, unsigned size, bool write, uint64_t *v)
{
    struct mmio_access a = {.addr = ipa_init(BASE + off), .size = size, .write = write,
                            .value = write ? *v : 0};
    bool ok = vuart_mmio_access(&vcpu, &a);
    if (!write)
        *v = a.value;
    return ok;
}

static uint64_t rd(uint64_t off, unsigned size)
{
    uint64_t v = 0xdead;
    assert_true(acc(off, size, false, &v));
    return v;
}

static void wr(uint64_t off, unsigned size, uint64_t v)
{
    assert_true(acc(off, size, true, &v));
}

static void owns_only_its_page(void **state)
{
    (void)state;
    assert_true(vuart_owns(&vm, ipa_init(BASE)));
    assert_true(vuart_owns(&vm, ipa_init(BASE + 0xfff)));
    assert_false(vuart_owns(&vm, ipa_init(BASE + 0x1000)));
    assert_false(vuart_owns(&vm, ipa_init(BASE - 1)));
}

static void input_is_dropped_for_a_stopped_vm(void **state)
{
    (void)state;
    vm.state = VM_STOPPED;
    vuart_input(&vm, 'x');
    assert_int_equal(vuart_rx_count(&vm.vuart), 0);
    assert_int_equal(raised, 0);
}

static void a_full_queue_drops_and_counts(void **state)
{
    (void)state;
    for (unsigned i = 0; i < VUART_RX_SIZE + 5; i++)
        vuart_input(&vm, 'a');
    assert_int_equal(vuart_rx_count(&vm.vuart), VUART_RX_SIZE);
    assert_int_equal(vm.vuart.rx_dropped, 5);
    assert_int_equal(logs, 3); /* at drops 1, 2 and 4 */
}

#ifndef VUART_NS16550
/* ---- PL011 (DDI0183) */
#define DR 0x000
#define FR 0x018
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define RX (1u << 4)
#define TX (1u << 5)
#define RT (1u << 6)

static void reset_state_and_primecell_ids(void **state)
{
    (void)state;
    assert_int_equal(rd(CR, 4), 0x300);
    assert_int_equal(rd(IFLS, 4), 0x12);
    assert_int_equal(rd(IMSC, 4), 0);
    assert_int_equal(rd(FR, 4), 0x90); /* TXFE | RXFE */
    static const uint8_t id[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
    for (unsigned i = 0; i < 8; i++)
        assert_int_equal(rd(0xfe0 + 4 * i, 4), id[i]);
    /* Reserved and test registers: RAZ/WI; 64-bit, misaligned or past the page: no. */
    assert_int_equal(rd(0x080, 4), 0);
    wr(0x080, 4, 1);
    uint64_t v = 0;
    assert_false(acc(DR, 8, false, &v));
    assert_false(acc(FR + 2, 2, false, &v));
}

static void transmit_goes_to_the_console_and_never_fills(void **state)
{
    (void)state;
    for (const char *s = "hi\n"; *s; s++) {
        assert_false(rd(FR, 2) & (1u << 5)); /* TXFF */
        wr(DR, 2, (uint8_t)*s);
    }
    assert_memory_equal(out, "hi\n", 3);
    assert_int_equal(flushes, 0);
}

static void receive_interrupt_follows_the_fifo_and_rises_once(void **state)
{
    (void)state;
    wr(LCR_H, 4, 0x70); /* 8 bits, FIFOs on */
    wr(IMSC, 4, RX | RT);
    assert_int_equal(raised, 0);
    vuart_input(&vm, 'a');
    /* One byte below the 1/2 level: receive timeout, not RX. */
    assert_int_equal(rd(RIS, 4) & (RX | RT), RT);
    assert_int_equal(rd(MIS, 4), RT);
    assert_int_equal(raised, 1);
    for (int i = 0; i < 15; i++)
        vuart_input(&vm, 'b');
    assert_int_equal(rd(MIS, 4), RX | RT);
    assert_int_equal(raised, 1); /* still high: no second edge */
    assert_false(rd(FR, 4) & (1u << 4));
    assert_int_equal(rd(DR, 2), 'a');
    for (int i = 0; i < 15; i++)
        assert_int_equal(rd(DR, 2), 'b');
    assert_true(rd(FR, 4) & (1u << 4)); /* RXFE */
    assert_int_equal(rd(MIS, 4), 0);
    assert_int_equal(rd(DR, 2), 0); /* empty: reads 0 */
    vuart_input(&vm, 'c');
    assert_int_equal(raised, 2); /* the line fell and rose again */
}

static void transmit_interrupt_and_its_clear(void **state)
{
    (void)state;
    assert_true(rd(RIS, 4) & TX); /* the FIFO is empty from reset */
    wr(IMSC, 4, TX);
    assert_int_equal(raised, 1);
    wr(ICR, 4, TX);
    assert_int_equal(rd(MIS, 4), 0);
    wr(DR, 4, 'x');
    assert_int_equal(rd(MIS, 4), TX);
    assert_int_equal(raised, 2);
    /* Linux's stop_tx (TXIM off): the guest is done for now. */
    wr(IMSC, 4, 0);
    assert_int_equal(flushes, 1);
}

static void polling_fr_without_sending_means_idle(void **state)
{
    (void)state;
    rd(FR, 4);
    wr(DR, 4, 'p');
    rd(FR, 4);
    assert_int_equal(flushes, 0);
    rd(FR, 4);
    assert_int_equal(flushes, 1);
}

/* EDK2's PL011 poll reads CR between its FR reads (SerialPortGetControl):
 * still a poll, so its prompt ("Shell> ", no newline) is shown; only a DR
 * write starts a new one. */
static void polling_fr_with_other_reads_between_is_idle_too(void **state)
{
    (void)state;
    rd(FR, 4);
    rd(CR, 4);
    wr(IFLS, 4, 0x12);
    rd(FR, 4);
    assert_int_equal(flushes, 1);
    wr(DR, 4, 'p');
    rd(FR, 4);
    rd(CR, 4);
    assert_int_equal(flushes, 1);
    rd(FR, 4);
    assert_int_equal(flushes, 2);
}
#else
/* ---- NS16550A */
#define RBR 0
#define IER 1
#define IIR 2
#define LCR 3
#define MCR 4
#define LSR 5

static void reset_state_and_divisor_latch(void **state)
{
    (void)state;
    assert_int_equal(rd(IIR, 1) & 0xf, 0x1);
    assert_int_equal(rd(LSR, 1), 0x60);
    wr(LCR, 1, 0x83);
    wr(RBR, 1, 0x12);
    wr(IER, 1, 0x34);
    assert_int_equal(rd(RBR, 1), 0x12);
    assert_int_equal(rd(IER, 1), 0x34);
    wr(LCR, 1, 0x03);
    assert_int_equal(rd(IER, 1), 0);
    assert_int_equal(out_len, 0); /* divisor writes are no output */
    uint64_t v = 0;
    assert_false(acc(0, 4, false, &v));
    assert_false(acc(8, 1, false, &v));
}

static void receive_interrupt_while_data_wait(void **state)
{
    (void)state;
    wr(IER, 1, 0x01);
    vuart_input(&vm, 'q');
    assert_int_equal(raised, 1);
    assert_int_equal(rd(IIR, 1) & 0xf, 0x4);
    assert_true(rd(LSR, 1) & 1);
    assert_int_equal(rd(RBR, 1), 'q');
    assert_int_equal(rd(IIR, 1) & 0xf, 0x1);
    vuart_input(&vm, 'r');
    assert_int_equal(raised, 2);
}

static void thr_empty_interrupt_cleared_by_iir_read(void **state)
{
    (void)state;
    wr(IER, 1, 0x02);
    assert_int_equal(raised, 1);
    assert_int_equal(rd(IIR, 1) & 0xf, 0x2);
    assert_int_equal(rd(IIR, 1) & 0xf, 0x1);
    wr(RBR, 1, 'z');
    assert_int_equal(out[0], 'z');
    assert_int_equal(raised, 2);
    wr(IER, 1, 0x00); /* Linux's __stop_tx */
    assert_int_equal(flushes, 1);
}

/* LSR read twice with no THR write between, whatever is read between. */
static void polling_lsr_with_other_reads_between_is_idle(void **state)
{
    (void)state;
    rd(LSR, 1);
    rd(IIR, 1);
    assert_int_equal(flushes, 0);
    rd(LSR, 1);
    assert_int_equal(flushes, 1);
    wr(RBR, 1, 'p');
    rd(LSR, 1);
    assert_int_equal(flushes, 1);
}

static void loopback_sends_nothing(void **state)
{
    (void)state;
    wr(MCR, 1, 0x10);
    wr(RBR, 1, 'L');
    assert_int_equal(out_len, 0);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(owns_only_its_page, setup),
        cmocka_unit_test_setup(input_is_dropped_for_a_stopped_vm, setup),
        cmocka_unit_test_setup(a_full_queue_drops_and_counts, setup),
#ifndef VUART_NS16550
        cmocka_unit_test_setup(reset_state_and_primecell_ids, setup),
        cmocka_unit_test_setup(transmit_goes_to_the_console_and_never_fills, setup),
        cmocka_unit_test_setup(receive_interrupt_follows_the_fifo_and_rises_once, setup),
        cmocka_unit_test_setup(transmit_interrupt_and_its_clear, setup),
        cmocka_unit_test_setup(polling_fr_without_sending_means_idle, setup),
        cmocka_unit_test_setup(polling_fr_with_other_reads_between_is_idle_too, setup),
#else
        cmocka_unit_test_setup(reset_state_and_divisor_latch, setup),
        cmocka_unit_test_setup(receive_interrupt_while_data_wait, setup),
        cmocka_unit_test_setup(thr_empty_interrupt_cleared_by_iir_read, setup),
        cmocka_unit_test_setup(loopback_sends_nothing, setup),
        cmocka_unit_test_setup(polling_lsr_with_other_reads_between_is_idle, setup),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
