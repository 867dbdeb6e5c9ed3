/* The physical APLIC (S domain, MSI mode; RISC-V AIA spec §4) and the guest interrupt files of the IMSIC (§3). */
#include "aplic.h"
#include "arch.h"
#include "arch_regs.h"
#include "csr.h"
#include "platform.h"
#include "virqchip.h"
#include "vm.h"

static volatile uint32_t *aplic_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(platform.irqchip.aplic + off);
}

/* Every source starts inactive and disabled; a VM's vAPLIC turns its own on. */
void irqchip_init(void)
{
    *aplic_reg(APLIC_DOMAINCFG) = APLIC_DOMAINCFG_IE | APLIC_DOMAINCFG_DM;
    for (irqid_t src = 1; src < platform.irqchip.irq_count; src++) {
        *aplic_reg(APLIC_CLRIENUM) = src;
        *aplic_reg(APLIC_SOURCECFG(src)) = 0;
    }
}

/* Baohu's own S-level interrupt file stays off (eidelivery 0) except at
 * hart 0, where the console UART's receive interrupt arrives
 * (irqchip_console_init); its IPIs come through SBI as SSIP. */
void irqchip_cpu_init(cpuid_t cpu)
{
    (void)cpu;
    csr_write(CSR_SISELECT, IMSIC_EIDELIVERY);
    csr_write(CSR_SIREG, 0);
    csr_write(hgeie, 0);
}

int vsireg_try_write(uint64_t value);

/* Select the guest file for VS-mode (hstatus.VGEIN, priv. §9.2.1) and empty
 * it through vsiselect / vsireg (AIA §3.8): nothing of a previous run fires
 * or stays enabled. Every identity the file implements is cleared, not just
 * the ones Baohu itself sends (VIRQ_MSI_IDS): a guest may enable and pend
 * any of them with its own seteipnum writes. The file's size is found by
 * writing until a register does not exist (trap.S, vsireg_try_write): on
 * RV64 only the even-numbered eip/eie registers exist (§3.8.4), 64
 * identities each, at most 2048 in all. */
void irqchip_vcpu_reset(struct trap_frame *f)
{
    uint64_t vgein = (uint64_t)IMSIC_GUEST_FILE << HSTATUS_VGEIN_SHIFT;

    f->hstatus = (f->hstatus & ~HSTATUS_VGEIN_MASK) | vgein;
    csr_write(hstatus, (csr_read(hstatus) & ~HSTATUS_VGEIN_MASK) | vgein);
    csr_write(CSR_VSISELECT, IMSIC_EIDELIVERY);
    csr_write(CSR_VSIREG, 0);
    csr_write(CSR_VSISELECT, IMSIC_EITHRESHOLD);
    csr_write(CSR_VSIREG, 0);
    for (uint32_t r = 0; r < IMSIC_EIX_REGS; r += 2) {
        csr_write(CSR_VSISELECT, IMSIC_EIE0 + r);
        if (vsireg_try_write(0) != 0)
            break;
        csr_write(CSR_VSISELECT, IMSIC_EIP0 + r);
        csr_write(CSR_VSIREG, 0);
    }
    csr_write(CSR_VSISELECT, 0); /* the guest's siselect: nothing of the last run */
}

/* Source `irq` as an MSI with identity `eiid` into the guest file of
 * `cpu`'s hart (§4.5.16, MSI delivery mode). */
void aplic_target(irqid_t irq, cpuid_t cpu, uint32_t eiid)
{
    *aplic_reg(APLIC_TARGET(irq)) = ((uint32_t)platform.cpu_hwid[cpu] << APLIC_TARGET_HART_SHIFT) |
                                    (IMSIC_GUEST_FILE << APLIC_TARGET_GUEST_SHIFT) |
                                    (eiid & APLIC_TARGET_EIID_MASK);
}

void aplic_source_mode(irqid_t irq, uint32_t sm)
{
    *aplic_reg(APLIC_SOURCECFG(irq)) = sm & APLIC_SOURCECFG_SM_MASK;
}

/* setienum / clrienum (§4.5.12, §4.5.14). */
void aplic_enable(irqid_t irq, bool on)
{
    if (irq != 0 && irq < platform.irqchip.irq_count)
        *aplic_reg(on ? APLIC_SETIENUM : APLIC_CLRIENUM) = irq;
}

/* setipnum / clripnum (§4.5.7, §4.5.9). */
void aplic_set_pending(irqid_t irq, bool on)
{
    if (irq != 0 && irq < platform.irqchip.irq_count)
        *aplic_reg(on ? APLIC_SETIPNUM : APLIC_CLRIPNUM) = irq;
}

/* setip[w] reads the pending bits of sources 32w..32w+31 (§4.5.6). */
uint32_t aplic_pending_word(uint32_t w)
{
    return 32 * w < platform.irqchip.irq_count ? *aplic_reg(APLIC_SETIP + 4 * w) : 0;
}

/* The hart's S file, then its guest files, by hart id (§3.6, platform.h). */
uint64_t imsic_guest_file_pa(cpuid_t cpu)
{
    return platform.irqchip.imsic + platform_imsic_hart_offset(&platform, platform.cpu_hwid[cpu]) +
           IMSIC_GUEST_FILE * IMSIC_FILE_SIZE;
}

/* seteipnum_le at offset 0 of the file (§3.5). */
void imsic_guest_send(cpuid_t cpu, uint32_t eiid)
{
    *(volatile uint32_t *)(uintptr_t)imsic_guest_file_pa(cpu) = eiid;
}

/* eip0, eip2, ...: 64 identities each on RV64 (§3.8.4). Identity 0 does not exist. */
bool imsic_guest_take(uint32_t eiid)
{
    uint64_t mask = 1ull << (eiid % 64);

    if (eiid == 0 || eiid >= 256)
        return false;
    csr_write(CSR_VSISELECT, IMSIC_EIP0 + 2 * (eiid / 64));
    uint64_t eip = csr_read(CSR_VSIREG);
    if (!(eip & mask))
        return false;
    csr_write(CSR_VSIREG, eip & ~mask);
    return true;
}

/* Only the console's input targets Baohu's own file (identity = its
 * source number); claim each identity through stopei (§3.8.5) before
 * reading the UART, so bytes arriving meanwhile send another MSI. */
void irqchip_handle(struct vcpu *v)
{
    (void)v;
    uint64_t top;
    while ((top = csr_read(CSR_STOPEI)) != 0) {
        csr_write(CSR_STOPEI, 0);
        if ((top >> 16) == platform.console.irq)
            console_rx_irq();
    }
}

/* The console UART's receive interrupt is Baohu's (console_in.c hands the
 * bytes to a VM's virtual UART): level-high at the APLIC, an MSI with its
 * source number as identity into hart 0's supervisor file (guest index 0,
 * §4.5.16), the one identity that file enables. Runs on hart 0. */
void irqchip_console_init(void)
{
    irqid_t irq = platform.console.irq;
    if (irq == 0 || irq >= 64 || irq >= platform.irqchip.irq_count)
        return;
    uart_rx_enable();
    csr_write(CSR_SISELECT, IMSIC_EIE0);
    csr_write(CSR_SIREG, 1ull << irq);
    csr_write(CSR_SISELECT, IMSIC_EITHRESHOLD);
    csr_write(CSR_SIREG, 0);
    csr_write(CSR_SISELECT, IMSIC_EIDELIVERY);
    csr_write(CSR_SIREG, 1);
    *aplic_reg(APLIC_TARGET(irq)) = ((uint32_t)platform.cpu_hwid[0] << APLIC_TARGET_HART_SHIFT) | irq;
    aplic_source_mode(irq, APLIC_SM_LEVEL_HIGH);
    aplic_enable(irq, true);
}
