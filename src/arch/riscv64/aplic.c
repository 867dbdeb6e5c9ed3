/* The physical APLIC (S domain, MSI mode; RISC-V AIA spec §4): wired sources go straight to guest interrupt files. */
#include "aplic.h"
#include "csr.h"
#include "platform.h"
#include "virqchip.h"
#include "vm.h"

static volatile uint32_t *aplic_reg(uint32_t off)
{
    return (volatile uint32_t *)(uintptr_t)(platform.irqchip.aplic + off);
}

bool irqchip_vm_owns(const struct vm *vm, irqid_t irq)
{
    const struct vm_config *c = vm->config;
    for (size_t d = 0; d < c->devs_count; d++)
        for (size_t i = 0; i < c->devs[d].irqs_count; i++)
            if (c->devs[d].irqs[i] == irq)
                return true;
    return false;
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

/* Baohu's own S-level interrupt file stays off (eidelivery 0): nothing is
 * ever targeted at it, and its IPIs come through SBI as SSIP. */
void irqchip_cpu_init(cpuid_t cpu)
{
    (void)cpu;
    csr_write(CSR_SISELECT, IMSIC_EIDELIVERY);
    csr_write(CSR_SIREG, 0);
    csr_write(hgeie, 0);
}

/* Source `irq` as an MSI with identity `eiid` into the guest file of
 * `cpu`'s hart (§4.5.16, MSI delivery mode). */
void aplic_target(irqid_t irq, cpuid_t cpu, uint32_t eiid)
{
    *aplic_reg(APLIC_TARGET(irq)) = ((uint32_t)platform.cpu_affinity[cpu] << APLIC_TARGET_HART_SHIFT) |
                                    (IMSIC_GUEST_FILE << APLIC_TARGET_GUEST_SHIFT) |
                                    (eiid & APLIC_TARGET_EIID_MASK);
}

void aplic_source_mode(irqid_t irq, uint32_t sm)
{
    *aplic_reg(APLIC_SOURCECFG(irq)) = sm & APLIC_SOURCECFG_SM_MASK;
}

void irqchip_route(irqid_t irq, cpuid_t cpu, bool enable)
{
    if (irq == 0 || irq >= platform.irqchip.irq_count)
        return;
    if (enable)
        aplic_target(irq, cpu, irq);
    *aplic_reg(enable ? APLIC_SETIENUM : APLIC_CLRIENUM) = irq;
}

/* MSIs need no completion at the APLIC: a level source that is still
 * asserted is pending again at once (§4.7). */
void irqchip_complete(irqid_t irq)
{
    (void)irq;
}

/* Nothing targets Baohu's own file; drain it if something ever does. */
void irqchip_handle(struct vcpu *v)
{
    (void)v;
    while (csr_read(CSR_STOPEI) != 0)
        csr_write(CSR_STOPEI, 0);
}
