/* Interrupt routing by the guest's enables (shared by the RISC-V platforms): "app" (2 vCPUs) owns the
 * goldfish RTC; vCPU 0 stops itself (SBI HSM), vCPU 1 takes the alarm, then routes it to the stopped
 * vCPU 0 and starts it again; "rtos" ticks beside it. */
#include <baohu/config.h>

#ifndef IRQ_GUEST_SUFFIX
#define IRQ_GUEST_SUFFIX ""
#endif

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/irq-hsm" IRQ_GUEST_SUFFIX ".bin");

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const struct vm_mem_region app_mem[] = {{.ipa = 0x80000000, .size = 32 << 20}};

static const uint32_t rtc_irqs[] = {11};
static const struct vm_dev_region app_devs[] = {
    {.pa = 0x00101000, .ipa = 0x00101000, .size = 0x1000, CONFIG_LIST(irqs, rtc_irqs)},
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
        .name = "app",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, app_mem),
        CONFIG_LIST(devs, app_devs),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x80000000),
        .entry = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
