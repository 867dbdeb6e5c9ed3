/* Build-time limits shared by the C and assembly sources of the RV64 guest. */
#ifndef CONFIG_H
#define CONFIG_H

/* vCPUs this image can host: one stack each. */
#define MAX_VCPUS 8
/* 8 KiB per-vCPU stack (log2), carved out of .bss by start.S. */
#define STACK_SHIFT 13
/* QEMU virt's timebase-frequency (its device tree): 10 MHz. */
#define TIMEBASE_HZ 10000000u

#endif
