/* Unit tests of the manager's hypercalls (src/core/vm_manage.c) and the per-VM watchdog (src/core/watchdog.c), through hypercall.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch.h"
#include "hyp_mem.h"
#include "hypercall.h"
#include "ipc.h"
#include "vm.h"
#include "watchdog.h"

/* ---- a config: linux manages, rtos has a watchdog and stops on expiry, app resets on it */

static const struct vm_config cfgs[] = {
    {.name = "rtos", .cpus = 1, .watchdog_ms = 100},
    {.name = "linux", .cpus = 6, .manager = true},
    {.name = "app-with-a-name-longer-than-31-bytes", .cpus = 8, .watchdog_ms = 50,
     .fault_policy = VM_FAULT_RESET},
};
const struct baohu_config baohu_config = {CONFIG_LIST(vms, cfgs)};
static struct vm vms[3];

/* ---- fakes of what vm_manage.c, watchdog.c and hypercall.c call */

struct vm *vm_by_id(vmid_t id) { return id < 3 ? &vms[id] : NULL; }
size_t vm_count(void) { return 3; }

static uint64_t now_ns;
static cpuid_t this_cpu;
static uint64_t timer_armed; /* delay of the last arch_hyp_timer_arm, ~0: none */
uint64_t arch_time_ns(void) { return now_ns; }
cpuid_t arch_cpu_id(void) { return this_cpu; }
void arch_hyp_timer_arm(uint64_t delay_ns) { timer_armed = delay_ns; }

static char log_line[256];
static unsigned log_count;
void console_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(log_line, sizeof log_line, fmt, ap);
    va_end(ap);
    log_count++;
}
void console_guest_putc(struct console_line *line, const char *name, char c)
{
    (void)line, (void)name, (void)c;
}
int64_t ipc_notify(struct vm *caller, uint64_t id, uint64_t event)
{
    (void)caller, (void)id, (void)event;
    return 0;
}
int64_t ipc_events_take(struct vm *caller, uint64_t id)
{
    (void)caller, (void)id;
    return 0;
}

/* The manager's RAM: IPA 0x60000000.. (64 KiB), backed by a host buffer
 * that stands for its physical pages (a window maps pa == va). */
#define RAM_IPA 0x60000000ull
#define RAM_SIZE 0x10000ull
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static unsigned windows_open, windows_opened;

bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t size)
{
    return vm == &vms[1] && ipa >= RAM_IPA && size <= RAM_SIZE && ipa - RAM_IPA <= RAM_SIZE - size;
}
bool arch_vm_translate(struct vm *vm, ipa_t ipa, paddr_t *pa)
{
    assert_ptr_equal(vm, &vms[1]);
    *pa = pa_init((uint64_t)(uintptr_t)ram + (ipa_addr(ipa) - RAM_IPA));
    return true;
}
bool hyp_window_open(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    assert_int_equal(pa_addr(pa) & (PAGE_SIZE - 1), 0);
    assert_int_equal(size, PAGE_SIZE);
    assert_int_equal(use, HYP_WINDOW_FILL);
    windows_open++;
    windows_opened++;
    return true;
}
void hyp_window_close(paddr_t pa, uint64_t size, enum hyp_window_use use)
{
    (void)pa, (void)size, (void)use;
    windows_open--;
}
void arch_ram_copy(paddr_t pa, const void *src, uint64_t size, bool reused)
{
    assert_int_equal(windows_open, 1);
    assert_true(reused);
    memcpy((void *)(uintptr_t)pa_addr(pa), src, size);
}

/* vm.c's requests, with the contract vm.h gives them: the state decides. */
static const char *last_why;
static struct vm *last_target;
static unsigned requests;
enum vm_request_result vm_request_stop(struct vm *vm, const char *why)
{
    requests++;
    last_target = vm;
    last_why = why;
    if (vm->state != VM_RUNNING)
        return vm->state == VM_STOPPED ? VM_REQUEST_STOPPED : VM_REQUEST_BUSY;
    vm->state = VM_STOPPED;
    return VM_REQUEST_OK;
}
enum vm_request_result vm_request_reload(struct vm *vm, enum vm_state from, const char *why)
{
    requests++;
    last_target = vm;
    last_why = why;
    if (vm->state == VM_RESETTING)
        return VM_REQUEST_BUSY;
    if (vm->state != from)
        return vm->state == VM_STOPPED ? VM_REQUEST_STOPPED : VM_REQUEST_RUNNING;
    vm->state = VM_RESETTING;
    return VM_REQUEST_OK;
}

static int setup(void **state)
{
    (void)state;
    memset(vms, 0, sizeof vms);
    for (int i = 0; i < 3; i++) {
        vms[i].id = (vmid_t)i;
        vms[i].config = &cfgs[i];
        vms[i].name = cfgs[i].name;
        vms[i].vcpu_count = i == 1 ? 2 : 1;
        for (uint32_t k = 0; k < vms[i].vcpu_count; k++) {
            vms[i].vcpus[k].vm = &vms[i];
            vms[i].vcpus[k].id = k;
            vms[i].vcpus[k].cpu = (cpuid_t)(i + k);
        }
        vms[i].state = VM_RUNNING;
        vms[i].built = true;
    }
    memset(ram, 0xee, sizeof ram);
    now_ns = 5000000000ull;
    this_cpu = 0;
    timer_armed = ~0ull;
    log_count = 0;
    log_line[0] = '\0';
    windows_open = windows_opened = 0;
    requests = 0;
    last_why = NULL;
    last_target = NULL;
    return 0;
}

static int64_t call(int vm, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    uint64_t args[HYPERCALL_ARGS] = {a1, a2, a3, 0, 0};
    return hypercall_handle(&vms[vm].vcpus[0], fid, args);
}

static const uint64_t manage_calls[] = {BAOHU_HC_VM_INFO, BAOHU_HC_VM_STOP, BAOHU_HC_VM_START,
                                        BAOHU_HC_VM_RESTART, BAOHU_HC_VM_STATS};

static void non_managers_are_denied_whatever_the_arguments(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t c = 0; c < sizeof manage_calls / sizeof manage_calls[0]; c++) {
        for (int i = 0; i < 50; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uint64_t id = i < 3 ? (uint64_t)i : x;
            assert_int_equal(call(0, manage_calls[c], id, RAM_IPA, 4096), BAOHU_HC_ERR_DENIED);
            assert_int_equal(call(2, manage_calls[c], id, x, x), BAOHU_HC_ERR_DENIED);
        }
    }
    assert_int_equal(requests, 0);
    assert_int_equal(windows_opened, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(vms[i].state, VM_RUNNING);
}

static void unknown_ids_are_invalid(void **state)
{
    (void)state;
    uint64_t ids[] = {3, 4, 255, 0x100000000ull, ~0ull};
    for (size_t c = 0; c < sizeof manage_calls / sizeof manage_calls[0]; c++)
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
            assert_int_equal(call(1, manage_calls[c], ids[i], RAM_IPA, 4096),
                             BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(requests, 0);
    assert_int_equal(windows_opened, 0);
    /* Next to them, still unknown: 11 and up; 10 is the watchdog's kick. */
    assert_int_equal(call(1, BAOHU_HC_ID(11), 0, 0, 0), BAOHU_HC_ERR_NOT_SUPPORTED);
}

static void info_lists_every_vm_into_the_callers_ram(void **state)
{
    (void)state;
    vms[0].resets = 2;
    vms[0].faults.total = 7;
    vms[0].run_started_ns = now_ns - 1500000000ull;
    vms[2].state = VM_STOPPED;
    struct baohu_vm_info info;

    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA + 0x1008, sizeof info), 3);
    memcpy(&info, ram + 0x1008, sizeof info);
    assert_string_equal(info.name, "rtos");
    assert_int_equal(info.state, BAOHU_VM_RUNNING);
    assert_int_equal(info.vcpus, 1);
    assert_int_equal(info.uptime_ns, 1500000000ull);
    assert_int_equal(info.resets, 2);
    assert_int_equal(info.faults, 7);
    assert_int_equal(info.flags, BAOHU_VM_WATCHDOG);
    assert_int_equal(info.watchdog_ms, 100);
    assert_int_equal(ram[0x1008 + sizeof info], 0xee); /* nothing written past the record */
    assert_int_equal(ram[0x1007], 0xee);

    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 1, RAM_IPA, 4096), 3);
    memcpy(&info, ram, sizeof info);
    assert_string_equal(info.name, "linux");
    assert_int_equal(info.vcpus, 2);
    assert_int_equal(info.flags, BAOHU_VM_MANAGER);

    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 2, RAM_IPA, 4096), 3);
    memcpy(&info, ram, sizeof info);
    assert_string_equal(info.name, "app-with-a-name-longer-than-31-"); /* cut to 31 bytes */
    assert_int_equal(info.state, BAOHU_VM_STOPPED);
    assert_int_equal(info.uptime_ns, 0);
    assert_int_equal(windows_open, 0); /* every window closed again */
    assert_int_equal(windows_opened, 3);
}

/* Its vCPU 0's CPU has not built it yet: nothing of it is set but what the
 * static config says (vm->config, vm->name are still NULL). */
static void info_of_a_vm_still_being_built(void **state)
{
    (void)state;
    memset(&vms[2], 0, sizeof vms[2]);
    struct baohu_vm_info info;
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 2, RAM_IPA, sizeof info), 3);
    memcpy(&info, ram, sizeof info);
    assert_string_equal(info.name, "app-with-a-name-longer-than-31-");
    assert_int_equal(info.state, BAOHU_VM_RESETTING);
    assert_int_equal(info.vcpus, 1);
    assert_int_equal(info.uptime_ns, 0);
    assert_int_equal(info.flags, BAOHU_VM_WATCHDOG);
}

static void info_buffer_must_be_the_callers_ram_in_one_page(void **state)
{
    (void)state;
    uint64_t n = sizeof(struct baohu_vm_info);
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA, n - 1), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA + 4, n), BAOHU_HC_ERR_INVALID_PARAM);
    /* Across a page boundary. */
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA + 0x1000 - 8, n), BAOHU_HC_ERR_INVALID_PARAM);
    /* Outside its RAM: below, past the end, another VM's, wrapping. */
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA - 0x1000, n), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA + RAM_SIZE, n), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, 0x40000000, n), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, ~0ull & ~7ull, n), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(call(1, BAOHU_HC_VM_STATS, 0, RAM_IPA + RAM_SIZE, 4096), BAOHU_HC_ERR_INVALID_PARAM);
    assert_int_equal(windows_opened, 0);
    /* The last record that fits in the last page. */
    assert_int_equal(call(1, BAOHU_HC_VM_INFO, 0, RAM_IPA + RAM_SIZE - n, n), 3);
}

static void stop_start_restart_follow_the_vm_state(void **state)
{
    (void)state;
    /* rtos runs: stop it, once. */
    assert_int_equal(call(1, BAOHU_HC_VM_STOP, 0, 0, 0), BAOHU_HC_OK);
    assert_ptr_equal(last_target, &vms[0]);
    assert_string_equal(last_why, "stop requested by the manager");
    assert_int_equal(vms[0].state, VM_STOPPED);
    assert_int_equal(call(1, BAOHU_HC_VM_STOP, 0, 0, 0), BAOHU_HC_ERR_ALREADY_STOPPED);
    assert_int_equal(call(1, BAOHU_HC_VM_RESTART, 0, 0, 0), BAOHU_HC_ERR_ALREADY_STOPPED);
    /* Start it: a reload, under way until its CPU has done it. */
    assert_int_equal(call(1, BAOHU_HC_VM_START, 0, 0, 0), BAOHU_HC_OK);
    assert_string_equal(last_why, "start requested by the manager");
    assert_int_equal(vms[0].state, VM_RESETTING);
    assert_int_equal(call(1, BAOHU_HC_VM_START, 0, 0, 0), BAOHU_HC_ERR_BUSY);
    assert_int_equal(call(1, BAOHU_HC_VM_STOP, 0, 0, 0), BAOHU_HC_ERR_BUSY);
    assert_int_equal(call(1, BAOHU_HC_VM_RESTART, 0, 0, 0), BAOHU_HC_ERR_BUSY);
    vms[0].state = VM_RUNNING; /* the reload is done */
    assert_int_equal(call(1, BAOHU_HC_VM_START, 0, 0, 0), BAOHU_HC_ERR_ALREADY_RUNNING);
    assert_int_equal(call(1, BAOHU_HC_VM_RESTART, 0, 0, 0), BAOHU_HC_OK);
    assert_string_equal(last_why, "restart requested by the manager");
    assert_int_equal(vms[0].state, VM_RESETTING);
}

static void the_manager_may_not_stop_or_restart_itself(void **state)
{
    (void)state;
    assert_int_equal(call(1, BAOHU_HC_VM_STOP, 1, 0, 0), BAOHU_HC_ERR_SELF);
    assert_int_equal(call(1, BAOHU_HC_VM_RESTART, 1, 0, 0), BAOHU_HC_ERR_SELF);
    assert_int_equal(requests, 0);
    assert_int_equal(call(1, BAOHU_HC_VM_START, 1, 0, 0), BAOHU_HC_ERR_ALREADY_RUNNING);
    assert_int_equal(vms[1].state, VM_RUNNING);
}

static void stats_sum_the_vcpus_counters(void **state)
{
    (void)state;
    struct vm *vm = &vms[1];
    vm->vcpus[0].exit_causes[BAOHU_EXIT_IRQ] = 10;
    vm->vcpus[1].exit_causes[BAOHU_EXIT_IRQ] = 5;
    vm->vcpus[0].exit_causes[BAOHU_EXIT_CALL] = 3;
    vm->vcpus[1].exit_causes[BAOHU_EXIT_MMIO] = 4;
    vm->vcpus[0].irqs_injected = 20;
    vm->vcpus[1].irqs_injected = 22;
    vm->faults.total = 1;
    vm->resets = 2;
    vm->watchdog_expiries = 0;
    struct baohu_vm_stats st;
    assert_int_equal(call(1, BAOHU_HC_VM_STATS, 1, RAM_IPA + 0x2000, sizeof st), BAOHU_HC_OK);
    memcpy(&st, ram + 0x2000, sizeof st);
    assert_int_equal(st.exits[BAOHU_EXIT_IRQ], 15);
    assert_int_equal(st.exits[BAOHU_EXIT_CALL], 3);
    assert_int_equal(st.exits[BAOHU_EXIT_MMIO], 4);
    assert_int_equal(st.exits[BAOHU_EXIT_SYSREG], 0);
    assert_int_equal(st.irqs_injected, 42);
    assert_int_equal(st.faults, 1);
    assert_int_equal(st.resets, 2);
}

static void kick_needs_a_watchdog_and_moves_the_deadline(void **state)
{
    (void)state;
    assert_int_equal(call(1, BAOHU_HC_WATCHDOG_KICK, 0, 0, 0), BAOHU_HC_ERR_NOT_SUPPORTED);
    assert_int_equal(call(0, BAOHU_HC_WATCHDOG_KICK, 0, 0, 0), BAOHU_HC_OK);
    assert_int_equal(vms[0].watchdog_deadline_ns, now_ns + 100000000ull);
    /* Any caller may kick: it is no management call. */
    assert_int_equal(call(2, BAOHU_HC_WATCHDOG_KICK, ~0ull, 0, 0), BAOHU_HC_OK);
}

static void vm_start_arms_the_timer_on_vcpu0s_cpu_only(void **state)
{
    (void)state;
    this_cpu = 2; /* app's vCPU 0 */
    watchdog_vm_start(&vms[2]);
    assert_int_equal(vms[2].watchdog_deadline_ns, now_ns + 50000000ull);
    assert_int_equal(timer_armed, 50000000ull);
    timer_armed = ~0ull;
    this_cpu = 1;
    watchdog_vm_start(&vms[0]); /* not rtos's CPU: only the deadline */
    assert_int_equal(vms[0].watchdog_deadline_ns, now_ns + 100000000ull);
    assert_int_equal(timer_armed, ~0ull);
    watchdog_vm_start(&vms[1]); /* no watchdog */
    assert_int_equal(timer_armed, ~0ull);
}

static void timer_rearms_until_a_deadline_passes_then_applies_the_policy(void **state)
{
    (void)state;
    struct vm *vm = &vms[0];
    watchdog_vm_start(vm);
    now_ns += 60000000ull;
    assert_int_equal(call(0, BAOHU_HC_WATCHDOG_KICK, 0, 0, 0), BAOHU_HC_OK);
    now_ns += 40000000ull; /* the first deadline: kicked since, 60 ms left */
    watchdog_timer(&vm->vcpus[0]);
    assert_int_equal(timer_armed, 60000000ull);
    assert_int_equal(requests, 0);
    now_ns += 59999000ull; /* 1 us before the deadline: not yet */
    watchdog_timer(&vm->vcpus[0]);
    assert_int_equal(timer_armed, 1000u);
    assert_int_equal(requests, 0);
    now_ns += 1000u; /* the deadline, no kick since */
    watchdog_timer(&vm->vcpus[0]);
    assert_int_equal(requests, 1);
    assert_ptr_equal(last_target, vm);
    assert_string_equal(last_why, "watchdog expired");
    assert_int_equal(vm->state, VM_STOPPED); /* fault_policy inject: stop */
    assert_int_equal(vm->watchdog_expiries, 1);
    assert_string_equal(log_line, "VM 'rtos' watchdog expired: no kick for 100 ms (expiry 1); stopping it");
    assert_int_equal(timer_armed, 100000000ull);
    /* Stopped: polled each period, nothing more done. */
    now_ns += 500000000ull;
    watchdog_timer(&vm->vcpus[0]);
    assert_int_equal(requests, 1);
    assert_int_equal(vm->watchdog_expiries, 1);
}

static void reset_policy_reloads_and_a_busy_vm_is_left_alone(void **state)
{
    (void)state;
    struct vm *vm = &vms[2];
    watchdog_vm_start(vm);
    now_ns += 50000000ull;
    watchdog_timer(&vm->vcpus[0]);
    assert_int_equal(requests, 1);
    assert_int_equal(vm->state, VM_RESETTING);
    assert_int_equal(vm->watchdog_expiries, 1);
    assert_non_null(strstr(log_line, "watchdog expired: no kick for 50 ms (expiry 1); resetting it"));
    /* Still resetting a period later: no second request. */
    now_ns += 50000000ull;
    watchdog_timer(&vm->vcpus[0]);
    assert_int_equal(requests, 1);
    /* Only vCPU 0's CPU watches; a stray interrupt elsewhere does nothing. */
    vm->state = VM_RUNNING;
    timer_armed = ~0ull;
    watchdog_timer(NULL);
    watchdog_timer(&vms[1].vcpus[1]);
    assert_int_equal(requests, 1);
    assert_int_equal(timer_armed, ~0ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(non_managers_are_denied_whatever_the_arguments, setup),
        cmocka_unit_test_setup(unknown_ids_are_invalid, setup),
        cmocka_unit_test_setup(info_lists_every_vm_into_the_callers_ram, setup),
        cmocka_unit_test_setup(info_of_a_vm_still_being_built, setup),
        cmocka_unit_test_setup(info_buffer_must_be_the_callers_ram_in_one_page, setup),
        cmocka_unit_test_setup(stop_start_restart_follow_the_vm_state, setup),
        cmocka_unit_test_setup(the_manager_may_not_stop_or_restart_itself, setup),
        cmocka_unit_test_setup(stats_sum_the_vcpus_counters, setup),
        cmocka_unit_test_setup(kick_needs_a_watchdog_and_moves_the_deadline, setup),
        cmocka_unit_test_setup(vm_start_arms_the_timer_on_vcpu0s_cpu_only, setup),
        cmocka_unit_test_setup(timer_rearms_until_a_deadline_passes_then_applies_the_policy, setup),
        cmocka_unit_test_setup(reset_policy_reloads_and_a_busy_vm_is_left_alone, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
