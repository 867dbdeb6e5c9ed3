/* Interrupt isolation (issue 9): "flood" (2 vCPUs) floods Baohu with IPC notifications towards
 * "peer", SGIs to its own stalled vCPU and distributor writes; "peer" (1 vCPU) shares the object
 * and measures the largest gap between its own timer ticks (guests/baremetal/flood.c). */
#include <baohu/config.h>

BAOHU_INCBIN(peer_image, GUEST_DIR "/flood-peer.bin");
BAOHU_INCBIN(flood_image, GUEST_DIR "/flood.bin");

static const struct shmem_config shmem[] = {
    {.name = "flood", .size = 64 << 10},
};

static const struct vm_mem_region peer_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
static const struct vm_mem_region flood_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

/* Each sees the object at 0x50000000; every notification of one raises the other's doorbell. */
static const struct vm_ipc peer_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x50000000, .writable = true, .doorbell_irq = 52},
};
static const struct vm_ipc flood_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x50000000, .writable = true, .doorbell_irq = 53},
};

static const struct vm_config vms[] = {
    {
        .name = "peer",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, peer_mem),
        CONFIG_LIST(ipcs, peer_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(peer_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "flood",
        .cpus = (1 << 1) | (1 << 2),
        CONFIG_LIST(mem, flood_mem),
        CONFIG_LIST(ipcs, flood_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(flood_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
