/* Baohu's basic types: addresses of different spaces cannot be mixed by accident. */
#ifndef BAOHU_TYPES_H
#define BAOHU_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Host physical address. */
typedef struct { uint64_t pa; } paddr_t;
/* Guest physical (intermediate physical) address. */
typedef struct { uint64_t ipa; } ipa_t;

static inline paddr_t pa_init(uint64_t v) { return (paddr_t){v}; }
static inline uint64_t pa_addr(paddr_t p) { return p.pa; }
static inline paddr_t pa_add(paddr_t p, uint64_t n) { return (paddr_t){p.pa + n}; }
static inline ipa_t ipa_init(uint64_t v) { return (ipa_t){v}; }
static inline uint64_t ipa_addr(ipa_t a) { return a.ipa; }
static inline ipa_t ipa_add(ipa_t a, uint64_t n) { return (ipa_t){a.ipa + n}; }

typedef uint32_t cpuid_t; /* physical CPU index into platform.cpu_hwid */
typedef uint32_t vmid_t;  /* index into baohu_config.vms; VMID = vmid + 1 */
typedef uint32_t irqid_t; /* interrupt id: a GIC INTID, a PLIC / APLIC source */

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ull << PAGE_SHIFT)
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a) - 1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
