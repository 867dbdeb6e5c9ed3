/* An SPI armed while vCPU 0 is off must reach vCPU 1: "spi" (2 vCPUs) owns the platform's alarm
 * device (ALARM_DEV_PA, ALARM_DEV_IRQ from the platform's alarm.h); vCPU 0 starts vCPU 1 and powers
 * itself off, vCPU 1 routes the SPI to itself (guests/baremetal/alarm.c). The including file names
 * the guest variant in SPI_OFF_IMAGE. */
#include <baohu/config.h>

BAOHU_INCBIN(spi_image, GUEST_DIR "/" SPI_OFF_IMAGE);

static const struct vm_mem_region spi_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

static const uint32_t alarm_irqs[] = {ALARM_DEV_IRQ};
static const struct vm_dev_region spi_devs[] = {
    {.pa = ALARM_DEV_PA, .ipa = ALARM_DEV_PA, .size = 0x1000, CONFIG_LIST(irqs, alarm_irqs)},
};

static const struct vm_config vms[] = {
    {
        .name = "spi",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, spi_mem),
        CONFIG_LIST(devs, spi_devs),
        .image = VM_IMAGE_EMBEDDED_AT(spi_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
