/* Debian's EDK2 for QEMU virt (QEMU_EFI.fd) as a VM with its variable store, beside the ticking RTOS. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

/* EDK2 for QEMU virt runs from flash bank 0 at 0x0 (here 2 MiB of memory
 * with QEMU_EFI.fd in it, which its SEC phase writes to: QEMU's flash would
 * take those writes as commands and ignore them) and takes RAM from the
 * device tree it finds at the start of RAM. */
static const struct vm_mem_region edk2_mem[] = {
    {.ipa = 0x00000000, .size = 2 << 20, .dt_hidden = true},
    {.ipa = 0x40000000, .size = 128 << 20},
};

static const uint32_t rtc_irqs[] = {34};
static const struct vm_dev_region edk2_devs[] = {
    /* Flash bank 1, QEMU's pflash unit 1: EDK2's variable store (CFI
     * commands, so the real device, not RAM). Described by edk2.dtsi. */
    {.pa = 0x04000000, .ipa = 0x04000000, .size = 64 << 20},
    /* The PL031 RTC, for EDK2's time services. */
    {.pa = 0x09010000, .ipa = 0x09010000, .size = 0x1000, CONFIG_LIST(irqs, rtc_irqs)},
};

/* The device tree config-dts prints for this VM (edk2.mk), where EDK2 looks for it. */
static const struct vm_image edk2_extra[] = {
    VM_IMAGE_PRELOADED_AT(0x70400000, 64 << 10, 0x40000000),
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "edk2",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, edk2_mem),
        CONFIG_LIST(devs, edk2_devs),
        .vuart = {.ipa = 0x09000000, .irq = 33}, /* where QEMU virt's PL011 is */
        /* QEMU_EFI.fd, where edk2.mk has QEMU's loader put it. */
        .image = VM_IMAGE_PRELOADED_AT(0x70000000, 2 << 20, 0x00000000),
        CONFIG_LIST(extra_images, edk2_extra),
        .entry = 0x00000000,
        .dtb_ipa = 0x40000000,
        .dt_source = "configs/qemu-aarch64-virt/edk2.dtsi",
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
