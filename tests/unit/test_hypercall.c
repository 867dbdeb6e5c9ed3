/* Unit tests of hypercall decoding (src/core/hypercall.c) and IPC notification (src/core/ipc.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "hypercall.h"
#include "ipc.h"
#include "vm.h"
#include "vm_manage.h"
#include "watchdog.h"

/* ---- fakes of what hypercall.c and ipc.c call */

static struct vm vms[3];
static char console_out[256];
static size_t console_len;
static struct { struct vm *vm; irqid_t irq; } raised[8];
static size_t raised_count;

struct vm *vm_by_id(vmid_t id) { return id < 3 ? &vms[id] : NULL; }
size_t vm_count(void) { return 3; }
void console_log(const char *fmt, ...) { (void)fmt; }
void console_guest_putc(struct console_line *line, const char *name, char c)
{
    (void)line;
    (void)name;
    console_out[console_len++] = c;
}
bool arch_vm_map(struct vm *vm, ipa_t ipa, paddr_t pa, uint64_t size, enum vm_map_kind kind)
{
    (void)vm, (void)ipa, (void)pa, (void)size, (void)kind;
    return true;
}
void arch_vm_virq_raise(struct vm *vm, irqid_t irq)
{
    raised[raised_count].vm = vm;
    raised[raised_count++].irq = irq;
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

/* The management and watchdog calls have their own tests (test_vm_manage.c). */
int64_t vm_manage_call(struct vcpu *caller, uint64_t fid, const uint64_t args[HYPERCALL_ARGS])
{
    (void)caller, (void)fid, (void)args;
    return BAOHU_HC_ERR_DENIED;
}
int64_t watchdog_kick(struct vm *vm)
{
    (void)vm;
    return BAOHU_HC_ERR_NOT_SUPPORTED;
}

/* ---- a config: rtos and app share object 0, intruder shares nothing */

static const struct shmem_config shmem[] = {{.name = "chan", .size = 0x10000}};
static const struct vm_ipc rtos_ipcs[] = {
    {.shmem_id = 0, .ipa = 0x50000000, .writable = true, .doorbell_irq = 52, .doorbell_ipa = 0x50100000}};
static const struct vm_ipc app_ipcs[] = {{.shmem_id = 0, .ipa = 0x60000000, .writable = true, .doorbell_irq = 53}};
static const struct vm_config cfgs[] = {
    {.name = "rtos", .cpus = 1, CONFIG_LIST(ipcs, rtos_ipcs)},
    {.name = "app", .cpus = 2, CONFIG_LIST(ipcs, app_ipcs)},
    {.name = "intruder", .cpus = 4},
};
const struct baohu_config baohu_config = {CONFIG_LIST(vms, cfgs), CONFIG_LIST(shmem, shmem)};

static int setup(void **state)
{
    (void)state;
    memset(vms, 0, sizeof vms);
    for (int i = 0; i < 3; i++) {
        vms[i].id = (vmid_t)i;
        vms[i].config = &cfgs[i];
        vms[i].name = cfgs[i].name;
        vms[i].vcpu_count = 1;
        vms[i].vcpus[0].vm = &vms[i];
        vms[i].state = VM_RUNNING;
    }
    console_len = 0;
    raised_count = 0;
    return 0;
}

static int64_t call(int vm, uint64_t fid, uint64_t a1, uint64_t a2)
{
    uint64_t args[HYPERCALL_ARGS] = {a1, a2, 0, 0, 0};
    return hypercall_handle(&vms[vm].vcpus[0], fid, args);
}

static void version_and_unknown_ids(void **state)
{
    (void)state;
    assert_int_equal(call(0, BAOHU_HC_VERSION, 0, 0), 0x10000);
    assert_int_equal(call(0, BAOHU_HC_ID(0x777), 0, 0), BAOHU_HC_ERR_NOT_SUPPORTED);
    assert_true(hypercall_is_baohu(BAOHU_HC_CONSOLE_PUTC));
    assert_false(hypercall_is_baohu(0x84000000u));          /* PSCI */
    assert_false(hypercall_is_baohu(0x1C6000001ull));       /* upper bits set */
}

static void console_putc_checks_its_byte(void **state)
{
    (void)state;
    assert_int_equal(call(1, BAOHU_HC_CONSOLE_PUTC, 'h', 0), 0);
    assert_int_equal(call(1, BAOHU_HC_CONSOLE_PUTC, 0x1ff, 0), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(console_len, 1);
    assert_int_equal(console_out[0], 'h');
}

static void notify_raises_only_the_peers_doorbell(void **state)
{
    (void)state;
    assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, 0, 5), 0);
    assert_int_equal(raised_count, 1);
    assert_ptr_equal(raised[0].vm, &vms[0]);
    assert_int_equal(raised[0].irq, 52);
    assert_int_equal(call(0, BAOHU_HC_IPC_EVENTS, 0, 0), 1 << 5);
    assert_int_equal(call(0, BAOHU_HC_IPC_EVENTS, 0, 0), 0); /* read clears */
    assert_int_equal(call(1, BAOHU_HC_IPC_EVENTS, 0, 0), 0); /* not to the caller */
}

static void notify_storm_raises_one_doorbell_until_taken(void **state)
{
    (void)state;
    for (int i = 0; i < 10000; i++)
        assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, 0, (uint64_t)(i % 3)), 0);
    assert_int_equal(raised_count, 1);
    assert_int_equal(call(0, BAOHU_HC_IPC_EVENTS, 0, 0), 0x7);
    /* Taken: the next notify rings again. */
    assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, 0, 4), 0);
    assert_int_equal(raised_count, 2);
}

static void notify_rejects_bad_input_without_effect(void **state)
{
    (void)state;
    assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, 0, 32), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, 7, 1), BAOHU_HC_ERR_DENIED);
    assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, ~0ull, 1), BAOHU_HC_ERR_DENIED);
    assert_int_equal(call(2, BAOHU_HC_IPC_NOTIFY, 0, 1), BAOHU_HC_ERR_DENIED);
    assert_int_equal(call(2, BAOHU_HC_IPC_EVENTS, 0, 0), BAOHU_HC_ERR_DENIED);
    assert_int_equal(raised_count, 0);
    assert_int_equal(vms[0].ipc_events[0], 0);
}

static void stopped_peer_is_not_notified(void **state)
{
    (void)state;
    vms[1].state = VM_STOPPED;
    assert_int_equal(call(0, BAOHU_HC_IPC_NOTIFY, 0, 1), 0);
    assert_int_equal(raised_count, 0);
}

static bool doorbell(int vm, uint64_t off, bool write, unsigned size, uint64_t *value)
{
    struct mmio_access acc = {.addr = ipa_init(0x50100000 + off), .size = size, .write = write,
                              .value = *value};
    bool ok = ipc_doorbell_access(&vms[vm].vcpus[0], &acc);
    *value = acc.value;
    return ok;
}

static void doorbell_page_notifies_and_reports(void **state)
{
    (void)state;
    uint64_t v = 3;
    assert_true(ipc_is_doorbell(&vms[0], ipa_init(0x50100004)));
    assert_false(ipc_is_doorbell(&vms[1], ipa_init(0x50100004))); /* app has no page */
    assert_true(doorbell(0, 0, true, 4, &v));
    assert_int_equal(raised_count, 1);
    assert_ptr_equal(raised[0].vm, &vms[1]);
    assert_int_equal(raised[0].irq, 53);
    assert_int_equal(call(1, BAOHU_HC_IPC_NOTIFY, 0, 9), 0);
    v = 0;
    assert_true(doorbell(0, 4, false, 4, &v));
    assert_int_equal(v, 1 << 9);
    v = 0;
    assert_false(doorbell(0, 8, false, 4, &v));  /* no register there */
    assert_false(doorbell(0, 0, true, 8, &v));   /* 32-bit accesses only */
    v = 99;
    assert_true(doorbell(0, 0, true, 4, &v));    /* bad event: dropped */
    assert_int_equal(raised_count, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(version_and_unknown_ids, setup),
        cmocka_unit_test_setup(console_putc_checks_its_byte, setup),
        cmocka_unit_test_setup(notify_raises_only_the_peers_doorbell, setup),
        cmocka_unit_test_setup(notify_storm_raises_one_doorbell_until_taken, setup),
        cmocka_unit_test_setup(notify_rejects_bad_input_without_effect, setup),
        cmocka_unit_test_setup(stopped_peer_is_not_notified, setup),
        cmocka_unit_test_setup(doorbell_page_notifies_and_reports, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
