/* The HLVX fault path (tests/integration/test_claims_riscv64.py, built with
 * BAOHU_TEST_CFLAGS=-DBAOHU_TEST_HLVX_FAULT=...): "hlvx" makes an emulated access whose
 * instruction read faults; "rtos" ticks beside it. */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(hlvx_image, GUEST_DIR "/claims-hlvx.bin");

static const struct vm_mem_region rtos_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};
static const struct vm_mem_region hlvx_mem[] = {{.ipa = 0x80000000, .size = 16 << 20}};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .entry = 0x80000000,
    },
    {
        .name = "hlvx",
        .cpus = 1 << 1,
        CONFIG_LIST(mem, hlvx_mem),
        .image = VM_IMAGE_EMBEDDED_AT(hlvx_image, 0x80000000),
        .entry = 0x80000000,
    },
};

const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
