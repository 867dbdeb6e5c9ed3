/*
 * Fault probe roles (GUEST_FAULT_ROLE, configs/<platform>/guest-faults.c):
 *
 * FAULT_ROLE_PROBE: for each class of fault, arm the probe, make the access
 * and check in the trap handler what arrived (scause, stval, sepc = the
 * faulting instruction, sstatus.SPP = the mode it came from, SPIE = its
 * SIE, SIE = 0; RISC-V priv. §4.1.1, §4.1.9, §9.6.1 for the H extension's
 * view of VS-mode), then go on. Then 1000 faults in a row, then tick.
 *
 * FAULT_ROLE_VECTOR: point stvec outside the partition and fault: the guest
 * cannot take the access fault it is given, so Baohu must stop the VM.
 */
#include "guest.h"
#include "riscv.h"

#if GUEST_FAULT_ROLE

/* The VM's RAM (configs/common/riscv64/guest-faults.c): 16 MiB at 0x80000000. */
#define RAM_END 0x81000000UL
#define OUTSIDE 0x7f000000UL /* a guest-physical address the VM has nothing at */

/* Exception codes (priv. §4.1.9). */
#define EXC_INSN_ACCESS 1
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define SSTATUS_SPIE (1u << 5)
#define SSTATUS_SPP (1u << 8)

static struct {
	volatile uint32_t armed;
	volatile uint32_t taken;
	uint64_t cause, tval, epc, sstatus;
	uint64_t resume; /* 0: return past the faulting instruction */
} probe;

static unsigned checks, bad;
static volatile uint32_t scratch[4];

/* Called by trap_handler for every exception; 1: taken (frame[0] = the pc to return to). */
int fault_probe_trap(uint64_t *frame, uint64_t cause)
{
	if (!probe.armed)
		return 0;
	probe.cause = cause;
	probe.tval = csr_read(stval);
	probe.epc = frame[0];
	probe.sstatus = csr_read(sstatus);
	probe.taken++;
	probe.armed = 0;
	if (probe.resume) {
		frame[0] = probe.resume;
		csr_set(sstatus, SSTATUS_SPP); /* from U-mode: back to the probe in S-mode */
	} else {
		/* Past the faulting instruction: 2 bytes if compressed. */
		frame[0] += (*(volatile uint16_t *)frame[0] & 3) == 3 ? 4 : 2;
	}
	return 1;
}

static void arm(void)
{
	probe.resume = 0;
	probe.taken = 0;
	probe.armed = 1;
}

/* Compare what the handler saw with what was expected; print the marker.
 * The probes run with SIE = 0, so SPIE must be 0 and SIE 0 in the handler. */
static void check(const char *what, uint64_t pc, uint64_t cause, int tval_valid, uint64_t tval,
		  int from_s)
{
	uint64_t st = probe.sstatus;
	int ok = probe.taken == 1 && probe.cause == cause && (!tval_valid || probe.tval == tval) &&
		 probe.epc == pc && !!(st & SSTATUS_SPP) == from_s && !(st & SSTATUS_SPIE) &&
		 !(st & SSTATUS_SIE);

	checks++;
	if (ok) {
		print("fault %u: got scause 0x%lx stval 0x%lx ok (%s)\n", checks, probe.cause, probe.tval,
		      what);
		return;
	}
	bad++;
	print("fault %u: got scause 0x%lx stval 0x%lx BAD (%s): taken %u, expected scause 0x%lx "
	      "stval 0x%lx; sepc 0x%lx/0x%lx sstatus 0x%lx\n", checks, probe.cause, probe.tval, what,
	      probe.taken, cause, tval, probe.epc, pc, st);
}

/* Each access is a fixed, uncompressed instruction at a known pc. */
#define PROBE_INSN(insn, ...) __extension__({ \
	uint64_t pc_; \
	arm(); \
	__asm__ __volatile__(".option push\n\t.option norvc\n\t" \
			     "lla %0, 1f\n1:\t" insn "\n\t.option pop" \
			     : "=&r"(pc_) : __VA_ARGS__ : "t0", "memory"); \
	pc_; \
})

static uint64_t load64(uint64_t a) { return PROBE_INSN("ld t0, 0(%1)", "r"(a)); }
static uint64_t store32(uint64_t a) { return PROBE_INSN("sw zero, 0(%1)", "r"(a)); }
static uint64_t load8(uint64_t a) { return PROBE_INSN("lb t0, 0(%1)", "r"(a)); }
static uint64_t amoadd(uint64_t a) { return PROBE_INSN("amoadd.w t0, zero, (%1)", "r"(a)); }
/* A hypervisor CSR from VS-mode: virtual instruction (priv. §9.6.1). */
static uint64_t read_hstatus(void) { return PROBE_INSN("csrr t0, 0x600", "r"(0)); }
/* A machine CSR from VS-mode: illegal instruction, straight to the guest. */
static uint64_t read_mstatus(void) { return PROBE_INSN("csrr t0, 0x300", "r"(0)); }
/* HFENCE.VVMA from VS-mode: virtual instruction (priv. §9.3.2). */
static uint64_t hfence_vvma(void) { return PROBE_INSN(".insn r 0x73, 0, 0x11, x0, x0, x0", "r"(0)); }

/* Jump to `a`; the handler returns to the instruction after the jump. */
static void fetch(uint64_t a)
{
	arm();
	__asm__ __volatile__("lla t0, 1f\n\tsd t0, 0(%0)\n\tjalr %1\n1:"
			     : : "r"(&probe.resume), "r"(a) : "t0", "ra", "memory");
}

/* A load in U-mode (VU): sret with SPP = 0; the handler brings it back. */
static uint64_t load_user(uint64_t a)
{
	uint64_t pc;

	arm();
	csr_clear(sstatus, SSTATUS_SPP | SSTATUS_SPIE);
	__asm__ __volatile__(
		".option push\n\t.option norvc\n\t"
		"lla t0, 2f\n\t"
		"csrw sepc, t0\n\t"
		"lla t0, 3f\n\t"
		"sd t0, 0(%1)\n\t"
		"lla %0, 2f\n\t"
		"sret\n"
		"2:\tld t0, 0(%2)\n\t"
		"j 2b\n" /* not reached: the handler returns to 3 */
		"3:\n\t"
		".option pop"
		: "=&r"(pc) : "r"(&probe.resume), "r"(a) : "t0", "memory");
	return pc;
}

static void probe_classes(void)
{
	uint64_t pc, mis = (uintptr_t)&scratch[1] + 2;

	/* Outside the partition: RAM end, 4 GiB, the top of the 41-bit
	 * Sv39x4 space and past it, the console UART (Baohu's). */
	pc = load64(RAM_END);
	check("load at the end of RAM", pc, EXC_LOAD_ACCESS, 1, RAM_END, 1);
	pc = store32(0x100000000UL);
	check("store at 4 GiB", pc, EXC_STORE_ACCESS, 1, 0x100000000UL, 1);
	pc = load64(0x1fffffff000UL);
	check("load below 2 TiB (Sv39x4 top)", pc, EXC_LOAD_ACCESS, 1, 0x1fffffff000UL, 1);
	pc = load64(0x20000000000UL);
	check("load at 2 TiB (beyond Sv39x4)", pc, EXC_LOAD_ACCESS, 1, 0x20000000000UL, 1);
	pc = store32(0x10000000UL);
	check("store to the console UART", pc, EXC_STORE_ACCESS, 1, 0x10000000UL, 1);
	fetch(OUTSIDE);
	check("instruction fetch outside RAM", OUTSIDE, EXC_INSN_ACCESS, 1, OUTSIDE, 1);
	/* Its own RAM, misaligned: the guest's own exception (delegated). */
	pc = amoadd(mis);
	check("misaligned amoadd.w on its own RAM", pc, EXC_STORE_MISALIGNED, 1, mis, 1);
	/* The emulated interrupt controller: accesses it cannot emulate. */
	pc = amoadd(GUEST_FAULT_IRQC + 4);
	check("amoadd.w on the interrupt controller", pc, EXC_STORE_ACCESS, 1, GUEST_FAULT_IRQC + 4, 1);
	pc = load8(GUEST_FAULT_IRQC + 4);
	check("byte load from the interrupt controller", pc, EXC_LOAD_ACCESS, 1, GUEST_FAULT_IRQC + 4, 1);
	fetch(GUEST_FAULT_IRQC);
	check("instruction fetch from the interrupt controller", GUEST_FAULT_IRQC, EXC_INSN_ACCESS, 1,
	      GUEST_FAULT_IRQC, 1);
	/* From U-mode. */
	pc = load_user(RAM_END + 16);
	check("load in U-mode", pc, EXC_LOAD_ACCESS, 1, RAM_END + 16, 0);
	/* Instructions and CSRs VS-mode may not use: illegal instruction,
	 * through Baohu (virtual instruction) or straight. stval is the
	 * instruction or 0, as the hart chooses (§4.1.9). */
	pc = read_hstatus();
	check("csrr hstatus", pc, EXC_ILLEGAL, 0, 0, 1);
	pc = hfence_vvma();
	check("hfence.vvma", pc, EXC_ILLEGAL, 0, 0, 1);
	pc = read_mstatus();
	check("csrr mstatus", pc, EXC_ILLEGAL, 0, 0, 1);
}

#define STORM 1000

static void probe_storm(void)
{
	unsigned taken = 0;

	print("fault storm: %u loads outside the partition\n", STORM);
	for (unsigned i = 0; i < STORM; i++) {
		load64(OUTSIDE + 8 * (i % 16));
		taken += probe.taken;
	}
	print("fault storm: %u/%u faults taken\n", taken, STORM);
}

void fault_main(void)
{
	if (GUEST_FAULT_ROLE == FAULT_ROLE_VECTOR) {
		print("vector storm: stvec = 0x%lx, loading from 0x%lx\n", OUTSIDE, RAM_END);
		csr_write(stvec, OUTSIDE);
		(void)*(volatile uint64_t *)RAM_END;
		print("vector storm: still running BAD\n");
		return;
	}
	probe_classes();
	print("fault probe: %u checks, %u bad\n", checks, bad);
	probe_storm();
}

#endif
