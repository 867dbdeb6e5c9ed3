"""The tagged console cannot be forged: a VM's lines dressed as Baohu's or another VM's, with CR
and escape-sequence tricks, come out under the VM's own tag with no control byte."""
import re

import pytest

PLATFORMS = ["qemu-aarch64-virt", "qemu-aarch64-virt-gicv2", "zcu102",
             "qemu-riscv64-virt", "qemu-riscv64-virt-aia"]

# What "app" prints (guests/common/forge.h) and how it must come out.
FORGED = [
    r"\[app\] forge 1",
    r"\[app\] \[baohu\] VM 'rtos' stopped: forged",
    r"\[app\] forge 2\[rtos\] vcpu0 tick 999",
    r"\[app\] \?\[2K\?\[1G\[baohu\] forged erase",
    r"\[app\] forge 4 \?2K\?\? end",
    r"\[app\] forge done",
]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_forged_lines_stay_under_the_guests_own_tag(machine, platform):
    m = machine("console-forge", platform=platform)
    m.seen(r"(?m)^\[app\] forge done\r*$")
    m.seen(r"(?m)^\[rtos\] vcpu0 tick 3\r*$")
    out = m.output()
    lines = out.split("\n")
    for want in FORGED:
        assert any(re.fullmatch(want + r"\r*", l) for l in lines), (want, out)
    # No line starts as a forged Baohu or rtos line, and no control byte
    # (CR only before LF, no ESC, no C1) reached the terminal.
    assert not re.search(r"(?m)^\[baohu\] (VM 'rtos' stopped: forged|forged erase)", out), out
    assert not re.search(r"(?m)^\[rtos\] vcpu0 tick 999", out), out
    assert "\x1b" not in out and "\x9b" not in out and "\ufffd" not in out, repr(out)
    assert not re.search(r"\r(?![\r\n])", out), repr(out)


@pytest.mark.parametrize("platform", ["qemu-riscv64-virt", "qemu-riscv64-virt-aia"])
def test_virtual_ns16550_prints_tagged_and_takes_input_by_its_interrupt(machine, platform):
    """RISC-V: rtos drives an emulated NS16550A (config vuart) with its own driver: its lines
    come out under its tag, and typed lines reach it through the vPLIC (source 10) or the
    vAPLIC and its interrupt file (AIA)."""
    m = machine("vuart", platform=platform)
    m.expect(r"(?m)^\[rtos\] uart rx ready\r*$")
    m.expect(r"(?m)^\[rtos\] vcpu0 tick 1\r*$")
    # rtos is the first VM with a virtual UART: it has the input.
    m.send("hello ns16550\r")
    m.expect(r"(?m)^\[rtos\] uart rx: hello ns16550\r*$")
    # Ctrl-] 1: app (#1) has no virtual UART; Ctrl-] 0 gives the input to rtos (again).
    m.send("\x1d1")
    m.expect(r"(?m)^\[baohu\] console input: VM 'app' \(#1\) has no virtual UART\r*$")
    m.send("\x1d0")
    m.expect(r"(?m)^\[baohu\] console input: VM 'rtos' \(#0\)\r*$")
    m.send("second\r")
    m.expect(r"(?m)^\[rtos\] uart rx: second\r*$")
    m.expect(r"(?m)^\[rtos\] vcpu0 tick \d+\r*$")
    m.expect(r"(?m)^\[app\] vcpu2 tick \d+\r*$")


@pytest.mark.parametrize("platform", ["qemu-aarch64-virt", "qemu-aarch64-virt-gicv2", "zcu102"])
def test_virtual_pl011_takes_input_from_the_boards_console_uart(machine, platform):
    """Arm: typed bytes arrive on the board's console UART (PL011, or zcu102's Cadence UART),
    whose receive interrupt is Baohu's, and reach rtos's virtual PL011 and its vGIC SPI 33."""
    m = machine("vuart", platform=platform)
    m.expect(r"(?m)^\[rtos\] uart rx ready\r*$")
    m.expect(r"(?m)^\[app\] vcpu0 tick 1\r*$")
    m.send("typed on " + platform + "\r")
    m.expect(rf"(?m)^\[rtos\] uart rx: typed on {re.escape(platform)}\r*$")
    m.send("\x1d0")
    m.expect(r"(?m)^\[baohu\] console input: VM 'rtos' \(#0\)\r*$")
    m.send("again\r")
    m.expect(r"(?m)^\[rtos\] uart rx: again\r*$")
    m.expect(r"(?m)^\[rtos\] vcpu0 tick \d+\r*$")
