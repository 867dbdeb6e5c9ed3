/* Debian's arm64 Linux (2 vCPUs, virtual PL011, PCIe virtio-blk behind the SMMU, the manager) beside the bare-metal RTOS, sharing one IPC channel. */
#include <baohu/config.h>

/* Virt's PCIe host bridge with the virtio-blk-pci disk behind the SMMU
 * (linux-rtos.mk): ECAM of bus 0, its four INTx SPIs (3-6) and 16 MiB of the
 * 32-bit window for BARs. Its DMA is the requester IDs of bus 0, translated
 * through Linux's memory map. The generated DT has the pcie node and no SMMU
 * (tools/config_dts.c). */
static const uint32_t intx_irqs[] = {35, 36, 37, 38};
static const struct vm_stream_range pcie_streams[] = {{.base = 0, .count = 256}};
static const struct vm_dev_region linux_devs[] = {
    {.pa = 0x4010000000, .ipa = 0x4010000000, .size = 0x100000, CONFIG_LIST(irqs, intx_irqs),
     .dma = true, CONFIG_LIST(streams, pcie_streams)},
    {.pa = 0x10000000, .ipa = 0x10000000, .size = 16 << 20},
};

/* The rest is every Arm board's: the RTOS, Linux's RAM, virtual PL011 and
 * manager role, the IPC channel. */
#define LINUX_DEVS linux_devs
#include "../common/aarch64/linux-rtos.c"
