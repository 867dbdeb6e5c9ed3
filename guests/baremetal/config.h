/* Build-time limits shared by the C and assembly sources of the bare-metal guest. */
#ifndef CONFIG_H
#define CONFIG_H

/* vCPUs this image can host: one stack and one bakery slot each. */
#define MAX_VCPUS 8
/* 8 KiB per-vCPU stack (log2), carved out of .bss by start.S. */
#define STACK_SHIFT 13

/*
 * SCTLR_EL1 with only its Armv8.0 RES1 bits set (bits 29,28,23,22,20,11):
 * MMU, caches and alignment checking off, little-endian (Arm ARM, SCTLR_EL1).
 */
#define SCTLR_EL1_MMU_OFF 0x30d00800

#endif
