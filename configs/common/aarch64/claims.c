/* Claims probes (tests/integration/test_claims.py): "features" prints what PSCI_FEATURES and
 * SMCCC_ARCH_FEATURES answer; "shmx" calls into the shared-memory object it may write; "rtos"
 * (which sees the object read-only) ticks beside them. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(features_image, GUEST_DIR "/claims-features.bin");
BAOHU_INCBIN(shmx_image, GUEST_DIR "/claims-shmx.bin");

static const struct shmem_config shmem[] = {
    {.name = "channel", .size = 64 << 10},
};

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
static const struct vm_mem_region features_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
static const struct vm_mem_region shmx_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

static const struct vm_ipc rtos_ipcs[] = {{.shmem_id = 0, .ipa = 0x50000000}};
static const struct vm_ipc shmx_ipcs[] = {{.shmem_id = 0, .ipa = 0x60000000, .writable = true}};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        CONFIG_LIST(ipcs, rtos_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "features",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, features_mem),
        .image = VM_IMAGE_EMBEDDED_AT(features_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "shmx",
        .cpus = 1 << 2,
        CONFIG_LIST(mem, shmx_mem),
        CONFIG_LIST(ipcs, shmx_ipcs),
        .image = VM_IMAGE_EMBEDDED_AT(shmx_image, 0x40000000),
        .entry = 0x40000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), CONFIG_LIST(shmem, shmem)};
