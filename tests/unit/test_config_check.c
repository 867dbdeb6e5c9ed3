/* Unit tests of the configuration rules (src/core/config_check.c): one test per rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config_check.h"

/*
 * A valid two-VM config on qemu-aarch64-virt (RAM [0x40000000, 0x80000000),
 * Baohu in its first 64 MiB, GICD 0x08000000, GICR 0x080A0000, UART
 * 0x09000000 / INTID 33), held in writable arrays so each test breaks one
 * thing. Reset before every test.
 */
static uint8_t rtos_image[0x1000], app_image[0x1000], big_image[0x3000];
static struct vm_mem_region mem[2][4];
static struct vm_dev_region devs[2][4];
static uint32_t irqs[2][4][4];
static struct vm_config vms[2];
static struct shmem_config shm[2];
static struct vm_ipc ipcs[2][2];
static struct baohu_config cfg;
static struct platform plat;

static struct config_issue issues[16];
static size_t issue_count;

static int setup(void **state)
{
    (void)state;
    memset(mem, 0, sizeof mem);
    memset(devs, 0, sizeof devs);
    memset(irqs, 0, sizeof irqs);
    memset(vms, 0, sizeof vms);
    memset(shm, 0, sizeof shm);
    memset(ipcs, 0, sizeof ipcs);
    plat = platform;

    /* rtos (#0): CPU 0, 16 MiB anywhere, the PL031 RTC. */
    mem[0][0] = (struct vm_mem_region){.ipa = 0x40000000, .size = 0x01000000};
    irqs[0][0][0] = 34;
    devs[0][0] = (struct vm_dev_region){.pa = 0x09010000, .ipa = 0x09010000, .size = 0x1000,
                                        .irqs = irqs[0][0], .irqs_count = 1};
    vms[0] = (struct vm_config){
        .name = "rtos", .cpus = 0x1,
        .mem = mem[0], .mem_count = 1, .devs = devs[0], .devs_count = 1,
        .image = {.kind = VM_IMAGE_EMBEDDED, .start = rtos_image, .end = rtos_image + sizeof rtos_image,
                  .ipa = 0x40000000},
        .entry = 0x40000000,
    };

    /* app (#1): CPUs 1-3, 256 MiB anywhere + 2 MiB fixed for DMA, the PL061 GPIO. */
    mem[1][0] = (struct vm_mem_region){.ipa = 0x40000000, .size = 0x10000000};
    mem[1][1] = (struct vm_mem_region){.ipa = 0x60000000, .size = 0x00200000, .pa = 0x60000000};
    irqs[1][0][0] = 39;
    devs[1][0] = (struct vm_dev_region){.pa = 0x09030000, .ipa = 0x09030000, .size = 0x1000,
                                        .irqs = irqs[1][0], .irqs_count = 1};
    vms[1] = (struct vm_config){
        .name = "app", .cpus = 0xe,
        .mem = mem[1], .mem_count = 2, .devs = devs[1], .devs_count = 1,
        .image = {.kind = VM_IMAGE_EMBEDDED, .start = app_image, .end = app_image + sizeof app_image,
                  .ipa = 0x40080000},
        .entry = 0x40080000,
        .dtb_ipa = 0x48000000,
        .fault_policy = VM_FAULT_RESET,
    };
    cfg = (struct baohu_config){.vms = vms, .vms_count = 2};
    return 0;
}

static void check(void)
{
    memset(issues, 0, sizeof issues);
    issue_count = config_check(&plat, &cfg, issues, CONFIG_ARRAY_SIZE(issues));
}

static void print_issues(void)
{
    for (size_t i = 0; i < issue_count && i < CONFIG_ARRAY_SIZE(issues); i++)
        print_message("  %s: %s\n", issues[i].error ? "error" : "warning", issues[i].msg);
}

/* Exactly one issue, of kind `error`, whose message contains both parts:
 * the VM and field, then the rule and values. */
static void expect_one_issue(bool error, const char *vm_field, const char *what)
{
    check();
    if (issue_count != 1 || issues[0].error != error || !strstr(issues[0].msg, vm_field) ||
        !strstr(issues[0].msg, what)) {
        print_message("expected one %s with \"%s\" and \"%s\", got %zu:\n", error ? "error" : "warning",
                      vm_field, what, issue_count);
        print_issues();
        fail();
    }
}

static void expect_error(const char *vm_field, const char *what)
{
    expect_one_issue(true, vm_field, what);
}

static void expect_clean(void)
{
    check();
    if (issue_count != 0) {
        print_issues();
        fail();
    }
}

/* ---- the baseline */

static void valid_config_has_no_issues(void **state)
{
    (void)state;
    expect_clean();
}

static void issues_beyond_max_are_counted_not_stored(void **state)
{
    (void)state;
    vms[0].cpus = 0;
    vms[1].entry = 0x1000;
    irqs[0][0][0] = 3;
    memset(issues, 0, sizeof issues);
    assert_int_equal(config_check(&plat, &cfg, issues, 1), 3);
    assert_non_null(strstr(issues[0].msg, "VM 'rtos' (#0) cpus: empty"));
    assert_string_equal(issues[1].msg, "");
    assert_int_equal(config_check(&plat, &cfg, NULL, 0), 3);
}

/* ---- VMs and names */

static void no_vms(void **state)
{
    (void)state;
    cfg.vms_count = 0;
    expect_error("config vms:", "no VMs");
}

static void vm_without_name(void **state)
{
    (void)state;
    vms[1].name = NULL;
    expect_error("VM '(unnamed)' (#1) name:", "missing");
    vms[1].name = "";
    expect_error("VM '' (#1) name:", "missing");
}

static void duplicate_name(void **state)
{
    (void)state;
    vms[1].name = "rtos";
    expect_error("VM 'rtos' (#1) name:", "duplicate of VM 'rtos' (#0)");
}

/* ---- CPUs */

static void cpus_empty(void **state)
{
    (void)state;
    vms[1].cpus = 0;
    expect_error("VM 'app' (#1) cpus:", "empty");
}

static void cpu_outside_platform(void **state)
{
    (void)state;
    vms[1].cpus = 0x12;
    expect_error("VM 'app' (#1) cpus:", "CPU 4 does not exist (platform 'qemu-aarch64-virt' has 4 CPUs)");
}

static void cpu_assigned_twice(void **state)
{
    (void)state;
    vms[1].cpus = 0x3;
    expect_error("VM 'app' (#1) cpus:", "CPU 0 already assigned to VM 'rtos' (#0)");
}

/* ---- memory regions */

static void mem_size_zero(void **state)
{
    (void)state;
    mem[1][1].size = 0;
    expect_error("VM 'app' (#1) mem[1]:", "size is 0");
}

static void mem_ipa_misaligned(void **state)
{
    (void)state;
    mem[1][1].ipa = 0x60000800;
    expect_error("VM 'app' (#1) mem[1]:", "ipa 0x60000800 not 4 KiB aligned");
}

static void mem_pa_misaligned(void **state)
{
    (void)state;
    mem[1][1].pa = 0x60000010;
    expect_error("VM 'app' (#1) mem[1]:", "pa 0x60000010 not 4 KiB aligned");
}

static void mem_size_misaligned(void **state)
{
    (void)state;
    mem[0][0].size = 0x00fff800;
    expect_error("VM 'rtos' (#0) mem[0]:", "size 0xfff800 not 4 KiB aligned");
}

static void mem_wraps(void **state)
{
    (void)state;
    mem[0][1] = (struct vm_mem_region){.ipa = 0xfffffffffff00000, .size = 0x200000};
    vms[0].mem_count = 2;
    expect_error("VM 'rtos' (#0) mem[1]:", "wraps past 2^64");
}

static void mem_null_with_count(void **state)
{
    (void)state;
    vms[1].mem = NULL;
    check();
    assert_true(issue_count >= 1);
    assert_non_null(strstr(issues[0].msg, "VM 'app' (#1) mem: mem_count is 2 but mem is NULL"));
}

static void fixed_mem_outside_ram(void **state)
{
    (void)state;
    mem[1][1].pa = 0x7ff00000; /* runs 1 MiB past the end of RAM */
    expect_error("VM 'app' (#1) mem[1]:", "pa [0x7ff00000, 0x80100000) not inside platform RAM");
}

static void fixed_mem_overlaps_hyp(void **state)
{
    (void)state;
    mem[1][1].pa = 0x43f00000;
    expect_error("VM 'app' (#1) mem[1]:", "overlaps Baohu's reserved memory [0x40000000, 0x44000000)");
}

static void fixed_mem_overlaps_other_vm(void **state)
{
    (void)state;
    mem[0][1] = (struct vm_mem_region){.ipa = 0x50000000, .size = 0x100000, .pa = 0x60100000};
    vms[0].mem_count = 2;
    expect_error("VM 'app' (#1) mem[1]:", "overlaps VM 'rtos' (#0) mem[1] pa [0x60100000, 0x60200000)");
}

static void fixed_mem_overlaps_same_vm(void **state)
{
    (void)state;
    mem[1][2] = (struct vm_mem_region){.ipa = 0x70000000, .size = 0x100000, .pa = 0x60100000};
    vms[1].mem_count = 3;
    expect_error("VM 'app' (#1) mem[2]:", "overlaps VM 'app' (#1) mem[1] pa [0x60000000, 0x60200000)");
}

/* ---- one VM's IPA space */

static void ipa_mem_overlaps_mem(void **state)
{
    (void)state;
    mem[1][1].ipa = 0x4ff00000;
    expect_error("VM 'app' (#1) mem[1]:", "ipa [0x4ff00000, 0x50100000) overlaps mem[0] ipa [0x40000000, 0x50000000)");
}

static void ipa_dev_overlaps_mem(void **state)
{
    (void)state;
    devs[0][0].ipa = 0x40fff000;
    expect_error("VM 'rtos' (#0) devs[0]:", "overlaps mem[0] ipa");
}

static void ipa_dev_overlaps_dev(void **state)
{
    (void)state;
    devs[1][1] = (struct vm_dev_region){.pa = 0x09040000, .ipa = 0x09030000, .size = 0x1000};
    vms[1].devs_count = 2;
    expect_error("VM 'app' (#1) devs[1]:", "ipa [0x9030000, 0x9031000) overlaps devs[0]");
}

static void ipa_overlaps_emulated_gicd(void **state)
{
    (void)state;
    mem[0][1] = (struct vm_mem_region){.ipa = 0x08000000, .size = 0x10000};
    vms[0].mem_count = 2;
    expect_error("VM 'rtos' (#0) mem[1]:", "overlaps the emulated GICD [0x8000000, 0x8010000)");
}

static void ipa_overlaps_emulated_gicr(void **state)
{
    (void)state;
    /* 4 CPUs x 128 KiB: the redistributors end at 0x08120000. */
    devs[0][0].ipa = 0x0811f000;
    expect_error("VM 'rtos' (#0) devs[0]:", "overlaps the emulated GICR [0x80a0000, 0x8120000)");
}

/* ---- passthrough devices */

static void dev_size_zero(void **state)
{
    (void)state;
    devs[1][0].size = 0;
    expect_error("VM 'app' (#1) devs[0]:", "size is 0");
}

static void dev_misaligned(void **state)
{
    (void)state;
    devs[1][0].pa = 0x09030800;
    expect_error("VM 'app' (#1) devs[0]:", "pa 0x9030800 not 4 KiB aligned");
}

static void dev_overlaps_ram(void **state)
{
    (void)state;
    devs[1][0].pa = 0x7ffff000;
    expect_error("VM 'app' (#1) devs[0]:", "MMIO region overlapping RAM: pa [0x7ffff000, 0x80000000)");
}

static void dev_outside_mmio(void **state)
{
    (void)state;
    devs[1][0].pa = 0x100000000000ull; /* 16 TiB: nothing of virt's there */
    expect_error("VM 'app' (#1) devs[0]:", "pa [0x100000000000, 0x100000001000) not inside any platform MMIO window");
}

/* QEMU virt's flash banks are MMIO windows a firmware VM may be given (issue 13). */
static void dev_in_the_flash_banks(void **state)
{
    (void)state;
    devs[1][0].pa = 0x04000000;
    devs[1][0].ipa = 0x04000000;
    devs[1][0].size = 0x04000000;
    expect_clean();
}

static void dev_overlaps_physical_gicd(void **state)
{
    (void)state;
    devs[1][0].pa = 0x0800f000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICD");
}

static void dev_overlaps_physical_gicr(void **state)
{
    (void)state;
    devs[1][0].pa = 0x080c0000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICR");
}

static void dev_overlaps_other_vm_dev(void **state)
{
    (void)state;
    devs[1][0].pa = 0x09010000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps VM 'rtos' (#0) devs[0] pa [0x9010000, 0x9011000)");
}

static void gicv2_windows(void **state)
{
    (void)state;
    plat.irqchip.kind = IRQCHIP_GICV2;
    plat.irqchip.gicc = 0x08010000;
    plat.irqchip.gich = 0x08030000;
    plat.irqchip.gicv = 0x08040000;
    expect_clean();
    devs[1][0].pa = 0x08030000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICH");
    setup(NULL);
    plat.irqchip.kind = IRQCHIP_GICV2;
    plat.irqchip.gicc = 0x08010000;
    devs[1][0].ipa = 0x08011000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the emulated GICC");
}

/* ZynqMP's GIC-400 repeats each 4 KiB frame across 64 KiB, and GICH has a
 * per-CPU copy in the next block: every alias is the frame. */
static void gicv2_aliased_frames(void **state)
{
    (void)state;
    plat.irqchip.kind = IRQCHIP_GICV2;
    plat.irqchip.gicc = 0x0801f000;
    plat.irqchip.gich = 0x08030000;
    plat.irqchip.gicv = 0x0806f000;
    devs[1][0].pa = 0x08031000; /* a GICH alias: only its first page was checked */
    expect_clean();
    plat.irqchip.gicv2_alias = 0x10000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICH [0x8030000, 0x8050000)");
    devs[1][0].pa = 0x08049000; /* the per-CPU GICH copy */
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICH");
    devs[1][0].pa = 0x08079000; /* GICV at 0x0806f000 + 8 KiB reaches into the next block */
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICV [0x8060000, 0x8080000)");
}

/* GICv4 redistributors with VLPIs are 256 KiB each, not 128 KiB. */
static void gicr_stride_from_platform(void **state)
{
    (void)state;
    /* 4 CPUs: [0x080A0000, 0x081A0000) at 0x40000 each. */
    devs[1][0].pa = 0x09030000; /* inside the platform's MMIO window either way */
    plat.irqchip.gicr_stride = 0x40000;
    devs[1][0].pa = 0x08180000;
    devs[1][0].ipa = 0x09030000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical GICR [0x80a0000, 0x81a0000)");
}

/* RISC-V AIA on the same board data: APLIC at 0x0c000000, S-level IMSIC at 0x0a000000, one
 * guest file per hart, hart ids 0-3; app's device (IPA unchanged) moved to `pa`. */
static void use_aia(uint32_t guest_files, uint64_t pa)
{
    memset(&plat.irqchip, 0, sizeof plat.irqchip);
    plat.irqchip.kind = IRQCHIP_AIA;
    plat.irqchip.aplic = 0x0c000000;
    plat.irqchip.imsic = 0x0a000000;
    plat.irqchip.guest_files = guest_files;
    plat.irqchip.irq_count = 96;
    devs[1][0].pa = pa;
}

static void imsic_dense_harts(void **state)
{
    (void)state;
    /* 4 harts x (S file + 1 guest file): [0xa000000, 0xa008000); the next page is free. */
    use_aia(1, 0x0a008000);
    expect_clean();
    use_aia(1, 0x0a007000);
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical IMSIC [0xa000000, 0xa008000)");
}

static void imsic_power_of_two_stride(void **state)
{
    (void)state;
    /* 1 + 2 files per hart take a 16 KiB block each (AIA §3.6), not 12 KiB: hart 3's guest
     * files are at 0xa00d000-0xa00f000, past 4 x 12 KiB. */
    use_aia(2, 0x0a00c000);
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical IMSIC [0xa000000, 0xa010000)");
    /* A stride the platform gives, larger than the files need. */
    use_aia(1, 0x0a018000);
    plat.irqchip.imsic_hart_stride = 0x8000;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical IMSIC [0xa000000, 0xa020000)");
}

static void imsic_sparse_hart_ids(void **state)
{
    (void)state;
    /* Hart ids 0, 1, 2, 7: hart 7's files are at 0xa00e000, not within 4 harts' worth. */
    use_aia(1, 0x0a00e000);
    plat.cpu_hwid[3] = 7;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical IMSIC [0xa000000, 0xa010000)");
}

static void imsic_hart_groups(void **state)
{
    (void)state;
    /* One hart-index bit: harts 2 and 3 are group 1, 1 MiB above group 0. */
    use_aia(1, 0x0a102000);
    plat.irqchip.imsic_hart_bits = 1;
    plat.irqchip.imsic_group_shift = 20;
    expect_error("VM 'app' (#1) devs[0]:", "overlaps the physical IMSIC [0xa000000, 0xa104000)");
    use_aia(1, 0x0a104000);
    plat.irqchip.imsic_hart_bits = 1;
    plat.irqchip.imsic_group_shift = 20;
    expect_clean();
}

/* ---- interrupts */

static void irq_sgi_or_ppi(void **state)
{
    (void)state;
    irqs[1][0][0] = 27;
    expect_error("VM 'app' (#1) devs[0].irqs[0]:", "interrupt 27 is an SGI/PPI");
}

static void irq_out_of_range(void **state)
{
    (void)state;
    irqs[1][0][0] = 288;
    expect_error("VM 'app' (#1) devs[0].irqs[0]:", "interrupt 288 does not exist (irq_count is 288)");
}

static void irq_given_to_two_vms(void **state)
{
    (void)state;
    irqs[1][0][0] = 34;
    expect_error("VM 'app' (#1) devs[0].irqs[0]:", "interrupt 34 already given to VM 'rtos' (#0) devs[0].irqs[0]");
}

static void irq_given_twice_in_one_vm(void **state)
{
    (void)state;
    irqs[0][0][1] = 34;
    devs[0][0].irqs_count = 2;
    expect_error("VM 'rtos' (#0) devs[0].irqs[1]:", "interrupt 34 already given to VM 'rtos' (#0) devs[0].irqs[0]");
}

static void console_irq_without_uart(void **state)
{
    (void)state;
    irqs[1][0][1] = 33;
    devs[1][0].irqs_count = 2;
    expect_error("VM 'app' (#1) devs[0].irqs[1]:", "interrupt 33 is the console UART's");
}

/* The console UART stays Baohu's even with its page: a VM that owns it
 * could stall the console or write between tagged lines (issue 15). It
 * gets a virtual UART at the same address and interrupt instead. */
static void console_uart_passthrough_is_rejected(void **state)
{
    (void)state;
    devs[1][1] = (struct vm_dev_region){.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000};
    vms[1].devs_count = 2;
    expect_error("VM 'app' (#1) devs[1]:",
                 "pa [0x9000000, 0x9001000) overlaps the console UART [0x9000000, 0x9001000), which Baohu owns");
}

static void console_irq_with_its_page_is_rejected_too(void **state)
{
    (void)state;
    irqs[1][1][0] = 33;
    devs[1][1] = (struct vm_dev_region){.pa = 0x09000000, .ipa = 0x09000000, .size = 0x1000,
                                        .irqs = irqs[1][1], .irqs_count = 1};
    vms[1].devs_count = 2;
    check();
    assert_int_equal(issue_count, 2);
    bool listed = false;
    for (size_t k = 0; k < issue_count; k++)
        listed |= issues[k].error && strstr(issues[k].msg, "VM 'app' (#1) devs[1].irqs[0]:") &&
                  strstr(issues[k].msg, "interrupt 33 is the console UART's, which Baohu owns");
    assert_true(listed);
}

static void vuart_at_the_console_address_and_irq_is_allowed(void **state)
{
    (void)state;
    vms[1].vuart = (struct vm_vuart){.ipa = 0x09000000, .irq = 33};
    expect_clean();
}

static void vuart_misplaced_or_sharing_an_irq(void **state)
{
    (void)state;
    vms[1].vuart = (struct vm_vuart){.ipa = 0x09000800, .irq = 33};
    expect_error("VM 'app' (#1) vuart.ipa:", "0x9000800 is not 4 KiB aligned");
    vms[1].vuart = (struct vm_vuart){.ipa = 0x09000000, .irq = 16};
    expect_error("VM 'app' (#1) vuart.irq:", "interrupt 16 is not one a device can raise (32 to");
}

static void vuart_irq_of_a_device_or_overlapping_memory(void **state)
{
    (void)state;
    vms[1].vuart = (struct vm_vuart){.ipa = 0x09000000, .irq = irqs[1][0][0]};
    expect_error("VM 'app' (#1) vuart.irq:", "is also devs[0].irqs[0]");
    vms[1].vuart = (struct vm_vuart){.ipa = vms[1].mem[0].ipa, .irq = 33};
    expect_error("VM 'app' (#1) vuart[0]:", "overlaps mem[0]");
}

/* ---- entry, image, DTB */

static void entry_outside_mem(void **state)
{
    (void)state;
    vms[1].entry = 0x50000000;
    expect_error("VM 'app' (#1) entry:", "0x50000000 not inside any of the VM's memory regions");
}

static void entry_misaligned(void **state)
{
    (void)state;
    vms[1].entry = 0x40080002;
    expect_error("VM 'app' (#1) entry:", "not 4-byte aligned");
}

static void image_ipa_outside_mem(void **state)
{
    (void)state;
    vms[0].image.ipa = 0x41000000;
    expect_error("VM 'rtos' (#0) image:", "ipa 0x41000000 not inside any of the VM's memory regions");
}

static void embedded_image_too_large(void **state)
{
    (void)state;
    vms[0].image.start = big_image;
    vms[0].image.end = big_image + sizeof big_image;
    vms[0].image.ipa = 0x40ffe000;
    vms[0].entry = 0x40ffe000;
    expect_error("VM 'rtos' (#0) image:", "0x3000 bytes at ipa 0x40ffe000 do not fit in mem[0]");
}

static void embedded_image_missing(void **state)
{
    (void)state;
    vms[0].image.end = NULL;
    expect_error("VM 'rtos' (#0) image:", "embedded image start/end not set");
}

static void preload(uint64_t pa, uint64_t size)
{
    vms[1].image = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = pa, .size = size, .ipa = 0x40080000};
}

static void preloaded_image_ok(void **state)
{
    (void)state;
    preload(0x44000000, 0x100000);
    expect_clean();
}

static void preloaded_image_pa_misaligned(void **state)
{
    (void)state;
    preload(0x44000200, 0x100000);
    expect_error("VM 'app' (#1) image:", "preloaded pa 0x44000200 not 4 KiB aligned");
}

static void preloaded_image_outside_ram(void **state)
{
    (void)state;
    preload(0x30000000, 0x100000);
    expect_error("VM 'app' (#1) image:", "preloaded pa [0x30000000, 0x30100000) not inside platform RAM");
}

/* extra_images: a firmware and its DT as two loader entries (configs/qemu-aarch64-virt/edk2.c). */
static struct vm_image extra[VM_EXTRA_IMAGES_MAX + 1];

static void extra_preload(size_t count)
{
    vms[1].extra_images = extra;
    vms[1].extra_images_count = count;
}

static void extra_images_ok(void **state)
{
    (void)state;
    preload(0x44000000, 0x100000);
    extra[0] = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = 0x44100000, .size = 0x10000, .ipa = 0x40000000};
    extra[1] = (struct vm_image){.kind = VM_IMAGE_EMBEDDED, .start = app_image, .end = app_image + sizeof app_image,
                                 .ipa = 0x40200000};
    extra_preload(2);
    expect_clean();
}

static void extra_images_overlap_in_the_vm(void **state)
{
    (void)state;
    preload(0x44000000, 0x100000); /* at ipa 0x40080000 */
    extra[0] = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = 0x44100000, .size = 0x10000, .ipa = 0x40100000};
    extra_preload(1);
    expect_error("VM 'app' (#1) extra_images[0]:",
                 "ipa [0x40100000, 0x40110000) overlaps image ipa [0x40080000, 0x40180000)");
}

static void extra_images_share_loaded_pages(void **state)
{
    (void)state;
    preload(0x44000000, 0x1800);
    extra[0] = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = 0x44001000, .size = 0x1000, .ipa = 0x40000000};
    extra_preload(1);
    expect_error("VM 'app' (#1) extra_images[0]:",
                 "preloaded pa [0x44001000, 0x44002000) overlaps VM 'app' (#1) image pa [0x44000000, 0x44001800)");
}

static void extra_image_outside_mem(void **state)
{
    (void)state;
    extra[0] = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = 0x44100000, .size = 0x1000, .ipa = 0x90000000};
    extra_preload(1);
    expect_error("VM 'app' (#1) extra_images[0]:", "ipa 0x90000000 not inside any of the VM's memory regions");
}

static void too_many_extra_images(void **state)
{
    (void)state;
    for (size_t k = 0; k <= VM_EXTRA_IMAGES_MAX; k++)
        extra[k] = (struct vm_image){.kind = VM_IMAGE_PRELOADED, .pa = 0x44100000 + (k << 12), .size = 0x1000,
                                     .ipa = 0x40200000 + (k << 12)};
    extra_preload(VM_EXTRA_IMAGES_MAX + 1);
    expect_error("VM 'app' (#1) extra_images:", "5 images, at most 4");
}

static void extra_images_null_with_a_count(void **state)
{
    (void)state;
    vms[1].extra_images_count = 2;
    expect_error("VM 'app' (#1) extra_images:", "extra_images_count is 2 but extra_images is NULL");
}

static void preloaded_image_over_baohu(void **state)
{
    (void)state;
    preload(0x40000000, 0x1000);
    expect_error("VM 'app' (#1) image:", "overlaps Baohu's reserved memory");
}

static void preloaded_image_size_zero(void **state)
{
    (void)state;
    preload(0x44000000, 0);
    expect_error("VM 'app' (#1) image:", "preloaded size is 0");
}

static void preloaded_image_too_large(void **state)
{
    (void)state;
    preload(0x44000000, 0x10000000);
    expect_error("VM 'app' (#1) image:", "do not fit in mem[0] ipa [0x40000000, 0x50000000) (0xff80000 bytes left)");
}

static void dtb_outside_mem(void **state)
{
    (void)state;
    vms[1].dtb_ipa = 0x70000000;
    expect_error("VM 'app' (#1) dtb_ipa:", "0x70000000 not inside any of the VM's memory regions");
}

static void dtb_misaligned_is_a_warning(void **state)
{
    (void)state;
    vms[1].dtb_ipa = 0x48000004;
    expect_one_issue(false, "VM 'app' (#1) dtb_ipa:", "not 8-byte aligned");
}

static void unknown_fault_policy(void **state)
{
    (void)state;
    vms[0].fault_policy = (enum vm_fault_policy)7;
    expect_error("VM 'rtos' (#0) fault_policy:", "unknown value 7");
}

static void negative_fault_policy(void **state)
{
    (void)state;
    vms[1].fault_policy = (enum vm_fault_policy)-1;
    expect_error("VM 'app' (#1) fault_policy:", "unknown value -1 (VM_FAULT_INJECT, VM_FAULT_STOP or");
}

/* A config that does not say gets inject (the zero value); all three are valid. */
static void every_fault_policy_is_valid(void **state)
{
    (void)state;
    const enum vm_fault_policy all[] = {VM_FAULT_INJECT, VM_FAULT_STOP, VM_FAULT_RESET};
    struct vm_config unset = {0};
    assert_int_equal(unset.fault_policy, VM_FAULT_INJECT);
    for (size_t i = 0; i < CONFIG_ARRAY_SIZE(all); i++) {
        vms[0].fault_policy = all[i];
        vms[1].fault_policy = all[CONFIG_ARRAY_SIZE(all) - 1 - i];
        expect_clean();
    }
}

/* ---- memory budget */

static void nonfixed_memory_fits_exactly(void **state)
{
    (void)state;
    /* 1 GiB - 64 MiB (Baohu) - 2 MiB (app's fixed) - 16 MiB - 256 MiB. */
    mem[0][1] = (struct vm_mem_region){.ipa = 0x50000000, .size = 0x2ae00000};
    vms[0].mem_count = 2;
    expect_clean();
}

static void nonfixed_memory_exceeds_ram(void **state)
{
    (void)state;
    mem[0][1] = (struct vm_mem_region){.ipa = 0x50000000, .size = 0x2ae01000};
    vms[0].mem_count = 2;
    expect_error("VM 'app' (#1) mem[0]:", "non-fixed memory of all VMs reaches 0x3be01000 bytes, more than the 0x3be00000 bytes of RAM left");
}

/* ---- inter-VM communication and cache colouring */

/* Both VMs share object 0: rtos with a doorbell page, app read-only. */
static void add_ipc(void)
{
    shm[0] = (struct shmem_config){.name = "chan", .size = 0x10000};
    ipcs[0][0] = (struct vm_ipc){.shmem_id = 0, .ipa = 0x50000000, .writable = true,
                                 .doorbell_irq = 52, .doorbell_ipa = 0x50100000};
    ipcs[1][0] = (struct vm_ipc){.shmem_id = 0, .ipa = 0x70000000, .doorbell_irq = 53};
    vms[0].ipcs = ipcs[0];
    vms[0].ipcs_count = 1;
    vms[1].ipcs = ipcs[1];
    vms[1].ipcs_count = 1;
    cfg.shmem = shm;
    cfg.shmem_count = 1;
}

static void ipc_valid(void **state)
{
    (void)state;
    add_ipc();
    expect_clean();
}

static void ipc_unknown_object(void **state)
{
    (void)state;
    add_ipc();
    ipcs[1][0].shmem_id = 3;
    expect_error("VM 'app' (#1) ipcs[0]", "shmem_id 3 does not exist");
}

static void ipc_overlaps_memory(void **state)
{
    (void)state;
    add_ipc();
    ipcs[0][0].ipa = 0x40ff0000;
    expect_error("VM 'rtos' (#0) ipcs[0]", "overlaps mem[0]");
}

static void ipc_doorbell_overlaps_object(void **state)
{
    (void)state;
    add_ipc();
    ipcs[0][0].doorbell_ipa = 0x50008000;
    expect_error("VM 'rtos' (#0) ipcs doorbell[0]", "overlaps ipcs[0]");
}

static void ipc_doorbell_irq_is_a_device_irq(void **state)
{
    (void)state;
    add_ipc();
    ipcs[0][0].doorbell_irq = 34;
    expect_error("VM 'rtos' (#0) ipcs[0].doorbell_irq", "also devs[0].irqs[0]");
}

static void ipc_doorbell_irq_not_an_spi(void **state)
{
    (void)state;
    add_ipc();
    ipcs[1][0].doorbell_irq = 27;
    expect_error("VM 'app' (#1) ipcs[0].doorbell_irq", "is not a device interrupt of this platform's GICv3 (SPIs 32..287)");
}

static void ipc_object_unused_is_a_warning(void **state)
{
    (void)state;
    add_ipc();
    shm[1] = (struct shmem_config){.name = "spare", .size = 0x1000};
    cfg.shmem_count = 2;
    expect_one_issue(false, "shmem[1] 'spare'", "no VM uses it");
}

static void colours_valid(void **state)
{
    (void)state;
    vms[0].colours = 0x000f;
    vms[1].colours = 0xfff0;
    expect_clean();
}

static void colours_beyond_platform(void **state)
{
    (void)state;
    vms[0].colours = 0x10000; /* colour 16 of 16 (0..15) */
    expect_error("VM 'rtos' (#0) colours", "beyond the platform's 16");
}

static void colours_shared_is_a_warning(void **state)
{
    (void)state;
    vms[0].colours = 0x00ff;
    vms[1].colours = 0xff80;
    expect_one_issue(false, "VM 'app' (#1) colours", "shares colours 0x80 with VM 'rtos' (#0)");
}

static void colours_without_llc_geometry(void **state)
{
    (void)state;
    plat.llc.size = 0;
    vms[1].colours = 0x3;
    expect_error("VM 'app' (#1) colours", "declares no LLC geometry");
}

/* ---- colouring Baohu itself */

/* The baseline without app's fixed-pa region (uncoloured memory, below). */
static void no_fixed_pa(void)
{
    vms[1].mem_count = 1;
}

static void hyp_colours_with_fixed_pa_or_shared_memory(void **state)
{
    (void)state;
    cfg.hyp_colours = 0x000f;
    vms[0].colours = 0x00f0;
    vms[1].colours = 0xff00;
    expect_error("config hyp_colours: VM 'app' (#1) mem[1] at fixed pa 0x60000000",
                 "is uncoloured, its pages of Baohu's colours 0xf too");
    no_fixed_pa();
    shm[0] = (struct shmem_config){.name = "ring", .size = 0x1000};
    ipcs[0][0] = (struct vm_ipc){.shmem_id = 0, .ipa = 0x50000000, .writable = true};
    ipcs[1][0] = (struct vm_ipc){.shmem_id = 0, .ipa = 0x50000000, .writable = true};
    vms[0].ipcs = ipcs[0];
    vms[0].ipcs_count = 1;
    vms[1].ipcs = ipcs[1];
    vms[1].ipcs_count = 1;
    cfg.shmem = shm;
    cfg.shmem_count = 1;
    expect_error("config hyp_colours: shmem[0] 'ring'", "is uncoloured");
    cfg.hyp_colours_shared = true;
    expect_one_issue(false, "config hyp_colours: shmem[0] 'ring'", "as hyp_colours_shared allows");
}

static void hyp_colours_valid(void **state)
{
    (void)state;
    no_fixed_pa();
    cfg.hyp_colours = 0x000f;
    vms[0].colours = 0x00f0;
    vms[1].colours = 0xff00;
    expect_clean();
}

static void hyp_colours_shared_with_a_vm(void **state)
{
    (void)state;
    no_fixed_pa();
    cfg.hyp_colours = 0x000f;
    vms[0].colours = 0x0018;
    vms[1].colours = 0xff00;
    expect_error("config hyp_colours: VM 'rtos' (#0)", "shares Baohu's colours 0x8");
}

static void hyp_colours_shared_when_allowed_is_a_warning(void **state)
{
    (void)state;
    no_fixed_pa();
    cfg.hyp_colours = 0x000f;
    cfg.hyp_colours_shared = true;
    vms[0].colours = 0x00f0;
    vms[1].colours = 0xff0c;
    expect_one_issue(false, "config hyp_colours: VM 'app' (#1)", "shares Baohu's colours 0xc, as hyp_colours_shared allows");
}

static void hyp_colours_with_an_uncoloured_vm(void **state)
{
    (void)state;
    no_fixed_pa();
    cfg.hyp_colours = 0x000f;
    vms[1].colours = 0xff00;
    expect_error("config hyp_colours: VM 'rtos' (#0)", "is uncoloured, its pages of any colour, Baohu's 0xf");
    cfg.hyp_colours_shared = true;
    expect_one_issue(false, "config hyp_colours: VM 'rtos' (#0)", "is uncoloured");
}

static void hyp_colours_beyond_platform(void **state)
{
    (void)state;
    no_fixed_pa();
    cfg.hyp_colours = 0x1000f; /* colour 16 of 16 (0..15) */
    vms[0].colours = 0x00f0;
    vms[1].colours = 0xff00;
    expect_error("config hyp_colours: 0x1000f", "beyond the platform's 16");
}

static void hyp_colours_need_aligned_quad_with_an_smmu(void **state)
{
    (void)state;
    no_fixed_pa();
    /* Colours 2-5: four, but no 16 KiB aligned block of them for the stream table. */
    cfg.hyp_colours = 0x003c;
    vms[0].colours = 0x00c0;
    vms[1].colours = 0xff00;
    expect_error("config hyp_colours: 0x3c", "no 4 adjacent colours 4k..4k+3, which the SMMU stream table needs");
    cfg.hyp_colours = 0x00f0;
    vms[0].colours = 0x000f;
    expect_clean();
    /* Without an SMMU (and not RISC-V), any colours do. */
    plat.iommu.base = 0;
    cfg.hyp_colours = 0x0003;
    vms[0].colours = 0x00f0;
    expect_clean();
}

static void hyp_colours_without_llc_geometry(void **state)
{
    (void)state;
    plat.llc.size = 0;
    cfg.hyp_colours = 0x000f;
    expect_error("config hyp_colours: 0xf", "declares no LLC geometry");
}

static void hyp_colours_shared_without_hyp_colours(void **state)
{
    (void)state;
    cfg.hyp_colours_shared = true;
    expect_one_issue(false, "config hyp_colours:", "hyp_colours_shared set, but Baohu is uncoloured");
}

/* ---- SMCCC forwarding allow-list */

static uint32_t fids[4];

static void smc_forward_valid(void **state)
{
    (void)state;
    fids[0] = 0xc2000001; /* SiP, SMC64 fast call */
    fids[1] = 0x83000010; /* OEM, SMC32 fast call */
    vms[1].smc_forward = fids;
    vms[1].smc_forward_count = 2;
    expect_clean();
}

static void smc_forward_yielding_call(void **state)
{
    (void)state;
    fids[0] = 0x42000001;
    vms[1].smc_forward = fids;
    vms[1].smc_forward_count = 1;
    expect_error("VM 'app' (#1) smc_forward[0]", "0x42000001 is a yielding call");
}

static void smc_forward_not_sip_or_oem(void **state)
{
    (void)state;
    fids[0] = 0xc2000001;
    fids[1] = 0x84000008; /* PSCI SYSTEM_OFF: standard service, owner 4 */
    vms[0].smc_forward = fids;
    vms[0].smc_forward_count = 2;
    expect_error("VM 'rtos' (#0) smc_forward[1]", "0x84000008 belongs to owner 4, not SiP (2) or OEM (3)");
}

static void smc_forward_reserved_bits(void **state)
{
    (void)state;
    fids[0] = 0xc2100001;
    vms[0].smc_forward = fids;
    vms[0].smc_forward_count = 1;
    expect_error("VM 'rtos' (#0) smc_forward[0]", "bits [23:17] set");
}

static void smc_forward_duplicate(void **state)
{
    (void)state;
    fids[0] = 0xc2000001;
    fids[1] = 0xc2000001;
    vms[0].smc_forward = fids;
    vms[0].smc_forward_count = 2;
    expect_error("VM 'rtos' (#0) smc_forward[1]", "already listed as smc_forward[0]");
}

static void smc_forward_missing_array(void **state)
{
    (void)state;
    vms[0].smc_forward_count = 3;
    expect_error("VM 'rtos' (#0) smc_forward", "smc_forward_count is 3 but smc_forward is NULL");
}

static void smc_forward_on_riscv(void **state)
{
    (void)state;
    plat.irqchip.kind = IRQCHIP_PLIC;
    fids[0] = 0xc2000001;
    vms[0].smc_forward = fids;
    vms[0].smc_forward_count = 1;
    expect_error("VM 'rtos' (#0) smc_forward", "Arm platforms only");
}

/* ---- manager and watchdog */

static void one_manager_and_watchdogs_are_valid(void **state)
{
    (void)state;
    vms[1].manager = true;
    vms[0].watchdog_ms = 10;
    vms[1].watchdog_ms = 3600000;
    expect_clean();
}

static void second_manager(void **state)
{
    (void)state;
    vms[0].manager = true;
    vms[1].manager = true;
    expect_error("VM 'app' (#1) manager", "VM 'rtos' (#0) is the manager already; at most one VM may be");
}

static void watchdog_period_out_of_range(void **state)
{
    (void)state;
    vms[0].watchdog_ms = 9;
    expect_error("VM 'rtos' (#0) watchdog_ms", "9 is outside 10..3600000");
    vms[0].watchdog_ms = 3600001;
    expect_error("VM 'rtos' (#0) watchdog_ms", "3600001 is outside 10..3600000");
}


/* Is there an issue of kind `error` whose message contains `what`? */
static bool has_issue(bool error, const char *what)
{
    for (size_t i = 0; i < issue_count && i < CONFIG_ARRAY_SIZE(issues); i++)
        if (issues[i].error == error && strstr(issues[i].msg, what))
            return true;
    return false;
}

static void ipc_object_listed_twice(void **state)
{
    (void)state;
    add_ipc();
    ipcs[1][1] = (struct vm_ipc){.shmem_id = 0, .ipa = 0x72000000};
    vms[1].ipcs_count = 2;
    expect_error("VM 'app' (#1) ipcs[1]", "shmem_id 0 already listed as ipcs[0]");
}

static void ipc_doorbell_irq_used_twice(void **state)
{
    (void)state;
    add_ipc();
    shm[1] = (struct shmem_config){.name = "second", .size = 0x1000};
    cfg.shmem_count = 2;
    ipcs[1][1] = (struct vm_ipc){.shmem_id = 1, .ipa = 0x72000000, .doorbell_irq = 53};
    vms[1].ipcs_count = 2;
    expect_error("VM 'app' (#1) ipcs[1].doorbell_irq", "interrupt 53 already used by ipcs[0]");
    /* Another interrupt, or none at all (no doorbell), is fine. */
    ipcs[1][1].doorbell_irq = 54;
    expect_clean();
    ipcs[1][1].doorbell_irq = 0;
    ipcs[1][0].doorbell_irq = 0;
    expect_clean();
}

static void shmem_size_not_page_aligned(void **state)
{
    (void)state;
    add_ipc();
    shm[0].size = 0x10800;
    check();
    if (!has_issue(true, "shmem[0] 'chan': size 0x10800 is zero or not 4 KiB aligned")) {
        print_issues();
        fail();
    }
    shm[0].size = 0x1001;
    check();
    assert_true(has_issue(true, "size 0x1001 is zero or not 4 KiB aligned"));
    shm[0].size = 0;
    check();
    assert_true(has_issue(true, "size 0x0 is zero or not 4 KiB aligned"));
}

/* The last SPI of the platform is a doorbell's; one past it is not. */
static void ipc_doorbell_irq_upper_bound(void **state)
{
    (void)state;
    add_ipc();
    ipcs[1][0].doorbell_irq = plat.irqchip.irq_count - 1;
    expect_clean();
    ipcs[1][0].doorbell_irq = plat.irqchip.irq_count;
    expect_error("VM 'app' (#1) ipcs[0].doorbell_irq", "is not a device interrupt of this platform's GICv3 (SPIs 32..287)");
}

static void shmem_at_most_16_objects(void **state)
{
    (void)state;
    static struct shmem_config many[17];
    add_ipc();
    for (size_t s = 0; s < 17; s++)
        many[s] = (struct shmem_config){.name = "o", .size = 0x1000};
    cfg.shmem = many;
    cfg.shmem_count = 16;
    check();
    assert_false(has_issue(true, "at most 16"));
    cfg.shmem_count = 17;
    /* 16 "no VM uses it" warnings come first: room for all of them. */
    static struct config_issue all[24];
    size_t n = config_check(&plat, &cfg, all, CONFIG_ARRAY_SIZE(all));
    bool found = false;
    for (size_t i = 0; i < n && i < CONFIG_ARRAY_SIZE(all); i++)
        found |= all[i].error && strstr(all[i].msg, "config shmem: 17 objects, at most 16") != NULL;
    assert_true(found);
}

/* The platform's 16 colours: 0x8000 is the last, 0x10000 and beyond do not exist. */
static void colours_last_of_the_platform(void **state)
{
    (void)state;
    vms[0].colours = 0x8000;
    expect_clean();
    vms[0].colours = 0x20000;
    expect_error("VM 'rtos' (#0) colours", "beyond the platform's 16");
}

/* Overlaps by a single byte at either end are overlaps. */
static void ipa_overlap_by_one_byte(void **state)
{
    (void)state;
    /* The device's last byte is mem[0]'s first. */
    devs[0][0].ipa = 0x3ffff001;
    check();
    assert_true(has_issue(true, "overlaps mem[0] ipa"));
    /* Its first byte is mem[0]'s last. */
    devs[0][0].ipa = 0x40ffffff;
    check();
    assert_true(has_issue(true, "overlaps mem[0] ipa"));
    /* Touching is not overlapping. */
    devs[0][0].ipa = 0x41000000;
    expect_clean();
    devs[0][0].ipa = 0x3ffff000;
    expect_clean();
}

/* A fixed physical range that wraps past 2^64 is refused as such. */
static void mem_pa_wraps(void **state)
{
    (void)state;
    mem[0][1] = (struct vm_mem_region){.ipa = 0x50000000, .size = 0x200000, .pa = 0xfffffffffff00000};
    vms[0].mem_count = 2;
    check();
    if (!has_issue(true, "VM 'rtos' (#0) mem[1]: ipa/pa + size 0x200000 wraps past 2^64")) {
        print_issues();
        fail();
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(valid_config_has_no_issues, setup),
        cmocka_unit_test_setup(issues_beyond_max_are_counted_not_stored, setup),
        cmocka_unit_test_setup(no_vms, setup),
        cmocka_unit_test_setup(vm_without_name, setup),
        cmocka_unit_test_setup(duplicate_name, setup),
        cmocka_unit_test_setup(cpus_empty, setup),
        cmocka_unit_test_setup(cpu_outside_platform, setup),
        cmocka_unit_test_setup(cpu_assigned_twice, setup),
        cmocka_unit_test_setup(mem_size_zero, setup),
        cmocka_unit_test_setup(mem_ipa_misaligned, setup),
        cmocka_unit_test_setup(mem_pa_misaligned, setup),
        cmocka_unit_test_setup(mem_size_misaligned, setup),
        cmocka_unit_test_setup(mem_wraps, setup),
        cmocka_unit_test_setup(mem_pa_wraps, setup),
        cmocka_unit_test_setup(ipa_overlap_by_one_byte, setup),
        cmocka_unit_test_setup(mem_null_with_count, setup),
        cmocka_unit_test_setup(fixed_mem_outside_ram, setup),
        cmocka_unit_test_setup(fixed_mem_overlaps_hyp, setup),
        cmocka_unit_test_setup(fixed_mem_overlaps_other_vm, setup),
        cmocka_unit_test_setup(fixed_mem_overlaps_same_vm, setup),
        cmocka_unit_test_setup(ipa_mem_overlaps_mem, setup),
        cmocka_unit_test_setup(ipa_dev_overlaps_mem, setup),
        cmocka_unit_test_setup(ipa_dev_overlaps_dev, setup),
        cmocka_unit_test_setup(ipa_overlaps_emulated_gicd, setup),
        cmocka_unit_test_setup(ipa_overlaps_emulated_gicr, setup),
        cmocka_unit_test_setup(dev_size_zero, setup),
        cmocka_unit_test_setup(dev_misaligned, setup),
        cmocka_unit_test_setup(dev_overlaps_ram, setup),
        cmocka_unit_test_setup(dev_outside_mmio, setup),
        cmocka_unit_test_setup(dev_in_the_flash_banks, setup),
        cmocka_unit_test_setup(dev_overlaps_physical_gicd, setup),
        cmocka_unit_test_setup(dev_overlaps_physical_gicr, setup),
        cmocka_unit_test_setup(dev_overlaps_other_vm_dev, setup),
        cmocka_unit_test_setup(gicv2_windows, setup),
        cmocka_unit_test_setup(gicv2_aliased_frames, setup),
        cmocka_unit_test_setup(gicr_stride_from_platform, setup),
        cmocka_unit_test_setup(imsic_dense_harts, setup),
        cmocka_unit_test_setup(imsic_power_of_two_stride, setup),
        cmocka_unit_test_setup(imsic_sparse_hart_ids, setup),
        cmocka_unit_test_setup(imsic_hart_groups, setup),
        cmocka_unit_test_setup(irq_sgi_or_ppi, setup),
        cmocka_unit_test_setup(irq_out_of_range, setup),
        cmocka_unit_test_setup(irq_given_to_two_vms, setup),
        cmocka_unit_test_setup(irq_given_twice_in_one_vm, setup),
        cmocka_unit_test_setup(console_irq_without_uart, setup),
        cmocka_unit_test_setup(console_uart_passthrough_is_rejected, setup),
        cmocka_unit_test_setup(console_irq_with_its_page_is_rejected_too, setup),
        cmocka_unit_test_setup(vuart_at_the_console_address_and_irq_is_allowed, setup),
        cmocka_unit_test_setup(vuart_misplaced_or_sharing_an_irq, setup),
        cmocka_unit_test_setup(vuart_irq_of_a_device_or_overlapping_memory, setup),
        cmocka_unit_test_setup(entry_outside_mem, setup),
        cmocka_unit_test_setup(entry_misaligned, setup),
        cmocka_unit_test_setup(image_ipa_outside_mem, setup),
        cmocka_unit_test_setup(embedded_image_too_large, setup),
        cmocka_unit_test_setup(embedded_image_missing, setup),
        cmocka_unit_test_setup(preloaded_image_ok, setup),
        cmocka_unit_test_setup(preloaded_image_pa_misaligned, setup),
        cmocka_unit_test_setup(preloaded_image_outside_ram, setup),
        cmocka_unit_test_setup(extra_images_ok, setup),
        cmocka_unit_test_setup(extra_images_overlap_in_the_vm, setup),
        cmocka_unit_test_setup(extra_images_share_loaded_pages, setup),
        cmocka_unit_test_setup(extra_image_outside_mem, setup),
        cmocka_unit_test_setup(too_many_extra_images, setup),
        cmocka_unit_test_setup(extra_images_null_with_a_count, setup),
        cmocka_unit_test_setup(preloaded_image_over_baohu, setup),
        cmocka_unit_test_setup(preloaded_image_size_zero, setup),
        cmocka_unit_test_setup(preloaded_image_too_large, setup),
        cmocka_unit_test_setup(dtb_outside_mem, setup),
        cmocka_unit_test_setup(dtb_misaligned_is_a_warning, setup),
        cmocka_unit_test_setup(unknown_fault_policy, setup),
        cmocka_unit_test_setup(negative_fault_policy, setup),
        cmocka_unit_test_setup(every_fault_policy_is_valid, setup),
        cmocka_unit_test_setup(nonfixed_memory_fits_exactly, setup),
        cmocka_unit_test_setup(nonfixed_memory_exceeds_ram, setup),
        cmocka_unit_test_setup(ipc_valid, setup),
        cmocka_unit_test_setup(ipc_unknown_object, setup),
        cmocka_unit_test_setup(ipc_overlaps_memory, setup),
        cmocka_unit_test_setup(ipc_doorbell_overlaps_object, setup),
        cmocka_unit_test_setup(ipc_doorbell_irq_is_a_device_irq, setup),
        cmocka_unit_test_setup(ipc_doorbell_irq_not_an_spi, setup),
        cmocka_unit_test_setup(ipc_object_unused_is_a_warning, setup),
        cmocka_unit_test_setup(ipc_object_listed_twice, setup),
        cmocka_unit_test_setup(ipc_doorbell_irq_used_twice, setup),
        cmocka_unit_test_setup(shmem_size_not_page_aligned, setup),
        cmocka_unit_test_setup(ipc_doorbell_irq_upper_bound, setup),
        cmocka_unit_test_setup(shmem_at_most_16_objects, setup),
        cmocka_unit_test_setup(colours_last_of_the_platform, setup),
        cmocka_unit_test_setup(colours_valid, setup),
        cmocka_unit_test_setup(colours_beyond_platform, setup),
        cmocka_unit_test_setup(colours_shared_is_a_warning, setup),
        cmocka_unit_test_setup(colours_without_llc_geometry, setup),
        cmocka_unit_test_setup(hyp_colours_valid, setup),
        cmocka_unit_test_setup(hyp_colours_shared_with_a_vm, setup),
        cmocka_unit_test_setup(hyp_colours_shared_when_allowed_is_a_warning, setup),
        cmocka_unit_test_setup(hyp_colours_with_an_uncoloured_vm, setup),
        cmocka_unit_test_setup(hyp_colours_beyond_platform, setup),
        cmocka_unit_test_setup(hyp_colours_need_aligned_quad_with_an_smmu, setup),
        cmocka_unit_test_setup(hyp_colours_without_llc_geometry, setup),
        cmocka_unit_test_setup(hyp_colours_shared_without_hyp_colours, setup),
        cmocka_unit_test_setup(hyp_colours_with_fixed_pa_or_shared_memory, setup),
        cmocka_unit_test_setup(smc_forward_valid, setup),
        cmocka_unit_test_setup(smc_forward_yielding_call, setup),
        cmocka_unit_test_setup(smc_forward_not_sip_or_oem, setup),
        cmocka_unit_test_setup(smc_forward_reserved_bits, setup),
        cmocka_unit_test_setup(smc_forward_duplicate, setup),
        cmocka_unit_test_setup(smc_forward_missing_array, setup),
        cmocka_unit_test_setup(smc_forward_on_riscv, setup),
        cmocka_unit_test_setup(one_manager_and_watchdogs_are_valid, setup),
        cmocka_unit_test_setup(second_manager, setup),
        cmocka_unit_test_setup(watchdog_period_out_of_range, setup),
    };

    return cmocka_run_group_tests_name("config_check", tests, NULL, NULL);
}
