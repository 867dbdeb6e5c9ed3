/* Baohu's static configuration schema: one struct per VM, written in C under configs/. */
#ifndef BAOHU_CONFIG_H
#define BAOHU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A config file (configs/<platform>/<name>.c) defines exactly one
 *     const struct baohu_config baohu_config = { ... };
 * It is compiled twice: into the hypervisor, and into the host tool
 * build/<platform>/config-check which validates it before Baohu is linked
 * (tools/config_check.c, rules in src/core/config_check.c). Addresses are
 * plain integers here; the hypervisor converts them into its typed
 * addresses (paddr_t / ipa_t) at the point of use.
 */

#define CONFIG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* `CONFIG_LIST(mem, rtos_mem)` sets both .mem and .mem_count. */
#define CONFIG_LIST(field, a) .field = (a), .field##_count = CONFIG_ARRAY_SIZE(a)

/* Guest RAM. Mapped read/write/execute at `ipa`. */
struct vm_mem_region {
    uint64_t ipa;
    uint64_t size;
    /* 0: Baohu allocates the backing pages anywhere. Otherwise this exact
     * physical address (identity mapping when pa == ipa, for DMA). */
    uint64_t pa;
    /* Not one of the memory nodes of the device tree config-dts prints:
     * memory the guest knows of itself, such as a firmware's flash bank 0
     * holding its code (EDK2 for QEMU virt runs from 0x0). It is RAM to
     * Baohu, loaded and reset like the rest. */
    bool dt_hidden;
};

/* A range of IOMMU stream IDs (PCIe: requester IDs, bus << 8 | dev << 3 | fn). */
struct vm_stream_range {
    uint32_t base;
    uint32_t count;
};

/* A passthrough device: its MMIO pages and the interrupts it raises. */
struct vm_dev_region {
    uint64_t pa;
    uint64_t ipa;
    uint64_t size;
    const uint32_t *irqs; /* physical interrupt ids (GIC INTIDs, PLIC / APLIC sources), delivered with the same virtual id */
    size_t irqs_count;
    /*
     * DMA (docs/config.md, "DMA"). A device that masters memory (a DMA
     * engine, a PCIe host bridge whose endpoints do) sets `dma`. On a
     * platform with an IOMMU it must name the stream IDs it emits: each
     * is translated through this VM's memory map (its RAM and writable
     * shared memory at their IPAs, nothing else). On a platform without
     * one, its DMA reaches all of physical memory: the config must say so
     * with `dma_unconfined`, and the build warns.
     */
    bool dma;
    const struct vm_stream_range *streams;
    size_t streams_count;
    bool dma_unconfined;
};

enum vm_image_kind {
    VM_IMAGE_EMBEDDED,  /* linked into Baohu's image (BAOHU_INCBIN) */
    VM_IMAGE_PRELOADED, /* placed in memory by the loader at `pa` */
};

struct vm_image {
    enum vm_image_kind kind;
    const uint8_t *start; /* VM_IMAGE_EMBEDDED */
    const uint8_t *end;
    uint64_t pa;          /* VM_IMAGE_PRELOADED */
    uint64_t size;        /* VM_IMAGE_PRELOADED */
    uint64_t ipa;         /* where the image is placed in the guest */
};

/* At most this many extra_images per VM. */
#define VM_EXTRA_IMAGES_MAX 4

/*
 * Inter-VM communication: a shared-memory object, declared once, mapped into
 * every VM that lists it in its `ipcs`. Peers notify each other with the
 * ipc_notify hypercall (or the optional doorbell page), which raises each
 * other peer's `doorbell_irq`.
 */
struct shmem_config {
    const char *name;
    uint64_t size;
    uint64_t pa; /* 0: Baohu allocates it */
};

#define VM_IPC_MAX 8
#define IPC_EVENTS 32 /* events 0..31 per notification */

struct vm_ipc {
    uint32_t shmem_id;     /* index into baohu_config.shmem */
    uint64_t ipa;          /* where this VM sees the object */
    bool writable;         /* false: mapped read-only */
    uint32_t doorbell_irq; /* virtual interrupt (SPI INTID, PLIC / APLIC source) raised when a peer notifies; 0 = none */
    /* Emulated doorbell page (4 KiB) for guest user space (e.g. Linux UIO):
     * a 32-bit write of an event number at offset 0 notifies the peers; a
     * 32-bit read at offset 4 returns and clears the events peers raised
     * towards this VM. 0 = none. */
    uint64_t doorbell_ipa;
};

/*
 * What happens when a guest steps outside its partition or does something
 * Baohu does not emulate (docs/design.md, "Fault model"). Every fault is
 * counted and reported, rate-limited, whatever the policy.
 */
enum vm_fault_policy {
    /* Default: the guest receives the exception hardware would raise (a
     * synchronous external abort, UNDEFINED, an access fault...) and goes
     * on. A guest that cannot take it (a fault storm inside its own
     * exception vector) is stopped. */
    VM_FAULT_INJECT,
    VM_FAULT_STOP,  /* stop every vCPU of the VM and report */
    VM_FAULT_RESET, /* report, then restart the VM from its image */
};

/*
 * RISC-V: hardware counters a VM reads directly (hcounteren, priv. §9.2.5)
 * besides `time`, which every VM gets. Off by default: `cycle` gives a
 * guest cycle-accurate timing of its neighbours' effect on shared caches
 * and buses, and `instret` also counts instructions Baohu retires for it in
 * HS-mode. Without a bit, reading that counter is an illegal instruction in
 * the guest. Arm platforms have none of these: the field must be 0 there.
 */
#define VM_COUNTER_CYCLE (1u << 0)
#define VM_COUNTER_INSTRET (1u << 1)
#define VM_COUNTERS_ALL (VM_COUNTER_CYCLE | VM_COUNTER_INSTRET)

/*
 * A virtual console UART (docs/config.md, "Virtual console"): an emulated
 * PL011 (Arm) or NS16550A (RISC-V) in the 4 KiB page at `ipa`, raising the
 * VM's virtual interrupt `irq` (Arm: an SPI INTID; RISC-V: an interrupt
 * source). What the guest writes to it becomes the VM's tagged console
 * lines; it receives what is typed while the VM has the console's input
 * (README, "Console"). ipa 0: none.
 */
struct vm_vuart {
    uint64_t ipa;
    uint32_t irq;
};

struct vm_config {
    const char *name;
    uint64_t cpus; /* bitmap of physical CPUs; vCPU i runs on the i-th set bit */
    const struct vm_mem_region *mem;
    size_t mem_count;
    const struct vm_dev_region *devs;
    size_t devs_count;
    struct vm_image image;
    /* Further images copied in beside `image` at every boot and reset, such
     * as a firmware in its flash bank and the device tree it reads from the
     * start of RAM. No two images may overlap. */
    const struct vm_image *extra_images;
    size_t extra_images_count;
    uint64_t entry;   /* IPA of vCPU 0's first instruction */
    uint64_t dtb_ipa; /* passed in x0 at entry; 0 = none */
    enum vm_fault_policy fault_policy;
    const struct vm_ipc *ipcs;
    size_t ipcs_count;
    /* LLC colours this VM's RAM comes from (bit n = colour n); 0 = any page.
     * Colours = LLC size / (ways x 4 KiB), from the platform description. */
    uint64_t colours;
    /* Arm: SMCCC function ids of SiP (owner 2) or OEM (owner 3) fast calls
     * this VM's SMC/HVC calls are forwarded to the platform firmware with
     * (docs/config.md, "smc_forward"); every other such call is
     * NOT_SUPPORTED. The firmware acts for the caller unchecked: list only
     * calls that cannot reach other VMs' memory or devices. */
    const uint32_t *smc_forward;
    size_t smc_forward_count;
    /* VM_COUNTER_* the guest may read without a trap (RISC-V); 0 = time only. */
    uint32_t counters;
    struct vm_vuart vuart;
    /* May list, stop, start and restart the other VMs and read their
     * statistics (include/baohu/hypercall.h, "Management"). At most one. */
    bool manager;
    /* A watchdog (docs/config.md, "Watchdog"): a run that goes this many
     * milliseconds without BAOHU_HC_WATCHDOG_KICK is stopped, or reset
     * under fault_policy VM_FAULT_RESET. 0: none. */
    uint32_t watchdog_ms;
    /* Device-tree source config-dts merges into the tree it generates for
     * this VM (docs/config.md, "Device trees"): a path from the project's
     * root to a fragment of `/ { ... };` and `&label { ... };` blocks. NULL:
     * none. Baohu itself never reads it. */
    const char *dt_source;
};

struct baohu_config {
    const struct vm_config *vms;
    size_t vms_count;
    const struct shmem_config *shmem;
    size_t shmem_count;
    /* LLC colours Baohu's own image, data and table pool come from (bit n =
     * colour n, as a VM's `colours`); 0 = uncoloured (docs/config.md,
     * "Colouring Baohu itself"). No VM may share them, nor be uncoloured,
     * unless hyp_colours_shared says so (then the build warns). */
    uint64_t hyp_colours;
    bool hyp_colours_shared;
};

extern const struct baohu_config baohu_config;

/*
 * BAOHU_INCBIN(sym, "path") embeds a file as sym_start .. sym_end.
 * The host checker only needs the symbols, not the bytes.
 */
#ifdef BAOHU_HOST
#define BAOHU_INCBIN(sym, path) \
    static const uint8_t sym##_start[1], *const sym##_end = sym##_start + 1
#else
#define BAOHU_INCBIN(sym, path)                                   \
    extern const uint8_t sym##_start[], sym##_end[];              \
    __asm__(".section .rodata.guest_images,\"a\"\n"               \
            ".balign 4096\n"                                      \
            ".global " #sym "_start\n" #sym "_start:\n"           \
            ".incbin \"" path "\"\n"                              \
            ".global " #sym "_end\n" #sym "_end:\n"               \
            ".previous\n")
#endif

#define VM_IMAGE_EMBEDDED_AT(sym, load_ipa) \
    { .kind = VM_IMAGE_EMBEDDED, .start = sym##_start, .end = sym##_end, .ipa = (load_ipa) }

#define VM_IMAGE_PRELOADED_AT(phys, bytes, load_ipa) \
    { .kind = VM_IMAGE_PRELOADED, .pa = (phys), .size = (bytes), .ipa = (load_ipa) }

#endif
