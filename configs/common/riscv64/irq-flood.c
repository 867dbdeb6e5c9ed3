/* A flooding VM beside a ticking peer (shared by the RISC-V platforms): "app" (2 vCPUs) sends IPC
 * notifies to "rtos" from both vCPUs back to back and SBI IPIs at its own vCPU 1, which runs with
 * interrupts masked; "rtos" takes the doorbell at most once per tick and reports its largest gap
 * between ticks. */
#include <baohu/config.h>

#ifndef IRQ_GUEST_SUFFIX
#define IRQ_GUEST_SUFFIX ""
#endif

BAOHU_INCBIN(ticker_image, GUEST_DIR "/ticker" IRQ_GUEST_SUFFIX ".bin");
BAOHU_INCBIN(flood_image, GUEST_DIR "/flood.bin");

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const struct vm_mem_region app_mem[] = {{.ipa = 0x80000000, .size = 32 << 20}};

static const struct vm_ipc rtos_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x90000000, .writable = true, .doorbell_irq = 52},
};
static const struct vm_ipc app_ipcs[] = {
    {.shmem_id = 0, .ipa = 0xa0000000, .writable = true},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(ipcs, rtos_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(ticker_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "app",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, app_mem),
        CONFIG_LIST(ipcs, app_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(flood_image, 0x80000000),
        .entry = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
