"""Baohu on qemu-riscv64-virt (H extension, PLIC): the demo, fault containment, SBI HSM/IPI/SRST per VM."""
import re

from conftest import count_ticks, tick_line

PLATFORM = "qemu-riscv64-virt"
TAGGED = re.compile(r"^\[(baohu|rtos|app)\] ")


def wait_ticks(m, vm, vcpu, n, timeout=30):
    """Wait for n consecutive ticks of `vm` vCPU `vcpu` after everything matched so far."""
    return m.wait_ticks(vm, vcpu, n, timeout=timeout)


def test_demo_boots_and_both_vms_tick(machine):
    m = machine("demo", platform=PLATFORM)
    # The VMs are built and started in parallel: their lines come in any order.
    m.expect(r"\[baohu\] Baohu on qemu-riscv64-virt: 4 CPUs, 2 VM\(s\)")
    m.seen(r"\[rtos\] guest rtos up on vcpu0 in S-mode")
    # Guest timers through Sstc's vstimecmp: no trap per tick.
    m.seen(r"\[rtos\] timer: stimecmp")
    m.seen(r"\[app\] guest app up on vcpu0 in S-mode")
    # SBI 2.0, implementation id "BHU" (include/baohu/hypercall.h).
    m.seen(r"\[app\] sbi spec 0x2000000 impl 0x424855")
    m.seen(r"\[app\] bad hypercall = -2")       # SBI_ERR_NOT_SUPPORTED
    m.seen(r"\[app\] baohu abi = 10000")
    m.seen(r"\[app\] unknown extension = -2")   # SBI_ERR_NOT_SUPPORTED
    m.seen(r"\[app\] probe hsm = 1")
    for vcpu in (1, 2):
        m.seen(rf"\[app\] hsm hart_start\({vcpu}\) = 0")
    # The VM owns 3 harts: a fourth is not the VM's own: SBI_ERR_INVALID_PARAM.
    m.seen(r"\[app\] hsm hart_start\(3\) = -3")
    m.seen(r"\[app\] hsm hart_start\(1\) again = -6")  # SBI_ERR_ALREADY_AVAILABLE
    m.seen(r"\[app\] hsm hart_get_status\(1\) = 0/0")  # STARTED
    m.seen(r"\[app\] rfence sfence_vma\(all\) = 0")
    # IPIs between the VM's own vCPUs, through SBI send_ipi.
    m.seen(r"\[app\] vcpu1 got ipi")
    m.seen(r"\[app\] vcpu2 got ipi")
    for vcpu in (0, 1, 2):
        m.seen(tick_line("app", vcpu, 3))
    m.seen(tick_line("rtos", 0, 5))
    out = m.output()
    assert count_ticks(out, "rtos", 0) >= 5
    assert "guest exception" not in out
    # OpenSBI's banner comes first; from Baohu's first line on, all is tagged.
    text = out.replace("\r", "")
    text = text[text.index("[baohu] "):]
    lines = [l for l in text.split("\n") if l.strip()]
    untagged = [l for l in lines if not TAGGED.match(l)]
    assert not untagged, f"untagged console lines: {untagged[:5]}"


def test_guest_touching_memory_outside_its_partition_is_stopped(machine):
    m = machine("fault", platform=PLATFORM)
    m.expect(tick_line("rtos", 0, 1))
    m.expect(r"\[app\] hostile: writing to ipa 0x7f000000")
    report = m.expect(r"\[baohu\] FAULT VM 'app' vCPU 0: ([^\r\n]*)\r*\n")
    detail = report.group(1)
    assert "G-stage store/AMO guest-page fault" in detail
    assert "syndrome 0x17" in detail, detail  # scause 23
    assert "address 0x7f000000" in detail
    assert re.search(r"PC 0x800[0-9a-f]{5}", detail), detail
    m.expect(r"\[baohu\] VM 'app' stopped: fault")
    # The other VM is untouched and keeps its timer ticking.
    wait_ticks(m, "rtos", 0, 5)
    out = m.output()
    assert "hostile: still alive" not in out
    after = out.split("VM 'app' stopped")[1]
    assert "[app]" not in after, "the stopped VM still printed"


def test_srst_shutdown_stops_only_that_vm(machine):
    m = machine("sysoff", platform=PLATFORM)
    m.expect(tick_line("app", 0, 3))
    m.expect(r"\[app\] sbi srst shutdown")
    m.expect(r"\[baohu\] VM 'app' stopped: SBI SRST shutdown")
    wait_ticks(m, "rtos", 0, 4)
    after = m.output().split("stopped: SBI SRST shutdown")[1]
    assert "[app]" not in after
    assert "srst shutdown returned" not in m.output()


def test_srst_reboot_restarts_only_that_vm(machine):
    m = machine("reset", platform=PLATFORM)
    m.expect(r"\[app\] guest app up on vcpu0")
    m.expect(r"\[app\] sbi srst reboot")
    # The old run's unfinished line is ended before Baohu's, and the new run starts a line.
    m.expect(r"\[app\] a line left unfinished: \r*\n\[baohu\] VM 'app' resetting: SBI SRST reboot")
    m.expect(r"(?m)^\[app\] guest app up on vcpu0")
    m.expect(tick_line("app", 0, 2))
    wait_ticks(m, "rtos", 0, 2)
    assert "srst reboot returned" not in m.output()


def test_gcc_build_boots_the_demo(machine):
    m = machine("demo", platform=PLATFORM, cross_compile="riscv64-linux-gnu-")
    m.expect(r"\[app\] rfence sfence_vma\(all\) = 0")
    m.tick_reached("app", 2, 2)
    wait_ticks(m, "rtos", 0, 2)


def test_passthrough_interrupt_through_the_emulated_plic(machine):
    m = machine("plic", platform=PLATFORM)
    # The VM sees only its own sources: the UART's (10) reads as zero.
    m.expect(r"\[rtos\] plic priority\(11\) = 1, priority\(10\) = 0")
    # Claimed and completed through the vPLIC; the next alarm arrives only
    # after the physical completion (PLIC gateway, spec §5).
    for _ in range(3):
        m.expect(r"\[rtos\] vcpu0 rtc alarm irq 11")
    wait_ticks(m, "app", 2, 2)
    assert "guest exception" not in m.output()
