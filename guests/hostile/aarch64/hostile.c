/*
 * The Arm hostile guest: attacks every surface Baohu gives a VM and prints one line per attack,
 * `attack <name>: <outcome>`, the outcome as the guest saw it (docs/design.md, "What a hostile
 * guest gets", is the table tests/integration/test_hostile.py holds these lines to). Runs under
 * the inject fault policy: every fault comes back as an exception, which the handler below
 * records and steps over. The attack that Baohu must stop (its own vector outside its memory)
 * comes last, after `hostile: done`.
 */
#include <baohu/hypercall.h>
#include "arch.h"
#include "guest.h"
#include "psci.h"
#include "hostile.h"

struct hstate hs[8];

/* Saved by vectors.S (guests/baremetal); the layout must match its offsets. */
struct frame {
	uint64_t x[31];
	uint64_t elr, spsr, pad;
};

#define EC_UNKNOWN 0x00
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_CUR 0x25
#define EC_BRK 0x3c
#define FSC(esr) ((unsigned)(esr) & 0x3f)
#define FSC_SEA 0x10
#define FSC_ALIGN 0x21
#define INTID_VTIMER 27

/* Nested-fault attack: how many more faults the handler itself makes before it returns. */
static volatile unsigned nest_left;

static void irq(unsigned k)
{
	uint32_t intid;

	while ((intid = gic_ack()) < 1020) {
		if (intid < 16)
			hs[k].sgi[intid]++;
		else if (intid == HOSTILE_SPI)
			hs[k].spi++;
		else if (intid == INTID_VTIMER)
			sysreg_write(cntv_ctl_el0, 0); /* the WFI storm's wake-up: quiet it */
		gic_eoi(intid);
	}
}

/* Called by vectors.S for every exception; returns to the frame's ELR. */
void exc_handler(struct frame *f, uint64_t vec)
{
	unsigned k = cpu_id() & 7;
	uint64_t esr = sysreg_read(esr_el1);
	unsigned ec = ESR_EC(esr);

	if (vec == VEC_SPX_IRQ || vec == 1) {
		irq(k);
		return;
	}
	if (vec != VEC_SPX_SYNC && vec != 0) {
		hs[k].esr = ~0ul; /* FIQ or SError: recorded, ELR unchanged */
		hs[k].exc++;
		return;
	}
	hs[k].esr = esr;
	hs[k].far = sysreg_read(far_el1);
	hs[k].exc++;
	if (nest_left) {
		/* A fault inside the handler (not inside the 2 KiB vector, so Baohu injects it like any
		 * other): this handler runs again, nested, on the same stack. */
		nest_left--;
		(void)mmio_r32(HOSTILE_OUTSIDE);
		hs[k].esr = esr;
	}
	/* Preferred return addresses (Arm ARM D1.10.3): SVC/HVC/SMC return after the instruction,
	 * aborts and UNDEFINED at it. A fetch abort has no instruction to step over: go back to the
	 * caller of the branch (x30, set by BLR). */
	if (ec == EC_IABT_CUR || ec == 0x20 || ec == EC_PC_ALIGN)
		f->elr = f->x[30];
	else if (ec != EC_SVC64 && ec != EC_HVC64 && ec != EC_SMC64)
		f->elr += 4;
}

static uint32_t probe_mark;

void probe_begin(void)
{
	probe_mark = hs[cpu_id() & 7].exc;
	dsb();
}

const char *probe_end(void)
{
	static char other[32];
	struct hstate *h = &hs[cpu_id() & 7];
	uint64_t esr = h->esr;

	dsb();
	if (h->exc == probe_mark)
		return NULL;
	if (esr == ~0ul)
		return "serror-or-fiq";
	switch (ESR_EC(esr)) {
	case EC_UNKNOWN:
		return "undef";
	case EC_DABT_CUR:
		if (FSC(esr) == FSC_SEA)
			return "sync-abort";
		if (FSC(esr) == FSC_ALIGN)
			return "alignment-fault";
		sfmt(other, sizeof(other), "data-abort-fsc-0x%x", (unsigned)FSC(esr));
		return other;
	case EC_IABT_CUR:
		return FSC(esr) == FSC_SEA ? "inst-abort" : "inst-abort-other";
	case EC_BRK:
		return "brk";
	case EC_SVC64:
		return "svc";
	case EC_PC_ALIGN:
		return "pc-alignment";
	default:
		sfmt(other, sizeof(other), "exception-ec-0x%x", ESR_EC(esr));
		return other;
	}
}

void report(const char *attack, const char *outcome)
{
	print("attack %s: %s\n", attack, outcome);
}

void reportf(const char *attack, const char *fmt, ...)
{
	char buf[96];
	va_list ap;

	va_start(ap, fmt);
	vfmt(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	report(attack, buf);
}

void report_rw(const char *attack, uintptr_t addr, uint32_t write, uint32_t before, uint32_t after)
{
	(void)addr;
	if (after == 0 && before == 0 && write != 0)
		report(attack, "raz-wi");
	else if (after == before)
		report(attack, "wi");
	else if (after == write)
		report(attack, "written");
	else
		reportf(attack, "read 0x%x", after);
}

static uint32_t rnd_state = 0x1badcafe;

uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

void delay_ms(unsigned ms)
{
	uint64_t end = timer_now() + timer_ms(ms);

	while (timer_now() < end)
		cpu_relax();
}

void report_sgi(const char *attack, unsigned intid, uint32_t before0, uint32_t before1)
{
	uint32_t got0, got1;

	/* Up to 200 ms (the host may be slow to run vCPU 1's thread); an SGI that is not to
	 * come costs the whole wait. */
	irq_unmask();
	for (unsigned i = 0; i < 200 && hs[0].sgi[intid] == before0 && hs[1].sgi[intid] == before1; i++)
		delay_ms(1);
	delay_ms(2);
	irq_mask();
	got0 = hs[0].sgi[intid] - before0;
	got1 = hs[1].sgi[intid] - before1;
	if (!got0 && !got1)
		report(attack, "ignored");
	else
		reportf(attack, "delivered vcpu0 %s vcpu1 %s", got0 ? "yes" : "no", got1 ? "yes" : "no");
}

uint8_t r8(uintptr_t a)
{
	uint8_t v;
	ASM("ldrb %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
	return v;
}

/* Write ~0 (or `w`), read back: what a register of something the VM does not own gives. */
void rw32(const char *attack, uintptr_t a, uint32_t w)
{
	uint32_t before, after;
	const char *o;

	probe_begin();
	before = mmio_r32(a);
	mmio_w32(a, w);
	dsb();
	after = mmio_r32(a);
	o = probe_end();
	if (o)
		report(attack, o);
	else
		report_rw(attack, a, w, before, after);
}


/* ---- memory outside the partition (MMU off: every access is physical, i.e. an IPA) ---- */

static void attack_memory(void)
{
	uint64_t v = 0;
	uintptr_t out = HOSTILE_OUTSIDE;

	TRY("mem-read-outside", "read", v = mmio_r32(out));
	TRY("mem-write-outside", "written", mmio_w32(out, 0xdeadbeef));
	TRY("mem-read-4g", "read", v = mmio_r64(0x100000000ul));
	TRY("mem-write-ipa-top", "written", mmio_w64(0xfffffffff8ul, 1));
	TRY("mem-write-baohu-uart", "written", mmio_w32(HOSTILE_UART, 'X'));
	TRY("mem-read-after-ram", "read", v = mmio_r32(HOSTILE_RAM + HOSTILE_RAM_SIZE));
	/* Executing outside: a BLR there; the handler returns to the caller through x30. */
	TRY("mem-exec-outside", "executed", ASM("blr %0" : : "r"(out) : "x30", "memory"));
	TRY("mem-exec-gicd", "executed", ASM("blr %0" : : "r"(GUEST_GICD_BASE) : "x30", "memory"));
	TRY("mem-pair-outside", "read", ASM("ldp x9, x10, [%0]" : : "r"(out) : "x9", "x10", "memory"));
	TRY("mem-exclusive-outside", "read", ASM("ldxr %0, [%1]" : "=r"(v) : "r"(out) : "memory"));
	(void)v;
}

/* ---- stage 1 on: walks and cache operations that point outside the partition ---- */

#define PTE_BLOCK 0x1ul
#define PTE_TABLE 0x3ul
#define PTE_AF (1ul << 10)
#define PTE_SH_INNER (3ul << 8)
#define PTE_ATTR(n) ((uint64_t)(n) << 2)
#define PTE_XN (3ul << 53) /* UXN | PXN */
#define GIB (1ul << 30)
/* Level-1 table (4 KiB granule, T0SZ 25: 39-bit VAs, the walk starts at level 1). */
static uint64_t l1[512] __attribute__((aligned(4096)));
#define VA_WALK_OUTSIDE (2 * GIB)  /* its level-2 table lies outside the partition */
#define VA_BLOCK_OUTSIDE (5 * GIB) /* a block onto IPA 4 GiB */
/* The GiB of the distributor again at VA 8 GiB + its address, as Normal memory: accesses
 * no Device-memory alignment check stops at stage 1 reach Baohu. */
#define VA_DEV_NORMAL (8 * GIB)

static void mmu_on(void)
{
	unsigned gic_gib = (unsigned)(GUEST_GICD_BASE >> 30);

	/* Devices identity-mapped: the first GiB (QEMU virt) and the distributor's (ZynqMP). */
	l1[0] = 0 | PTE_BLOCK | PTE_AF | PTE_ATTR(0) | PTE_XN;
	l1[gic_gib] = ((uint64_t)gic_gib << 30) | PTE_BLOCK | PTE_AF | PTE_ATTR(0) | PTE_XN;
	l1[1] = GIB | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(1);
	l1[2] = HOSTILE_OUTSIDE | PTE_TABLE;
	l1[5] = (4 * GIB) | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(1);
	l1[8 + gic_gib] = ((uint64_t)gic_gib << 30) | PTE_BLOCK | PTE_AF | PTE_SH_INNER | PTE_ATTR(1) | PTE_XN;
	dsb();
	/* MAIR: Attr0 Device-nGnRnE, Attr1 Normal write-back (Arm ARM D19.2, MAIR_EL1). */
	sysreg_write(mair_el1, 0xff00ul);
	/* TCR_EL1: T0SZ 25, IRGN0/ORGN0 WBWA, SH0 inner, TG0 4 KiB, EPD1, IPS 40 bits. */
	sysreg_write(tcr_el1, 25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (2ul << 32));
	sysreg_write(ttbr0_el1, (uintptr_t)l1);
	isb();
	ASM("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	sysreg_write(sctlr_el1, sysreg_read(sctlr_el1) | 1ul | (1ul << 2) | (1ul << 12));
	isb();
}

static void attack_stage1(void)
{
	uint64_t v = 0;

	mmu_on();
	report("mmu-on", "ok");
	TRY("s1-walk-outside", "read", v = mmio_r32(VA_WALK_OUTSIDE));
	TRY("s1-block-outside", "read", v = mmio_r32(VA_BLOCK_OUTSIDE));
	TRY("s1-at-walk-outside", "ok", ASM("at s1e1r, %0\n\tisb" : : "r"(VA_WALK_OUTSIDE) : "memory"));
	TRY("dczva-own", "ok", ASM("dc zva, %0" : : "r"(HOSTILE_RAM + 0x800000) : "memory"));
	TRY("dczva-outside", "zeroed", ASM("dc zva, %0" : : "r"(HOSTILE_OUTSIDE) : "memory"));
	TRY("dczva-gicd", "zeroed", ASM("dc zva, %0" : : "r"(VA_DEV_NORMAL + GUEST_GICD_BASE) : "memory"));
	TRY("dc-civac-outside", "ok", ASM("dc civac, %0" : : "r"(HOSTILE_OUTSIDE) : "memory"));
	TRY("gicd-normal-unaligned", "emulated",
	    v = mmio_r32(VA_DEV_NORMAL + GUEST_GICD_BASE + 0x102));
	TRY("gicd-normal-ldr64-unaligned", "emulated",
	    v = mmio_r64(VA_DEV_NORMAL + GUEST_GICD_BASE + 0x6104));
	(void)v;
}

/* ---- hypercalls, PSCI, SMCCC ---- */

#define PSCI_CPU_SUSPEND 0xC4000001u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_MIGRATE 0xC4000005u
#define PSCI_MIGRATE_INFO_UP_CPU 0xC4000007u
#define PSCI_SYSTEM_RESET2 0xC4000012u
#define PSCI_SYSTEM_SUSPEND 0xC400000Eu
#define PSCI_INVALID_ADDRESS (-9)
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u

static int psci_implemented(uint32_t fn)
{
	/* Functions Baohu answers (psci.c) and the ones that would end this VM's run. */
	return fn <= 4 || fn == 6 || fn == 8 || fn == 9 || fn == 0xa;
}

static void attack_calls(void)
{
	unsigned i, odd;
	int64_t r;

	reportf("hc-version", "ret 0x%lx", hvc_call(BAOHU_HC_VERSION, 0, 0, 0));
	reportf("hc-putc-huge", "ret %ld", hvc_call(BAOHU_HC_CONSOLE_PUTC, 0x141, 0, 0));
	reportf("hc-putc-neg", "ret %ld", hvc_call(BAOHU_HC_CONSOLE_PUTC, ~0ul, 0, 0));
	/* Control characters: Baohu shows them as '?' in the middle of the line. */
	print("attack hc-putc-control: [");
	hvc_call(BAOHU_HC_CONSOLE_PUTC, 0x1b, 0, 0);
	hvc_call(BAOHU_HC_CONSOLE_PUTC, '\r', 0, 0);
	print("] ret %ld\n", hvc_call(BAOHU_HC_CONSOLE_PUTC, 0x07, 0, 0));
	reportf("hc-notify-unshared", "ret %ld", hvc_call(BAOHU_HC_IPC_NOTIFY, 1, 0, 0));
	reportf("hc-notify-huge", "ret %ld", hvc_call(BAOHU_HC_IPC_NOTIFY, ~0ul, ~0ul, 0));
	reportf("hc-notify-event-32", "ret %ld", hvc_call(BAOHU_HC_IPC_NOTIFY, 0, 32, 0));
	reportf("hc-events-unshared", "ret %ld", hvc_call(BAOHU_HC_IPC_EVENTS, 1, 0, 0));
	reportf("hc-events-huge", "ret %ld", hvc_call(BAOHU_HC_IPC_EVENTS, ~0ul, 0, 0));
	/* Exits of the caller's own vCPU only, whatever the arguments. */
	reportf("hc-vcpu-exits-args", "%s", hvc_call(BAOHU_HC_VCPU_EXITS, ~0ul, 1, 2) > 0 ? "own count" : "error");
	/* Management (5..9) is the manager's only: this VM is not, whatever it names. */
	reportf("hc-vm-info-own-ram", "ret %ld", hvc_call(BAOHU_HC_VM_INFO, 0, 0x40000000, 4096));
	reportf("hc-vm-stop-victim", "ret %ld", hvc_call(BAOHU_HC_VM_STOP, 0, 0, 0));
	reportf("hc-vm-restart-victim", "ret %ld", hvc_call(BAOHU_HC_VM_RESTART, 0, 0, 0));
	reportf("hc-vm-start-self", "ret %ld", hvc_call(BAOHU_HC_VM_START, 1, 0, 0));
	reportf("hc-vm-stats-outside", "ret %ld", hvc_call(BAOHU_HC_VM_STATS, 0, HOSTILE_OUTSIDE, 4096));
	for (i = 0, odd = 0; i < 64; i++)
		if (hvc_call(BAOHU_HC_ID(5 + i % 5), rnd(), rnd(), rnd()) != BAOHU_HC_ERR_DENIED)
			odd++;
	reportf("hc-manage-random", odd ? "%u not -3" : "all -3", odd);
	reportf("hc-watchdog-none", "ret %ld", hvc_call(BAOHU_HC_WATCHDOG_KICK, 0, 0, 0));
	reportf("hc-unknown-11", "ret %ld", hvc_call(BAOHU_HC_ID(11), 0, 0, 0));
	reportf("hc-unknown-ffff", "ret %ld", hvc_call(BAOHU_HC_ID(0xffff), 0, 0, 0));
	reportf("hc-smc32-form", "ret %ld", hvc_call(0x86000000u, 0, 0, 0));
	reportf("hc-upper-bits", "ret %ld", hvc_call(0x1C6000000ul, 0, 0, 0));
	for (i = 0, odd = 0; i < 64; i++)
		if (hvc_call(BAOHU_HC_ID(11 + rnd() % 0xfff4), rnd(), rnd(), rnd()) != BAOHU_HC_ERR_NOT_SUPPORTED)
			odd++;
	reportf("hc-random", odd ? "%u not -1" : "all -1", odd);
	reportf("hc-via-smc", "ret 0x%lx", smc_call(BAOHU_HC_VERSION, 0, 0, 0));
	/* SMCCC §2.1: the immediate of HVC/SMC must be 0; another one is no call. */
	TRY("hvc-imm-1", "returned", ASM("mov x0, %0\n\thvc #1" : : "r"((uint64_t)BAOHU_HC_VERSION)
					 : "x0", "x1", "x2", "x3", "memory"));
	TRY("smc-imm-1", "returned", ASM("mov x0, %0\n\tsmc #1" : : "r"((uint64_t)BAOHU_HC_VERSION)
					 : "x0", "x1", "x2", "x3", "memory"));

	/* PSCI (DEN0022 §5): every argument outside this VM's own vCPUs and memory. */
	reportf("psci-version", "ret 0x%x", (uint32_t)psci(PSCI_VERSION, 0, 0, 0));
	reportf("psci-cpu-on-self", "ret %d", psci(PSCI_CPU_ON, 0, (uintptr_t)secondary_entry, 0));
	reportf("psci-cpu-on-nonexistent", "ret %d", psci(PSCI_CPU_ON, 2, (uintptr_t)secondary_entry, 0));
	reportf("psci-cpu-on-aff1", "ret %d", psci(PSCI_CPU_ON, 0x100, (uintptr_t)secondary_entry, 0));
	reportf("psci-cpu-on-aff3", "ret %d", psci(PSCI_CPU_ON, 0x100000000ul, (uintptr_t)secondary_entry, 0));
	reportf("psci-cpu-on-huge", "ret %d", psci(PSCI_CPU_ON, ~0ul, (uintptr_t)secondary_entry, 0));
	reportf("psci-cpu-on-255", "ret %d", psci(PSCI_CPU_ON, 255, (uintptr_t)secondary_entry, 0));
	reportf("psci-cpu-on-entry-outside", "ret %d", psci(PSCI_CPU_ON, 1, HOSTILE_OUTSIDE, 0));
	reportf("psci-cpu-on-entry-max", "ret %d", psci(PSCI_CPU_ON, 1, ~0ul, 0));
	reportf("psci-cpu-on-entry-ram-end", "ret %d",
		psci(PSCI_CPU_ON, 1, HOSTILE_RAM + HOSTILE_RAM_SIZE - 2, 0));
	reportf("psci-cpu-on-entry-gicd", "ret %d", psci(PSCI_CPU_ON, 1, GUEST_GICD_BASE, 0));
	/* A64 instructions are word-aligned: an entry that is not gives a PC alignment fault at
	 * the first fetch, before the vCPU has a vector (PSCI §5.6.2: INVALID_ADDRESS). */
	reportf("psci-cpu-on-entry-misaligned", "ret %d",
		psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry + 2, 0));
	reportf("psci-cpu-on-32-truncated", "ret %d",
		psci(PSCI_CPU_ON_32, 0x100000001ul, (uintptr_t)secondary_entry | (1ul << 40), 1));
	for (i = 0; i < 1000 && !hs[1].online; i++)
		delay_ms(1);
	reportf("psci-cpu-on-again", "ret %d", psci(PSCI_CPU_ON, 1, (uintptr_t)secondary_entry, 1));
	reportf("psci-affinity-nonexistent", "ret %d", psci(PSCI_AFFINITY_INFO, 2, 0, 0));
	reportf("psci-affinity-level-1", "ret %d", psci(PSCI_AFFINITY_INFO, 0, 1, 0));
	reportf("psci-affinity-huge", "ret %d", psci(PSCI_AFFINITY_INFO, ~0ul, ~0ul, 0));
	reportf("psci-cpu-suspend-random", "ret %d", psci(PSCI_CPU_SUSPEND, rnd(), rnd(), rnd()));
	reportf("psci-migrate", "ret %d", psci(PSCI_MIGRATE, 2, 0, 0));
	reportf("psci-migrate-info-up-cpu", "ret %d", psci(PSCI_MIGRATE_INFO_UP_CPU, 0, 0, 0));
	reportf("psci-system-suspend", "ret %d", psci(PSCI_SYSTEM_SUSPEND, HOSTILE_OUTSIDE, 0, 0));
	reportf("psci-system-reset2", "ret %d", psci(PSCI_SYSTEM_RESET2, ~0u, ~0ul, 0));
	for (i = 0, odd = 0; i < 32; i++) {
		if (psci_implemented(i))
			continue;
		odd += psci(0x84000000u | i, rnd(), rnd(), rnd()) != PSCI_NOT_SUPPORTED;
		odd += psci(0xC4000000u | i, ~0ul, ~0ul, ~0ul) != PSCI_NOT_SUPPORTED;
		odd += (int32_t)smc_call(0xC4000000u | i, 0, 0, 0) != PSCI_NOT_SUPPORTED;
	}
	reportf("psci-unimplemented", odd ? "%u not -1" : "all -1", odd);
	for (i = 0, odd = 0; i < 64; i++)
		odd += psci(PSCI_FEATURES, 0x84000020u + rnd() % 0x1000000, 0, 0) != PSCI_NOT_SUPPORTED;
	reportf("psci-features-random", odd ? "%u not -1" : "all -1", odd);

	/* SMCCC (DEN0028): arch calls, and random function ids outside every service Baohu has. */
	reportf("smccc-version", "ret 0x%x", (uint32_t)smc_call(SMCCC_VERSION, 0, 0, 0));
	reportf("smccc-features-random", "ret %d",
		(int32_t)smc_call(SMCCC_ARCH_FEATURES, 0x80000000u | (rnd() & 0xffff) | 0x100, 0, 0));
	reportf("smccc-workaround-1", "ret %d", (int32_t)smc_call(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0));
	reportf("smc-sip-unlisted", "ret %d", (int32_t)smc_call(0xC2000001u, 1, 2, 3));
	reportf("smc-yielding", "ret %d", (int32_t)smc_call(0x02000000u, 0, 0, 0));
	for (i = 0, odd = 0; i < 256; i++) {
		uint32_t fid = rnd();
		unsigned owner = (fid >> 24) & 0x3f;

		/* Skip the services Baohu implements: arch (0), standard secure (PSCI, 4), vendor hyp (6). */
		if ((fid & 0x80000000u) && (owner == 0 || owner == 4 || owner == 6))
			continue;
		r = smc_call(fid | ((uint64_t)rnd() << 32), rnd(), rnd(), rnd());
		odd += (int32_t)r != -1;
	}
	reportf("smc-random", odd ? "%u not -1" : "all -1", odd);
}

/* ---- the shared object and its emulated doorbell page (configs/common/aarch64/hostile.c) ---- */

#define SHM 0x50000000UL
#define DOORBELL 0x50100000UL /* +0 NOTIFY (write), +4 PENDING (read): 32-bit only */

static void attack_ipc(void)
{
	uint64_t v = 0;
	uint32_t w = 0;
	unsigned i;

	TRY("shm-write", "written", mmio_w32(SHM, 0x5a5a5a5a));
	TRY("shm-exec", "executed", ASM("blr %0" : : "r"(SHM) : "x30", "memory"));
	TRY("shm-after-end", "read", w = mmio_r32(SHM + (64 << 10)));
	TRY("doorbell-notify", "emulated", mmio_w32(DOORBELL, 0));
	TRY("doorbell-notify-event-huge", "emulated", mmio_w32(DOORBELL, 0xffffffffu));
	TRY("doorbell-pending", "emulated", w = mmio_r32(DOORBELL + 4));
	TRY("doorbell-notify-read", "emulated", w = mmio_r32(DOORBELL));
	TRY("doorbell-strb", "emulated", mmio_w8(DOORBELL, 0));
	TRY("doorbell-ldr64", "emulated", v = mmio_r64(DOORBELL));
	TRY("doorbell-str64", "emulated", mmio_w64(DOORBELL, 0));
	TRY("doorbell-unaligned", "emulated", w = mmio_r32(DOORBELL + 2));
	TRY("doorbell-other-offset", "emulated", w = mmio_r32(DOORBELL + 8));
	TRY("doorbell-page-end", "emulated", w = mmio_r32(DOORBELL + 0xffc));
	TRY("doorbell-ldp", "emulated", ASM("ldp w9, w10, [%0]" : : "r"(DOORBELL) : "x9", "x10", "memory"));
	{
		uintptr_t a = DOORBELL;
		TRY("doorbell-str-post-index", "emulated", ASM("str wzr, [%0], #4" : "+r"(a) : : "memory"));
	}
	TRY("doorbell-exec", "executed", ASM("blr %0" : : "r"(DOORBELL) : "x30", "memory"));
	reportf("hc-notify-shared", "ret %ld", hvc_call(BAOHU_HC_IPC_NOTIFY, 0, 0, 0));
	reportf("hc-events-shared", "ret %ld", hvc_call(BAOHU_HC_IPC_EVENTS, 0, 0, 0));
	/* Half a second of notifications towards the victim (its doorbell is never enabled). */
	for (uint64_t end = timer_now() + timer_ms(500); timer_now() < end;)
		for (i = 0; i < 100; i++) {
			hvc_call(BAOHU_HC_IPC_NOTIFY, 0, rnd() % 32, 0);
			mmio_w32(DOORBELL, rnd() % 32);
		}
	report("notify-storm", "survived");
	(void)v;
	(void)w;
}

/* ---- trapped and EL2-only system registers, undefined instructions ---- */

static void attack_sysregs(void)
{
	uint64_t v = 0;

	TRY("sysreg-hcr-el2", "read", v = sysreg_read(S3_4_C1_C1_0));
	TRY("sysreg-vttbr-el2-write", "written", sysreg_write(S3_4_C2_C1_0, 0));
	TRY("sysreg-id-write", "written", sysreg_write(S3_0_C0_C4_0, ~0ul)); /* ID_AA64PFR0_EL1 */
	probe_begin();
	sysreg_write(actlr_el1, ~0ul);
	v = sysreg_read(actlr_el1);
	report("sysreg-actlr", probe_end() ? "trapped" : v ? "written" : "raz-wi");
	TRY("sysreg-pmevcntr30", "read", v = sysreg_read(S3_3_C14_C11_6));
	TRY("sysreg-tfsr-el1", "read", v = sysreg_read(S3_0_C5_C6_0)); /* MTE, hidden */
	TRY("sysreg-impdef", "read", v = sysreg_read(S3_1_C15_C15_7));
	TRY("sysreg-dc-isw", "ok", ASM("dc isw, %0" : : "r"(0ul) : "memory"));
	TRY("sysreg-tlbi-alle2", "ok", ASM("tlbi alle2\n\tdsb sy" : : : "memory"));
	TRY("sysreg-cnthctl-el2", "read", v = sysreg_read(S3_4_C14_C1_0));
	TRY("sysreg-osdlr-write", "ok", sysreg_write(S2_0_C1_C3_4, 0)); /* OSDLR_EL1: not trapped */
	TRY("undef-udf", "executed", ASM(".inst 0x00000000"));
	TRY("undef-all-ones", "executed", ASM(".inst 0xffffffff"));
	TRY("undef-hlt", "executed", ASM("hlt #0"));
	TRY("undef-eret-el2-insn", "executed", ASM(".inst 0xd69f0bff")); /* ERETAA: no PAuth */
	TRY("brk", "executed", ASM("brk #0x77"));
	TRY("svc", "executed", ASM("svc #0x1" : : : "memory"));
	(void)v;
}

/* ---- WFI / WFE storms, nested faults ---- */

static void attack_wait(void)
{
	unsigned i;

	/* The virtual timer pending (CVAL in the past) and IRQs masked: every WFI returns at once
	 * (Arm ARM D1.16.2, wake-up events), so 2000 of them must cost Baohu 2000 short exits. */
	gic_enable(0, INTID_VTIMER);
	sysreg_write(cntv_cval_el0, 0);
	sysreg_write(cntv_ctl_el0, 1);
	isb();
	for (i = 0; i < 2000; i++)
		wfi();
	sysreg_write(cntv_ctl_el0, 0);
	isb();
	report("wfi-storm", "returned");
	/* Half a second of WFEs (each traps, HCR_EL2.TWE) and SEV+WFE pairs. */
	for (uint64_t end = timer_now() + timer_ms(500); timer_now() < end;)
		for (i = 0; i < 1000; i++)
			ASM("wfe" : : : "memory");
	report("wfe-storm", "returned");
	ASM("sevl" : : : "memory");
	for (i = 0; i < 100000; i++)
		ASM("sev\n\twfe" : : : "memory");
	report("sev-wfe-storm", "returned");
}

static void attack_nested(void)
{
	uint32_t before = hs[0].exc;
	const char *o;

	nest_left = 1;
	probe_begin();
	(void)mmio_r32(HOSTILE_OUTSIDE + 8);
	o = probe_end();
	reportf("nested-fault", "%s, %u exceptions", o ? o : "none", hs[0].exc - before);
	before = hs[0].exc;
	nest_left = 6;
	probe_begin();
	ASM(".inst 0x00000000");
	o = probe_end();
	reportf("nested-fault-deep", "%s, %u exceptions", o ? o : "none", hs[0].exc - before);
}

static void attack_end(void) __attribute__((noreturn));
static void attack_end(void)
{
	/* The one attack Baohu must end (docs/design.md, "A guest that cannot take the
	 * exception"): VBAR_EL1 outside the partition, then a fault. */
	print("hostile: done\n");
	print("hostile: last attack bad-vbar: vbar_el1 = 0x%lx, then a load outside\n", HOSTILE_OUTSIDE);
	sysreg_write(vbar_el1, HOSTILE_OUTSIDE);
	isb();
	(void)mmio_r32(HOSTILE_OUTSIDE);
	print("hostile: bad-vbar still running\n");
	for (;;)
		wfi();
}

void boot_main(void)
{
	sysreg_write(vbar_el1, (uintptr_t)vectors);
	isb();
	print("hostile: up on vcpu0\n");
	gic_dist_init();
	gic_cpu_init(0);
	for (unsigned i = 0; i < 16; i++)
		gic_enable(0, i);
	attack_memory();
	attack_calls(); /* starts vCPU 1, which the SGI attacks need */
	attack_ipc();
	attack_gic();
	attack_sysregs();
	attack_gic_storm();
	attack_wait();
	attack_nested();
	attack_stage1();
	attack_end();
}

/* vCPU 1: counts the SGIs it gets (the SGI attacks read hs[1]), nothing else. */
void secondary_main(unsigned k, uint64_t ctx)
{
	unsigned i;

	(void)ctx;
	sysreg_write(vbar_el1, (uintptr_t)vectors);
	isb();
	gic_cpu_init(k);
	for (i = 0; i < 16; i++)
		gic_enable(k, i);
	dmb();
	hs[k & 7].online = 1;
	irq_unmask();
	for (;;)
		wfi();
}
