/*
 * Fault probe roles (GUEST_FAULT_ROLE, configs/<platform>/guest-faults.c):
 *
 * FAULT_ROLE_PROBE: for each class of fault Baohu answers with an exception
 * (docs/design.md, "Fault model"), arm the probe, make the access, and check
 * in the exception handler what arrived: ESR_EL1, FAR_EL1, ELR_EL1 (the
 * faulting instruction), SPSR_EL1 (the PSTATE it came from), the vector
 * entry taken (VBAR_EL1 + 0x000 / 0x200 / 0x400, Arm ARM D1.10.2) and the
 * PSTATE.DAIF the handler runs with; then go on with the next. Then 1000
 * faults in a row (Baohu's report must stay bounded), then tick.
 *
 * FAULT_ROLE_VECTOR: point VBAR_EL1 outside the partition and fault: every
 * injected abort faults again at the vector, so the guest cannot take it
 * and Baohu must stop the VM.
 */
#include "arch.h"
#include "guest.h"
#include "psci.h"

#if GUEST_FAULT_ROLE

/* The VM's RAM (configs/common/aarch64/guest-faults.c): 16 MiB at 0x40000000. */
#define RAM_END 0x41000000UL
#define OUTSIDE 0x7f000000UL /* an IPA the VM has nothing at */

#ifndef GUEST_GICD_BASE
#define GUEST_GICD_BASE 0x08000000UL /* QEMU virt, GICv3 */
#endif

/* ESR_EL1 values the architecture prescribes for the injected exceptions
 * (D13.2.37): EC [31:26], IL [25], DFSC/IFSC 0b010000 synchronous external
 * abort, WnR [6]. */
#define ESR_DABT_EL1(wnr) (0x96000010ul | ((wnr) ? 0x40ul : 0))
#define ESR_DABT_EL0 0x92000010ul
#define ESR_IABT_EL1 0x86000010ul
#define ESR_UNDEF 0x02000000ul

/* SPSR M[3:0]: EL0t, EL1t, EL1h; with D, A, I, F masked as the probe runs. */
#define SPSR_EL0T_MASKED 0x3c0ul
#define SPSR_EL1T_MASKED 0x3c4ul
#define SPSR_EL1H_MASKED 0x3c5ul

static struct {
	volatile uint32_t armed;
	volatile uint32_t taken;
	uint64_t esr, far, elr, spsr, daif;
	unsigned vec;
	uint64_t resume; /* 0: return past the faulting instruction */
} probe;

static unsigned checks, bad;

int fault_probe_exception(uint64_t *elr, uint64_t *spsr, unsigned vec, uint64_t esr)
{
	if (!probe.armed)
		return 0;
	probe.esr = esr;
	probe.far = sysreg_read(far_el1);
	probe.elr = *elr;
	probe.spsr = *spsr;
	probe.daif = sysreg_read(daif);
	probe.vec = vec;
	probe.taken++;
	probe.armed = 0;
	if (probe.resume) {
		*elr = probe.resume;
		if (vec == VEC_LOWER_SYNC)
			*spsr = SPSR_EL1H_MASKED; /* back to the probe at EL1 */
	} else {
		*elr += 4;
	}
	return 1;
}

static void arm(void)
{
	probe.resume = 0;
	probe.taken = 0;
	probe.armed = 1;
}

/* Compare what the handler saw with what was expected; print the marker. */
static void check(const char *what, uint64_t pc, uint64_t esr, int far_valid, uint64_t far,
		  unsigned vec, uint64_t spsr)
{
	int ok = probe.taken == 1 && probe.esr == esr && (!far_valid || probe.far == far) &&
		 probe.elr == pc && probe.vec == vec && (probe.spsr & 0x3cful) == spsr &&
		 probe.daif == 0x3c0;

	checks++;
	if (ok) {
		print("fault %u: got ESR 0x%lx FAR 0x%lx ok (%s)\n", checks, probe.esr, probe.far, what);
		return;
	}
	bad++;
	print("fault %u: got ESR 0x%lx FAR 0x%lx BAD (%s): taken %u, expected ESR 0x%lx FAR 0x%lx; "
	      "ELR 0x%lx/0x%lx vec %u/%u SPSR 0x%lx/0x%lx DAIF 0x%lx\n", checks, probe.esr, probe.far,
	      what, probe.taken, esr, far, probe.elr, pc, probe.vec, vec, probe.spsr, spsr, probe.daif);
}

static uint64_t load64(uint64_t addr)
{
	uint64_t pc, v;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tldr %1, [%2]" : "=&r"(pc), "=&r"(v) : "r"(addr) : "memory");
	(void)v;
	return pc;
}

static uint64_t store32(uint64_t addr)
{
	uint64_t pc;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tstr wzr, [%1]" : "=&r"(pc) : "r"(addr) : "memory");
	return pc;
}

static uint64_t load16(uint64_t addr)
{
	uint64_t pc, v;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tldrh %w1, [%2]" : "=&r"(pc), "=&r"(v) : "r"(addr) : "memory");
	return pc;
}

static uint64_t load32(uint64_t addr)
{
	uint64_t pc, v;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tldr %w1, [%2]" : "=&r"(pc), "=&r"(v) : "r"(addr) : "memory");
	return pc;
}

static uint64_t load_pair(uint64_t addr)
{
	uint64_t pc, a, b;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tldp %w1, %w2, [%3]"
			     : "=&r"(pc), "=&r"(a), "=&r"(b) : "r"(addr) : "memory");
	return pc;
}

static uint64_t store_pair(uint64_t addr)
{
	uint64_t pc;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tstp wzr, wzr, [%1]" : "=&r"(pc) : "r"(addr) : "memory");
	return pc;
}

/* A post-indexed load writes its base back: no syndrome for the hypervisor.
 * The abort is precise, so the base must be unchanged after it. */
static uint64_t load_post_index(uint64_t addr, uint64_t *base_after)
{
	uint64_t pc, v, base = addr;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tldr %w1, [%2], #4"
			     : "=&r"(pc), "=&r"(v), "+r"(base) : : "memory");
	*base_after = base;
	return pc;
}

/* Branch to `addr`; the handler returns to the instruction after the branch. */
static void fetch(uint64_t addr)
{
	arm();
	__asm__ __volatile__("adr x9, 1f\n\tstr x9, [%0]\n\tblr %1\n1:"
			     : : "r"(&probe.resume), "r"(addr) : "x9", "x30", "memory");
}

/* A load at EL1 with SP_EL0 selected: the "current EL with SP0" vector. */
static uint64_t load_sp0(uint64_t addr)
{
	uint64_t pc, v;

	arm();
	__asm__ __volatile__("msr spsel, #0\n\tadr %0, 1f\n1:\tldr %1, [%2]\n\tmsr spsel, #1"
			     : "=&r"(pc), "=&r"(v) : "r"(addr) : "memory");
	return pc;
}

/* A load at EL0 (stage 1 off: EL0 may access anything), back at EL1 through
 * the handler (the "lower EL, AArch64" vector). */
static uint64_t load_el0(uint64_t addr)
{
	uint64_t pc;

	arm();
	__asm__ __volatile__(
		"adr x9, 2f\n\t"
		"msr elr_el1, x9\n\t"
		"mov x9, #0x3c0\n\t" /* EL0t, D A I F masked */
		"msr spsr_el1, x9\n\t"
		"adr x9, 3f\n\t"
		"str x9, [%1]\n\t"
		"adr %0, 2f\n\t"
		"eret\n"
		"2:\tldr x10, [%2]\n\t"
		"b 2b\n" /* not reached: the abort returns to 3 */
		"3:"
		: "=&r"(pc) : "r"(&probe.resume), "r"(addr) : "x9", "x10", "memory");
	return pc;
}

static uint64_t mrs_sgi1r(void)
{
	uint64_t pc, v;

	arm();
	__asm__ __volatile__("adr %0, 1f\n1:\tmrs %1, S3_0_C12_C11_5" : "=&r"(pc), "=&r"(v) : : "memory");
	return pc;
}

static void probe_classes(void)
{
	uint64_t pc, base;

	/* Outside the partition: RAM end, 4 GiB, 512 GiB (beyond the 39-bit
	 * IPA space), near the 40-bit PA limit, the console UART (Baohu's). */
	pc = load64(RAM_END);
	check("load at the end of RAM", pc, ESR_DABT_EL1(0), 1, RAM_END, VEC_SPX_SYNC, SPSR_EL1H_MASKED);
	pc = store32(0x100000000UL);
	check("store at 4 GiB", pc, ESR_DABT_EL1(1), 1, 0x100000000UL, VEC_SPX_SYNC, SPSR_EL1H_MASKED);
	pc = load64(0x8000000000UL);
	check("load at 512 GiB", pc, ESR_DABT_EL1(0), 1, 0x8000000000UL, VEC_SPX_SYNC, SPSR_EL1H_MASKED);
	pc = store32(0xfffffff000UL);
	check("store below the 40-bit PA limit", pc, ESR_DABT_EL1(1), 1, 0xfffffff000UL, VEC_SPX_SYNC,
	      SPSR_EL1H_MASKED);
	pc = store32(GUEST_FAULT_UART);
	check("store to the console UART", pc, ESR_DABT_EL1(1), 1, GUEST_FAULT_UART, VEC_SPX_SYNC,
	      SPSR_EL1H_MASKED);
	fetch(OUTSIDE);
	check("instruction fetch outside RAM", OUTSIDE, ESR_IABT_EL1, 1, OUTSIDE, VEC_SPX_SYNC,
	      SPSR_EL1H_MASKED);
	fetch(GUEST_GICD_BASE);
	check("instruction fetch from the GICD", GUEST_GICD_BASE, ESR_IABT_EL1, 1, GUEST_GICD_BASE,
	      VEC_SPX_SYNC, SPSR_EL1H_MASKED);
	/* The emulated distributor: accesses it cannot emulate. */
	pc = load16(GUEST_GICD_BASE);
	check("halfword load from GICD_CTLR", pc, ESR_DABT_EL1(0), 1, GUEST_GICD_BASE, VEC_SPX_SYNC,
	      SPSR_EL1H_MASKED);
	pc = load32(GUEST_GICD_BASE + 0x102);
	check("unaligned word load from the GICD", pc, ESR_DABT_EL1(0), 1, GUEST_GICD_BASE + 0x102,
	      VEC_SPX_SYNC, SPSR_EL1H_MASKED);
	pc = load_pair(GUEST_GICD_BASE);
	check("load pair from the GICD", pc, ESR_DABT_EL1(0), 1, GUEST_GICD_BASE, VEC_SPX_SYNC,
	      SPSR_EL1H_MASKED);
	pc = store_pair(GUEST_GICD_BASE + 0x100);
	check("store pair to the GICD", pc, ESR_DABT_EL1(1), 1, GUEST_GICD_BASE + 0x100, VEC_SPX_SYNC,
	      SPSR_EL1H_MASKED);
	pc = load_post_index(GUEST_GICD_BASE + 0x4, &base);
	check("post-indexed load from the GICD", pc, ESR_DABT_EL1(0), 1, GUEST_GICD_BASE + 0x4,
	      VEC_SPX_SYNC, SPSR_EL1H_MASKED);
	if (base != GUEST_GICD_BASE + 0x4) {
		bad++;
		print("fault %u: base register written back to 0x%lx BAD\n", checks, base);
	}
#ifndef GUEST_GICC_BASE
	/* GICv3: the redistributor frame past this VM's one vCPU. */
	pc = load32(0x080A0000UL + 0x20000UL);
	check("load from another redistributor frame", pc, ESR_DABT_EL1(0), 1, 0x080A0000UL + 0x20000UL,
	      VEC_SPX_SYNC, SPSR_EL1H_MASKED);
#endif
	/* Where the guest was: EL1 on SP_EL0, and EL0. */
	pc = load_sp0(RAM_END + 8);
	check("load at EL1 on SP_EL0", pc, ESR_DABT_EL1(0), 1, RAM_END + 8, VEC_SP0_SYNC, SPSR_EL1T_MASKED);
	pc = load_el0(RAM_END + 16);
	check("load at EL0", pc, ESR_DABT_EL0, 1, RAM_END + 16, VEC_LOWER_SYNC, SPSR_EL0T_MASKED);
	/* A system register it may not read (GICv3: trapped by Baohu; GICv2:
	 * there is no system-register CPU interface, UNDEFINED either way). */
	pc = mrs_sgi1r();
	check("read of write-only ICC_SGI1R_EL1", pc, ESR_UNDEF, 0, 0, VEC_SPX_SYNC, SPSR_EL1H_MASKED);
}

/*
 * What the ID registers advertise must be usable (issue 10, CPU features):
 * SVE, SME and pointer authentication at EL1, through raw encodings (the
 * guest is built for Armv8.0). A trap here arrives as UNDEFINED: BAD.
 */
#define ID_FIELD(reg, shift) (((reg) >> (shift)) & 0xf)
#define SCTLR_ENIA (1ul << 31)

static void probe_features(void)
{
	uint64_t pfr0 = sysreg_read(id_aa64pfr0_el1), pfr1 = sysreg_read(id_aa64pfr1_el1);
	uint64_t isar1 = sysreg_read(id_aa64isar1_el1);
	int sve = ID_FIELD(pfr0, 32) != 0, sme = ID_FIELD(pfr1, 24) != 0;
	int pauth = ID_FIELD(isar1, 4) || ID_FIELD(isar1, 8) || ID_FIELD(sysreg_read(S3_0_C0_C6_2), 12);

	/* CPACR_EL1: FPEN [21:20], ZEN [17:16] (SVE), SMEN [25:24] (SME) = 0b11: no trap to EL1. */
	sysreg_write(cpacr_el1, (3ul << 20) | (sve ? 3ul << 16 : 0) | (sme ? 3ul << 24 : 0));
	isb();
	if (sve) {
		register uint64_t x0 __asm__("x0") = 0;

		unsigned traps;

		arm();
		sysreg_write(S3_0_C1_C2_0, 0xf); /* ZCR_EL1.LEN: the largest the hypervisor allows */
		isb();
		traps = probe.taken;
		arm();
		__asm__ __volatile__(".inst 0x04bf5020" : "+r"(x0)); /* RDVL X0, #1 */
		traps += probe.taken;
		probe.armed = 0;
		print("cpu: sve vector length %lu bytes %s\n", x0, !traps && x0 >= 16 ? "ok" : "BAD (trapped)");
	} else {
		print("cpu: no sve\n");
	}
	if (sme) {
		register uint64_t x0 __asm__("x0") = 0;

		unsigned traps;

		arm();
		sysreg_write(S3_0_C1_C2_6, 0xf); /* SMCR_EL1.LEN */
		isb();
		traps = probe.taken;
		arm();
		__asm__ __volatile__(".inst 0x04bf5820" : "+r"(x0)); /* RDSVL X0, #1 */
		traps += probe.taken;
		probe.armed = 0;
		print("cpu: sme streaming vector length %lu bytes %s\n", x0,
		      !traps && x0 >= 16 ? "ok" : "BAD (trapped)");
	} else {
		print("cpu: no sme\n");
	}
	if (pauth) {
		register uint64_t x0 __asm__("x0") = 0x40001230ul;
		register uint64_t x1 __asm__("x1") = 0x1234;
		uint64_t signed_ptr;

		unsigned traps;

		arm();
		sysreg_write(S3_0_C2_C1_0, 0x0123456789abcdeful); /* APIAKeyLo_EL1 */
		traps = probe.taken;
		arm();
		sysreg_write(S3_0_C2_C1_1, 0xfedcba9876543210ul); /* APIAKeyHi_EL1 */
		traps += probe.taken;
		sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) | SCTLR_ENIA);
		isb();
		arm();
		__asm__ __volatile__(".inst 0xdac10020" : "+r"(x0) : "r"(x1)); /* PACIA X0, X1 */
		traps += probe.taken;
		signed_ptr = x0;
		arm();
		__asm__ __volatile__(".inst 0xdac11020" : "+r"(x0) : "r"(x1)); /* AUTIA X0, X1 */
		traps += probe.taken;
		probe.armed = 0;
		sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) & ~SCTLR_ENIA);
		isb();
		print("cpu: pauth 0x40001230 signed 0x%lx authenticated 0x%lx %s\n", signed_ptr, x0,
		      !traps && signed_ptr != 0x40001230ul && x0 == 0x40001230ul ? "ok" : "BAD");
	} else {
		print("cpu: no pauth\n");
	}
}

/*
 * The ID registers hide what Baohu does not give (idregs.c): EL2, MTE,
 * AMU, SPE, trace; an MTE register is then UNDEFINED as on a core without
 * it. RAS, where advertised, has no error records: ERRIDR_EL1 reads 0
 * (HCR_EL2.TERR; QEMU 7.2 models no other error-record register), without
 * an exception to the guest.
 */
static void probe_id_registers(void)
{
	uint64_t pfr0 = sysreg_read(id_aa64pfr0_el1), pfr1 = sysreg_read(id_aa64pfr1_el1);
	uint64_t dfr0 = sysreg_read(id_aa64dfr0_el1), mmfr1 = sysreg_read(id_aa64mmfr1_el1);
	uint64_t el2 = ID_FIELD(pfr0, 8), mte = ID_FIELD(pfr1, 8), amu = ID_FIELD(pfr0, 44);
	uint64_t spe = ID_FIELD(dfr0, 32), vhe = ID_FIELD(mmfr1, 8);
	int undef;

	arm();
	sysreg_write(S3_0_C1_C0_6, 0); /* GCR_EL1 (MTE) */
	isb();
	undef = probe.taken == 1 && ESR_EC(probe.esr) == 0;
	probe.armed = 0;
	print("cpu: hidden el2 %lu vhe %lu mte %lu amu %lu spe %lu, gcr_el1 %s %s\n", el2, vhe, mte,
	      amu, spe, undef ? "undefined" : "accessible",
	      !el2 && !vhe && !mte && !amu && !spe && undef ? "ok" : "BAD");
	if (ID_FIELD(pfr0, 28)) {
		uint64_t errs;
		unsigned traps;

		arm();
		errs = sysreg_read(S3_0_C5_C3_0); /* ERRIDR_EL1 */
		traps = probe.taken;
		probe.armed = 0;
		print("cpu: ras error records %lu %s\n", errs, !errs && !traps ? "ok" : "BAD");
		if (traps)
			print("cpu: ras esr 0x%lx elr 0x%lx\n", probe.esr, probe.elr);
	} else {
		print("cpu: no ras\n");
	}
}

/*
 * The PMU is the guest's (pmu.c), but never counts EL2: with the cycle
 * counter and event counter 0 (CPU_CYCLES) filtered to EL2 only
 * (PMCCFILTR_EL0 / PMEVTYPER0_EL0: P = U = 1, NSH = 1), 200 HVCs into
 * Baohu count nothing; filtered to EL1 and EL0 they count. Then the cycle
 * counter overflows with its interrupt enabled and PPI 23 arrives.
 */
#define PMCR_E (1ul << 0)
#define PMCR_P (1ul << 1)
#define PMCR_C (1ul << 2)
#define PMCR_LC (1ul << 6)
#define PMU_CYCLE (1ul << 31)
#define FILTER_EL2_ONLY 0xc8000000ul
#define EVENT_CPU_CYCLES 0x11ul

static volatile unsigned pmu_irqs;

void fault_pmu_irq(void)
{
	sysreg_write(pmintenclr_el1, PMU_CYCLE);
	sysreg_write(pmovsclr_el0, PMU_CYCLE);
	isb();
	pmu_irqs++;
}

static void pmu_count(uint64_t cycle_filter, uint64_t event_type, uint64_t *cycles, uint64_t *events)
{
	sysreg_write(pmcntenclr_el0, ~0ul);
	sysreg_write(pmccfiltr_el0, cycle_filter);
	sysreg_write(pmselr_el0, 0);
	isb();
	sysreg_write(pmxevtyper_el0, event_type);
	sysreg_write(pmcr_el0, PMCR_LC | PMCR_P | PMCR_C | PMCR_E);
	sysreg_write(pmcntenset_el0, PMU_CYCLE | 1);
	isb();
	for (unsigned i = 0; i < 200; i++)
		hvc_call(PSCI_VERSION, 0, 0, 0);
	sysreg_write(pmcntenclr_el0, ~0ul);
	isb();
	*cycles = sysreg_read(pmccntr_el0);
	*events = sysreg_read(pmxevcntr_el0);
}

static void probe_pmu(void)
{
	uint64_t ver = ID_FIELD(sysreg_read(id_aa64dfr0_el1), 8);
	uint64_t el2_cycles, el2_events, el1_cycles, el1_events;

	if (ver == 0 || ver == 0xf) {
		print("cpu: no pmu\n");
		return;
	}
	pmu_count(FILTER_EL2_ONLY, FILTER_EL2_ONLY | EVENT_CPU_CYCLES, &el2_cycles, &el2_events);
	pmu_count(0, EVENT_CPU_CYCLES, &el1_cycles, &el1_events);
	print("cpu: pmu el2 cycles %lu events %lu, el1 cycles %s events %s %s\n", el2_cycles,
	      el2_events, el1_cycles ? "counted" : "0", el1_events ? "counted" : "0",
	      !el2_cycles && !el2_events && el1_cycles && el1_events ? "ok" : "BAD");

	/* The overflow interrupt: 64-bit cycle counter 256 cycles short of wrapping. */
	gic_enable(0, INTID_PMU);
	sysreg_write(pmccfiltr_el0, 0);
	sysreg_write(pmccntr_el0, ~0ul - 0xff);
	sysreg_write(pmintenset_el1, PMU_CYCLE);
	sysreg_write(pmcr_el0, PMCR_LC | PMCR_E);
	sysreg_write(pmcntenset_el0, PMU_CYCLE);
	isb();
	irq_unmask();
	for (unsigned spin = 0; !pmu_irqs && spin < 100000000u; spin++)
		;
	irq_mask();
	sysreg_write(pmcntenclr_el0, ~0ul);
	sysreg_write(pmcr_el0, 0);
	isb();
	/* The test knows the boards whose PMU interrupt is wired (not QEMU's ZynqMP). */
	print("cpu: pmu overflow interrupt %s\n", pmu_irqs == 1 ? "taken" : "not taken");
}

/*
 * SMCCC (smccc.c) under QEMU's built-in PSCI, an SMCCC 1.0 firmware: the
 * VM gets SMCCC 1.1 with ARCH_FEATURES, which offers no workaround; the
 * calls themselves and an unlisted SiP call are NOT_SUPPORTED.
 */
static void probe_smccc(void)
{
	int64_t version = hvc_call(0x80000000, 0, 0, 0);
	int64_t features = hvc_call(0x80000001, 0x80000001, 0, 0);
	int64_t wa1 = hvc_call(0x80000001, 0x80008000, 0, 0);
	int64_t wa2 = hvc_call(0x80000001, 0x80007fff, 0, 0);
	int64_t call = hvc_call(0x80008000, 0, 0, 0);
	int64_t sip = hvc_call(0xc2000002, 0, 0, 0);

	print("smccc: version 0x%lx features %ld, workaround_1 %ld workaround_2 %ld, call %ld, "
	      "sip %ld %s\n", version, features, wa1, wa2, call, sip,
	      version == 0x10001 && features == 0 && wa1 == -1 && wa2 == -1 && call == -1 && sip == -1
		      ? "ok" : "BAD");
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
		print("vector storm: vbar_el1 = 0x%lx, loading from 0x%lx\n", OUTSIDE, RAM_END);
		sysreg_write(vbar_el1, OUTSIDE);
		isb();
		(void)mmio_r64(RAM_END);
		print("vector storm: still running BAD\n");
		return;
	}
	probe_features();
	probe_id_registers();
	probe_pmu();
	probe_smccc();
	probe_classes();
	print("fault probe: %u checks, %u bad\n", checks, bad);
	probe_storm();
}

#endif
