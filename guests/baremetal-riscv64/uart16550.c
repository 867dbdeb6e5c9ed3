/* GUEST_UART16550: the console on an NS16550A (TX polled, RX by its interrupt through the PLIC). */
#include "guest.h"
#include "riscv.h"

#if GUEST_UART16550
#define UART_BASE 0x10000000UL
#define UART_RBR 0
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LSR 5
#define UART_IER_ERBFI 0x01u /* received data available */
#define UART_LSR_DR 0x01u
#define UART_LSR_THRE 0x20u
#define UART_SRC 10u
#define PLIC_BASE 0xc000000UL
#define PLIC_ENABLE(ctx) (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))

static char line[64];
static unsigned len;
char uart16550_line[64];

static inline uint8_t rd(unsigned r)
{
	return *(volatile uint8_t *)(UART_BASE + r);
}

static inline void wr(unsigned r, uint8_t v)
{
	*(volatile uint8_t *)(UART_BASE + r) = v;
}

void uart16550_putc(char c)
{
	while (!(rd(UART_LSR) & UART_LSR_THRE))
		;
	wr(UART_THR, (uint8_t)c);
}

/* AIA: the vAPLIC (S domain, MSI mode, AIA §4.5) sends source 10 as MSI 10. */
#define APLIC_BASE 0xd000000UL
#define APLIC_DOMAINCFG_IE (1u << 8)
#define APLIC_SOURCECFG(i) (APLIC_BASE + 0x4 + 4 * ((i) - 1))
#define APLIC_SM_LEVEL_HIGH 6u
#define APLIC_SETIENUM (APLIC_BASE + 0x1edc)
#define APLIC_TARGET(i) (APLIC_BASE + 0x3004 + 4 * ((i) - 1))

void uart16550_rx_init(void)
{
	unsigned ctx = 2 * cpu_id() + 1;

	wr(UART_FCR, 0x07); /* FIFOs on, both cleared */
	wr(UART_IER, UART_IER_ERBFI);
	if (GUEST_AIA) {
		mmio_w32(APLIC_BASE, APLIC_DOMAINCFG_IE);
		mmio_w32(APLIC_SOURCECFG(UART_SRC), APLIC_SM_LEVEL_HIGH);
		mmio_w32(APLIC_TARGET(UART_SRC), (cpu_id() << 18) | UART_SRC);
		mmio_w32(APLIC_SETIENUM, UART_SRC);
		imsic_enable(UART_SRC, 1);
		return;
	}
	mmio_w32(PLIC_BASE + 4 * UART_SRC, 1);
	mmio_w32(PLIC_ENABLE(ctx), 1u << UART_SRC);
	mmio_w32(PLIC_THRESHOLD(ctx), 0);
	csr_set(sie, 1u << IRQ_SEI);
}

/* From the PLIC claim loop: take every byte, publish each completed line. */
void uart16550_irq(void)
{
	while (rd(UART_LSR) & UART_LSR_DR) {
		char c = (char)rd(UART_RBR);
		if (c == '\r' || c == '\n') {
			if (len == 0)
				continue;
			line[len] = '\0';
			for (unsigned i = 0; i <= len; i++)
				uart16550_line[i] = line[i];
			len = 0;
			vcpus[0].rx++;
		} else if (len + 1 < sizeof(line)) {
			line[len++] = c;
		}
	}
}
#endif
