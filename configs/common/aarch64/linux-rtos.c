/* Debian's arm64 Linux (2 vCPUs, virtual PL011, the manager) beside the bare-metal RTOS, sharing one
 * IPC channel: every Arm board's linux-rtos.c. Boards without an SMMU to confine a passthrough disk's
 * DMA include it as it is (initramfs only: qemu-aarch64-virt-gicv2, zcu102); qemu-aarch64-virt
 * defines LINUX_DEVS, Linux's passthrough devices, first. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos-linux.bin");

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

/* IPA layouts are the VM's own: the same on every board. Linux's RAM comes
 * from anywhere: a passthrough device's DMA is translated by the SMMU (IPA ->
 * PA), so nothing needs to be identity-mapped. */
static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
static const struct vm_mem_region linux_mem[] = {{.ipa = 0x60000000, .size = 256 << 20}};

/* Doorbells are virtual interrupts (no device behind them, whatever the
 * board has at that INTID): the RTOS's is the one its image expects
 * (GUEST_IPC_IRQ, guests/baremetal/guest.h), Linux's as on qemu-aarch64-virt. */
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
#ifdef LINUX_DEVS
        CONFIG_LIST(devs, LINUX_DEVS),
#endif
        CONFIG_LIST(ipcs, linux_ipcs),
        /* ttyAMA0: a virtual PL011 where virt has its PL011 (SPI 1); the
         * boards' own UARTs stay Baohu's, which tags Linux's lines "[linux]"
         * so no other VM's output cuts them. */
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
