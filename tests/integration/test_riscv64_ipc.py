"""Inter-VM communication and cache colouring on both RISC-V platforms (vPLIC and vAPLIC doorbells)."""
import pytest

from conftest import tick_line

RISCV_PLATFORMS = ["qemu-riscv64-virt", "qemu-riscv64-virt-aia"]
every_riscv_platform = pytest.mark.parametrize("platform", RISCV_PLATFORMS)

# Baohu's calls return SBI errors on RISC-V (include/baohu/hypercall.h):
# where Arm prints -2 (INVALID_PARAM) and -3 (DENIED), RISC-V prints
# SBI_ERR_INVALID_PARAM -3 and SBI_ERR_DENIED -4.
SBI_ERR_INVALID_PARAM = -3
SBI_ERR_DENIED = -4


def wait_ticks(m, vm, vcpu, n, timeout=30):
    """Wait for n consecutive ticks of `vm` vCPU `vcpu` after everything matched so far
    (Machine.wait_ticks)."""
    return m.wait_ticks(vm, vcpu, n, timeout=timeout)


@every_riscv_platform
def test_ipc_ping_pong_between_two_vms_and_an_intruder_is_refused(machine, platform):
    m = machine("ipc", platform=platform)
    # Three VMs run in parallel: their lines interleave in any order.
    m.seen(rf"\[intruder\] ipc notify without the object = {SBI_ERR_DENIED}\r")
    m.seen(rf"\[app\] ipc notify bad event = {SBI_ERR_INVALID_PARAM}\r")
    m.seen(rf"\[app\] ipc notify bad id = {SBI_ERR_DENIED}\r")
    m.seen(r"\[rtos\] ipc pong ready")
    # Pong answers through its doorbell page, ping rings through the SBI call;
    # each doorbell arrives as a source of the peer's vPLIC / vAPLIC.
    m.seen(r"\[rtos\] ipc pong: 100 rounds answered", timeout=60)
    m.seen(r"\[app\] ipc ping: 100/100 round trips ok, peer saw 0 bad words", timeout=60)
    m.seen(r"\[app\] ipc round trip: \d+ counter ticks on average")
    # The intruder touches the object where rtos sees it: not in its partition.
    m.seen(r"\[intruder\] hostile: writing to ipa 0x90000000")
    report = m.seen(r"\[baohu\] FAULT VM 'intruder' vCPU 0: ([^\r\n]*)\r*\n").group(1)
    assert "G-stage store/AMO guest-page fault" in report, report
    assert "address 0x90000000" in report, report
    m.seen(r"\[baohu\] VM 'intruder' stopped: fault")
    # Both peers keep running.
    wait_ticks(m, "rtos", 0, 2)
    wait_ticks(m, "app", 0, 2)
    out = m.output()
    assert "hostile: still alive" not in out
    assert "guest exception" not in out
    assert "FAULT VM 'rtos'" not in out and "FAULT VM 'app'" not in out


@every_riscv_platform
def test_cache_colouring_self_check_walks_gstage(machine, platform):
    m = machine("colour", platform=platform)
    # 32 colours from the platform's nominal 2 MiB 16-way LLC; Baohu itself has colours
    # 0-3 (test_hyp_space.py checks it). The two VMs are built in parallel on their own
    # CPUs: either line may come first.
    m.seen(r"\[baohu\] VM 'rtos' colouring self-check: 4096 RAM pages, all of colours 0xff0 \(of 32\)")
    m.seen(r"\[baohu\] VM 'app' colouring self-check: 16384 RAM pages, "
             r"all of colours 0xfffff000 \(of 32\)")
    # The guests run from coloured pages exactly as from contiguous ones.
    m.seen(r"\[app\] vcpu1 got ipi")
    m.seen(r"\[app\] vcpu2 got ipi")
    m.seen(tick_line("app", 2, 2))
    m.seen(tick_line("rtos", 0, 2))
    out = m.output()
    assert "FAILED" not in out
    assert "guest exception" not in out
