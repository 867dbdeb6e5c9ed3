/* What the probe guests (guests/probe, guests/probe-riscv64) share: their console formatter and statistics (probe_out.c). */
#ifndef PROBE_OUT_H
#define PROBE_OUT_H

#include <stdint.h>

/* The probe's console device, one character ('\n' as the device wants it). */
void say_putc(char c);
/* %u unsigned, %d int, %x unsigned hex, %U uint64_t, %X uint64_t hex, %s string */
void say(const char *fmt, ...);
/* n samples, each times mul / div (a unit conversion; 1, 1: none), sorted
 * into scratch (n entries): a line of min, median, max and mean, then the
 * distribution as value:count pairs, eight a line (make bench plots it). */
void probe_report(const char *name, const uint64_t *v, unsigned n, uint64_t mul, uint64_t div,
		  uint64_t *scratch);

#endif
