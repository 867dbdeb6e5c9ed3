/*
 * Hostile guest (docs/design.md, "What a hostile guest gets"; guests/hostile): "hostile" (2
 * vCPUs, fault policy inject) attacks every surface Baohu exposes and prints one line per
 * attack; "victim" ticks on its own pCPU with a checksum of its own memory, which must never
 * change, and its ticks must never stall.
 */
#include <baohu/config.h>

BAOHU_INCBIN(victim_image, GUEST_DIR "/victim.bin");
BAOHU_INCBIN(hostile_image, GUEST_DIR "/attacker.bin");

/* One object both share: the hostile VM writes it and rings through its doorbell page; the
 * victim has it read-only, its doorbell interrupt never enabled, and never reads it (its
 * checksum covers its own RAM only). */
static const struct shmem_config shmem[] = {
    {.name = "bait", .size = 64 << 10},
};
static const struct vm_ipc victim_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x90000000, .writable = false, .doorbell_irq = 52},
};
static const struct vm_ipc hostile_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x90000000, .writable = true, .doorbell_irq = 53, .doorbell_ipa = 0x90100000},
};

static const struct vm_mem_region victim_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
/* guests/hostile/riscv64/hostile.c knows this layout (RAM, RAM_SIZE). */
static const struct vm_mem_region hostile_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
/* A device of its own (QEMU virt's goldfish RTC, source 11): its source routed where the VM
 * has no hart, its priority and enables in contexts it has not. */
static const uint32_t hostile_irqs[] = {11};
static const struct vm_dev_region hostile_devs[] = {
    {.pa = 0x00101000, .ipa = 0x00101000, .size = 0x1000, CONFIG_LIST(irqs, hostile_irqs)},
};

static const struct vm_config vms[] = {
    {
        .name = "victim",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, victim_mem),
        CONFIG_LIST(ipcs, victim_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(victim_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "hostile",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, hostile_mem),
        CONFIG_LIST(ipcs, hostile_ipcs),
        CONFIG_LIST(devs, hostile_devs),
        .image = VM_IMAGE_EMBEDDED_AT(hostile_image, 0x80000000),
        .entry = 0x80000000,
        .fault_policy = VM_FAULT_INJECT,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
