/* Inter-VM communication on RISC-V: "rtos" and "app" share one object and ring each other's doorbells
 * (sources 52/53 of their vPLIC or vAPLIC); "intruder" was not given it. */
#include <baohu/config.h>

/* The AIA platform's file defines this to embed the guests that take the
 * doorbell from the vAPLIC and their interrupt file instead of the vPLIC. */
#ifndef IPC_GUEST_SUFFIX
#define IPC_GUEST_SUFFIX ""
#endif

BAOHU_INCBIN(pong_image, GUEST_DIR "/ipc-pong" IPC_GUEST_SUFFIX ".bin");
BAOHU_INCBIN(ping_image, GUEST_DIR "/ipc-ping" IPC_GUEST_SUFFIX ".bin");
BAOHU_INCBIN(intruder_image, GUEST_DIR "/ipc-intruder.bin");

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const struct vm_mem_region app_mem[] = {{.ipa = 0x80000000, .size = 32 << 20}};
static const struct vm_mem_region intruder_mem[] = {{.ipa = 0x80000000, .size = 8 << 20}};

/* rtos answers through its doorbell page (as Linux user space would, via UIO). */
static const struct vm_ipc rtos_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x90000000, .writable = true, .doorbell_irq = 52,
     .doorbell_ipa = 0x90100000},
};
/* app rings through the IPC_NOTIFY SBI call and sees the object elsewhere. */
static const struct vm_ipc app_ipcs[] = {
    {.shmem_id = 0, .ipa = 0xa0000000, .writable = true, .doorbell_irq = 53},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(ipcs, rtos_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(pong_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "app",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, app_mem),
        CONFIG_LIST(ipcs, app_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(ping_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "intruder",
        .cpus = 1 << 3,
        CONFIG_LIST(mem, intruder_mem),
        .image = VM_IMAGE_EMBEDDED_AT(intruder_image, 0x80000000),
        .entry = 0x80000000,
        /* Its store to the object it was not given stops it (the test checks that). */
        .fault_policy = VM_FAULT_STOP,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
