/* Fuzzing the GICv2 vGIC (src/arch/aarch64/vgic.c, vgic_v2.c, vgic_regs.c): the trapped distributor, GICD_SGIR and the interrupt state machine. */
#include <string.h>

#include "arch.h"
#include "fake_vgic_lr.h"
#include "vgic_harness.h"
#include "vgic_ops.h"
#include "vgic_regs_check.h"

/*
 * vgic_harness.c's VM and operations with GICv2 accesses: byte and word
 * only, naturally aligned, inside the 4 KiB distributor (IHI 0048B
 * §4.1.4); reads show only the VM's interrupts and, for the SGI and target
 * registers, only CPU interfaces the VM has; writes are visible to the
 * next read.
 */

#define GICD 0x08000000ull
#define PRIO_MASK 0xf8 /* five priority bits, as a GICv2 list register holds */

/* vgic_v2.c maps the GICV frame for the guest at VM creation. */
bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    (void)vm, (void)ipa, (void)pa, (void)size, (void)kind;
    return true;
}

static bool owned(irqid_t intid)
{
    return intid < 32 || h_spi_owned(intid);
}

static const uint32_t regs[] = {0x0, 0x4, 0x8, 0x80, 0x84, 0x100, 0x104, 0x180, 0x184, 0x200,
                                0x204, 0x280, 0x300, 0x380, 0x400, 0x420, 0x434, 0x800, 0x81c,
                                0x820, 0x828, 0x834, 0xc00, 0xc04, 0xc08, 0xd00, 0xe00, 0xf00,
                                0xf10, 0xf1c, 0xf20, 0xf2c, 0xf30, 0xfe8, 0xffc};

#define VCPU_MASK ((1u << H_VCPUS) - 1)

static uint64_t bytes_of(uint8_t b, unsigned size)
{
    uint64_t m = 0;
    for (unsigned j = 0; j < size; j++)
        m |= (uint64_t)b << (8 * j);
    return m;
}

static uint64_t allowed(const struct vcpu *v, uint32_t off, unsigned size)
{
    uint64_t m;
    if (off >= 0x800 && off < 0xc00) { /* ITARGETSR: a CPU of this VM per byte */
        m = 0;
        for (unsigned j = 0; j < size; j++) {
            irqid_t i = off - 0x800 + j;
            if (i < 32)
                m |= (uint64_t)(1u << v->id) << (8 * j);
            else if (owned(i))
                m |= (uint64_t)VCPU_MASK << (8 * j);
        }
        return m;
    }
    if (off >= 0xf10 && off < 0xf30) /* C/SPENDSGIR: source CPUs of this VM */
        return bytes_of(VCPU_MASK, size);
    if (regs_mask(off, size, 0, 1020, owned, &m))
        return m;
    if (size != 4)
        return 0;
    switch (off) {
    case 0x0: return 0x3;
    case 0x4: case 0x8: return ~0ull;
    case 0xfe8: return 0xff;
    default: return 0; /* GICD_SGIR is write-only */
    }
}

static void check_read(const struct vcpu *v, uint32_t off, unsigned size, uint64_t value)
{
    uint64_t m = allowed(v, off, size);
    FUZZ_ASSERT((value & ~m) == 0, "vCPU %u off %#x size %u read %#llx: bits outside %#llx",
                v->id, off, size, (unsigned long long)value, (unsigned long long)m);
    if (off == 0x4 && size == 4)
        FUZZ_ASSERT((value & 0x1f) == 1 && ((value >> 5) & 7) == H_VCPUS - 1,
                    "GICD_TYPER %#llx", (unsigned long long)value);
}

static uint64_t read_back(struct vcpu *v, uint32_t off, unsigned size)
{
    uint64_t back = h_mmio(v, GICD + off, size, false, 0);
    check_read(v, off, size, back);
    return back;
}

void fe_mmio(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    unsigned size = 1u << ((b >> 2) & 3);
    bool write = b & 0x10;
    uint32_t off;
    if (b & 0x80)
        off = fuzz_u16(in) % 0x1100; /* the last 256 bytes are past the distributor */
    else
        off = (regs[fuzz_u8(in) % (sizeof regs / 4)] + (b & 3) * ((b & 0x20) ? 1 : 4)) % 0x1000;
    uint64_t value = (b & 0x40) ? fuzz_edgy64(in) : fuzz_u32(in);
    uint64_t addr = GICD + off;
    bool valid = (size == 1 || size == 4) && !(off & (size - 1)) && off < 0x1000;
    struct mmio_access acc = {.addr = ipa_init(addr), .size = size, .write = write, .value = value};
    /* ITARGETSR bytes of the VM's SPIs: the lowest of its CPUs named, or
     * no change (an SPI goes to one vCPU, vgic_v2.c). */
    uint8_t want_target[4] = {0};
    bool check_target[4] = {0};
    if (write && valid && off >= 0x800 && off < 0xc00)
        for (unsigned j = 0; j < size; j++) {
            irqid_t i = off - 0x800 + j;
            struct vgic_irq_view w;
            if (i < 32 || !owned(i))
                continue;
            vgic_irq_view(v, i, &w);
            uint8_t byte = (uint8_t)(value >> (8 * j)) & VCPU_MASK;
            check_target[j] = true;
            want_target[j] = byte ? (uint8_t)__builtin_ctz(byte) : w.target_vcpu;
        }
    bool ok = vgic_mmio_access(v, &acc);
    FUZZ_ASSERT(ok == valid, "off %#x size %u write %d: accepted %d", off, size, write, ok);
    for (unsigned j = 0; j < 4; j++) {
        struct vgic_irq_view w;
        if (!check_target[j])
            continue;
        vgic_irq_view(v, off - 0x800 + j, &w);
        FUZZ_ASSERT(w.target_vcpu == want_target[j], "ITARGETSR byte %#x = %#llx: vCPU %u, want %u",
                    off + j, (unsigned long long)value, w.target_vcpu, want_target[j]);
    }
    if (!ok)
        return;
    if (!write) {
        check_read(v, off, size, acc.value);
        return;
    }
    uint64_t written = value & ((1ull << (8 * size)) - 1);
    uint64_t m;
    if (regs_mask(off, size, 0, 1020, owned, &m)) {
        uint64_t back = read_back(v, off, size);
        regs_roundtrip(off, size, written, back, m, PRIO_MASK);
    } else if (off >= 0xf20 && off < 0xf30) {
        /* SPENDSGIR: the sources written (those that exist) are pending. */
        uint64_t back = read_back(v, off, size);
        uint64_t want = written & bytes_of(VCPU_MASK, size);
        FUZZ_ASSERT((back & want) == want, "SPENDSGIR %#x: wrote %#llx, read %#llx", off,
                    (unsigned long long)written, (unsigned long long)back);
    } else if (off >= 0xf10 && off < 0xf20) {
        uint64_t back = read_back(v, off, size);
        FUZZ_ASSERT((back & written) == 0, "CPENDSGIR %#x: wrote %#llx, read %#llx", off,
                    (unsigned long long)written, (unsigned long long)back);
    }
}

/* GICD_SGIR (§4.3.15): TargetListFilter [25:24], CPUTargetList [23:16],
 * SGIINTID [3:0]; bit 15 (NSATT) and the rest ignored. */
void fe_sgi(struct fuzz_in *in, struct vcpu *v)
{
    uint8_t b = fuzz_u8(in);
    uint32_t value = (b & 0x80) ? fuzz_u32(in)
                                : ((uint32_t)(b & 3) << 24) | ((uint32_t)fuzz_u8(in) << 16) |
                                      (fuzz_u8(in) & 0xf);
    irqid_t intid = value & 0xf;
    uint32_t filter = (value >> 24) & 3, list = (value >> 16) & 0xff;
    uint32_t targets = filter == 0 ? list & VCPU_MASK
                     : filter == 1 ? VCPU_MASK & ~(1u << v->id)
                     : filter == 2 ? 1u << v->id : 0;
    bool before[H_VCPUS];
    struct vgic_irq_view w;
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        vgic_irq_view(&h_vm.vcpus[k], intid, &w);
        before[k] = w.pending;
    }
    h_mmio(v, GICD + 0xf00, 4, true, value);
    for (uint32_t k = 0; k < H_VCPUS; k++) {
        struct vcpu *t = &h_vm.vcpus[k];
        vgic_irq_view(t, intid, &w);
        if (targets & (1u << k)) {
            FUZZ_ASSERT(w.pending, "SGI %u to vCPU %u (GICD_SGIR %#x) not pending", intid, k,
                        value);
            /* Pending from the sender (§4.4.4: GICC_IAR.CPUID), as the
             * target's GICD_SPENDSGIR shows it, on the target's pCPU. */
            fake_current_cpu = t->cpu;
            FUZZ_ASSERT(vgic_sgi_sources(t, intid) & (1u << v->id),
                        "SGI %u on vCPU %u not pending from vCPU %u", intid, k, v->id);
            fake_current_cpu = v->cpu;
        } else {
            FUZZ_ASSERT(w.pending == before[k], "SGI %u pended on vCPU %u not named by %#x",
                        intid, k, value);
        }
    }
}

/* GICv2 has no redistributor state beyond the shared state machine's. */
void fe_after_reset(void)
{
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    h_run(data, size);
    return 0;
}
