/* Fuzzing Baohu's hypercall decoder (src/core/hypercall.c) and the IPC calls and doorbell pages behind it (src/core/ipc.c). */
#include <string.h>

#include "arch.h"
#include "fuzz_input.h"
#include "hyp_mem.h"
#include "hypercall.h"
#include "ipc.h"
#include "vm.h"

/*
 * Four VMs: rtos and app share object 0, app and linux object 1 (linux has
 * a doorbell page for it), intruder shares nothing. Each operation is a
 * hypercall by one VM with edge-biased arguments, a doorbell-page access,
 * or a VM stopping/restarting. A model of every VM's event words checks:
 * a VM only ever notifies peers of objects it shares, never itself, never
 * a stopped VM; a doorbell rings once per 0->1 of the peer's events, with
 * the peer's own configured interrupt; IPC_EVENTS returns exactly what
 * peers raised; console bytes go to the caller's own line; the management
 * calls are DENIED to every VM but linux, the manager, whose calls follow a
 * model of the VMs' states and write records only inside its own buffer.
 */

#define VMS 4
static struct vm vms[VMS];

static const struct shmem_config shmem[] = {{.name = "a", .size = 0x10000},
                                            {.name = "b", .size = 0x1000}};
static const struct vm_ipc rtos_ipcs[] = {{.shmem_id = 0, .ipa = 0x50000000, .doorbell_irq = 52}};
static const struct vm_ipc app_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x60000000, .writable = true, .doorbell_irq = 53},
    {.shmem_id = 1, .ipa = 0x61000000, .writable = true}}; /* no doorbell interrupt */
static const struct vm_ipc linux_ipcs[] = {
    {.shmem_id = 1, .ipa = 0x70000000, .doorbell_irq = 60, .doorbell_ipa = 0x70100000}};
static const struct vm_config cfgs[VMS] = {
    {.name = "rtos", .cpus = 1, CONFIG_LIST(ipcs, rtos_ipcs)},
    {.name = "app", .cpus = 2, CONFIG_LIST(ipcs, app_ipcs)},
    {.name = "linux", .cpus = 4, CONFIG_LIST(ipcs, linux_ipcs), .manager = true},
    {.name = "intruder", .cpus = 8},
};
const struct baohu_config baohu_config = {CONFIG_LIST(vms, cfgs), CONFIG_LIST(shmem, shmem)};

/* The model: events raised towards each VM's entry, and what was seen. */
static uint32_t model_events[VMS][VM_IPC_MAX];
static unsigned raised[VMS];        /* doorbells raised per VM, this operation */
static irqid_t raised_irq[VMS];
static struct vm *caller;
static int putc_count;

struct vm *vm_by_id(vmid_t id) { return id < VMS ? &vms[id] : NULL; }
size_t vm_count(void) { return VMS; }
void console_log(const char *fmt, ...) { (void)fmt; }
void console_guest_putc(struct console_line *line, const char *name, char c)
{
    (void)c;
    FUZZ_ASSERT(caller && line == &caller->console && name == caller->name,
                "a console byte of VM %s went to another VM's line", caller ? caller->name : "?");
    putc_count++;
}
bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    (void)vm, (void)ipa, (void)pa, (void)size, (void)kind;
    return true;
}
void arch_vm_virq_raise(struct vm *vm, irqid_t irq)
{
    FUZZ_ASSERT(vm != caller, "VM %s rang its own doorbell", vm->name);
    raised[vm->id]++;
    raised_irq[vm->id] = irq;
}
bool page_alloc(struct page_pool *pool, size_t pages, size_t align, paddr_t *out)
{
    (void)pool, (void)pages, (void)align, (void)out;
    return false;
}
bool page_pool_reserve(struct page_pool *pool, paddr_t pa, size_t pages)
{
    (void)pool, (void)pa, (void)pages;
    return false;
}

/*
 * linux is the manager. vm.c's requests are modelled by their contract
 * (vm.h): a stop of a running VM stops it, a reload of a VM in the state
 * it names runs it again at once with its events cleared (as vm_reset_run
 * does), anything else is refused by the state. Management buffers are
 * linux's RAM, [MGR_RAM, +MGR_RAM_SIZE), backed by `mgr_ram`: Baohu may
 * write only there, through a window onto the one page it opened, and
 * only for a buffer the checks accept.
 */
#define MGR_RAM 0x80000000ull
#define MGR_RAM_SIZE 0x4000ull
static uint8_t mgr_ram[MGR_RAM_SIZE] __attribute__((aligned(4096)));
static uint64_t window_pa;       /* the page open, 0: none */
static uint64_t written_lo, written_hi; /* what the last call wrote into mgr_ram */
static int requests;

enum vm_request_result vm_request_stop(struct vm *vm, const char *why)
{
    (void)why;
    FUZZ_ASSERT(caller->config->manager, "VM %s stopped %s", caller->name, vm->name);
    requests++;
    if (vm->state != VM_RUNNING)
        return VM_REQUEST_STOPPED;
    vm->state = VM_STOPPED;
    return VM_REQUEST_OK;
}
enum vm_request_result vm_request_reload(struct vm *vm, enum vm_state from, const char *why)
{
    (void)why;
    FUZZ_ASSERT(caller->config->manager, "VM %s reloaded %s", caller->name, vm->name);
    requests++;
    if (vm->state != from)
        return vm->state == VM_STOPPED ? VM_REQUEST_STOPPED : VM_REQUEST_RUNNING;
    vm->state = VM_RUNNING;
    memset(vm->ipc_events, 0, sizeof vm->ipc_events);
    return VM_REQUEST_OK;
}
bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size)
{
    FUZZ_ASSERT(vm == caller && vm->config->manager, "VM %s: a buffer of %s looked at",
                caller->name, vm->name);
    return ipa >= MGR_RAM && size <= MGR_RAM_SIZE && ipa - MGR_RAM <= MGR_RAM_SIZE - size;
}
bool arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa)
{
    FUZZ_ASSERT(ipa_addr(ipa) - MGR_RAM < MGR_RAM_SIZE, "VM %s: %#llx translated", vm->name,
                (unsigned long long)ipa_addr(ipa));
    *pa = pa_init((uint64_t)(uintptr_t)mgr_ram + (ipa_addr(ipa) - MGR_RAM));
    return true;
}
bool hyp_window_open(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    (void)use;
    FUZZ_ASSERT(!window_pa && size == 0x1000 && (pa_addr(pa) & 0xfff) == 0, "window %#llx+%#llx",
                (unsigned long long)pa_addr(pa), (unsigned long long)size);
    window_pa = pa_addr(pa);
    return true;
}
void hyp_window_close(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    (void)size, (void)use;
    FUZZ_ASSERT(window_pa == pa_addr(pa), "closed a window not open");
    window_pa = 0;
}
void arch_ram_copy(paddr_t pa, const void *src, uint64_t size, bool reused)
{
    (void)reused;
    uint64_t a = pa_addr(pa);
    FUZZ_ASSERT(window_pa && a >= window_pa && size <= 0x1000 && a - window_pa <= 0x1000 - size,
                "wrote %#llx+%#llx outside the window %#llx", (unsigned long long)a,
                (unsigned long long)size, (unsigned long long)window_pa);
    memcpy((void *)(uintptr_t)a, src, size);
    written_lo = a - (uint64_t)(uintptr_t)mgr_ram;
    written_hi = written_lo + size;
}
uint64_t arch_time_ns(void) { return 0; }
cpuid_t arch_cpu_id(void) { return 0; }
void arch_hyp_timer_arm(uint64_t delay_ns) { (void)delay_ns; }

/* What a management call must return; `len` is its record's size (0: none). */
static int64_t model_manage(uint64_t fid, const uint64_t args[HYPERCALL_ARGS], uint64_t len)
{
    if (!caller->config->manager)
        return BAOHU_HC_ERR_DENIED;
    if (args[0] >= VMS)
        return BAOHU_HC_ERR_INVALID_PARAM;
    struct vm *vm = &vms[args[0]];
    if (len) {
        uint64_t ipa = args[1], size = args[2];
        bool ok = size >= len && (ipa & 7) == 0 && (ipa & 0xfff) + len <= 0x1000 &&
                  ipa >= MGR_RAM && ipa - MGR_RAM <= MGR_RAM_SIZE - len;
        if (!ok)
            return BAOHU_HC_ERR_INVALID_PARAM;
        return fid == BAOHU_HC_VM_INFO ? VMS : BAOHU_HC_OK;
    }
    bool self = vm == caller;
    switch (fid) {
    case BAOHU_HC_VM_STOP:
        return self ? BAOHU_HC_ERR_SELF : vm->state == VM_RUNNING ? BAOHU_HC_OK : BAOHU_HC_ERR_ALREADY_STOPPED;
    case BAOHU_HC_VM_START:
        return vm->state == VM_STOPPED ? BAOHU_HC_OK : BAOHU_HC_ERR_ALREADY_RUNNING;
    default: /* VM_RESTART */
        return self ? BAOHU_HC_ERR_SELF : vm->state == VM_RUNNING ? BAOHU_HC_OK : BAOHU_HC_ERR_ALREADY_STOPPED;
    }
}

static int slot_of(const struct vm_config *c, uint64_t id)
{
    for (size_t i = 0; i < c->ipcs_count; i++)
        if (c->ipcs[i].shmem_id == id)
            return (int)i;
    return -1;
}

/* What a notify of object `id`, event `ev` by `caller` must do to the model. */
static int64_t model_notify(uint64_t id, uint64_t ev, bool expect_ring[VMS])
{
    memset(expect_ring, 0, VMS * sizeof expect_ring[0]);
    if (slot_of(caller->config, id) < 0)
        return BAOHU_HC_ERR_DENIED;
    if (ev >= IPC_EVENTS)
        return BAOHU_HC_ERR_INVALID_PARAM;
    for (int p = 0; p < VMS; p++) {
        int s = slot_of(&cfgs[p], id);
        if (&vms[p] == caller || s < 0 || vms[p].state != VM_RUNNING)
            continue;
        expect_ring[p] = model_events[p][s] == 0 && cfgs[p].ipcs[s].doorbell_irq;
        model_events[p][s] |= 1u << ev;
    }
    return BAOHU_HC_OK;
}

static void check_rings(const bool expect_ring[VMS])
{
    for (int p = 0; p < VMS; p++) {
        FUZZ_ASSERT(raised[p] == (expect_ring[p] ? 1u : 0u), "VM %s: %u doorbells, want %d",
                    vms[p].name, raised[p], expect_ring[p]);
        if (raised[p]) {
            bool own = false;
            for (size_t i = 0; i < cfgs[p].ipcs_count; i++)
                own |= raised_irq[p] == cfgs[p].ipcs[i].doorbell_irq;
            FUZZ_ASSERT(own, "VM %s got doorbell %u it was not configured with", vms[p].name,
                        raised_irq[p]);
        }
    }
}

static void op_hypercall(struct fuzz_in *in)
{
    uint8_t pick = fuzz_u8(in);
    uint64_t fid = (pick & 0x80) ? fuzz_edgy64(in) : BAOHU_HC_ID(pick & 7);
    uint64_t args[HYPERCALL_ARGS];
    for (int i = 0; i < HYPERCALL_ARGS; i++)
        args[i] = (pick & 0x40) ? fuzz_edgy64(in) : (i < 2 ? fuzz_u8(in) % 40 : 0);
    if ((pick & 0x20) && caller->config->manager) {
        /* A management buffer around the manager's RAM: its edges, unaligned, across pages. */
        args[0] = fuzz_u8(in) % (VMS + 2);
        args[1] = MGR_RAM - 0x40 + fuzz_u16(in) % (MGR_RAM_SIZE + 0x80);
        args[2] = fuzz_u16(in) % 0x200;
    }

    bool is = hypercall_is_baohu(fid);
    FUZZ_ASSERT(is == ((fid >> 16) == (BAOHU_HC_BASE >> 16)), "fid %#llx: is_baohu %d",
                (unsigned long long)fid, is);
    bool ring[VMS] = {0};
    int64_t want;
    int putc_want = 0;
    switch (fid) {
    case BAOHU_HC_VERSION: want = (BAOHU_ABI_MAJOR << 16) | BAOHU_ABI_MINOR; break;
    case BAOHU_HC_CONSOLE_PUTC:
        want = args[0] > 0xff ? BAOHU_HC_ERR_INVALID_PARAM : BAOHU_HC_OK;
        putc_want = args[0] <= 0xff;
        break;
    case BAOHU_HC_IPC_NOTIFY: want = model_notify(args[0], args[1], ring); break;
    case BAOHU_HC_IPC_EVENTS: {
        int s = slot_of(caller->config, args[0]);
        want = s < 0 ? BAOHU_HC_ERR_DENIED : (int64_t)model_events[caller->id][s];
        if (s >= 0)
            model_events[caller->id][s] = 0;
        break;
    }
    case BAOHU_HC_VCPU_EXITS: want = (int64_t)caller->vcpus[0].exits; break; /* its own */
    case BAOHU_HC_VM_INFO: want = model_manage(fid, args, sizeof(struct baohu_vm_info)); break;
    case BAOHU_HC_VM_STATS: want = model_manage(fid, args, sizeof(struct baohu_vm_stats)); break;
    case BAOHU_HC_VM_STOP:
    case BAOHU_HC_VM_START:
    case BAOHU_HC_VM_RESTART: want = model_manage(fid, args, 0); break;
    default: want = BAOHU_HC_ERR_NOT_SUPPORTED; break; /* WATCHDOG_KICK too: none has one */
    }
    /* What a taken reload does to the model: the target's events start again. */
    bool reload = want == BAOHU_HC_OK && (fid == BAOHU_HC_VM_START || fid == BAOHU_HC_VM_RESTART);
    vmid_t target = (vmid_t)args[0];
    int requests_before = requests;
    written_lo = written_hi = 0;
    int64_t got = hypercall_handle(&caller->vcpus[0], fid, args);
    if (reload)
        memset(model_events[target], 0, sizeof model_events[target]);
    bool records = fid == BAOHU_HC_VM_INFO || fid == BAOHU_HC_VM_STATS;
    FUZZ_ASSERT(!window_pa, "fid %#llx left a window open", (unsigned long long)fid);
    /* A record is written exactly where the buffer is, and only when the call succeeds. */
    FUZZ_ASSERT(records && got >= 0 ? written_lo == args[1] - MGR_RAM &&
                                          written_hi - written_lo <= args[2]
                                    : written_hi == 0,
                "fid %#llx (%#llx, %#llx) -> %lld wrote [%#llx, %#llx)", (unsigned long long)fid,
                (unsigned long long)args[1], (unsigned long long)args[2], (long long)got,
                (unsigned long long)written_lo, (unsigned long long)written_hi);
    if (fid == BAOHU_HC_VM_INFO && got >= 0) {
        const struct baohu_vm_info *info = (const void *)(mgr_ram + written_lo);
        FUZZ_ASSERT(strcmp(info->name, cfgs[target].name) == 0, "VM_INFO %u named %.31s",
                    (unsigned)target, info->name);
    }
    /* Only the manager's stop/start/restart of a valid id reaches vm.c. */
    FUZZ_ASSERT(requests - requests_before ==
                    (caller->config->manager && args[0] < VMS && !records &&
                     !((fid == BAOHU_HC_VM_STOP || fid == BAOHU_HC_VM_RESTART) && target == caller->id) &&
                     (fid == BAOHU_HC_VM_STOP || fid == BAOHU_HC_VM_START || fid == BAOHU_HC_VM_RESTART)),
                "fid %#llx: %d requests", (unsigned long long)fid, requests - requests_before);
    FUZZ_ASSERT(got == want, "VM %s fid %#llx (%#llx, %#llx): %lld, want %lld", caller->name,
                (unsigned long long)fid, (unsigned long long)args[0],
                (unsigned long long)args[1], (long long)got, (long long)want);
    FUZZ_ASSERT(putc_count == putc_want, "console bytes %d, want %d", putc_count, putc_want);
    check_rings(ring);
}

/* A guest access around linux's doorbell page, any width: NOTIFY (offset
 * 0, write) and PENDING (offset 4, read) 32-bit only, their other
 * direction RAZ/WI, the rest of the page no register. */
#define DB_IPA 0x70100000ull

static void op_doorbell(struct fuzz_in *in)
{
    uint8_t b = fuzz_u8(in);
    uint64_t ipa = DB_IPA - 0x80 + fuzz_u16(in) % 0x1100;
    struct mmio_access acc = {.addr = ipa_init(ipa), .size = 1u << (b & 3), .write = b & 4,
                              .value = (b & 8) ? fuzz_edgy64(in) : fuzz_u8(in) % 40};
    if (acc.write && acc.size < 8)
        acc.value &= (1ull << (8 * acc.size)) - 1; /* as the trap handlers pass it */
    bool mine = caller == &vms[2] && ipa >= DB_IPA && ipa < DB_IPA + 0x1000;
    FUZZ_ASSERT(ipc_is_doorbell(caller, acc.addr) == mine, "VM %s: %#llx a doorbell page: %d",
                caller->name, (unsigned long long)ipa, !mine);
    if (!mine)
        return; /* the trap handlers come here only for a doorbell page */
    uint64_t off = ipa - DB_IPA;
    bool ring[VMS] = {0};
    bool want_ok = acc.size == 4 && (off == 0 || off == 4);
    uint64_t want_value = acc.value;
    if (want_ok && off == 0 && acc.write)
        model_notify(1, acc.value, ring);
    else if (want_ok && off == 4 && !acc.write) {
        want_value = model_events[2][0];
        model_events[2][0] = 0;
    } else if (want_ok && !acc.write)
        want_value = 0;
    bool ok = ipc_doorbell_access(&caller->vcpus[0], &acc);
    FUZZ_ASSERT(ok == want_ok, "doorbell off %#llx size %u write %d: %d", (unsigned long long)off,
                acc.size, acc.write, ok);
    if (ok && !acc.write)
        FUZZ_ASSERT(acc.value == want_value, "doorbell read %#llx: %#llx, want %#llx",
                    (unsigned long long)off, (unsigned long long)acc.value,
                    (unsigned long long)want_value);
    check_rings(ring);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_in in = {data, size};
    memset(vms, 0, sizeof vms);
    memset(model_events, 0, sizeof model_events);
    for (int i = 0; i < VMS; i++) {
        vms[i].id = (vmid_t)i;
        vms[i].config = &cfgs[i];
        vms[i].name = cfgs[i].name;
        vms[i].vcpu_count = 1;
        vms[i].vcpus[0].vm = &vms[i];
        vms[i].state = VM_RUNNING;
    }
    while (fuzz_more(&in)) {
        uint8_t op = fuzz_u8(&in);
        caller = &vms[(op >> 4) % VMS];
        memset(raised, 0, sizeof raised);
        putc_count = 0;
        if (caller->state != VM_RUNNING && (op & 0xf) != 3)
            continue; /* a stopped VM makes no calls */
        switch (op & 0xf) {
        case 0: case 1: case 2: op_hypercall(&in); break;
        case 3:
            /* Stopped (SYSTEM_OFF) or running again (a reset clears its events). */
            caller->state = caller->state == VM_RUNNING ? VM_STOPPED : VM_RUNNING;
            if (caller->state == VM_RUNNING) {
                memset(caller->ipc_events, 0, sizeof caller->ipc_events);
                memset(model_events[caller->id], 0, sizeof model_events[caller->id]);
            }
            break;
        default: op_doorbell(&in); break;
        }
    }
    return 0;
}
