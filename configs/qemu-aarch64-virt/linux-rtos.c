/* Debian's arm64 Linux (2 vCPUs, virtual PL011, PCIe virtio-blk behind the SMMU, the manager) beside the bare-metal RTOS, sharing one IPC channel. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-linux.bin");

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

/* Linux's RAM comes from anywhere: its disk's DMA is translated by the
 * SMMU (IPA -> PA), so nothing needs to be identity-mapped. */
static const struct vm_mem_region linux_mem[] = {{.ipa = 0x60000000, .size = 256 << 20}};

/* Virt's PCIe host bridge with the virtio-blk-pci disk behind the SMMU
 * (linux-rtos.mk): ECAM of bus 0, its four INTx
 * SPIs (3-6) and 16 MiB of the 32-bit window for BARs. Its DMA is the
 * requester IDs of bus 0, translated through Linux's memory map. The
 * generated DT has the pcie node and no SMMU (tools/config_dts.c). */
static const uint32_t intx_irqs[] = {35, 36, 37, 38};
static const struct vm_stream_range pcie_streams[] = {{.base = 0, .count = 256}};
static const struct vm_dev_region linux_devs[] = {
    {.pa = 0x4010000000, .ipa = 0x4010000000, .size = 0x100000, CONFIG_LIST(irqs, intx_irqs),
     .dma = true, CONFIG_LIST(streams, pcie_streams)},
    {.pa = 0x10000000, .ipa = 0x10000000, .size = 16 << 20},
};

/* Both peers use the doorbell page: rtos from its interrupt handler, Linux
 * from user space. */
static const struct vm_ipc rtos_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x50000000, .writable = true, .doorbell_irq = 52,
     .doorbell_ipa = 0x50100000},
};
static const struct vm_ipc linux_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x50000000, .writable = true, .doorbell_irq = 53,
     .doorbell_ipa = 0x50100000},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(ipcs, rtos_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "linux",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, linux_mem),
        CONFIG_LIST(devs, linux_devs),
        CONFIG_LIST(ipcs, linux_ipcs),
        /* ttyAMA0: a virtual PL011 where virt has its PL011 (SPI 1); Baohu
         * tags its lines "[linux]" so no other VM's output cuts them. */
        .vuart = {.ipa = 0x09000000, .irq = 33},
        /* scripts/guest-linux.sh packs DTB (+0), Image (+2 MiB) and initramfs
         * into one file that QEMU's loader puts at 0x70000000 (linux-rtos.mk). */
        .image = VM_IMAGE_PRELOADED_AT(0x70000000, 64 << 20, 0x60000000),
        .entry = 0x60200000,
        .dtb_ipa = 0x60000000,
        /* Its `baohu-ctl` lists, stops, starts and restarts rtos (README,
         * "Operating the VMs"). */
        .manager = true,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
