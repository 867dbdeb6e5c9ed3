/* System register access and barriers. */
#ifndef BAOHU_AARCH64_SYSREG_H
#define BAOHU_AARCH64_SYSREG_H

#include <stdint.h>

#ifdef BAOHU_HOST
/* Host unit tests (tests/unit) stand in for the system registers, named as written. */
uint64_t host_sysreg_read(const char *reg);
void host_sysreg_write(const char *reg, uint64_t v);
#define sysreg_read(reg) host_sysreg_read(#reg)
#define sysreg_write(reg, v) host_sysreg_write(#reg, (uint64_t)(v))
#else
#define sysreg_read(reg) ({                                   \
    uint64_t v_;                                              \
    __asm__ volatile("mrs %0, " #reg : "=r"(v_));             \
    v_;                                                       \
})
#define sysreg_write(reg, v) \
    __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)) : "memory")
#endif

/* GIC system registers by encoding, so older assemblers need not know the names. */
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_DIR_EL1 S3_0_C12_C11_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_MISR_EL2 S3_4_C12_C11_2
#define ICH_EISR_EL2 S3_4_C12_C11_3
#define ICH_ELRSR_EL2 S3_4_C12_C11_5
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
/* ICH_LR<n>_EL2: n 0-7 are S3_4_C12_C12_n, 8-15 are S3_4_C12_C13_(n-8) */

#ifdef BAOHU_HOST
#define dsb(opt) __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define dmb(opt) __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define isb() ((void)0)
#else
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define dmb(opt) __asm__ volatile("dmb " #opt ::: "memory")
#define isb() __asm__ volatile("isb" ::: "memory")
#endif

#endif
