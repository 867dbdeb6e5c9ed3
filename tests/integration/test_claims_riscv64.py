"""README/docs claims on RISC-V that had no test (issue 15): SBI TIME, vPLIC thresholds, shared
memory never executable (configs/common/riscv64/claims.c, guests/baremetal-riscv64/claims.c)."""
import re

import pytest

RISCV_PLATFORMS = ["qemu-riscv64-virt", "qemu-riscv64-virt-aia"]


@pytest.mark.parametrize("platform", RISCV_PLATFORMS)
def test_sbi_time_set_timer_fires_and_can_be_withdrawn(machine, platform):
    """SBI v2.0 §6.1 (vsbi.c, vtimer.c; on a hart with Sstc Baohu programs vstimecmp): the TIME
    extension is there, set_timer returns SBI_SUCCESS, its interrupt is not taken before the
    deadline and is taken after it; a deadline in the past fires at once; set_timer(-1) withdraws
    a pending timer interrupt. (Without Sstc: test_riscv64_features.py, SBI-timer ticks.)"""
    m = machine("claims", platform=platform)
    got = m.seen(r"\[time\] sbi time: probe (-?\d+), set_timer\(\+10 ms\) = (-?\d+), taken after (-?\d+) us")
    assert got.group(1) == "1" and got.group(2) == "0", got.group(0)
    # Not before the deadline (10 ms), and not as late as the guest's 1 s limit (-1).
    assert 10000 <= int(got.group(3)) < 500000, got.group(0)
    past = m.seen(r"\[time\] sbi time: set_timer\(0\) = (-?\d+), taken after (-?\d+) us")
    assert past.group(1) == "0" and 0 <= int(past.group(2)) < 10000, past.group(0)
    m.seen(r"\[time\] sbi time: set_timer\(0\) then set_timer\(-1\) = 0, taken in the next 50 ms: no\r*\n")
    m.seen(r"\[time\] sbi time: done")
    # Its periodic tick (stimecmp) runs afterwards, from 1.
    m.seen(r"\[time\] vcpu0 tick 1\r*\n")
    m.wait_ticks("time", 0, 2)
    assert "[time] guest exception" not in m.output()


def test_vplic_threshold_masks_priorities_at_or_below_it(machine):
    """PLIC spec §7 (vplic.c, vplic_best): a context takes only a pending source whose priority
    is above its threshold, and priority 0 never interrupts. The RTC alarm is left pending while
    the guest tries pairs; only raising the priority above the threshold delivers it."""
    m = machine("claims", platform="qemu-riscv64-virt")
    m.seen(r"\[thresh\] plic: rtc alarm pending\r*\n")
    for prio, thr in ((1, 1), (2, 2), (3, 7), (0, 0)):
        got = m.seen(rf"\[thresh\] plic: priority {prio} threshold {thr}: ([a-z ]+)\r*\n")
        assert got.group(1) == "not delivered", got.group(0)
    got = m.seen(r"\[thresh\] plic: priority 3 threshold 2: ([a-z ]+)\r*\n")
    assert got.group(1) == "delivered", got.group(0)
    m.seen(r"\[thresh\] plic: thresholds done")
    m.wait_ticks("thresh", 0, 2)
    out = m.output()
    assert "[thresh] guest exception" not in out and "FAULT VM 'thresh'" not in out


@pytest.mark.parametrize("platform", RISCV_PLATFORMS)
def test_shared_memory_is_never_executable_riscv(machine, platform):
    """docs/design.md: shared memory is never executable. The VM writes `c.jr ra` into its
    writable object (it reads back) and calls it: the G-stage mapping has no X, so an
    instruction guest-page fault, which the VM receives as an instruction access fault (scause 1)
    with stval and sepc at that address; it never returns from the call."""
    m = machine("claims", platform=platform)
    m.seen(r"\[shmx\] shmem: wrote ret at 0xa0000000, reads back 0x8082; calling it")
    report = m.seen(r"\[baohu\] FAULT VM 'shmx' vCPU 0: ([^\r\n]*)\r*\n").group(1)
    assert "G-stage instruction guest-page fault" in report, report
    assert "address 0xa0000000" in report and "PC 0xa0000000" in report, report
    assert report.endswith("instruction access fault injected"), report
    exc = m.seen(r"\[shmx\] guest exception scause=0x([0-9a-f]+) sepc=0x([0-9a-f]+) stval=0x([0-9a-f]+)")
    assert [int(exc.group(k), 16) for k in (1, 2, 3)] == [1, 0xa0000000, 0xa0000000], exc.group(0)
    m.wait_ticks("rtos", 0, 2)
    out = m.output()
    assert "the call returned" not in out
    assert "VM 'shmx' stopped" not in out
    assert not re.search(r"FAULT VM '(rtos|time)'", out)


# An address no guest stage maps (outside the VM's RAM): Baohu's HLVX read of the trapping
# instruction there faults in HS-mode.
HLVX_FAULT = {"BAOHU_TEST_CFLAGS": "-DBAOHU_TEST_HLVX_FAULT=0x7f000000UL"}
IRQC = {"qemu-riscv64-virt": 0xc000004, "qemu-riscv64-virt-aia": 0xd000004}


@pytest.mark.parametrize("platform", RISCV_PLATFORMS)
def test_faulting_instruction_read_faults_the_vm_not_baohu(machine, platform):
    """docs/design.md: the instruction behind an emulated access is decoded from htinst or read
    with HLVX (trap.S, guest_code_read), "and a fault on that read faults the VM, never Baohu".
    A test build reads it at an unmapped address when the guest sets t6 = "HLVX" (mmio_decode.c):
    Baohu's HS-mode fault is recovered, the access cannot be emulated, and the VM receives a load
    access fault at the device address; Baohu, the VM and its neighbour go on."""
    m = machine("claims-hlvx", platform=platform, make_vars=HLVX_FAULT)
    reg = IRQC[platform]
    m.seen(rf"\[hlvx\] hlvx: emulated read of 0x{reg:x} = 0x[0-9a-f]+\r*\n")
    m.seen(r"\[hlvx\] hlvx: the same read with t6 = HLVX")
    report = m.seen(r"\[baohu\] FAULT VM 'hlvx' vCPU 0: ([^\r\n]*)\r*\n").group(1)
    assert "emulated device access by an instruction that cannot be emulated" in report, report
    # What the VM was given ends the line; this report is longer than CONSOLE_LINE_MAX (160) and
    # loses its last word (" injected"): the guest's own line below says what it received.
    assert f"address 0x{reg:x}" in report and "; load access fault" in report, report
    exc = m.seen(r"\[hlvx\] guest exception scause=0x([0-9a-f]+) sepc=0x([0-9a-f]+) stval=0x([0-9a-f]+)")
    assert int(exc.group(1), 16) == 5 and int(exc.group(3), 16) == reg, exc.group(0)
    assert 0x80000000 <= int(exc.group(2), 16) < 0x81000000, exc.group(0)  # in its own image
    m.wait_ticks("rtos", 0, 3)
    out = m.output()
    assert "PANIC" not in out, out
    assert "the read returned" not in out
    assert "VM 'hlvx' stopped" not in out
