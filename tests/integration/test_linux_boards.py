"""Debian's arm64 Linux beside the bare-metal RTOS on the Arm boards without an SMMU
(configs/common/aarch64/linux-rtos.c: initramfs only, virtual PL011, one IPC channel):
QEMU virt with GICv2 and the ZCU102. test_linux.py covers qemu-aarch64-virt (GICv3, SMMU, disk)."""
import pytest

from conftest import Machine
from test_linux import Console, shell_ready
from test_manage import ctl_list, vm_row

@pytest.mark.parametrize("platform", ["qemu-aarch64-virt-gicv2", "zcu102"])
def test_linux_boots_to_its_shell_beside_the_rtos(platform):
    m = Machine(platform, "linux-rtos", timeout=900)
    try:
        c = Console(m)
        c.wait_raw(r"\[baohu\] VM 'linux' \(#1\): 2 vCPU\(s\), entry 0x60200000", 240, True)
        c.wait(r"Machine model: Baohu VM linux", 120)
        c.wait(r"Kernel command line: console=ttyAMA0 rdinit=/init baohu.nodisk", 60)
        c.wait(r"CPU1: Booted secondary processor 0x0*1 ", 240)
        c.wait(r"9000000.pl011: ttyAMA0 at MMIO 0x9000000", 240)
        c.wait(r"baohu-linux: init on 6\.1\.\S+-arm64, 2 CPUs online", 240)
        c.wait(r"baohu-linux: no disk on this board \(initramfs only\)", 60)
        # The shared channel, its doorbell SPI set to edge by Linux's GICv2 driver (GICD_ICFGR)
        # for baohu_uio, and the RTOS at its other end answering every round.
        c.wait(r"baohu-ipc: object channel@50000000 at 0x50000000 \(64 KiB\), doorbell 0x50100000", 240)
        c.wait(r"baohu-ipc: using /dev/uio0 \(doorbell interrupt\)", 60)
        c.wait(r"baohu-ipc: peer ready", 240)
        c.wait(r"baohu-ipc: 10/10 round trips ok, peer saw 0 bad words", 240)
        c.wait(r"baohu-linux: ready", 120)
        shell_ready(c)
        cpus = c.shell("grep -c ^processor /proc/cpuinfo; echo cpus-done", r"\n(\d+)\r*\ncpus-done")
        assert cpus.group(1) == "2", cpus.group(0)
        # Linux's GICv2 driver ("GIC-0") took the virtual CPU interface Baohu maps at GICC's
        # address: its timer ticks there.
        c.shell("grep arch_timer /proc/interrupts", r"\d+\s+\d+\s+GIC-0\s+27 Level\s+arch_timer")
        # The Linux VM is the manager here too (docs/hypercalls.md).
        text = ctl_list(c, 7)
        assert vm_row(text, "rtos")[:3] == (0, "running", 1)
        assert vm_row(text, "linux")[:3] == (1, "running", 2)
        assert vm_row(text, "linux")[6] == "manager"
        ticks = c.rtos_ticks()
        c.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
        c.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
        assert c.rtos_ticks() > ticks
        assert "[baohu] FAULT " not in c.raw, c.raw[-4000:]
        assert "genirq" not in c.linux(), c.linux()[-4000:]
    finally:
        m.close()
