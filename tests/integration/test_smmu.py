"""DMA isolation: the SMMUv3 confines a passthrough PCIe device's DMA to its VM; the validator's DMA rules."""
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIGS = ROOT / "tests" / "configs" / "smmu"

# config -> (platform, substrings of its one error); None: it passes.
CASES = {
    "zcu102_dma_confined_missing": ("zcu102", ["VM 'app' (#0) devs[0].dma:", "which has no IOMMU",
                                               "set .dma_unconfined"]),
    "zcu102_dma_streams": ("zcu102", ["VM 'app' (#0) devs[0].streams:", "no IOMMU to translate"]),
    "virt_dma_no_streams": ("qemu-aarch64-virt", ["VM 'app' (#0) devs[0].streams:", "names no streams"]),
    "virt_dma_smmu_regs": ("qemu-aarch64-virt", ["VM 'app' (#0) devs[0]:", "overlaps the IOMMU's registers"]),
    "virt_dma_stream_range": ("qemu-aarch64-virt", ["VM 'app' (#0) devs[0].streams[0]:",
                                                    "outside the IOMMU's streams [0, 0x100)"]),
    "virt_dma_good": ("qemu-aarch64-virt", None),
    "zcu102_dma_unconfined": ("zcu102", None),
}


def check(name, tmp_path):
    platform, _ = CASES[name]
    exe = tmp_path / "config-check"
    cc = shlex.split(os.environ.get("HOSTCC", "cc"))
    res = subprocess.run(cc + ["-std=c11", "-Wall", "-Wextra", "-Werror", "-DBAOHU_HOST",
                               "-Iinclude", "-Isrc/core/include", "tools/config_check.c",
                               "src/core/config_check.c", f"src/platform/{platform}/platform.c",
                               str(CONFIGS / f"{name}.c"), "-o", str(exe)],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)


def test_every_case_on_disk():
    assert {p.stem for p in CONFIGS.glob("*.c")} == set(CASES)


@pytest.mark.parametrize("name", sorted(n for n, (_, e) in CASES.items() if e))
def test_dma_rule(name, tmp_path):
    res = check(name, tmp_path)
    assert res.returncode == 1, res.stderr
    errors = [l for l in res.stderr.splitlines() if l.startswith("config-check: error: ")]
    assert len(errors) == 1, res.stderr
    for part in CASES[name][1]:
        assert part in errors[0], res.stderr


def test_confined_pcie_bridge_passes(tmp_path):
    res = check("virt_dma_good", tmp_path)
    assert res.returncode == 0 and res.stderr == "", res.stderr


def test_unconfined_dma_builds_with_warning(tmp_path):
    """No IOMMU (zcu102): a DMA device declared unconfined passes, and the
    build says which VM and device can reach all memory."""
    res = check("zcu102_dma_unconfined", tmp_path)
    assert res.returncode == 0, res.stderr
    assert ("config-check: warning: VM 'app' (#0) devs[0]: DMA UNCONFINED: device at pa "
            "[0xfd0c0000, 0xfd0c1000)") in res.stderr
    assert "1 VMs OK" in res.stdout


def test_linux_demo_passes_with_confined_dma():
    """The shipped linux-rtos config names its PCIe host bridge's streams:
    it passes the DMA rules with no warning."""
    res = subprocess.run(["make", "-s", "PLATFORM=qemu-aarch64-virt", "CONFIG=linux-rtos",
                          "build/qemu-aarch64-virt-clang/linux-rtos/config.ok", "-B"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "warning" not in res.stderr and "2 VMs OK" in res.stdout, res.stdout + res.stderr


def victim_unchanged(m, start, before):
    """Three checksums of the victim's page printed after `start`, each the one it had before."""
    for _ in range(60):
        later = re.findall(r"\[victim\] victim checksum (0x[0-9a-f]+)", m.output()[start:])
        if len(later) >= 3:
            break
        m.expect(r"\[victim\] victim checksum", timeout=10)
    later = re.findall(r"\[victim\] victim checksum (0x[0-9a-f]+)", m.output()[start:])
    assert len(later) >= 3 and set(later) == {before}, m.output()


@pytest.mark.parametrize("config", ["dma", "dma-colour"])
def test_dma_confined_to_own_vm(machine, config):
    """A guest drives virtio-blk-pci behind the SMMU: a read into its own RAM
    arrives; a read aimed at the victim VM's physical RAM is blocked, Baohu
    reports the DMA fault for the VM and stream, and the victim's memory
    checksum does not change. dma-colour: the same with Baohu coloured (the
    SMMU's stream table and contexts in its coloured table pool) and the DMA
    VM's RAM coloured."""
    m = machine(config, timeout=90)
    m.seen(r"SMMUv3 at 0x9050000: S1P no S2P, coherent, 256 streams, every stream aborting")
    if config == "dma-colour":
        m.seen(r"Baohu coloured: image of \d+ pages relocated to colours 0xf")
        m.seen(r"VM 'dma' colouring self-check: 4096 RAM pages, all of colours 0xff00 \(of 16\)")
    m.seen(r"VM 'dma': 256 DMA stream\(s\) translated through its memory map")
    before = m.seen(r"\[victim\] victim checksum (0x[0-9a-f]+)").group(1)
    m.seen(r"\[dma\] dma: virtio-blk-pci at 00:1\.0 \(stream 0x8\), setup 0")
    m.seen(r"\[dma\] dma: own RAM read 1, data 'BAOHUDMA'")
    m.seen(r"\[dma\] dma: aiming at 0x48100000")
    m.seen(r"DMA FAULT VM 'dma' stream 0x8: translation fault on write at address 0x481000[0-9a-f]{2}; "
           r"transfer blocked")
    m.seen(r"\[dma\] dma: aiming at Baohu at 0x40200000", timeout=30)
    m.seen(r"DMA FAULT VM 'dma' stream 0x8: translation fault on write at address 0x402000[0-9a-f]{2}|"
           r"VM 'dma': \d+ more fault\(s\)[^\n]*address 0x402[0-9a-f]*", timeout=30)
    m.seen(r"\[dma\] dma: done", timeout=30)
    # Ticks of the victim after the attack: its page is what it was.
    out = m.output()
    victim_unchanged(m, out.index("dma: aiming at"), before)
    assert "[victim]" in out and "FAULT VM 'victim'" not in m.output()
    # Baohu survived the write aimed at its image: both VMs still tick.
    m.expect(r"\[dma\] vcpu0 tick \d+", timeout=20)
    m.expect(r"\[victim\] vcpu0 tick \d+", timeout=20)
    if config == "dma-colour":
        assert "Baohu colouring self-check FAILED" not in m.output()
        assert len(re.findall(r"Baohu colouring self-check: \d+ pages, all of colours 0xf", m.output())) == 4


@pytest.mark.parametrize("policy", ["reset", "stop"])
def test_dma_fault_answered_by_the_vms_policy(machine, policy):
    """dma-reset / dma-stop: the blocked transfer restarts (or stops) the DMA VM, as its fault
    policy says and its report names; the victim ticks on with its memory unchanged."""
    m = machine(f"dma-{policy}", timeout=90)
    before = m.seen(r"\[victim\] victim checksum (0x[0-9a-f]+)").group(1)
    m.seen(r"\[dma\] dma: own RAM read 1, data 'BAOHUDMA'")
    m.seen(r"DMA FAULT VM 'dma' stream 0x8: translation fault on write at address 0x481000[0-9a-f]{2}; "
           r"transfer blocked, VM " + ("reset" if policy == "reset" else "stopped"))
    if policy == "reset":
        m.seen(r"\[baohu\] VM 'dma' resetting: DMA fault \(reset 1, \d+ pages free\)")
        # The new run finds the device as the old run left it, resets it and reads again.
        up = m.expect(r"(?m)^\[dma\] guest dma up on vcpu0")
        m.expect(r"\[dma\] dma: own RAM read 1, data 'BAOHUDMA'", timeout=30)
    else:
        up = m.expect(r"\[baohu\] VM 'dma' stopped: DMA fault")
    start = up.end()
    victim_unchanged(m, start, before)
    out = m.output()
    assert "FAULT VM 'victim'" not in out and "every VM has stopped" not in out
    if policy == "stop":
        # Stopped for good: nothing more from it, and no reset.
        assert "[dma]" not in out[start:] and "VM 'dma' resetting" not in out
