/* config-dts: prints the device tree source of one VM of the linked-in configuration. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_check.h"

/*
 * usage: config-dts VM [--bootargs STR] [--initrd START END]
 *
 * Everything the guest is told comes from the VM's config entry and the
 * platform description: its RAM, its vCPUs, the (emulated) interrupt
 * controller at the platform's addresses, its passthrough devices and its
 * shared-memory objects. Device kinds are not in the config schema; the
 * board's known device windows below say what sits at a passthrough address.
 */

#define GIC_SPI 0
#define GIC_PPI 1
#define IRQ_EDGE_RISING 1
#define IRQ_LEVEL_HIGH 4

/* A window of identical devices on the board: `count` slots of `stride`
 * bytes from `base`, slot n raising INTID first_intid + n. */
struct dev_kind {
    const char *platform_prefix;
    const char *node;
    const char *compatible; /* dts string list, quoted */
    uint64_t base, stride;
    uint32_t count, first_intid, irq_flags;
    int needs_clock;
};

static const struct dev_kind dev_kinds[] = {
    {"qemu-aarch64-virt", "pl011", "\"arm,pl011\", \"arm,primecell\"", 0x09000000, 0x1000, 1,
     33, IRQ_LEVEL_HIGH, 1},
    {"qemu-aarch64-virt", "pl031", "\"arm,pl031\", \"arm,primecell\"", 0x09010000, 0x1000, 1,
     34, IRQ_LEVEL_HIGH, 1},
    /* virt's 32 virtio-mmio transports, 0x200 apart, SPI 16 + n. */
    {"qemu-aarch64-virt", "virtio_mmio", "\"virtio,mmio\"", 0x0a000000, 0x200, 32, 48,
     IRQ_EDGE_RISING, 0},
};

/* The VM's extra device-tree source (config dt_source), read whole. */
static char *dt_extra;

static void cells64(uint64_t v)
{
    printf("0x%x 0x%x", (unsigned)(v >> 32), (unsigned)v);
}

static void reg(uint64_t base, uint64_t size)
{
    printf("<");
    cells64(base);
    printf(" ");
    cells64(size);
    printf(">");
}

/* Read the VM's dt_source: a path from the project's root (the directory
 * the build runs this tool in). */
static int read_extra(const struct vm_config *vm)
{
    free(dt_extra); /* main runs more than once in the fuzzer */
    dt_extra = NULL;
    if (!vm->dt_source)
        return 0;
    FILE *f = fopen(vm->dt_source, "r");
    if (!f) {
        fprintf(stderr, "config-dts: VM '%s' dt_source '%s': cannot open it\n", vm->name, vm->dt_source);
        return 1;
    }
    size_t len = 0, cap = 4096;
    dt_extra = malloc(cap);
    for (size_t n; dt_extra && (n = fread(dt_extra + len, 1, cap - 1 - len, f)) > 0;) {
        len += n;
        if (len + 1 == cap)
            dt_extra = realloc(dt_extra, cap *= 2);
    }
    fclose(f);
    if (!dt_extra) {
        fprintf(stderr, "config-dts: out of memory\n");
        return 1;
    }
    dt_extra[len] = '\0';
    if (strstr(dt_extra, "/dts-v1/")) {
        fprintf(stderr, "config-dts: VM '%s' dt_source '%s': a fragment has no /dts-v1/ line (the generated tree has it)\n",
                vm->name, vm->dt_source);
        return 1;
    }
    return 0;
}

/* After the generated tree: dtc merges the fragment's `/ { };` and
 * `&label { };` blocks into it, later properties overriding earlier ones. */
static void print_extra(const struct vm_config *vm)
{
    if (dt_extra)
        printf("\n/* merged from %s (dt_source of VM '%s') */\n%s", vm->dt_source, vm->name, dt_extra);
}

/* RAM regions, but those the guest knows of itself (dt_hidden). */
static void print_memory(const struct vm_config *vm)
{
    for (size_t i = 0; i < vm->mem_count; i++) {
        if (vm->mem[i].dt_hidden)
            continue;
        printf("\tmemory@%llx {\n\t\tdevice_type = \"memory\";\n\t\treg = ",
               (unsigned long long)vm->mem[i].ipa);
        reg(vm->mem[i].ipa, vm->mem[i].size);
        printf(";\n\t};\n");
    }
}

static int dev_has_irq(const struct vm_dev_region *d, uint32_t intid)
{
    for (size_t i = 0; i < d->irqs_count; i++)
        if (d->irqs[i] == intid)
            return 1;
    return 0;
}

/* The SPI specifier of an INTID in the GIC binding: <0 (intid - 32) flags>. */
static void spi(uint32_t intid, uint32_t flags)
{
    printf("<%d %u %u>", GIC_SPI, intid - 32, flags);
}

/* Every known device inside passthrough region `d`; a transport window
 * yields one node per slot whose interrupt the VM was given. Returns the
 * stdout-path candidate (the first UART) through *uart. */
static unsigned print_devices(const struct vm_dev_region *d, uint64_t *uart)
{
    unsigned nodes = 0;
    for (size_t k = 0; k < CONFIG_ARRAY_SIZE(dev_kinds); k++) {
        const struct dev_kind *dk = &dev_kinds[k];
        if (strncmp(platform.name, dk->platform_prefix, strlen(dk->platform_prefix)) != 0)
            continue;
        for (uint32_t n = 0; n < dk->count; n++) {
            uint64_t pa = dk->base + n * dk->stride;
            uint32_t intid = dk->first_intid + n;
            if (pa < d->pa || pa + dk->stride > d->pa + d->size)
                continue;
            if (dk->count > 1 && !dev_has_irq(d, intid))
                continue; /* a transport slot the VM was not given */
            uint64_t ipa = d->ipa + (pa - d->pa);
            printf("\t%s@%llx {\n\t\tcompatible = %s;\n\t\treg = ", dk->node,
                   (unsigned long long)ipa, dk->compatible);
            reg(ipa, dk->stride);
            printf(";\n");
            if (dev_has_irq(d, intid)) {
                printf("\t\tinterrupts = ");
                spi(intid, dk->irq_flags);
                printf(";\n");
            }
            if (dk->needs_clock)
                printf("\t\tclocks = <&clk24mhz>, <&clk24mhz>;\n"
                       "\t\tclock-names = \"uartclk\", \"apb_pclk\";\n");
            if (!strcmp(dk->node, "virtio_mmio"))
                printf("\t\tdma-coherent;\n");
            printf("\t};\n");
            if (!strcmp(dk->node, "pl011") && !*uart)
                *uart = ipa;
            nodes++;
        }
    }
    return nodes;
}

/* The VM's virtual PL011 (config vuart): the node Linux's amba-pl011 binds
 * (ttyAMA0), the console's stdout. */
static void print_vuart(const struct vm_config *vm, uint64_t *uart)
{
    if (!vm->vuart.ipa)
        return;
    printf("\tpl011@%llx {\n\t\tcompatible = \"arm,pl011\", \"arm,primecell\";\n\t\treg = ",
           (unsigned long long)vm->vuart.ipa);
    reg(vm->vuart.ipa, 0x1000);
    printf(";\n\t\tinterrupts = ");
    spi(vm->vuart.irq, IRQ_LEVEL_HIGH);
    printf(";\n\t\tclocks = <&clk24mhz>, <&clk24mhz>;\n"
           "\t\tclock-names = \"uartclk\", \"apb_pclk\";\n\t};\n");
    *uart = vm->vuart.ipa;
}

/*
 * virt's PCIe host bridge (pci-host-ecam-generic), when the VM owns its
 * ECAM: bus 0 only (1 MiB), the 32-bit memory window the VM was given (a
 * device region inside [0x10000000, 0x3eff0000)), and the INTx swizzle of
 * QEMU's virt (slot s, pin p -> SPI 3 + (s + p - 1) % 4, INTIDs 35-38).
 * No iommu-map: the SMMU is Baohu's, the guest's DMA addresses are IPAs.
 */
#define VIRT_ECAM 0x4010000000ull
#define VIRT_PCIE_MMIO 0x10000000ull
#define VIRT_PCIE_MMIO_END 0x3eff0000ull

/* Part of virt's PCIe host bridge (print_pcie describes it as a whole). */
static int pcie_part(const struct vm_dev_region *d)
{
    return strncmp(platform.name, "qemu-aarch64-virt", 17) == 0 &&
           (d->pa == VIRT_ECAM || (d->pa >= VIRT_PCIE_MMIO && d->pa + d->size <= VIRT_PCIE_MMIO_END));
}

/* Whether the extra source has a node at unit address `ipa` ("name@ipa"). */
static int extra_describes(uint64_t ipa)
{
    char unit[24];
    if (!dt_extra)
        return 0;
    (void)snprintf(unit, sizeof unit, "@%llx", (unsigned long long)ipa);
    for (const char *p = strstr(dt_extra, unit); p; p = strstr(p + 1, unit)) {
        char next = p[strlen(unit)];
        if (next == ' ' || next == '{' || next == '\t' || next == '\n')
            return 1;
    }
    return 0;
}

/* A passthrough region with nothing this tool can describe: the guest
 * still gets the mapping, but no node, so say so rather than drop it
 * (unless the VM's dt_source describes it). */
static void warn_unknown_device(const struct vm_config *vm, const struct vm_dev_region *d)
{
    if (extra_describes(d->ipa))
        return;
    fprintf(stderr,
            "config-dts: warning: VM '%s': passthrough region at 0x%llx (0x%llx bytes) holds no "
            "device config-dts knows on %s: it gets no device-tree node\n",
            vm->name, (unsigned long long)d->pa, (unsigned long long)d->size, platform.name);
}

static void print_pcie(const struct vm_config *vm)
{
    const struct vm_dev_region *ecam = NULL, *win = NULL;
    if (strncmp(platform.name, "qemu-aarch64-virt", 17) != 0)
        return;
    for (size_t i = 0; i < vm->devs_count; i++) {
        const struct vm_dev_region *d = &vm->devs[i];
        if (d->pa == VIRT_ECAM)
            ecam = d;
        else if (d->pa >= VIRT_PCIE_MMIO && d->pa + d->size <= VIRT_PCIE_MMIO_END)
            win = d;
    }
    if (!ecam || !win)
        return;
    printf("\tpcie@%llx {\n\t\tcompatible = \"pci-host-ecam-generic\";\n\t\tdevice_type = \"pci\";\n"
           "\t\treg = ", (unsigned long long)ecam->ipa);
    reg(ecam->ipa, 0x100000);
    printf(";\n\t\tbus-range = <0 0>;\n\t\t#address-cells = <3>;\n\t\t#size-cells = <2>;\n"
           "\t\tranges = <0x2000000 ");
    cells64(win->ipa);
    printf(" ");
    cells64(win->ipa);
    printf(" ");
    cells64(win->size);
    printf(">;\n\t\tdma-coherent;\n\t\t#interrupt-cells = <1>;\n"
           "\t\tinterrupt-map-mask = <0x1800 0 0 7>;\n\t\tinterrupt-map = ");
    for (unsigned slot = 0; slot < 4; slot++)
        for (unsigned pin = 1; pin <= 4; pin++) {
            uint32_t intid = 32 + 3 + (slot + pin - 1) % 4;
            printf("%s<0x%x 0 0 %u &gic %d %u %u>", slot || pin > 1 ? ", " : "", slot << 11, pin,
                   GIC_SPI, intid - 32, IRQ_LEVEL_HIGH);
        }
    printf(";\n\t};\n");
}

static void print_gic(const struct vm_config *vm, uint32_t vcpus)
{
    if (platform.irqchip.kind == IRQCHIP_GICV3) {
        printf("\tgic: interrupt-controller@%llx {\n\t\tcompatible = \"arm,gic-v3\";\n",
               (unsigned long long)platform.irqchip.gicd);
        /* One 128 KiB redistributor frame pair per vCPU: exactly the frames
         * Baohu emulates for this VM. */
        printf("\t\treg = ");
        reg(platform.irqchip.gicd, 0x10000);
        printf(", ");
        reg(platform.irqchip.gicr, (uint64_t)vcpus * 0x20000);
        printf(";\n\t\t#redistributor-regions = <1>;\n");
    } else {
        printf("\tgic: interrupt-controller@%llx {\n"
               "\t\tcompatible = \"arm,cortex-a15-gic\";\n\t\treg = ",
               (unsigned long long)platform.irqchip.gicd);
        reg(platform.irqchip.gicd, 0x1000);
        printf(", ");
        /* The guest's CPU interface is the virtual one, mapped at GICC's address. */
        reg(platform.irqchip.gicc, 0x2000);
        printf(";\n");
    }
    printf("\t\t#interrupt-cells = <3>;\n\t\t#address-cells = <0>;\n\t\tinterrupt-controller;\n\t};\n");
    (void)vm;
}

static void print_timer(uint32_t vcpus)
{
    /* GICv2 PPI specifiers carry a CPU mask in bits [15:8] (GIC binding). */
    uint32_t flags = IRQ_LEVEL_HIGH;
    if (platform.irqchip.kind == IRQCHIP_GICV2)
        flags |= ((1u << vcpus) - 1) << 8;
    /* Secure phys (13), non-secure phys (14), virtual (11), hyp (10). */
    printf("\ttimer {\n\t\tcompatible = \"arm,armv8-timer\";\n\t\tinterrupts = "
           "<%d 13 0x%x>, <%d 14 0x%x>, <%d 11 0x%x>, <%d 10 0x%x>;\n\t};\n",
           GIC_PPI, flags, GIC_PPI, flags, GIC_PPI, flags, GIC_PPI, flags);
}

/* The PMU is the guest's own pCPU's (Baohu's pmu.c), its overflow interrupt PPI 7 (INTID 23). */
static void print_pmu(uint32_t vcpus)
{
    uint32_t flags = IRQ_LEVEL_HIGH;
    if (platform.irqchip.kind == IRQCHIP_GICV2)
        flags |= ((1u << vcpus) - 1) << 8;
    printf("\tpmu {\n\t\tcompatible = \"arm,armv8-pmuv3\";\n\t\tinterrupts = <%d 7 0x%x>;\n\t};\n",
           GIC_PPI, flags);
}

static void print_ipcs(const struct vm_config *vm)
{
    for (size_t i = 0; i < vm->ipcs_count; i++) {
        const struct vm_ipc *ipc = &vm->ipcs[i];
        const struct shmem_config *s = &baohu_config.shmem[ipc->shmem_id];
        /* Named after the object so user space finds it by name (UIO's
         * /sys/class/uio/uioN/name is the node name). */
        printf("\t%s@%llx {\n\t\tcompatible = \"generic-uio\";\n\t\treg = ", s->name,
               (unsigned long long)ipc->ipa);
        reg(ipc->ipa, s->size);
        if (ipc->doorbell_ipa) {
            printf(", ");
            reg(ipc->doorbell_ipa, 0x1000);
        }
        printf(";\n");
        if (ipc->doorbell_irq) {
            printf("\t\tinterrupts = ");
            spi(ipc->doorbell_irq, IRQ_EDGE_RISING);
            printf(";\n");
        }
        printf("\t\tbaohu,shmem-id = <%u>;\n", ipc->shmem_id);
        printf("\t};\n");
    }
}

/* RISC-V VMs: harts with their local interrupt controllers, the emulated
 * PLIC, passthrough devices on PLIC sources; SBI (HSM, TIME, IPI) needs no
 * node. */
struct riscv_board {
    const char *platform_prefix;
    /* What a VS-mode guest may use: the hart's ISA without H (Baohu offers
     * no nested virtualization); Sstc because Baohu enables henvcfg.STCE
     * where the hart has it, so the guest writes stimecmp without a trap. */
    const char *isa;
    const char *mmu; /* the largest VS-stage mode vsatp accepts */
    uint32_t timebase_hz;
};

static const struct riscv_board riscv_boards[] = {
    {"qemu-riscv64-virt", "rv64imafdc_zicsr_zifencei_zihintpause_sstc", "riscv,sv48", 10000000},
};

/* A RISC-V board's device window: like dev_kinds, with PLIC source ids. */
struct riscv_dev_kind {
    const char *platform_prefix;
    const char *node;
    const char *compatible;
    uint64_t base, stride;
    uint32_t count, first_irq;
    const char *extra; /* further properties, dts text */
};

static const struct riscv_dev_kind riscv_dev_kinds[] = {
    {"qemu-riscv64-virt", "serial", "\"ns16550a\"", 0x10000000, 0x1000, 1, 10,
     "\t\tclock-frequency = <3686400>;\n"},
    {"qemu-riscv64-virt", "rtc", "\"google,goldfish-rtc\"", 0x00101000, 0x1000, 1, 11, ""},
    /* virt's 8 virtio-mmio transports, 0x1000 apart, sources 1..8. */
    {"qemu-riscv64-virt", "virtio_mmio", "\"virtio,mmio\"", 0x10001000, 0x1000, 8, 1, ""},
};

static const struct riscv_board *riscv_board(void)
{
    for (size_t i = 0; i < CONFIG_ARRAY_SIZE(riscv_boards); i++)
        if (!strncmp(platform.name, riscv_boards[i].platform_prefix,
                     strlen(riscv_boards[i].platform_prefix)))
            return &riscv_boards[i];
    return NULL;
}

/* The VM's virtual NS16550A (config vuart): Linux's 8250 driver (ttyS0). */
static void riscv_vuart(const struct vm_config *vm, uint64_t *uart)
{
    if (!vm->vuart.ipa)
        return;
    printf("\tserial@%llx {\n\t\tcompatible = \"ns16550a\";\n\t\treg = ",
           (unsigned long long)vm->vuart.ipa);
    reg(vm->vuart.ipa, 0x1000);
    printf(";\n\t\tclock-frequency = <3686400>;\n"
           "\t\tinterrupt-parent = <&plic>;\n\t\tinterrupts = <%u>;\n\t};\n", vm->vuart.irq);
    *uart = vm->vuart.ipa;
}

static unsigned riscv_devices(const struct vm_dev_region *d, uint64_t *uart)
{
    unsigned nodes = 0;
    for (size_t k = 0; k < CONFIG_ARRAY_SIZE(riscv_dev_kinds); k++) {
        const struct riscv_dev_kind *dk = &riscv_dev_kinds[k];
        if (strncmp(platform.name, dk->platform_prefix, strlen(dk->platform_prefix)) != 0)
            continue;
        for (uint32_t n = 0; n < dk->count; n++) {
            uint64_t pa = dk->base + n * dk->stride;
            uint32_t irq = dk->first_irq + n;
            if (pa < d->pa || pa + dk->stride > d->pa + d->size)
                continue;
            if (dk->count > 1 && !dev_has_irq(d, irq))
                continue;
            uint64_t ipa = d->ipa + (pa - d->pa);
            printf("\t%s@%llx {\n\t\tcompatible = %s;\n\t\treg = ", dk->node,
                   (unsigned long long)ipa, dk->compatible);
            reg(ipa, dk->stride);
            printf(";\n%s", dk->extra);
            if (dev_has_irq(d, irq))
                printf("\t\tinterrupt-parent = <&plic>;\n\t\tinterrupts = <%u>;\n", irq);
            printf("\t};\n");
            if (!strcmp(dk->node, "serial") && !*uart)
                *uart = ipa;
            nodes++;
        }
    }
    return nodes;
}

static int print_riscv_vm(const struct vm_config *vm, uint32_t vcpus, const char *bootargs,
                          unsigned long long initrd_start, unsigned long long initrd_end)
{
    const struct riscv_board *b = riscv_board();
    if (!b || platform.irqchip.kind != IRQCHIP_PLIC) {
        fprintf(stderr, "config-dts: no RISC-V device tree for %s (PLIC boards only)\n",
                platform.name);
        return 1;
    }
    printf("/dts-v1/;\n/* VM '%s' on %s, generated by tools/config_dts.c */\n\n/ {\n",
           vm->name, platform.name);
    printf("\tcompatible = \"riscv-virtio\";\n\tmodel = \"Baohu VM %s\";\n", vm->name);
    /* No interrupt-parent at the root: the harts' local controllers must
     * have none (they are the roots), so each device names the PLIC. */
    printf("\t#address-cells = <2>;\n\t#size-cells = <2>;\n\n");
    print_memory(vm);
    /* Hart ids are the VM's vCPU numbers (what SBI HSM and IPI take). */
    printf("\tcpus {\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n"
           "\t\ttimebase-frequency = <%u>;\n", b->timebase_hz);
    for (uint32_t k = 0; k < vcpus; k++)
        printf("\t\tcpu@%u {\n\t\t\tdevice_type = \"cpu\";\n\t\t\tcompatible = \"riscv\";\n"
               "\t\t\treg = <%u>;\n\t\t\tstatus = \"okay\";\n\t\t\triscv,isa = \"%s\";\n"
               "\t\t\tmmu-type = \"%s\";\n"
               "\t\t\tcpu%u_intc: interrupt-controller {\n\t\t\t\tcompatible = \"riscv,cpu-intc\";\n"
               "\t\t\t\t#interrupt-cells = <1>;\n\t\t\t\tinterrupt-controller;\n\t\t\t};\n"
               "\t\t};\n", k, k, b->isa, b->mmu, k);
    printf("\t};\n");
    /* vplic.c's contexts: 2k is vCPU k's M-mode (machine external
     * interrupt, 11), 2k + 1 its S-mode (supervisor external, 9). */
    printf("\tplic: interrupt-controller@%llx {\n"
           "\t\tcompatible = \"sifive,plic-1.0.0\", \"riscv,plic0\";\n\t\treg = ",
           (unsigned long long)platform.irqchip.plic);
    reg(platform.irqchip.plic, 0x200000 + 0x2000ull * vcpus);
    printf(";\n\t\t#address-cells = <0>;\n\t\t#interrupt-cells = <1>;\n"
           "\t\tinterrupt-controller;\n\t\triscv,ndev = <%u>;\n\t\tinterrupts-extended =",
           platform.irqchip.irq_count - 1);
    for (uint32_t k = 0; k < vcpus; k++)
        printf(" <&cpu%u_intc 11>, <&cpu%u_intc 9>%s", k, k, k + 1 < vcpus ? "," : ";\n");
    printf("\t};\n");
    uint64_t uart = 0;
    riscv_vuart(vm, &uart);
    for (size_t i = 0; i < vm->devs_count; i++)
        if (riscv_devices(&vm->devs[i], &uart) == 0)
            warn_unknown_device(vm, &vm->devs[i]);
    printf("\tchosen {\n");
    if (bootargs)
        printf("\t\tbootargs = \"%s\";\n", bootargs);
    if (uart)
        printf("\t\tstdout-path = \"/serial@%llx\";\n", (unsigned long long)uart);
    if (initrd_end > initrd_start) {
        printf("\t\tlinux,initrd-start = <");
        cells64(initrd_start);
        printf(">;\n\t\tlinux,initrd-end = <");
        cells64(initrd_end);
        printf(">;\n");
    }
    printf("\t};\n};\n");
    print_extra(vm);
    return 0;
}

int main(int argc, char **argv)
{
    const char *bootargs = NULL;
    unsigned long long initrd_start = 0, initrd_end = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s VM [--bootargs STR] [--initrd START END]\n", argv[0]);
        return 2;
    }
    for (int a = 2; a < argc; a++) {
        if (!strcmp(argv[a], "--bootargs") && a + 1 < argc) {
            bootargs = argv[++a];
        } else if (!strcmp(argv[a], "--initrd") && a + 2 < argc) {
            initrd_start = strtoull(argv[++a], NULL, 0);
            initrd_end = strtoull(argv[++a], NULL, 0);
        } else {
            fprintf(stderr, "config-dts: unknown argument '%s'\n", argv[a]);
            return 2;
        }
    }
    const struct vm_config *vm = NULL;
    for (size_t i = 0; i < baohu_config.vms_count; i++)
        if (!strcmp(baohu_config.vms[i].name, argv[1]))
            vm = &baohu_config.vms[i];
    if (!vm) {
        fprintf(stderr, "config-dts: no VM named '%s' in this configuration\n", argv[1]);
        return 1;
    }
    if (read_extra(vm))
        return 1;
    uint32_t vcpus = (uint32_t)__builtin_popcountll(vm->cpus);
    if (platform.irqchip.kind == IRQCHIP_PLIC || platform.irqchip.kind == IRQCHIP_AIA)
        return print_riscv_vm(vm, vcpus, bootargs, initrd_start, initrd_end);

    printf("/dts-v1/;\n/* VM '%s' on %s, generated by tools/config_dts.c */\n\n/ {\n",
           vm->name, platform.name);
    printf("\tcompatible = \"linux,dummy-virt\";\n\tmodel = \"Baohu VM %s\";\n", vm->name);
    printf("\t#address-cells = <2>;\n\t#size-cells = <2>;\n\tinterrupt-parent = <&gic>;\n\n");

    print_memory(vm);

    /* vCPU k has MPIDR affinity 0.0.0.k (Baohu's virtual MPIDR). */
    printf("\tcpus {\n\t\t#address-cells = <1>;\n\t\t#size-cells = <0>;\n");
    for (uint32_t k = 0; k < vcpus; k++)
        printf("\t\tcpu@%u {\n\t\t\tdevice_type = \"cpu\";\n\t\t\tcompatible = \"arm,armv8\";\n"
               "\t\t\treg = <%u>;\n\t\t\tenable-method = \"psci\";\n\t\t};\n", k, k);
    printf("\t};\n");

    printf("\tpsci {\n\t\tcompatible = \"arm,psci-1.0\", \"arm,psci-0.2\";\n"
           "\t\tmethod = \"hvc\";\n\t};\n");
    print_gic(vm, vcpus);
    print_timer(vcpus);
    print_pmu(vcpus);
    printf("\tclk24mhz: clock-24000000 {\n\t\tcompatible = \"fixed-clock\";\n"
           "\t\t#clock-cells = <0>;\n\t\tclock-frequency = <24000000>;\n"
           "\t\tclock-output-names = \"clk24mhz\";\n\t};\n");

    uint64_t uart = 0;
    print_vuart(vm, &uart);
    for (size_t i = 0; i < vm->devs_count; i++)
        if (print_devices(&vm->devs[i], &uart) == 0 && !pcie_part(&vm->devs[i]))
            warn_unknown_device(vm, &vm->devs[i]);
    print_pcie(vm);
    print_ipcs(vm);

    printf("\tchosen {\n");
    if (bootargs)
        printf("\t\tbootargs = \"%s\";\n", bootargs);
    if (uart)
        printf("\t\tstdout-path = \"/pl011@%llx\";\n", (unsigned long long)uart);
    if (initrd_end > initrd_start) {
        printf("\t\tlinux,initrd-start = <");
        cells64(initrd_start);
        printf(">;\n\t\tlinux,initrd-end = <");
        cells64(initrd_end);
        printf(">;\n");
    }
    printf("\t};\n};\n");
    print_extra(vm);
    return 0;
}
