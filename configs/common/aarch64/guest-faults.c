/*
 * Guest faults (docs/design.md, "Fault model"): "probe" checks, class by class, the exception
 * Baohu gives it for each fault and goes on (policy inject, the default), then faults 1000
 * times in a row; "vector" faults with VBAR_EL1 outside its partition, so it cannot take the
 * exception and is stopped; "rtos" keeps ticking beside them.
 */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(probe_image, GUEST_DIR "/fault-probe.bin");
BAOHU_INCBIN(vector_image, GUEST_DIR "/fault-vector.bin");

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
/* guests/baremetal/faults.c knows this size: its first probe loads at the end of it. */
static const struct vm_mem_region probe_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
/* A SiP call the probe may make (forwarded to the firmware: QEMU answers NOT_SUPPORTED). */
static const uint32_t probe_smc_forward[] = {0xc2000001};
static const struct vm_mem_region vector_mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x40000000),
        .entry = 0x40000000,
    },
    {
        .name = "probe",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, probe_mem),
        .image = VM_IMAGE_EMBEDDED_AT(probe_image, 0x40000000),
        .entry = 0x40000000,
        .fault_policy = VM_FAULT_INJECT,
        CONFIG_LIST(smc_forward, probe_smc_forward),
    },
    {
        .name = "vector",
        .cpus = 1 << 2,
        CONFIG_LIST(mem, vector_mem),
        .image = VM_IMAGE_EMBEDDED_AT(vector_image, 0x40000000),
        .entry = 0x40000000,
        /* fault_policy not set: inject, the default. */
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
