/* PSCI SYSTEM_RESET from inside a passthrough device's interrupt handler: "app" owns the platform's
 * alarm device (ALARM_DEV_PA, ALARM_DEV_IRQ from the platform's alarm.h) and, after the reset, must
 * take its interrupt again. A 4 KiB object only "app" maps counts its boots across resets
 * (guests/baremetal/alarm.c). The including file names the guest variant in IRQRESET_IMAGE and the
 * VM's CPUs in IRQRESET_CPUS. */
#include <baohu/config.h>

BAOHU_INCBIN(app_image, GUEST_DIR "/" IRQRESET_IMAGE);

static const struct shmem_config shmem[] = {
    {.name = "bootlog", .size = 4 << 10},
};

static const struct vm_mem_region app_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

static const uint32_t alarm_irqs[] = {ALARM_DEV_IRQ};
static const struct vm_dev_region app_devs[] = {
    {.pa = ALARM_DEV_PA, .ipa = ALARM_DEV_PA, .size = 0x1000, CONFIG_LIST(irqs, alarm_irqs)},
};

static const struct vm_ipc app_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x50000000, .writable = true},
};

static const struct vm_config vms[] = {
    {
        .name = "app",
        .cpus = IRQRESET_CPUS,
        CONFIG_LIST(mem, app_mem),
        CONFIG_LIST(devs, app_devs),
        CONFIG_LIST(ipcs, app_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
