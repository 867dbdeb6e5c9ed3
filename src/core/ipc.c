/* Inter-VM communication: static shared-memory objects and doorbell notifications. */
#include "arch.h"
#include "console.h"
#include "hypercall.h"
#include "ipc.h"
#include "vm.h"

#define DOORBELL_NOTIFY 0x0  /* W: event number */
#define DOORBELL_PENDING 0x4 /* R: events raised towards this VM, cleared by the read */

static paddr_t ipc_object_pa[IPC_MAX_OBJECTS];
static bool ipc_object_ready[IPC_MAX_OBJECTS];

bool ipc_init(struct page_pool *pool)
{
    for (size_t i = 0; i < baohu_config.shmem_count && i < IPC_MAX_OBJECTS; i++) {
        const struct shmem_config *s = &baohu_config.shmem[i];
        size_t pages = s->size >> PAGE_SHIFT;
        bool ok = s->pa ? page_pool_reserve(pool, pa_init(s->pa), pages)
                        : page_alloc(pool, pages, 1, &ipc_object_pa[i]);
        if (!ok) {
            console_log("shared memory '%s': no memory for %lu KiB", s->name,
                        (unsigned long)(s->size >> 10));
            return false;
        }
        if (s->pa)
            ipc_object_pa[i] = pa_init(s->pa);
        /* Peers start from a known state, not from what the RAM held. */
        uint8_t *p = (uint8_t *)(uintptr_t)pa_addr(ipc_object_pa[i]);
        for (uint64_t off = 0; off < s->size; off++)
            p[off] = 0;
        ipc_object_ready[i] = true;
    }
    return true;
}

bool ipc_vm_map(struct vm *vm)
{
    const struct vm_config *c = vm->config;
    for (size_t i = 0; i < c->ipcs_count; i++) {
        const struct vm_ipc *ipc = &c->ipcs[i];
        const struct shmem_config *s = &baohu_config.shmem[ipc->shmem_id];
        if (ipc->shmem_id >= IPC_MAX_OBJECTS || !ipc_object_ready[ipc->shmem_id])
            return false;
        if (!arch_vm_map(vm, ipa_init(ipc->ipa), ipc_object_pa[ipc->shmem_id], s->size,
                         ipc->writable ? VM_MAP_SHARED_RW : VM_MAP_SHARED_RO))
            return false;
    }
    return true;
}

/* The caller's entry for object `id`, or -1 if it does not share it. */
static int ipc_slot(const struct vm *vm, uint64_t id)
{
    for (size_t i = 0; i < vm->config->ipcs_count && i < VM_IPC_MAX; i++)
        if (vm->config->ipcs[i].shmem_id == id)
            return (int)i;
    return -1;
}

int64_t ipc_notify(struct vm *caller, uint64_t id, uint64_t event)
{
    if (ipc_slot(caller, id) < 0)
        return BAOHU_HC_ERR_DENIED;
    if (event >= IPC_EVENTS)
        return BAOHU_HC_ERR_INVALID_PARAM;
    for (vmid_t i = 0; i < vm_count(); i++) {
        struct vm *peer = vm_by_id(i);
        int slot = ipc_slot(peer, id);
        if (peer == caller || slot < 0 || peer->state != VM_RUNNING)
            continue;
        uint32_t old = __atomic_fetch_or(&peer->ipc_events[slot], 1u << event, __ATOMIC_ACQ_REL);
        irqid_t irq = peer->config->ipcs[slot].doorbell_irq;
        /* One doorbell per 0->1 of the peer's events word: until the peer
         * takes its events (IPC_EVENTS, the doorbell page) further notifies
         * only add bits, so a flooding sender costs the peer nothing. */
        if (irq && old == 0)
            arch_vm_virq_raise(peer, irq);
    }
    return BAOHU_HC_OK;
}

int64_t ipc_events_take(struct vm *caller, uint64_t id)
{
    int slot = ipc_slot(caller, id);
    if (slot < 0)
        return BAOHU_HC_ERR_DENIED;
    return __atomic_exchange_n(&caller->ipc_events[slot], 0, __ATOMIC_ACQ_REL);
}

bool ipc_is_doorbell(const struct vm *vm, ipa_t ipa)
{
    uint64_t a = ipa_addr(ipa);
    for (size_t i = 0; i < vm->config->ipcs_count; i++) {
        uint64_t db = vm->config->ipcs[i].doorbell_ipa;
        if (db && a >= db && a - db < PAGE_SIZE)
            return true;
    }
    return false;
}

bool ipc_doorbell_access(struct vcpu *vcpu, struct mmio_access *acc)
{
    struct vm *vm = vcpu->vm;
    uint64_t a = ipa_addr(acc->addr);
    for (size_t i = 0; i < vm->config->ipcs_count && i < VM_IPC_MAX; i++) {
        const struct vm_ipc *ipc = &vm->config->ipcs[i];
        if (!ipc->doorbell_ipa || a < ipc->doorbell_ipa || a - ipc->doorbell_ipa >= PAGE_SIZE)
            continue;
        uint64_t off = a - ipc->doorbell_ipa;
        if (acc->size != 4)
            return false;
        if (off == DOORBELL_NOTIFY && acc->write) {
            /* A bad event number is dropped: a store has no result to report it in. */
            ipc_notify(vm, ipc->shmem_id, acc->value);
            return true;
        }
        if (off == DOORBELL_PENDING && !acc->write) {
            acc->value = (uint64_t)ipc_events_take(vm, ipc->shmem_id);
            return true;
        }
        /* Reads of NOTIFY and writes of PENDING: RAZ/WI. */
        if (off == DOORBELL_NOTIFY || off == DOORBELL_PENDING) {
            if (!acc->write)
                acc->value = 0;
            return true;
        }
        return false;
    }
    return false;
}
