/* Constants shared by Baohu's assembly, linker script and C on RV64. */
#ifndef BAOHU_RISCV64_LAYOUT_H
#define BAOHU_RISCV64_LAYOUT_H

#define STACK_SIZE 0x4000      /* per CPU */
#define STACK_GUARD 0x1000     /* unmapped page below each stack */
#define STACK_SLOT (STACK_SIZE + STACK_GUARD)
#define MAX_CPUS 8             /* PLATFORM_MAX_CPUS */

/* Each hart's window onto a coloured VM's RAM (mmu.c, arch_vm_window_open):
 * the top 2 MiB of Sv39's lower half, above any RAM a board has (Baohu maps
 * RAM at VA == PA). */
#define HYP_VM_WINDOW_VA ((1ull << 38) - 0x200000ull)

/* struct platform: cpu_count and cpu_hwid[], read by boot.S (checked in cpu.c). */
#define PLATFORM_CPU_COUNT 8
#define PLATFORM_CPU_HWID 16

/* struct trap_frame: x[0..31] (x0 slot unused), sepc, sstatus, hstatus, cpu. */
#define FRAME_X(n) ((n) * 8)
#define FRAME_SEPC 256
#define FRAME_SSTATUS 264
#define FRAME_HSTATUS 272
#define FRAME_CPU 280
#define FRAME_SIZE 288

#endif
