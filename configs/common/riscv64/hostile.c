/*
 * Hostile guest (docs/design.md, "What a hostile guest gets"; guests/hostile): "hostile" (2
 * vCPUs, fault policy inject) attacks every surface Baohu exposes and prints one line per
 * attack; "victim" ticks on its own pCPU with a checksum of its own memory, which must never
 * change, and its ticks must never stall.
 */
#include <baohu/config.h>

BAOHU_INCBIN(victim_image, GUEST_DIR "/victim.bin");
BAOHU_INCBIN(hostile_image, GUEST_DIR "/attacker.bin");

static const struct vm_mem_region victim_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
/* guests/hostile/riscv64/hostile.c knows this layout (RAM, RAM_SIZE). */
static const struct vm_mem_region hostile_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};

static const struct vm_config vms[] = {
    {
        .name = "victim",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, victim_mem),
        .image = VM_IMAGE_EMBEDDED_AT(victim_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "hostile",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, hostile_mem),
        .image = VM_IMAGE_EMBEDDED_AT(hostile_image, 0x80000000),
        .entry = 0x80000000,
        .fault_policy = VM_FAULT_INJECT,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
