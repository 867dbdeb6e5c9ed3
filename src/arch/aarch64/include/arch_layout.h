/* Constants shared by Baohu's assembly, linker script and C on Armv8-A. */
#ifndef BAOHU_AARCH64_LAYOUT_H
#define BAOHU_AARCH64_LAYOUT_H

#define STACK_SIZE 0x4000      /* per CPU */
#define STACK_GUARD 0x1000     /* unmapped page below each stack */
#define STACK_SLOT (STACK_SIZE + STACK_GUARD)
#define MAX_CPUS 8             /* PLATFORM_MAX_CPUS */

/* Baohu's Normal Non-cacheable alias of RAM: PA x is also at VA x +
 * HYP_NC_ALIAS (RAM below HYP_NC_ALIAS_LIMIT only; 39-bit VA space, mmu.c). VM
 * RAM is zeroed and loaded through it (memfill.c). */
#define HYP_NC_ALIAS (1ull << 38)
/* Each CPU's window onto a coloured VM's RAM (mmu.c, arch_vm_window_open):
 * the top 2 MiB of the VA space. The alias stops below it: RAM under
 * HYP_NC_ALIAS_LIMIT has one. */
#define HYP_VM_WINDOW_VA ((1ull << 39) - 0x200000ull)
#define HYP_NC_ALIAS_LIMIT (HYP_VM_WINDOW_VA - HYP_NC_ALIAS)

/* struct trap_frame: x0-x30, elr, spsr, pad (keeps sp 16-byte aligned). */
#define FRAME_ELR 248
#define FRAME_SPSR 256
#define FRAME_SIZE 272

#endif
