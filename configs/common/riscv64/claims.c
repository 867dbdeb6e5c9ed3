/* Claims probes (tests/integration/test_claims_riscv64.py): "time" checks SBI TIME's set_timer;
 * "shmx" calls into the shared-memory object it may write; "rtos" (which sees the object
 * read-only) ticks beside them; with a PLIC (not CLAIMS_AIA), "thresh" owns the goldfish RTC
 * and checks the vPLIC's priorities against its threshold. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(time_image, GUEST_DIR "/claims-time.bin");
BAOHU_INCBIN(shmx_image, GUEST_DIR "/claims-shmx.bin");
#ifndef CLAIMS_AIA
BAOHU_INCBIN(thresh_image, GUEST_DIR "/claims-plic.bin");
#endif

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const struct vm_mem_region time_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const struct vm_mem_region shmx_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};

static const struct vm_ipc rtos_ipcs[] = {{.shmem_id = 0, .ipa = 0x90000000}};
static const struct vm_ipc shmx_ipcs[] = {{.shmem_id = 0, .ipa = 0xa0000000, .writable = true}};

#ifndef CLAIMS_AIA
static const struct vm_mem_region thresh_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const uint32_t rtc_irqs[] = {11};
static const struct vm_dev_region thresh_devs[] = {
    {.pa = 0x00101000, .ipa = 0x00101000, .size = 0x1000, CONFIG_LIST(irqs, rtc_irqs)},
};
#endif

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(ipcs, rtos_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "time",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, time_mem),
        .image = VM_IMAGE_EMBEDDED_AT(time_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "shmx",
        .cpus = 1 << 2,
        CONFIG_LIST(mem, shmx_mem),
        CONFIG_LIST(ipcs, shmx_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(shmx_image, 0x80000000),
        .entry = 0x80000000,
    },
#ifndef CLAIMS_AIA
    {
        .name = "thresh",
        .cpus = 1 << 3,
        CONFIG_LIST(mem, thresh_mem),
        CONFIG_LIST(devs, thresh_devs),
        .image = VM_IMAGE_EMBEDDED_AT(thresh_image, 0x80000000),
        .entry = 0x80000000,
    },
#endif
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
