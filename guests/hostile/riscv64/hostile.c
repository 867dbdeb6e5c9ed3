/*
 * The RV64 hostile guest: attacks every surface Baohu gives a VM (memory outside the partition,
 * the emulated PLIC or APLIC in every width and instruction form, registers of sources and
 * contexts it does not own, other harts' interrupt files, IPI storms, every SBI extension and
 * Baohu's own with boundary and random arguments, hypervisor and machine CSRs, undefined
 * instructions, WFI storms, nested traps) and prints one line per attack, `attack <name>:
 * <outcome>` (docs/design.md, "What a hostile guest gets"). Runs under the inject fault policy:
 * every fault comes back as an exception, which the handler records and steps over. Its last
 * attack (stvec outside its memory) must get it stopped.
 */
#include <baohu/hypercall.h>
#include <stddef.h>
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

#define RAM 0x80000000UL
#define RAM_SIZE 0x01000000UL /* configs/common/riscv64/hostile.c */
#define OUTSIDE 0x7f000000UL
#define UART 0x10000000UL     /* Baohu's console, never the VM's */
#define PLIC 0xc000000UL
#define APLIC 0xd000000UL
#define IMSIC 0x28000000UL
#define OWN_SRC 11u           /* the RTC's source, the VM's own (configs/common/riscv64/hostile.c) */    /* the VM's interrupt file k at IMSIC + 0x1000 k */
#ifndef HOSTILE_AIA
#define HOSTILE_AIA 0 /* 1: the APLIC and interrupt files (guests/hostile/variants.mk) */
#endif
#if HOSTILE_AIA
#define IRQC APLIC
#else
#define IRQC PLIC
#endif

#define TRY(attack, none, ...) do { \
	const char *o_; \
	probe_begin(); \
	__VA_ARGS__; \
	o_ = probe_end(); \
	report(attack, o_ ? o_ : none); \
} while (0)
#define ASM(...) __asm__ __volatile__(__VA_ARGS__)

/* Counted per vCPU by the trap handler. */
static struct {
	volatile uint32_t exc, cause;
	volatile uint32_t ipis, online;
} hs[MAX_VCPUS];
static volatile unsigned nest_left;

/* The frame of vectors.S: frame[0] the trapping pc, frame[n] register xn. */
void trap_handler(uint64_t *frame)
{
	uint64_t cause = csr_read(scause);
	unsigned k = cpu_id();
	uint16_t insn;

	if (cause & SCAUSE_IRQ) {
		if (cause == (SCAUSE_IRQ | IRQ_SSI)) {
			csr_clear(sip, 1u << IRQ_SSI);
			hs[k].ipis++;
		} else if (cause == (SCAUSE_IRQ | IRQ_STI)) {
			csr_clear(sie, 1u << IRQ_STI); /* the WFI storm's wake-up: quiet it */
		} else {
			csr_clear(sie, 1u << IRQ_SEI);
		}
		return;
	}
	hs[k].cause = (uint32_t)cause;
	hs[k].exc++;
	if (nest_left) {
		/* A fault inside the handler, outside the first 256 bytes of stvec: Baohu injects it
		 * like any other and this handler runs again, nested, on the same stack. */
		uint64_t sstatus = csr_read(sstatus);

		/* The nested trap's sret leaves SPP = U (priv. §4.1.1): keep this trap's, as any
		 * handler that can trap again must (the shared trap entry does not save it). */
		nest_left--;
		(void)mmio_r32(OUTSIDE);
		csr_write(sstatus, sstatus);
		hs[k].cause = (uint32_t)cause;
	}
	/* Fetch faults have no instruction to step over: back to the caller (ra, set by JALR).
	 * So is any trap whose pc is outside the image: QEMU 7.2 reports a fetch whose stage-1
	 * walk leaves the partition as a load guest-page fault (21), so the guest gets cause 5. */
	if (cause == 0 || cause == 1 || cause == 12 || frame[0] - RAM >= RAM_SIZE) {
		frame[0] = frame[1];
		return;
	}
	/* Step over the trapping instruction: 2 bytes if compressed (priv. §1.5: low bits != 11). */
	ASM("lhu %0, 0(%1)" : "=r"(insn) : "r"(frame[0]) : "memory");
	frame[0] += (insn & 3) == 3 ? 4 : 2;
}

static uint32_t probe_mark;

static void probe_begin(void)
{
	probe_mark = hs[cpu_id()].exc;
	fence();
}

static const char *probe_end(void)
{
	static const char *const names[] = {
		"inst-misaligned", "inst-access-fault", "illegal-instruction", "breakpoint",
		"load-misaligned", "load-access-fault", "store-misaligned", "store-access-fault",
		"ecall-u", "ecall-s", "cause-10", "cause-11", "inst-page-fault", "load-page-fault",
		"cause-14", "store-page-fault",
	};
	static char other[24];
	unsigned c = hs[cpu_id()].cause;

	fence();
	if (hs[cpu_id()].exc == probe_mark)
		return NULL;
	if (c < sizeof(names) / sizeof(names[0]))
		return names[c];
	sfmt(other, sizeof(other), "cause-%u", c);
	return other;
}

static void report(const char *attack, const char *outcome)
{
	print("attack %s: %s\n", attack, outcome);
}

static void reportf(const char *attack, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reportf(const char *attack, const char *fmt, ...)
{
	char buf[96];
	va_list ap;

	va_start(ap, fmt);
	vfmt(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	report(attack, buf);
}

static uint32_t rnd_state = 0x1badcafe;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* The time CSR at QEMU virt's 10 MHz timebase. */
static uint64_t now(void) { return csr_read(time); }
static uint64_t ticks_ms(unsigned ms) { return 10000ull * ms; }

static void delay_ms(unsigned ms)
{
	uint64_t end = now() + ticks_ms(ms);

	while (now() < end)
		cpu_relax();
}

/* Write `w`, read back: what a register of something the VM does not own gives. */
static void rw32(const char *attack, uintptr_t a, uint32_t w)
{
	uint32_t before, after;
	const char *o;

	probe_begin();
	before = mmio_r32(a);
	mmio_w32(a, w);
	fence();
	after = mmio_r32(a);
	o = probe_end();
	if (o)
		report(attack, o);
	else if (after == 0 && before == 0 && w != 0)
		report(attack, "raz-wi");
	else if (after == before)
		report(attack, "wi");
	else if (after == w)
		report(attack, "written");
	else
		reportf(attack, "read 0x%x", after);
}

static void call(const char *attack, uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1,
		 uint64_t a2)
{
	struct sbiret r = sbi_call(ext, fid, a0, a1, a2, 0);

	reportf(attack, "error %ld", r.error);
}

/* ---- memory outside the partition (satp = 0: every address is guest-physical) ---- */

static void attack_memory(void)
{
	uint64_t v = 0;

	TRY("mem-read-outside", "read", v = mmio_r32(OUTSIDE));
	TRY("mem-write-outside", "written", mmio_w32(OUTSIDE, 0xdeadbeef));
	TRY("mem-read-4g", "read", ASM("ld %0, 0(%1)" : "=r"(v) : "r"(0x100000000ul) : "memory"));
	TRY("mem-read-sv39x4-top", "read", v = mmio_r32(0x1fffffff000ul));
	TRY("mem-read-beyond-sv39x4", "read", v = mmio_r32(0x20000000000ul));
	TRY("mem-write-baohu-uart", "written", ASM("sb %0, 0(%1)" : : "r"('X'), "r"(UART) : "memory"));
	TRY("mem-read-after-ram", "read", v = mmio_r32(RAM + RAM_SIZE));
	TRY("mem-exec-outside", "executed", ASM("jalr %0" : : "r"(OUTSIDE) : "ra", "memory"));
	TRY("mem-exec-irqc", "executed", ASM("jalr %0" : : "r"(IRQC) : "ra", "memory"));
	TRY("mem-amo-outside", "done",
	    ASM("amoadd.w %0, %1, (%2)" : "=r"(v) : "r"(1), "r"(OUTSIDE) : "memory"));
	TRY("mem-lr-outside", "done", ASM("lr.w %0, (%1)" : "=r"(v) : "r"(OUTSIDE) : "memory"));
	TRY("mem-misaligned-own", "done",
	    ASM("lw %0, 0(%1)" : "=r"(v) : "r"(RAM + RAM_SIZE - 0x1002) : "memory"));
	(void)v;
}

/* ---- the emulated interrupt controller: widths and forms ---- */

static void attack_irqc_forms(void)
{
	uint64_t v = 0;
	uintptr_t reg = IRQC + 4; /* PLIC: priority of source 1; APLIC: sourcecfg[1] */

	TRY("irqc-lb", "emulated", ASM("lb %0, 0(%1)" : "=r"(v) : "r"(reg) : "memory"));
	TRY("irqc-lh", "emulated", ASM("lh %0, 0(%1)" : "=r"(v) : "r"(reg) : "memory"));
	TRY("irqc-lw", "emulated", ASM("lw %0, 0(%1)" : "=r"(v) : "r"(reg) : "memory"));
	TRY("irqc-lwu", "emulated", ASM("lwu %0, 0(%1)" : "=r"(v) : "r"(reg) : "memory"));
	TRY("irqc-ld", "emulated", ASM("ld %0, 0(%1)" : "=r"(v) : "r"(reg - 4) : "memory"));
	TRY("irqc-sb", "emulated", ASM("sb zero, 0(%0)" : : "r"(reg) : "memory"));
	TRY("irqc-sh", "emulated", ASM("sh zero, 0(%0)" : : "r"(reg) : "memory"));
	TRY("irqc-sd", "emulated", ASM("sd zero, 0(%0)" : : "r"(reg - 4) : "memory"));
	TRY("irqc-lw-misaligned", "emulated", ASM("lw %0, 2(%1)" : "=r"(v) : "r"(reg) : "memory"));
	TRY("irqc-sw-misaligned", "emulated", ASM("sw zero, 1(%0)" : : "r"(reg) : "memory"));
	/* Compressed forms (C extension: c.lw/c.sw/c.ld/c.sd take x8-x15), registers fixed inside
	 * the asm so no compiler can pick one the encoding lacks. */
	TRY("irqc-c-lw", "emulated",
	    ASM("mv a1, %1\n\tc.lw a0, 0(a1)\n\tmv %0, a0" : "=r"(v) : "r"(reg) : "a0", "a1", "memory"));
	TRY("irqc-c-sw", "emulated",
	    ASM("mv a1, %0\n\tli a0, 0\n\tc.sw a0, 0(a1)" : : "r"(reg) : "a0", "a1", "memory"));
	TRY("irqc-c-ld", "emulated",
	    ASM("mv a1, %1\n\tc.ld a0, 0(a1)\n\tmv %0, a0" : "=r"(v) : "r"(reg - 4) : "a0", "a1", "memory"));
	TRY("irqc-c-sd", "emulated",
	    ASM("mv a1, %0\n\tli a0, 0\n\tc.sd a0, 0(a1)" : : "r"(reg - 4) : "a0", "a1", "memory"));
	TRY("irqc-amoswap", "emulated",
	    ASM("amoswap.w %0, zero, (%1)" : "=r"(v) : "r"(reg) : "memory"));
	TRY("irqc-lr", "emulated", ASM("lr.w %0, (%1)" : "=r"(v) : "r"(reg) : "memory"));
	/* With no reservation (the LR above faulted) an SC fails without accessing memory
	 * (unpriv. §8.2), so nothing reaches Baohu: rd = nonzero. */
	probe_begin();
	ASM("sc.w %0, zero, (%1)" : "=r"(v) : "r"(reg) : "memory");
	{
		const char *o = probe_end();
		report("irqc-sc", o ? o : v ? "failed, no access" : "stored");
	}
	/* Sign extension of lb on a register whose byte has bit 7 set (a write of 0x80... is WI
	 * on the PLIC's 3 priority bits: so read the constant 0 and check no junk comes back). */
	TRY("irqc-lw-to-zero", "emulated", ASM("lw zero, 0(%0)" : : "r"(reg) : "memory"));
#if HOSTILE_AIA
	/* domaincfg reads with bit 31 set (AIA §4.5.1): lw must sign-extend, lwu must not. */
	{
		uint64_t sx = 0, zx = 0;
		const char *o;

		probe_begin();
		ASM("lw %0, 0(%1)" : "=r"(sx) : "r"(APLIC) : "memory");
		ASM("lwu %0, 0(%1)" : "=r"(zx) : "r"(APLIC) : "memory");
		o = probe_end();
		report("aplic-lw-sign-extend", o ? o : (sx >> 32) == 0xffffffffu && (zx >> 32) == 0 &&
			(uint32_t)sx == (uint32_t)zx ? "emulated" : "wrong value");
	}
#endif
	TRY("irqc-end", "emulated", v = mmio_r32(IRQC + (HOSTILE_AIA ? 0x7ffc : 0x3fffffc)));
	(void)v;
}

/* ---- registers of sources and harts the VM does not own ---- */

#if HOSTILE_AIA
/* APLIC S domain (AIA §4.5): sourcecfg[i] at 4i, setie at 0x1e00, genmsi at 0x3000, target[i]
 * at 0x3000 + 4i. The VM owns no source (it has no device). */
static void attack_irqc_foreign(void)
{
	rw32("aplic-sourcecfg-foreign", APLIC + 4 * 10, 6); /* level-high, source 10 (the UART) */
	rw32("aplic-sourcecfg-1023", APLIC + 4 * 1023, 4);
	rw32("aplic-target-foreign", APLIC + 0x3000 + 4 * 10, (3u << 18) | 10); /* hart 3 */
	rw32("aplic-setie-foreign", APLIC + 0x1e00, ~0u);
	rw32("aplic-setipnum-foreign", APLIC + 0x1cdc, 10);
	rw32("aplic-genmsi-foreign-hart", APLIC + 0x3000, (3u << 18) | 5);
	rw32("aplic-mmsiaddrcfg", APLIC + 0x1bc0, ~0u);
	rw32("aplic-smsiaddrcfg", APLIC + 0x1bc8, 0x12345);
	rw32("aplic-domaincfg-write", APLIC, ~0u);
	/* Its own source (11, the RTC): routed to a hart the VM does not have, then pended. */
	rw32("aplic-sourcecfg-own", APLIC + 4 * OWN_SRC, 6); /* level high */
	rw32("aplic-target-own-nonexistent-hart", APLIC + 0x3000 + 4 * OWN_SRC, (3u << 18) | OWN_SRC);
	rw32("aplic-target-own-eiid-huge", APLIC + 0x3000 + 4 * OWN_SRC, 0x7ffu);
	mmio_w32(APLIC + 0x1edc, OWN_SRC); /* setienum */
	TRY("aplic-setipnum-own-eiid-huge", "survived", mmio_w32(APLIC + 0x1cdc, OWN_SRC));
	mmio_w32(APLIC + 0x3000 + 4 * OWN_SRC, (5u << 18) | OWN_SRC);
	TRY("aplic-setipnum-own-to-nowhere", "survived", mmio_w32(APLIC + 0x1cdc, OWN_SRC));
	mmio_w32(APLIC + 0x1fdc, OWN_SRC); /* clrienum */
	mmio_w32(APLIC + 0x3000 + 4 * OWN_SRC, OWN_SRC);
	mmio_w32(APLIC + 4 * OWN_SRC, 0);
	/* Interrupt files of harts that are not this VM's: not in its stage 2. */
	TRY("imsic-foreign-file", "written", mmio_w32(IMSIC + 2 * 0x1000, 1));
	TRY("imsic-file-beyond", "written", mmio_w32(IMSIC + 0x100000, 1));
	TRY("imsic-own-file-read", "read", (void)mmio_r32(IMSIC));
}
#else
/* PLIC (spec v1.0.0 §3): priority 4s, pending 0x1000, enables 0x2000 + 0x80 ctx,
 * threshold/claim 0x200000 + 0x1000 ctx; the VM's S-mode contexts are 1 and 3. */
static void attack_irqc_foreign(void)
{
	rw32("plic-priority-foreign", PLIC + 4 * 10, 7);
	rw32("plic-priority-1023", PLIC + 4 * 1023, 7);
	rw32("plic-pending-write", PLIC + 0x1000, ~0u);
	rw32("plic-enable-foreign-source", PLIC + 0x2000 + 0x80 * 1, ~0u & ~(1u << OWN_SRC));
	rw32("plic-enable-m-context", PLIC + 0x2000 + 0x80 * 0, ~0u);
	rw32("plic-enable-foreign-context", PLIC + 0x2000 + 0x80 * 5, ~0u);
	rw32("plic-enable-last-context", PLIC + 0x2000 + 0x80 * 15871, ~0u);
	rw32("plic-threshold-foreign-context", PLIC + 0x200000 + 0x1000 * 5, 7);
	rw32("plic-threshold-m-context", PLIC + 0x200000, 7);
	TRY("plic-claim-foreign-context", "emulated", (void)mmio_r32(PLIC + 0x200004 + 0x1000 * 5));
	TRY("plic-complete-foreign-context", "emulated", mmio_w32(PLIC + 0x200004 + 0x1000 * 5, 10));
	TRY("plic-complete-unclaimed", "emulated", mmio_w32(PLIC + 0x200004 + 0x1000 * 1, 10));
	TRY("plic-reserved-offset", "emulated", (void)mmio_r32(PLIC + 0x1f2000));
	/* Its own source (11, the RTC): its priority is its own; enables of it in contexts the
	 * VM has not are RAZ/WI. */
	rw32("plic-priority-own", PLIC + 4 * OWN_SRC, 7);
	rw32("plic-enable-own-foreign-context", PLIC + 0x2000 + 0x80 * 5, 1u << OWN_SRC);
	rw32("plic-enable-own-m-context", PLIC + 0x2000, 1u << OWN_SRC);
	rw32("plic-enable-own", PLIC + 0x2000 + 0x80 * 1, 1u << OWN_SRC);
	mmio_w32(PLIC + 0x2000 + 0x80 * 1, 0);
	mmio_w32(PLIC + 4 * OWN_SRC, 0);
	TRY("plic-claim-nothing", "emulated", (void)mmio_r32(PLIC + 0x200004 + 0x1000 * 1));
}
#endif

/* ---- SBI (v2.0) and Baohu's extension ---- */

#define SBI_EXT_PMU 0x504D55
#define SBI_EXT_SUSP 0x53555350
#define SBI_EXT_CPPC 0x43505043
#define SBI_EXT_NACL 0x4E41434C
#define SBI_EXT_STA 0x535441

static int sbi_known(uint32_t ext)
{
	return ext <= 0xf || ext == SBI_EXT_BASE || ext == SBI_EXT_TIME || ext == SBI_EXT_IPI ||
	       ext == SBI_EXT_RFENCE || ext == SBI_EXT_HSM || ext == SBI_EXT_SRST ||
	       ext == BAOHU_SBI_EXT;
}

static void attack_sbi(void)
{
	struct sbiret r;
	unsigned i, odd;

	r = sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0);
	reportf("sbi-spec-version", "error %ld value 0x%lx", r.error, r.value);
	r = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, 0xdeadbeef, 0, 0, 0);
	reportf("sbi-probe-unknown", "error %ld value %ld", r.error, r.value);
	call("sbi-base-unknown-fid", SBI_EXT_BASE, 99, 0, 0, 0);
	call("sbi-pmu", SBI_EXT_PMU, 0, 0, 0, 0);
	call("sbi-susp", SBI_EXT_SUSP, 0, 0, OUTSIDE, 0);
	call("sbi-nacl", SBI_EXT_NACL, 0, 0, 0, 0);
	call("sbi-sta", SBI_EXT_STA, 0, OUTSIDE, 0, 0);
	call("sbi-dbcn-outside", SBI_EXT_DBCN, SBI_DBCN_WRITE, 64, OUTSIDE, 0);
	for (i = 0, odd = 0; i < 256; i++) {
		uint32_t ext = rnd();

		if (sbi_known(ext))
			continue;
		r = sbi_call(ext, rnd(), rnd(), rnd(), rnd(), rnd());
		odd += r.error != -2;
	}
	reportf("sbi-random-ext", odd ? "%u not -2" : "all -2", odd);

	/* HSM (SBI §9): harts 0..1 are the VM's. */
	call("hsm-start-self", SBI_EXT_HSM, SBI_HSM_HART_START, 0, (uintptr_t)secondary_entry, 0);
	call("hsm-start-nonexistent", SBI_EXT_HSM, SBI_HSM_HART_START, 2, (uintptr_t)secondary_entry, 0);
	call("hsm-start-huge", SBI_EXT_HSM, SBI_HSM_HART_START, ~0ul, (uintptr_t)secondary_entry, 0);
	call("hsm-start-entry-outside", SBI_EXT_HSM, SBI_HSM_HART_START, 1, OUTSIDE, 0);
	call("hsm-start-entry-max", SBI_EXT_HSM, SBI_HSM_HART_START, 1, ~0ul, 0);
	call("hsm-start-entry-ram-end", SBI_EXT_HSM, SBI_HSM_HART_START, 1, RAM + RAM_SIZE - 2, 0);
	/* An odd start_addr: no instruction starts there (IALIGN 16, priv. §3.1.15 keeps pc[0] 0). */
	call("hsm-start-entry-odd", SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uintptr_t)secondary_entry + 1, 1);
	call("hsm-start", SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uintptr_t)secondary_entry, 1);
	for (i = 0; i < 1000 && !hs[1].online; i++)
		delay_ms(1);
	call("hsm-start-again", SBI_EXT_HSM, SBI_HSM_HART_START, 1, (uintptr_t)secondary_entry, 1);
	call("hsm-status-nonexistent", SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, 2, 0, 0);
	call("hsm-status-huge", SBI_EXT_HSM, SBI_HSM_HART_GET_STATUS, ~0ul, 0, 0);
	call("hsm-suspend-bad-type", SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x12345678, OUTSIDE, 0);
	call("hsm-suspend-nonret-outside", SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, 0x80000000u, OUTSIDE, 0);
	call("hsm-unknown-fid", SBI_EXT_HSM, 77, 0, 0, 0);

	/* IPI / RFENCE (SBI §7, §8): hart masks naming harts the VM does not have. */
	call("ipi-nonexistent", SBI_EXT_IPI, 0, 0x4, 0, 0);
	call("ipi-base-huge", SBI_EXT_IPI, 0, 1, ~0ul - 1, 0);
	call("ipi-base-far", SBI_EXT_IPI, 0, ~0ul, 64, 0);
	call("rfence-nonexistent", SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 0xc, 0, 0);
	call("rfence-huge-range", SBI_EXT_RFENCE, SBI_RFENCE_SFENCE_VMA, 1, 0, 0);
	call("rfence-hfence-gvma", SBI_EXT_RFENCE, 3, 1, 0, 0);
	call("time-set-max", SBI_EXT_TIME, 0, ~0ul, 0, 0);
	call("srst-bad-type", SBI_EXT_SRST, 0, 0x12345678, 0, 0);
	call("srst-bad-reason", SBI_EXT_SRST, 0, 0x10000000, 0x7fffffff, 0);
	/* Legacy extensions (SBI §5): 0x04 send_ipi and 0x06/0x07 take a pointer to a hart mask. */
	call("legacy-send-ipi-outside", 0x04, 0, OUTSIDE, 0, 0);
	call("legacy-fence-outside", 0x06, 0, OUTSIDE, 0, 0);
	call("legacy-clear-ipi", 0x03, 0, 0, 0, 0);
	call("legacy-getchar", 0x02, 0, 0, 0, 0);
	call("legacy-putchar-huge", 0x01, 0, 0x141, 0, 0);

	/* Baohu's extension (include/baohu/hypercall.h): a6 = function. */
	r = sbi_call(BAOHU_SBI_EXT, 0, 0, 0, 0, 0);
	reportf("hc-version", "error %ld value 0x%lx", r.error, r.value);
	call("hc-putc-huge", BAOHU_SBI_EXT, 1, 0x141, 0, 0);
	call("hc-notify-unshared", BAOHU_SBI_EXT, 2, 1, 0, 0);
	call("hc-notify-huge", BAOHU_SBI_EXT, 2, ~0ul, ~0ul, 0);
	call("hc-events-unshared", BAOHU_SBI_EXT, 3, 1, 0, 0);
	r = sbi_call(BAOHU_SBI_EXT, 4, ~0ul, 1, 2, 0); /* the caller's own exits only */
	reportf("hc-vcpu-exits-args", "%s", r.error == 0 && r.value > 0 ? "own count" : "error");
	/* Management (5..9) is the manager's only: this VM is not, whatever it names. */
	call("hc-vm-info-own-ram", BAOHU_SBI_EXT, 5, 0, 0x80000000ul, 4096);
	call("hc-vm-stop-victim", BAOHU_SBI_EXT, 6, 0, 0, 0);
	call("hc-vm-restart-victim", BAOHU_SBI_EXT, 8, 0, 0, 0);
	call("hc-vm-start-self", BAOHU_SBI_EXT, 7, 1, 0, 0);
	call("hc-vm-stats-outside", BAOHU_SBI_EXT, 9, 0, OUTSIDE, 4096);
	for (i = 0, odd = 0; i < 64; i++)
		odd += sbi_call(BAOHU_SBI_EXT, 5 + i % 5, rnd(), rnd(), rnd(), rnd()).error != -4;
	reportf("hc-manage-random", odd ? "%u not -4" : "all -4", odd);
	call("hc-watchdog-none", BAOHU_SBI_EXT, 10, 0, 0, 0);
	call("hc-unknown-11", BAOHU_SBI_EXT, 11, 0, 0, 0);
	for (i = 0, odd = 0; i < 64; i++)
		odd += sbi_call(BAOHU_SBI_EXT, 11 + rnd() % 0xfff4, rnd(), rnd(), rnd(), rnd()).error != -2;
	reportf("hc-random", odd ? "%u not -2" : "all -2", odd);
}

/* ---- the shared object and its emulated doorbell page (configs/common/riscv64/hostile.c) ---- */

#define SHM 0x90000000UL
#define DOORBELL 0x90100000UL /* +0 NOTIFY (write), +4 PENDING (read): 32-bit only */

static void attack_ipc(void)
{
	uint64_t v = 0;
	unsigned i;

	TRY("shm-write", "written", mmio_w32(SHM, 0x5a5a5a5a));
	TRY("shm-exec", "executed", ASM("jalr %0" : : "r"(SHM) : "ra", "memory"));
	TRY("shm-after-end", "read", v = mmio_r32(SHM + (64 << 10)));
	TRY("doorbell-notify", "emulated", mmio_w32(DOORBELL, 0));
	TRY("doorbell-notify-event-huge", "emulated", mmio_w32(DOORBELL, 0xffffffffu));
	TRY("doorbell-pending", "emulated", v = mmio_r32(DOORBELL + 4));
	TRY("doorbell-notify-read", "emulated", v = mmio_r32(DOORBELL));
	TRY("doorbell-sb", "emulated", ASM("sb zero, 0(%0)" : : "r"(DOORBELL) : "memory"));
	TRY("doorbell-ld", "emulated", ASM("ld %0, 0(%1)" : "=r"(v) : "r"(DOORBELL) : "memory"));
	TRY("doorbell-sd", "emulated", ASM("sd zero, 0(%0)" : : "r"(DOORBELL) : "memory"));
	TRY("doorbell-unaligned", "emulated", ASM("lw %0, 2(%1)" : "=r"(v) : "r"(DOORBELL) : "memory"));
	TRY("doorbell-other-offset", "emulated", v = mmio_r32(DOORBELL + 8));
	TRY("doorbell-amoadd", "emulated",
	    ASM("amoadd.w %0, %1, (%2)" : "=r"(v) : "r"(1), "r"(DOORBELL) : "memory"));
	TRY("doorbell-c-sw", "emulated",
	    ASM("mv a1, %0\n\tli a0, 1\n\tc.sw a0, 0(a1)" : : "r"(DOORBELL) : "a0", "a1", "memory"));
	TRY("doorbell-exec", "executed", ASM("jalr %0" : : "r"(DOORBELL) : "ra", "memory"));
	call("hc-notify-shared", BAOHU_SBI_EXT, 2, 0, 0, 0);
	call("hc-notify-shared-event-32", BAOHU_SBI_EXT, 2, 0, 32, 0);
	call("hc-events-shared", BAOHU_SBI_EXT, 3, 0, 0, 0);
	for (uint64_t end = now() + ticks_ms(500); now() < end;)
		for (i = 0; i < 100; i++) {
			(void)sbi_call(BAOHU_SBI_EXT, 2, 0, rnd() % 32, 0, 0);
			mmio_w32(DOORBELL, rnd() % 32);
		}
	report("notify-storm", "survived");
	(void)v;
}

/* ---- CSRs and instructions ---- */

static void attack_csrs(void)
{
	uint64_t v = 0;

	TRY("csr-hstatus", "read", v = csr_read(0x600));
	TRY("csr-hgatp-write", "written", csr_write(0x680, 0));
	TRY("csr-vsstatus", "read", v = csr_read(0x200));
	TRY("csr-mstatus", "read", v = csr_read(0x300));
	TRY("csr-mhartid", "read", v = csr_read(0xf14));
	TRY("csr-cycle", "read", v = csr_read(0xc00));
	TRY("csr-instret", "read", v = csr_read(0xc02));
	TRY("csr-hpmcounter3", "read", v = csr_read(0xc03));
	TRY("csr-time", "read", v = csr_read(0xc01));
	TRY("csr-unknown-5c0", "read", v = csr_read(0x5c0));
	TRY("csr-time-write", "written", csr_write(0xc01, 0));
	TRY("insn-hfence-gvma", "executed", ASM(".insn r 0x73, 0, 0x31, x0, x0, x0" : : : "memory"));
	TRY("insn-hlv-w", "executed", ASM(".insn r 0x73, 4, 0x34, %0, %1, x0" : "=r"(v) : "r"(RAM) : "memory"));
	TRY("insn-mret", "executed", ASM("mret"));
	TRY("insn-zero", "executed", ASM(".4byte 0x00000000"));
	TRY("insn-c-zero", "executed", ASM(".2byte 0x0000\n\t.2byte 0x0001"));
	TRY("insn-all-ones", "executed", ASM(".4byte 0xffffffff"));
	TRY("insn-ebreak", "executed", ASM("ebreak"));
	TRY("insn-sfence-vma", "executed", ASM("sfence.vma" : : : "memory"));
	(void)v;
}

/* ---- storms, nested traps ---- */

static void attack_storms(void)
{
	unsigned i;
	uint32_t b1 = hs[1].ipis;

	/* One second of IPIs, every other one to hart 1, the rest with masks naming harts that
	 * do not exist (refused whole: SBI §3 INVALID_PARAM). */
	for (uint64_t end = now() + ticks_ms(1000); now() < end;)
		for (i = 0; i < 200; i++)
			(void)sbi_call(SBI_EXT_IPI, 0, i & 1 ? 2 : rnd() | 4, 0, 0, 0);
	for (i = 0; i < 200 && hs[1].ipis == b1; i++)
		delay_ms(1);
	reportf("ipi-storm", "hart1 %s", hs[1].ipis != b1 ? "got ipis" : "got none");
	b1 = hs[1].ipis;
	(void)sbi_call(SBI_EXT_IPI, 0, ~0ul, ~0ul, 0, 0); /* base -1: every hart of the VM */
	for (i = 0; i < 200 && hs[1].ipis == b1; i++)
		delay_ms(1);
	reportf("ipi-broadcast", "hart1 %s", hs[1].ipis != b1 ? "got it" : "got none");
	for (i = 0; i < 5000; i++)
		mmio_w32(IRQC + 4 * (1 + rnd() % 1023), rnd());
	report("irqc-write-storm", "survived");
	/* A timer interrupt pending (deadline in the past, STIE set) and SIE clear: each WFI
	 * returns at once (priv. §3.3.3), 2000 short exits. */
	csr_set(sie, 1u << IRQ_STI);
	(void)sbi_call(SBI_EXT_TIME, 0, 0, 0, 0, 0);
	for (i = 0; i < 2000; i++)
		wfi();
	(void)sbi_call(SBI_EXT_TIME, 0, ~0ul, 0, 0, 0);
	csr_clear(sie, 1u << IRQ_STI);
	report("wfi-storm", "returned");
}

static void attack_nested(void)
{
	uint32_t before = hs[0].exc;
	const char *o;

	nest_left = 1;
	probe_begin();
	(void)mmio_r32(OUTSIDE + 8);
	o = probe_end();
	reportf("nested-fault", "%s, %u exceptions", o ? o : "none", hs[0].exc - before);
	before = hs[0].exc;
	nest_left = 6;
	probe_begin();
	ASM(".4byte 0x00000000");
	o = probe_end();
	reportf("nested-fault-deep", "%s, %u exceptions", o ? o : "none", hs[0].exc - before);
}

/* ---- stage 1 (Sv39) walks pointing outside the partition ---- */

#define PTE_V 1ul
#define PTE_RWX (7ul << 1)
#define PTE_RW (3ul << 1)
#define PTE_AD (3ul << 6)
#define PTE_PPN(pa) (((pa) >> 12) << 10)
static uint64_t root[512] __attribute__((aligned(4096)));

static void attack_stage1(void)
{
	uint64_t v = 0;

	root[0] = PTE_PPN(0ul) | PTE_RW | PTE_AD | PTE_V;          /* devices, 1 GiB */
	root[1] = PTE_PPN(OUTSIDE) | PTE_V;                         /* a table outside */
	root[2] = PTE_PPN(RAM & ~0x3ffffffful) | PTE_RWX | PTE_AD | PTE_V; /* RAM */
	root[3] = PTE_PPN(0x100000000ul) | PTE_RW | PTE_AD | PTE_V; /* a leaf onto 4 GiB */
	fence();
	csr_write(satp, (8ul << 60) | ((uintptr_t)root >> 12));
	ASM("sfence.vma" : : : "memory");
	report("mmu-on", "ok");
	TRY("s1-walk-outside", "read", v = mmio_r32(0x40000000ul));
	TRY("s1-leaf-outside", "read", v = mmio_r32(0xc0000000ul));
	TRY("s1-exec-walk-outside", "executed", ASM("jalr %0" : : "r"(0x40000000ul) : "ra", "memory"));
	/* The emulated device through a stage-1 mapping: Baohu reads the instruction with HLVX. */
	TRY("irqc-paged-lw", "emulated", v = mmio_r32(IRQC + 4));
	(void)v;
}

static void attack_end(void) __attribute__((noreturn));
static void attack_end(void)
{
	print("hostile: done\n");
	print("hostile: last attack bad-stvec: stvec = 0x%lx, then a load outside\n", OUTSIDE);
	csr_write(satp, 0);
	ASM("sfence.vma" : : : "memory");
	csr_write(stvec, OUTSIDE);
	(void)mmio_r32(OUTSIDE);
	print("hostile: bad-stvec still running\n");
	for (;;)
		wfi();
}

void boot_main(void)
{
	print("hostile: up on vcpu0\n");
	attack_memory();
	attack_sbi(); /* starts hart 1, which the IPI attacks need */
	attack_ipc();
	attack_irqc_forms();
	attack_irqc_foreign();
	attack_csrs();
	attack_storms();
	attack_nested();
	attack_stage1();
	attack_end();
}

/* Hart 1: counts the IPIs it gets, nothing else. */
void secondary_main(unsigned k, uint64_t opaque)
{
	(void)opaque;
	hs[k].online = 1;
	csr_set(sie, 1u << IRQ_SSI);
	irq_unmask();
	for (;;)
		wfi();
}
