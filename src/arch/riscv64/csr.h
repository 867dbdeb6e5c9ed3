/* CSR access, CSR bit definitions (RISC-V priv. spec, H extension §9.2/§9.4) and fences. */
#ifndef BAOHU_RISCV64_CSR_H
#define BAOHU_RISCV64_CSR_H

#include <stdint.h>

/* Two levels so a CSR given as a macro (a number, below) is expanded first. */
#define csr_read(c) csr_read_(c)
#define csr_write(c, v) csr_write_(c, v)
#define csr_set(c, v) csr_set_(c, v)
#define csr_clear(c, v) csr_clear_(c, v)
#ifdef BAOHU_HOST
/* Host unit tests (tests/unit) stand in for the CSRs, named as written. */
uint64_t host_csr_read(const char *csr);
void host_csr_write(const char *csr, uint64_t v);
void host_csr_set(const char *csr, uint64_t v);
void host_csr_clear(const char *csr, uint64_t v);
#define csr_read_(c) host_csr_read(#c)
#define csr_write_(c, v) host_csr_write(#c, (uint64_t)(v))
#define csr_set_(c, v) host_csr_set(#c, (uint64_t)(v))
#define csr_clear_(c, v) host_csr_clear(#c, (uint64_t)(v))
#else
#define csr_read_(c) __extension__({ \
    uint64_t v_; \
    __asm__ volatile("csrr %0, " #c : "=r"(v_)::"memory"); \
    v_; \
})
#define csr_write_(c, v) __asm__ volatile("csrw " #c ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_set_(c, v) __asm__ volatile("csrs " #c ", %0" ::"r"((uint64_t)(v)) : "memory")
#define csr_clear_(c, v) __asm__ volatile("csrc " #c ", %0" ::"r"((uint64_t)(v)) : "memory")
#endif

/* AIA CSRs (AIA spec §2.3, §2.5, §3.8) by number: clang 14 has no names for them. */
#define CSR_SISELECT 0x150
#define CSR_SIREG 0x151
#define CSR_STOPEI 0x15c
#define CSR_VSISELECT 0x250
/* Sstc: HS-mode's own stimecmp, by number (Sstc spec). */
#define CSR_STIMECMP 0x14d
#define CSR_VSIREG 0x251

/* Interrupt numbers (priv. §3.1.9, §9.2.3): S = HS level, VS = guest. */
#define IRQ_SSI 1
#define IRQ_VSSI 2
#define IRQ_STI 5
#define IRQ_VSTI 6
#define IRQ_SEI 9
#define IRQ_VSEI 10
#define IRQ_SGEI 12
#define SCAUSE_IRQ (1ull << 63)

/* Exception codes (priv. §4.1.9, §9.4.2 "Trap cause codes"). */
#define EXC_INSN_MISALIGNED 0
#define EXC_INSN_ACCESS 1
#define EXC_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_VS 10
#define EXC_INSN_PAGE 12
#define EXC_LOAD_PAGE 13
#define EXC_STORE_PAGE 15
#define EXC_INSN_GUEST_PAGE 20
#define EXC_LOAD_GUEST_PAGE 21
#define EXC_VIRTUAL_INSN 22
#define EXC_STORE_GUEST_PAGE 23

/* sstatus (priv. §4.1.1) */
#define SSTATUS_SIE (1ull << 1)
#define SSTATUS_SPIE (1ull << 5)
#define SSTATUS_SPP (1ull << 8)
#define SSTATUS_VS_INITIAL (1ull << 9)  /* vector state (V extension §3.2) */
#define SSTATUS_VS_MASK (3ull << 9)
#define SSTATUS_FS_INITIAL (1ull << 13)
#define SSTATUS_FS_MASK (3ull << 13)

/* hstatus (priv. §9.2.1) */
#define HSTATUS_GVA (1ull << 6)
#define HSTATUS_SPV (1ull << 7)
#define HSTATUS_SPVP (1ull << 8)
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN_MASK (0x3full << HSTATUS_VGEIN_SHIFT)
#define HSTATUS_VSXL_64 (2ull << 32)

/* hgatp / satp modes (priv. §9.2.10, §4.1.11) */
#define HGATP_MODE_SV39X4 (8ull << 60)
#define HGATP_VMID_SHIFT 44
#define SATP_MODE_SV39 (8ull << 60)

/* henvcfg (priv. §9.2.5 "Hypervisor Environment Configuration Register"):
 * STCE (Sstc: VS-mode stimecmp), PBMTE (Svpbmt: page-based memory types in
 * VS-stage PTEs), CBZE (Zicboz: cbo.zero), CBCFE (Zicbom: cbo.clean/flush),
 * CBIE (Zicbom: cbo.inval; 01 = executed as a flush). */
#define HENVCFG_STCE (1ull << 63)
#define HENVCFG_PBMTE (1ull << 62)
#define HENVCFG_CBZE (1ull << 7)
#define HENVCFG_CBCFE (1ull << 6)
#define HENVCFG_CBIE_FLUSH (1ull << 4)

/* hcounteren (priv. §9.2.5): CY, TM, IR = cycle, time, instret. */
#define HCOUNTEREN_CY (1u << 0)
#define HCOUNTEREN_TM (1u << 1)
#define HCOUNTEREN_IR (1u << 2)

/* hstateen0 (Smstateen spec, "hstateen0"): what VS-mode may reach. SE0:
 * sstateen0 itself; ENVCFG: senvcfg; CSRIND: siselect/sireg; AIA: the other
 * AIA state (stopi, ...); IMSIC: stopei and the guest interrupt file. */
#define HSTATEEN0_SE0 (1ull << 63)
#define HSTATEEN0_ENVCFG (1ull << 62)
#define HSTATEEN0_CSRIND (1ull << 60)
#define HSTATEEN0_AIA (1ull << 59)
#define HSTATEEN0_IMSIC (1ull << 58)

static inline void sfence_vma_all(void)
{
    __asm__ volatile("sfence.vma" ::: "memory");
}

/* HFENCE.GVMA x0, vmid / HFENCE.VVMA x0, x0 (priv. §9.3.2), as raw encodings
 * so no assembler needs to know the H extension. */
static inline void hfence_gvma_vmid(uint64_t vmid)
{
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, %0" ::"r"(vmid) : "memory");
}

static inline void hfence_gvma_all(void)
{
    __asm__ volatile(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory");
}

static inline void hfence_vvma_all(void)
{
    __asm__ volatile(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory");
}

#endif
