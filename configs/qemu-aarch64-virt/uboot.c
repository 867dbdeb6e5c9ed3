/* Debian's U-Boot for QEMU as a VM on a virtual PL011, beside the ticking bare-metal RTOS. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
/* U-Boot for QEMU keeps its environment in the second flash bank
 * (0x04000000), which it reads before anything else. Zeroed RAM there reads
 * as an environment with a bad CRC, so U-Boot takes its default one. */
static const struct vm_mem_region uboot_mem[] = {
    {.ipa = 0x40000000, .size = 128 << 20},
    {.ipa = 0x04000000, .size = 256 << 10},
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
        .name = "uboot",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, uboot_mem),
        .vuart = {.ipa = 0x09000000, .irq = 33}, /* where U-Boot's DT puts its PL011 */
        /* DTB at +0 (where U-Boot for QEMU looks for it), u-boot.bin at
         * +2 MiB: packed by scripts/guest-linux.sh, loaded by uboot.mk. */
        .image = VM_IMAGE_PRELOADED_AT(0x70000000, 4 << 20, 0x40000000),
        .entry = 0x40200000,
        .dtb_ipa = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
