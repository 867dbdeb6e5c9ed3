"""RISC-V hart features and SBI v2.0 as guests see them (guests/baremetal-riscv64/features.c):
vector state, hcounteren per VM, DBCN, HSM/SRST return codes, no Sstc, an early HS-mode trap."""
import os
import re
import subprocess

import pexpect
import pytest

from conftest import ROOT, Machine, count_ticks, qemu_command, tick_line

PLATFORM = "qemu-riscv64-virt"
VMS = ("feat", "counted")  # configs/qemu-riscv64-virt/features.c: default counters / opted in


def run_features(cpu=None, cross_compile=""):
    """Boot the features config until both VMs are done; returns the console."""
    m = Machine(PLATFORM, "features", timeout=60, cpu=cpu, cross_compile=cross_compile)
    try:
        for vm in VMS:
            m.seen(rf"\[{vm}\] features: done", timeout=50)
        return m.output().replace("\r", "")
    finally:
        m.close()


@pytest.fixture(scope="module")
def default_cpu():
    return run_features()


def line(out, vm, text):
    """The value after `text` on VM `vm`'s tagged line (fails if there is none)."""
    m = re.search(rf"^\[{vm}\] {re.escape(text)}(.*)$", out, re.M)
    assert m, f"no [{vm}] {text!r} line in:\n{out}"
    return m.group(1).strip()


@pytest.mark.parametrize("cross_compile", ["", "riscv64-linux-gnu-"], ids=["clang", "gcc"])
def test_vector_usable_and_kept_across_traps(cross_compile):
    out = run_features(cpu="rv64,v=true", cross_compile=cross_compile)
    assert re.search(r"^\[baohu\] hart 0 extensions for guests:.* v( |$)", out, re.M), out
    for vm in VMS:
        # The guest switched its vsstatus.VS on; Baohu's sstatus.VS let it through.
        assert line(out, vm, "vector: vlenb") == "16"  # QEMU's default VLEN 128
        # vsetvli/vle32/vadd.vv, 100 SBI calls into Baohu, then vse32: v3, vl
        # and vtype are what the guest left there.
        assert line(out, vm, "vector: vl ") == "4 vl now 4 vtype 0xd0 vadd 11 22 33 44"
        assert line(out, vm, "vector: sstatus.VS after") == "3"  # Dirty
    assert "guest exception" not in out


def test_without_vector_vlenb_is_illegal(default_cpu):
    out = default_cpu
    assert not re.search(r"extensions for guests:.* v( |$)", out), out
    for vm in VMS:
        assert line(out, vm, "vector: vlenb trap scause") == "2"


def test_counters_time_only_unless_opted_in(default_cpu):
    out = default_cpu
    assert line(out, "feat", "counter time:") == "ok (nonzero 1)"
    # hcounteren.CY/IR clear: a virtual-instruction trap, which the guest
    # receives as an illegal instruction (scause 2).
    assert line(out, "feat", "counter cycle:") == "trap scause 2"
    assert line(out, "feat", "counter instret:") == "trap scause 2"
    faults = re.findall(r"\[baohu\] FAULT VM '(\w+)' vCPU 0: virtual instruction", out)
    assert faults == ["feat", "feat"], faults
    # VM 'counted' has .counters = VM_COUNTER_CYCLE | VM_COUNTER_INSTRET.
    for counter in ("time", "cycle", "instret"):
        assert line(out, "counted", f"counter {counter}:") == "ok (nonzero 1)"


def test_sbi_2_0_debug_console(default_cpu):
    out = default_cpu
    for vm in VMS:
        assert line(out, vm, "sbi spec") == "0x2000000 impl 0x424855"
        assert line(out, vm, "probe dbcn =") == "1"
        # The bytes come out on the VM's own tagged line, as its putchar's would.
        assert re.search(rf"^\[{vm}\] dbcn: hello through console_write$", out, re.M), out
        assert line(out, vm, "dbcn write =") == "0/34 of 34"
        assert re.search(rf"^\[{vm}\] dbcn: byte by byte$", out, re.M), out
        # A buffer outside the VM's RAM, or with an upper address half, is
        # SBI_ERR_INVALID_PARAM; no input path: a read returns 0 bytes.
        assert line(out, vm, "dbcn write outside ram =") == "-3/0"
        assert line(out, vm, "dbcn write addr_hi =") == "-3/0"
        assert line(out, vm, "dbcn read =") == "0/0"
        assert line(out, vm, "dbcn fid 3 =") == "-2"


# SBI v2.0 §9.4 Table 42, §10.1 Table 46: reserved and unimplemented
# platform-specific values are SBI_ERR_INVALID_PARAM (-3).
SUSPEND = {"0x0": "0", "0x1": "-3", "0xfffffff": "-3", "0x10000000": "-3", "0x7fffffff": "-3",
           "0x80000000": "-2", "0x80000001": "-3", "0x90000000": "-3", "0xffffffff": "-3",
           "0x100000000": "-3"}
SRST = ["0x3, 0x0", "0xefffffff, 0x0", "0xf0000000, 0x0", "0xffffffff, 0x0", "0x100000000, 0x0",
        "0x0, 0x2", "0x0, 0xe0000000", "0x0, 0xf0000000", "0x1, 0x100000000"]


def test_hsm_suspend_and_srst_return_codes(default_cpu):
    out = default_cpu
    for vm in VMS:
        for t, want in SUSPEND.items():
            assert line(out, vm, f"hsm suspend({t}) =") == want, t
        for args in SRST:
            assert line(out, vm, f"srst({args}) =") == "-3", args
    # None of those stopped or reset a VM.
    assert "stopped" not in out and "reset" not in out, out


def test_boot_without_sstc_uses_the_sbi_timer(machine):
    # QEMU 7.2 with sstc=false still lets henvcfg.STCE read back as 1: Baohu
    # must go by the ISA string, not trap on vstimecmp.
    m = machine("demo", platform=PLATFORM, cpu="rv64,sstc=false")
    ext = m.expect(r"\[baohu\] hart 0 extensions for guests:([^\r\n]*)\r*\n")
    assert "sstc" not in ext.group(1)
    m.seen(r"\[rtos\] timer: sbi set_timer")
    m.seen(r"\[app\] timer: sbi set_timer")
    for vm, vcpus in (("rtos", (0,)), ("app", (0, 1, 2))):
        for vcpu in vcpus:
            m.seen(tick_line(vm, vcpu, 3), timeout=40)
    out = m.output()
    assert count_ticks(out, "rtos", 0) >= 3
    assert "guest exception" not in out and "PANIC" not in out


def test_svpbmt_from_the_isa_string(machine):
    # QEMU 7.2 offers Svpbmt (not Zicbom/Zicboz/Smstateen): the line reports henvcfg.PBMTE
    # as it stuck (OpenSBI sets menvcfg.PBMTE), set because the ISA string names Svpbmt.
    m = machine("demo", platform=PLATFORM, cpu="rv64,svpbmt=true")
    ext = m.expect(r"\[baohu\] hart 0 extensions for guests:([^\r\n]*)\r*\n")
    assert ext.group(1).split() == ["sstc", "svpbmt"]
    m.seen(tick_line("app", 2, 2))
    m.seen(tick_line("rtos", 0, 2))


def test_hs_trap_before_the_console_goes_to_the_firmware_console():
    """A build of its own (BAOHU_TEST_CFLAGS, src/arch/riscv64/arch.mk) traps on CPU 0
    before Baohu's console is up: the report comes through SBI console_putchar."""
    build = os.path.join(ROOT, "build", "rv-early-trap")
    guests = os.path.join(ROOT, "build", f"{PLATFORM}-clang", "guests")
    res = subprocess.run(["make", "-s", f"PLATFORM={PLATFORM}", "CONFIG=demo", f"BUILD={build}",
                          f"GUEST_OUT={guests}", "BAOHU_TEST_CFLAGS=-DBAOHU_TEST_EARLY_TRAP"],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    cmd = qemu_command(PLATFORM, "demo") + f" -kernel {build}/demo/baohu.elf"
    assert "-nic none" in cmd
    child = pexpect.spawn("timeout", ["--kill-after=5", "30"] + cmd.split(), cwd=ROOT,
                          encoding="utf-8", codec_errors="replace", timeout=30)
    try:
        child.expect(r"\[baohu\] \(before the console\) PANIC on CPU 0: HS-mode trap "
                     r"scause 0x2 stval 0x([0-9a-f]+) sepc 0x8020[0-9a-f]{4}")
        assert child.match.group(1) == "300022f3"  # csrr t0, mstatus
    finally:
        child.close(force=True)


def test_vector_and_fp_state_do_not_survive_a_reboot(machine):
    # configs/qemu-riscv64-virt/features-reset.c: each run leaves 11 22 33 44
    # in v3 and reboots through SBI SRST; Baohu clears the vector registers at
    # the vCPU reset, so every run finds zeros.
    # The same for the FP unit: each run leaves a pattern in f3 and fcsr.
    m = machine("features-reset", platform=PLATFORM, cpu="rv64,v=true")
    for run in range(3):
        fp = m.expect(r"\[feat\] fp: f3 (0x[0-9a-f]+) fcsr (0x[0-9a-f]+) at entry")
        assert fp.group(1) == "0x0" and fp.group(2) == "0x0", f"run {run}: {fp.group(0)}"
        v3 = m.expect(r"\[feat\] vector: v3 at entry ([^\r\n]*)\r*\n")
        assert v3.group(1) == "0 0 0 0", f"run {run}: {v3.group(0)}"
        m.expect(r"\[feat\] vector: vl 4 vl now 4 vtype 0xd0 vadd 11 22 33 44")
        m.expect(r"\[baohu\] VM 'feat' resetting: SBI SRST reboot")
