/* Inter-VM communication: shared-memory objects and their doorbells. */
#ifndef BAOHU_IPC_H
#define BAOHU_IPC_H

#include "mmio.h"
#include "page_alloc.h"
#include "types.h"

struct vm;
struct vcpu;

#define IPC_MAX_OBJECTS 16

/* Boot CPU, before any VM exists: back every object with memory. */
bool ipc_init(struct page_pool *pool);
/* Map the objects `vm` lists into its stage 2, with its permissions. */
bool ipc_vm_map(struct vm *vm);
/* Raise `event` towards every other VM sharing object `id` (hypercall result). */
int64_t ipc_notify(struct vm *caller, uint64_t id, uint64_t event);
/* Take the events raised towards `caller` on object `id` (hypercall result). */
int64_t ipc_events_take(struct vm *caller, uint64_t id);
/* Is `ipa` inside one of the VM's doorbell pages? */
bool ipc_is_doorbell(const struct vm *vm, ipa_t ipa);
/* A trapped access to one of the VM's doorbell pages. False if `acc` is not in one. */
bool ipc_doorbell_access(struct vcpu *vcpu, struct mmio_access *acc);

#endif
