/* Debian's arm64 Linux (2 vCPUs, PL011 + virtio-blk passthrough) beside the bare-metal RTOS, sharing one IPC channel. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-linux.bin");

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

/* Identity-mapped (pa == ipa): the virtio-blk device DMAs to the addresses
 * Linux gives it, which are IPAs. Well above what the allocator hands out
 * first (Baohu's reservation ends at 0x44000000). */
static const struct vm_mem_region linux_mem[] = {
    {.ipa = 0x60000000, .size = 256 << 20, .pa = 0x60000000},
};

/* The PL011 (SPI 1) and the page of virt's last eight virtio-mmio
 * transports, where QEMU puts the first -device virtio-blk-device
 * (0x0a003e00, SPI 47); the other transports of that page are empty. */
static const uint32_t uart_irqs[] = {33};
static const uint32_t virtio_irqs[] = {79};
static const struct vm_dev_region linux_devs[] = {
    {.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000, CONFIG_LIST(irqs, uart_irqs)},
    /* virtio-mmio is not behind virt's SMMU: its DMA is unconfined (the
     * build warns), which is why Linux's RAM is identity-mapped. */
    {.pa = 0x0a003000, .ipa = 0x0a003000, .size = 0x1000, CONFIG_LIST(irqs, virtio_irqs),
     .dma = true, .dma_unconfined = true},
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
        /* scripts/guest-linux.sh packs DTB (+0), Image (+2 MiB) and initramfs
         * into one file that QEMU's loader puts at 0x70000000 (linux-rtos.mk). */
        .image = VM_IMAGE_PRELOADED_AT(0x70000000, 64 << 20, 0x60000000),
        .entry = 0x60200000,
        .dtb_ipa = 0x60000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
