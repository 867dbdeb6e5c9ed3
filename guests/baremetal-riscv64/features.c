/*
 * Feature probes (GUEST_FEATURES, configs/<platform>/features.c): what the
 * guest sees of its hart and of Baohu's SBI. Each result is printed as
 * measured; tests/integration/test_riscv64_features.py decides what is right.
 * - counters: time, cycle, instret readable, or an illegal-instruction trap
 *   (scause 2, Baohu's reflection of the virtual-instruction trap);
 * - vector: sstatus.VS, vlenb, a vsetvli + vle32 / vadd.vv / vse32 whose
 *   registers must survive 100 traps into Baohu;
 * - SBI v2.0: DBCN console_write / write_byte / read, HSM suspend and SRST
 *   return codes for reserved and platform-specific parameters.
 */
#include "guest.h"
#include "riscv.h"
#include "sbi.h"

#if GUEST_FEATURES

#define PROBE_NONE (~0ull)

static volatile uint32_t probe_on[MAX_VCPUS];
static volatile uint64_t probe_cause[MAX_VCPUS];

/* trap.c: an exception while a probe is on is the probe's answer; the
 * probed instruction is always 4 bytes. */
int feature_probe_trap(uint64_t *frame, uint64_t cause)
{
	unsigned k = cpu_id();

	if (!probe_on[k])
		return 0;
	probe_on[k] = 0;
	probe_cause[k] = cause;
	frame[0] += 4;
	return 1;
}

static void probe_begin(void)
{
	probe_cause[cpu_id()] = PROBE_NONE;
	probe_on[cpu_id()] = 1;
}

static uint64_t probe_end(void)
{
	probe_on[cpu_id()] = 0;
	return probe_cause[cpu_id()];
}

/* Read CSR number `n` under a probe: the cause, or PROBE_NONE and *v. */
#define PROBE_CSR(n, v) __extension__({ \
	uint64_t r_ = 0; \
	probe_begin(); \
	__asm__ __volatile__("csrr %0, " #n : "=r"(r_) : : "memory"); \
	*(v) = r_; \
	probe_end(); \
})

static void report_counter(const char *name, uint64_t cause, uint64_t value)
{
	if (cause == PROBE_NONE)
		print("counter %s: ok (nonzero %d)\n", name, value != 0);
	else
		print("counter %s: trap scause %lu\n", name, cause);
}

static void counters(void)
{
	uint64_t v = 0, c;

	c = PROBE_CSR(0xc01, &v); /* time */
	report_counter("time", c, v);
	c = PROBE_CSR(0xc00, &v); /* cycle */
	report_counter("cycle", c, v);
	c = PROBE_CSR(0xc02, &v); /* instret */
	report_counter("instret", c, v);
}

#define SSTATUS_VS (3ul << 9)
#define SSTATUS_VS_INITIAL (1ul << 9)

static uint32_t va[4] = {1, 2, 3, 4}, vb[4] = {10, 20, 30, 40}, vc[4];

/* Hand-encoded V instructions (V spec §6, §7.4, §11.1): the assembler is
 * not given V. v1 = a[0..4), v2 = b[0..4), v3 = v1 + v2 with vl = 4, e32. */
static uint64_t vector_load_add(void)
{
	register uint64_t a0 __asm__("a0") = (uintptr_t)va;
	register uint64_t a1 __asm__("a1") = (uintptr_t)vb;
	register uint64_t a3 __asm__("a3") = 4;
	register uint64_t t0 __asm__("t0");

	__asm__ __volatile__(".insn i 0x57, 7, t0, a3, 0xd0\n" /* vsetvli t0, a3, e32, m1, ta, ma */
			     ".word 0x02056087\n"              /* vle32.v v1, (a0) */
			     ".word 0x0205e107\n"              /* vle32.v v2, (a1) */
			     ".word 0x022081d7\n"              /* vadd.vv v3, v2, v1 */
			     : "=r"(t0)
			     : "r"(a0), "r"(a1), "r"(a3)
			     : "memory");
	return t0;
}

/* v3[0..4) as e32 into vc (vl = 4): what a new run finds there. */
static void vector_peek(void)
{
	register uint64_t a2 __asm__("a2") = (uintptr_t)vc;
	register uint64_t a3 __asm__("a3") = 4;

	__asm__ __volatile__(".insn i 0x57, 7, t0, a3, 0xd0\n" /* vsetvli t0, a3, e32, m1, ta, ma */
			     ".word 0x020661a7\n"              /* vse32.v v3, (a2) */
			     : : "r"(a2), "r"(a3) : "t0", "memory");
}

static void vector_store(void)
{
	register uint64_t a2 __asm__("a2") = (uintptr_t)vc;

	__asm__ __volatile__(".word 0x020661a7\n" /* vse32.v v3, (a2) */
			     : : "r"(a2) : "memory");
}

static void vector(void)
{
	uint64_t vlenb = 0, c;

	csr_set(sstatus, SSTATUS_VS_INITIAL);
	print("vector: sstatus.VS %lu\n", (csr_read(sstatus) & SSTATUS_VS) >> 9);
	c = PROBE_CSR(0xc22, &vlenb); /* vlenb */
	if (c != PROBE_NONE) {
		print("vector: vlenb trap scause %lu\n", c);
		return;
	}
	print("vector: vlenb %lu\n", vlenb);
	/* Nothing of a previous run (SRST reboot) may be left in v3. */
	vector_peek();
	print("vector: v3 at entry %u %u %u %u\n", vc[0], vc[1], vc[2], vc[3]);
	uint64_t vl = vector_load_add();
	/* Baohu runs between here and the store: its traps must leave v3, vl
	 * and vtype alone. */
	for (unsigned i = 0; i < 100; i++)
		(void)sbi_call(SBI_EXT_BASE, SBI_BASE_GET_SPEC_VERSION, 0, 0, 0, 0);
	vector_store();
	print("vector: vl %lu vl now %lu vtype 0x%lx vadd %u %u %u %u\n", vl, csr_read(0xc20),
	      csr_read(0xc21), vc[0], vc[1], vc[2], vc[3]);
	print("vector: sstatus.VS after %lu\n", (csr_read(sstatus) & SSTATUS_VS) >> 9);
}

static char dbcn_text[] = "dbcn: hello through console_write\n";

static void dbcn(void)
{
	struct sbiret r;

	print("probe dbcn = %ld\n",
	      sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_DBCN, 0, 0, 0).value);
	r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, sizeof(dbcn_text) - 1, (uintptr_t)dbcn_text, 0, 0);
	print("dbcn write = %ld/%ld of %lu\n", r.error, r.value, sizeof(dbcn_text) - 1);
	static const char byte_text[] = "dbcn: byte by byte\n";
	for (unsigned i = 0; byte_text[i]; i++)
		(void)sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE_BYTE, (uint8_t)byte_text[i], 0, 0, 0);
	r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, 16, 0x7f000000ul, 0, 0);
	print("dbcn write outside ram = %ld/%ld\n", r.error, r.value);
	r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_WRITE, 16, (uintptr_t)dbcn_text, 1, 0);
	print("dbcn write addr_hi = %ld/%ld\n", r.error, r.value);
	static char in[8];
	r = sbi_call(SBI_EXT_DBCN, SBI_DBCN_READ, sizeof(in), (uintptr_t)in, 0, 0);
	print("dbcn read = %ld/%ld\n", r.error, r.value);
	r = sbi_call(SBI_EXT_DBCN, 3, 0, 0, 0, 0);
	print("dbcn fid 3 = %ld\n", r.error);
}

static void sbi_codes(void)
{
	static const uint64_t suspend[] = {0, 1, 0x0fffffff, 0x10000000, 0x7fffffff, 0x80000000,
					   0x80000001, 0x90000000, 0xffffffff, 0x100000000ull};
	static const uint64_t srst[][2] = {
		{3, 0}, {0xefffffff, 0}, {0xf0000000, 0}, {0xffffffff, 0}, {0x100000000ull, 0},
		{0, 2}, {0, 0xe0000000}, {0, 0xf0000000}, {1, 0x100000000ull},
	};

	for (unsigned i = 0; i < sizeof(suspend) / sizeof(suspend[0]); i++)
		print("hsm suspend(0x%lx) = %ld\n", suspend[i],
		      sbi_call(SBI_EXT_HSM, SBI_HSM_HART_SUSPEND, suspend[i], 0, 0, 0).error);
	for (unsigned i = 0; i < sizeof(srst) / sizeof(srst[0]); i++)
		print("srst(0x%lx, 0x%lx) = %ld\n", srst[i][0], srst[i][1],
		      sbi_call(SBI_EXT_SRST, 0, srst[i][0], srst[i][1], 0, 0).error);
}

/*
 * FP state across a reboot: each run reads f3 and fcsr at entry (both 0
 * after Baohu's vCPU reset), then leaves a pattern in them. Encoded by
 * hand (the guest is built without F): fmv.x.d a0, f3 / fmv.d.x f3, a0.
 */
static void fp_state(void)
{
	register uint64_t a0 __asm__("a0");
	uint64_t fcsr;

	csr_set(sstatus, 1ul << 13); /* FS = Initial: the guest's own FP enable */
	__asm__ __volatile__(".word 0xe2018553" : "=r"(a0)); /* fmv.x.d a0, f3 */
	fcsr = csr_read(0x003);
	print("fp: f3 0x%lx fcsr 0x%lx at entry\n", a0, fcsr);
	a0 = 0x400921fb54442d18ul;
	__asm__ __volatile__(".word 0xf20501d3" : : "r"(a0)); /* fmv.d.x f3, a0 */
	csr_write(0x003, 0x81); /* frm = RTZ... and NX */
}

void features_main(void)
{
	counters();
	fp_state();
	vector();
	dbcn();
	sbi_codes();
	print("features: done\n");
	if (GUEST_FEATURES_RESET) {
		print("features: srst reboot\n");
		(void)sbi_call(SBI_EXT_SRST, 0, SBI_SRST_COLD_REBOOT, 0, 0, 0);
	}
}

#endif
