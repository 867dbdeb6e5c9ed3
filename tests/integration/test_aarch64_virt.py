"""Baohu on the Arm platforms: the demo, fault containment, PSCI and per-VM power control on
qemu-aarch64-virt (GICv3), qemu-aarch64-virt-gicv2 and zcu102 (GIC-400); the rest on virt GICv3."""
import re

import pytest

from conftest import count_ticks, tick_line

# The demo, fault, sysoff and reset configs exist for each of these.
ARM_PLATFORMS = ["qemu-aarch64-virt", "qemu-aarch64-virt-gicv2", "zcu102"]
every_arm_platform = pytest.mark.parametrize("platform", ARM_PLATFORMS)

TAGGED = re.compile(r"^\[(baohu|rtos|app)\] ")


def wait_ticks(m, vm, vcpu, n, timeout=30):
    """Wait for n consecutive ticks of `vm` vCPU `vcpu` after everything matched so far."""
    return m.wait_ticks(vm, vcpu, n, timeout=timeout)


@every_arm_platform
def test_demo_boots_and_both_vms_tick(machine, platform):
    m = machine("demo", platform=platform)
    m.expect(rf"\[baohu\] Baohu on {re.escape(platform)}: 4 CPUs, 2 VM\(s\)")
    # The VMs are built and started in parallel: either may print first.
    m.seen(r"\[rtos\] guest rtos up on vcpu0 at EL1")
    m.seen(r"\[app\] guest app up on vcpu0 at EL1")
    m.seen(r"\[app\] psci version smc=0x10001 hvc=0x10001")
    m.seen(r"\[app\] bad hypercall = -1")
    m.seen(r"\[app\] baohu abi = 10000")
    for vcpu in (1, 2):
        m.seen(rf"\[app\] psci cpu_on\({vcpu}\) = 0")
    # The VM owns 3 vCPUs: a fourth is not the VM's own, so PSCI says INVALID_PARAMETERS.
    m.seen(r"\[app\] psci cpu_on\(3\) = -2")
    m.seen(r"\[app\] psci cpu_on\(1\) again = -4")
    m.seen(r"\[app\] psci affinity_info\(1\) = 0")
    # SGIs between the VM's own vCPUs, through the trapped ICC_SGI1R_EL1
    # (GICv3) or the emulated GICD_SGIR (GICv2).
    m.seen(r"\[app\] vcpu1 got sgi 3")
    m.seen(r"\[app\] vcpu2 got sgi 3")
    # Eight interrupts pending at once on one vCPU: more than the 4 list
    # registers (QEMU's GICv3 and GICv2 models, the GIC-400), taken in
    # priority order: the list-register overflow path.
    m.seen(r"\[app\] sgi burst: 8/8 delivered, order ok")
    for vcpu in (0, 1, 2):
        m.seen(tick_line("app", vcpu, 3))
    m.seen(tick_line("rtos", 0, 5))
    out = m.output()
    assert "order BAD" not in out
    assert count_ticks(out, "rtos", 0) >= 5
    lines = [l for l in out.replace("\r", "").split("\n") if l.strip()]
    untagged = [l for l in lines if not TAGGED.match(l)]
    assert not untagged, f"untagged console lines: {untagged[:5]}"


@every_arm_platform
def test_guest_touching_memory_outside_its_partition_is_stopped(machine, platform):
    m = machine("fault", platform=platform)
    m.expect(r"\[rtos\] vcpu0 tick 1")
    m.expect(r"\[app\] hostile: writing to ipa 0x7f000000")
    report = m.expect(r"\[baohu\] FAULT VM 'app' vCPU 0: ([^\r\n]*)\r*\n")
    detail = report.group(1)
    assert "data abort on write, EC 0x24" in detail
    assert "address 0x7f000000" in detail
    assert re.search(r"syndrome 0x9[0-9a-f]+", detail), detail  # EC 0x24
    assert re.search(r"PC 0x4000[0-9a-f]{4}", detail), detail
    m.expect(r"\[baohu\] VM 'app' stopped: fault")
    # The other VM is untouched and keeps its timer ticking.
    wait_ticks(m, "rtos", 0, 5)
    out = m.output()
    assert "hostile: still alive" not in out
    after = out.split("VM 'app' stopped")[1]
    assert "[app]" not in after, "the stopped VM still printed"


@every_arm_platform
def test_system_off_stops_only_that_vm(machine, platform):
    m = machine("sysoff", platform=platform)
    m.expect(r"\[app\] vcpu0 tick 3")
    m.expect(r"\[app\] psci system_off")
    m.expect(r"\[baohu\] VM 'app' stopped: PSCI SYSTEM_OFF")
    wait_ticks(m, "rtos", 0, 4)
    after = m.output().split("stopped: PSCI SYSTEM_OFF")[1]
    assert "[app]" not in after
    assert "system_off returned" not in m.output()


@every_arm_platform
def test_system_reset_restarts_only_that_vm(machine, platform):
    m = machine("reset", platform=platform)
    m.expect(r"\[app\] guest app up on vcpu0")
    m.expect(r"\[app\] fpsimd at boot: clean")
    # Before resetting, the guest fills every V register, FPCR and FPSR ...
    m.expect(r"\[app\] fpsimd dirtied")
    m.expect(r"\[app\] psci system_reset")
    # The old run's unfinished line is ended before Baohu's, and the new run starts a line.
    m.expect(r"\[app\] a line left unfinished: \r*\n\[baohu\] VM 'app' resetting: PSCI SYSTEM_RESET")
    m.expect(r"(?m)^\[app\] guest app up on vcpu0")
    # ... and the new run finds none of it (vcpu.c, fpsimd_reset).
    got = m.expect(r"\[app\] fpsimd at boot: (clean|BAD[^\r\n]*)")
    assert got.group(1) == "clean", got.group(0)
    m.expect(r"\[app\] vcpu0 tick 2")
    wait_ticks(m, "rtos", 0, 2)
    assert "system_reset returned" not in m.output()


@pytest.mark.parametrize("cpu", ["a64fx", "max,pauth-impdef=on"])
def test_demo_boots_on_later_cpu_models(machine, cpu):
    """make run CPU=<model>: the same image on an SVE (a64fx) and an Armv9-ish (max) core."""
    m = machine("demo", cpu=cpu, timeout=90)
    m.seen(r"\[app\] sgi burst: 8/8 delivered, order ok", timeout=60)
    for vcpu in (0, 1, 2):
        m.seen(tick_line("app", vcpu, 2), timeout=60)
    m.seen(tick_line("rtos", 0, 3), timeout=60)
    out = m.output()
    assert "FAULT" not in out and "guest exception" not in out and "PANIC" not in out


@every_arm_platform
def test_gcc_build_boots_the_demo(machine, platform):
    m = machine("demo", platform=platform, cross_compile="aarch64-linux-gnu-")
    m.expect(r"\[app\] sgi burst: 8/8 delivered, order ok")
    m.tick_reached("app", 2, 2)
    wait_ticks(m, "rtos", 0, 2)


def test_undecodable_device_access_stops_only_that_vm(machine):
    m = machine("badmmio")
    m.expect(r"\[app\] hostile: load pair from the distributor")
    report = m.expect(r"\[baohu\] FAULT VM 'app' vCPU 0: ([^\r\n]*)\r*\n").group(1)
    assert "without syndrome (e.g. load/store pair), EC 0x24" in report
    assert "address 0x8000000," in report
    assert re.search(r"syndrome 0x9[0-3][0-9a-f]+", report), report  # EC 0x24, ISV=0
    m.expect(r"\[baohu\] VM 'app' stopped: fault")
    wait_ticks(m, "rtos", 0, 3)
    assert "hostile: still alive" not in m.output()


def test_virtual_uart_and_its_interrupt_reach_the_owning_vm(machine):
    m = machine("passthrough")
    # The rtos VM drives a PL011 at the board's address with its own driver;
    # the UART is Baohu's virtual one, so its lines are tagged like any VM's.
    m.expect(r"(?m)^\[rtos\] uart rx ready\r*$")
    m.tick_reached("app", 0, 1)
    # rtos is the first VM with a virtual UART: it has the input.
    m.send("hello baohu\r")
    m.expect(r"(?m)^\[rtos\] uart rx: hello baohu\r*$")
    m.send("second line\r")
    m.expect(r"(?m)^\[rtos\] uart rx: second line\r*$")
    m.expect(r"(?m)^\[rtos\] vcpu0 tick \d+")
    m.expect(r"\[app\] vcpu2 tick \d+")
    # Ctrl-] 1: VM #1 (app) has no virtual UART; the input stays with rtos.
    m.send("\x1d1")
    m.expect(r"(?m)^\[baohu\] console input: VM 'app' \(#1\) has no virtual UART\r*$")
    m.send("third\r")
    m.expect(r"(?m)^\[rtos\] uart rx: third\r*$")


def test_guest_image_preloaded_by_the_loader(machine):
    m = machine("preload")
    m.expect(r"\[app\] guest app up on vcpu0 at EL1")
    m.expect(r"\[app\] sgi burst: 8/8 delivered, order ok")
    m.tick_reached("app", 1, 2)
    m.expect(tick_line("rtos", 0))


@every_arm_platform
def test_ipc_ping_pong_between_two_vms_and_an_intruder_is_refused(machine, platform):
    m = machine("ipc", platform=platform)
    # Three VMs run in parallel: their lines interleave in any order.
    m.seen(r"\[intruder\] ipc notify without the object = -3")
    m.seen(r"\[app\] ipc notify bad event = -2")
    m.seen(r"\[app\] ipc notify bad id = -3")
    m.seen(r"\[rtos\] ipc pong: 100 rounds answered", timeout=60)
    m.seen(r"\[app\] ipc ping: 100/100 round trips ok, peer saw 0 bad words", timeout=60)
    m.seen(r"\[app\] ipc round trip: \d+ counter ticks on average")
    # The intruder touches the object where rtos sees it: not in its partition.
    m.seen(r"\[intruder\] hostile: writing to ipa 0x50000000")
    report = m.seen(r"\[baohu\] FAULT VM 'intruder' vCPU 0: ([^\r\n]*)\r*\n").group(1)
    assert "address 0x50000000" in report
    m.seen(r"\[baohu\] VM 'intruder' stopped: fault")
    # Both peers keep running.
    wait_ticks(m, "rtos", 0, 2)
    wait_ticks(m, "app", 0, 2)
    assert "hostile: still alive" not in m.output()


@every_arm_platform
def test_cache_colouring_self_check_walks_stage2(machine, platform):
    m = machine("colour", platform=platform)
    # Baohu itself has colours 0-3 (test_hyp_space.py checks it); the two VMs are built
    # in parallel on their own CPUs: either line may come first.
    m.seen(r"\[baohu\] VM 'rtos' colouring self-check: 4096 RAM pages, all of colours 0xf0 \(of 16\)")
    m.seen(r"\[baohu\] VM 'app' colouring self-check: 16384 RAM pages, all of colours 0xff00 \(of 16\)")
    # The guests run from coloured pages exactly as from contiguous ones.
    m.seen(r"\[app\] sgi burst: 8/8 delivered, order ok")
    m.seen(tick_line("app", 2, 2))
    m.seen(tick_line("rtos", 0))
    assert "FAILED" not in m.output()


def test_fault_policy_reset_restarts_only_the_faulting_vm(machine):
    m = machine("fault-reset")
    for _ in range(2):
        m.expect(r"\[app\] hostile: writing to ipa 0x7f000000")
        report = m.expect(r"\[baohu\] FAULT VM 'app' vCPU 0: ([^\r\n]*)\r*\n").group(1)
        assert report.endswith("VM reset"), report
        m.expect(r"\[baohu\] VM 'app' resetting: fault")
        # The VM starts again from a freshly loaded image.
        m.expect(r"\[app\] guest app up on vcpu0 at EL1")
        m.expect(r"\[app\] vcpu0 tick 1")
    wait_ticks(m, "rtos", 0, 2)
    assert "hostile: still alive" not in m.output()
