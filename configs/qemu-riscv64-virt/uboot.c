/* Debian's S-mode U-Boot for QEMU as a VM on a virtual NS16550A, beside the ticking bare-metal RTOS. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region uboot_mem[] = {
    {.ipa = 0x80000000, .size = 128 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "uboot",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, uboot_mem),
        /* U-Boot polls it (its console in and out): a virtual NS16550A
         * where the board's is, its lines tagged "[uboot]". */
        .vuart = {.ipa = 0x10000000, .irq = 10},
        /* DTB at +0, u-boot.bin at +2 MiB (its link address, 0x80200000):
         * packed by scripts/guest-linux-riscv64.sh, loaded by uboot.mk. */
        .image = VM_IMAGE_PRELOADED_AT(0xb0000000, 4 << 20, 0x80000000),
        .entry = 0x80200000,
        .dtb_ipa = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
