/* Cache colouring on RISC-V: Baohu itself runs from LLC colours 0-3, "rtos" gets colours 4-11, "app" colours 12-31 (32 nominal colours, see the platform). */
#include <baohu/config.h>

BAOHU_INCBIN(rtos_image, GUEST_DIR "/rtos.bin");
BAOHU_INCBIN(app_image, GUEST_DIR "/app.bin");

static const struct vm_mem_region rtos_mem[] = {
    {.ipa = 0x80000000, .size = 16 << 20},
};

static const struct vm_mem_region app_mem[] = {
    {.ipa = 0x80000000, .size = 64 << 20},
};

static const struct vm_config vms[] = {
    {
        .name = "rtos",
        .cpus = 1 << 0,
        CONFIG_LIST(mem, rtos_mem),
        .image = VM_IMAGE_EMBEDDED_AT(rtos_image, 0x80000000),
        .colours = 0x00000ff0,
        .entry = 0x80000000,
    },
    {
        /* SBI IPIs between its vCPUs: the same image serves the PLIC and AIA platforms. */
        .name = "app",
        .cpus = (1 << 1) | (1 << 2) | (1 << 3),
        CONFIG_LIST(mem, app_mem),
        .image = VM_IMAGE_EMBEDDED_AT(app_image, 0x80000000),
        .colours = 0xfffff000,
        .entry = 0x80000000,
    },
};

/* Baohu's image, data and table pool (docs/config.md, "Colouring Baohu
 * itself"): four adjacent colours, so its tables can have the naturally
 * aligned 16 KiB blocks a G-stage root (Sv39x4) needs. */
const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms), .hyp_colours = 0x0000000f};
