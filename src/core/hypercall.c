/* Decoding and dispatch of Baohu's hypercalls (ABI: include/baohu/hypercall.h). */
#include "console.h"
#include "hypercall.h"
#include "ipc.h"
#include "vm.h"
#include "vm_manage.h"
#include "watchdog.h"

bool hypercall_is_baohu(uint64_t fid)
{
    return (fid & 0xffff0000u) == BAOHU_HC_BASE && (fid >> 32) == 0;
}

int64_t hypercall_handle(struct vcpu *vcpu, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    switch (fid) {
    case BAOHU_HC_VERSION:
        return (BAOHU_ABI_MAJOR << 16) | BAOHU_ABI_MINOR;
    case BAOHU_HC_CONSOLE_PUTC:
        if (args[0] > 0xff)
            return BAOHU_HC_ERR_INVALID_PARAM;
        console_guest_putc(&vcpu->vm->console, vcpu->vm->name, (char)args[0]);
        return BAOHU_HC_OK;
    case BAOHU_HC_IPC_NOTIFY:
        return ipc_notify(vcpu->vm, args[0], args[1]);
    case BAOHU_HC_IPC_EVENTS:
        return ipc_events_take(vcpu->vm, args[0]);
    case BAOHU_HC_VCPU_EXITS:
        return (int64_t)vcpu->exits;
    case BAOHU_HC_WATCHDOG_KICK:
        return watchdog_kick(vcpu->vm);
    default:
        if (vm_manage_is_call(fid))
            return vm_manage_call(vcpu, fid, args);
        return BAOHU_HC_ERR_NOT_SUPPORTED;
    }
}
