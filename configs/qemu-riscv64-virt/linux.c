/* Linux (2 vCPUs, kernel log through SBI, a shell on a virtual NS16550A) beside the bare-metal RTOS-style VM on qemu-riscv64-virt. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region linux_mem[] = {
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
        .name = "linux",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, linux_mem),
        /* ttyS0 (Linux's 8250) where the board's NS16550A is: /init runs
         * the shell on it, as the only VM with a virtual UART it has the
         * console's input. The kernel log stays on hvc0 (SBI). */
        .vuart = {.ipa = 0x10000000, .irq = 10},
        /* scripts/guest-linux-riscv64.sh packs DTB (+0), Image (+2 MiB) and
         * initramfs into one file that QEMU's loader puts at 0xb0000000
         * (linux.mk); Baohu copies it into the VM's RAM. */
        .image = VM_IMAGE_PRELOADED_AT(0xb0000000, 32 << 20, 0x80000000),
        .entry = 0x80200000,
        .dtb_ipa = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
