"""Baohu on qemu-riscv64-virt-aia (APLIC + IMSIC guest files): MSIs and IPIs reach guests without a trap."""
from conftest import count_ticks

PLATFORM = "qemu-riscv64-virt-aia"


def test_aia_demo_msi_ipis_and_wired_interrupt_through_the_vaplic(machine):
    m = machine("demo", platform=PLATFORM)
    m.expect(r"\[baohu\] Baohu on qemu-riscv64-virt-aia: 4 CPUs, 2 VM\(s\)")
    # The two VMs print concurrently: wait for the last events, then check
    # everything on the whole console.
    for vcpu in (0, 1, 2):
        m.tick_reached("app", vcpu, 3)
    m.tick_reached("rtos", 0, 6)
    out = m.output()
    # The vAPLIC shows the VM its own sources only: the UART's (10) stays zero.
    assert "[rtos] aplic sourcecfg(11) = 6, sourcecfg(10) = 0" in out
    # The RTC's wired interrupt, sent by the physical APLIC as an MSI into
    # the vCPU's guest interrupt file and claimed through stopei, three times.
    assert out.count("[rtos] vcpu0 rtc alarm irq 11") >= 3, out
    assert "[app] hsm hart_start(1) = 0" in out
    assert "[app] hsm hart_start(3) = -3" in out
    # vCPU 0 stores to its siblings' interrupt files (mapped in G-stage).
    assert "[app] vcpu1 got msi 1" in out
    assert "[app] vcpu2 got msi 1" in out
    assert count_ticks(out, "rtos", 0) >= 6
    assert "guest exception" not in out
    assert "FAULT" not in out


def test_aia_gcc_build(machine):
    m = machine("demo", platform=PLATFORM, cross_compile="riscv64-linux-gnu-")
    m.tick_reached("app", 2, 2)
    m.tick_reached("rtos", 0, 6)
    out = m.output()
    assert out.count("[rtos] vcpu0 rtc alarm irq 11") >= 3, out
    assert "[app] vcpu1 got msi 1" in out and "[app] vcpu2 got msi 1" in out
