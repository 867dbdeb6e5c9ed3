/*
 * Workload benchmark guest (make bench, docs/bench.md): runs each kernel on a
 * small and a large input with a 1 kHz timer tick on, timing it with the
 * virtual counter and reading Baohu's exit count of its vCPU around it. One
 * line per run (scripts/bench.sh parses them):
 *
 *   workload <kernel>-<size>: ticks=<counter ticks> hz=<counter Hz> exits=<exits> irqs=<ticks taken> sum=<checksum>
 *
 * Built with -DWORKLOAD_STREAM=1 it is instead an interference VM: it streams
 * over a 512 KiB array at a 64-byte stride (a load and a store per line) forever;
 * with -DWORKLOAD_BOOT=1 it prints the counter once and stops (scale bench, RISC-V).
 */
#include "workload.h"

#ifndef WORKLOAD_STREAM
#define WORKLOAD_STREAM 0
#endif
#ifndef WORKLOAD_BOOT
#define WORKLOAD_BOOT 0
#endif
#define TICK_HZ 1000u

#if !WORKLOAD_STREAM && !WORKLOAD_BOOT
struct run {
	const char *name;
	uint64_t (*kernel)(uint32_t);
	uint32_t small, large;
};

static const struct run runs[] = {
	{"basicmath", kernel_basicmath, 200, 4000},
	{"bitcount", kernel_bitcount, 1000, 20000},
	{"qsort", kernel_qsort, 1000, 20000},
	{"image", kernel_image, 24, 96},
};
#endif

#if WORKLOAD_STREAM
#define STREAM_BYTES (512u << 10)
#define STREAM_STRIDE 64u
#ifndef STREAM_RELAX_MASK
#define STREAM_RELAX_MASK 0xfffu
#endif
static volatile uint8_t stream[STREAM_BYTES];

/* Under QEMU icount all CPUs share one thread: a CPU that never yields can
 * starve the others (seen: the workload VM made no progress at all), so each
 * pass over the array ends with a hand-over (arch_relax). */
static void stream_forever(void)
{
	for (uint32_t pass = 0;; pass++) {
		for (uint32_t i = 0; i < STREAM_BYTES; i += STREAM_STRIDE) {
			stream[i] = (uint8_t)(stream[i] + pass);
			if ((i & STREAM_RELAX_MASK) == 0)
				arch_relax();
		}
	}
}
#endif

void workload_main(void)
{
	arch_init();
#if WORKLOAD_BOOT
	/* The scale bench on RISC-V (no boot probe there): when this VM printed first. */
	say("workload boot: first-output=%U hz=%U\n", arch_counter(), arch_counter_hz());
	arch_off();
#elif WORKLOAD_STREAM
	stream_forever();
#else
	uint64_t hz = arch_counter_hz();

	say("workload: %s, counter %U Hz, tick %u Hz\n",
	    arch_hypervisor() ? "under a hypervisor" : "bare", hz, TICK_HZ);
	arch_tick_start(TICK_HZ);
	for (unsigned i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		for (int large = 0; large < 2; large++) {
			const struct run *r = &runs[i];
			uint64_t e0 = arch_exits(), k0 = tick_count;
			uint64_t t0 = arch_counter();
			uint64_t sum = r->kernel(large ? r->large : r->small);
			uint64_t t1 = arch_counter();
			uint64_t k1 = tick_count, e1 = arch_exits();
			/* The second exit-count read is itself an exit. */
			uint64_t exits = e1 > e0 ? e1 - e0 - 1 : 0;
			say("workload %s-%s: ticks=%U hz=%U exits=%U irqs=%U sum=%X\n", r->name,
			    large ? "large" : "small", t1 - t0, hz, exits, k1 - k0, sum);
		}
	}
	arch_tick_stop();
	say("workload done\n");
	arch_off();
#endif
}
