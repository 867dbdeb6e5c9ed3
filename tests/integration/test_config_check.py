"""config-check, the host tool: builds it for each test config and checks its verdict."""
import os
import shlex
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLATFORM = "qemu-aarch64-virt"
CONFIGS = ROOT / "tests" / "configs" / PLATFORM

# config -> substrings of its one error: the VM, the field and the rule.
BAD = {
    "bad_cpu_twice": ["VM 'app' (#1) cpus:", "CPU 0 already assigned to VM 'rtos' (#0)"],
    "bad_cpu_outside": ["VM 'app' (#1) cpus:", "CPU 4 does not exist"],
    "bad_mem_overlap": ["VM 'app' (#1) mem[1]:", "overlaps VM 'rtos' (#0) mem[1]"],
    "bad_mem_hyp": ["VM 'rtos' (#0) mem[0]:", "overlaps Baohu's reserved memory"],
    "bad_mem_outside_ram": ["VM 'app' (#1) mem[1]:", "not inside platform RAM"],
    "bad_mem_misaligned": ["VM 'rtos' (#0) mem[0]:", "size 0x1000800 not 4 KiB aligned"],
    "bad_irq_twice": ["VM 'app' (#1) devs[0].irqs[1]:", "interrupt 34 already given to VM 'rtos' (#0)"],
    "bad_mmio_ram": ["VM 'app' (#1) devs[0]:", "MMIO region overlapping RAM"],
}


def build_checker(config: Path, out_dir: Path) -> Path:
    """Compile config-check exactly as the top-level Makefile does."""
    exe = out_dir / "config-check"
    cc = shlex.split(os.environ.get("HOSTCC", "cc"))
    cmd = cc + [
        "-std=c11", "-Wall", "-Wextra", "-Werror", "-DBAOHU_HOST",
        "-Iinclude", "-Isrc/core/include",
        "tools/config_check.c", "src/core/config_check.c",
        f"src/platform/{PLATFORM}/platform.c", str(config),
        "-o", str(exe),
    ]
    res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, f"building {config.name} failed:\n{res.stderr}"
    return exe


def run(exe: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(exe)], capture_output=True, text=True, timeout=30)


def test_every_bad_config_is_tested():
    on_disk = {p.stem for p in CONFIGS.glob("bad_*.c")}
    assert on_disk == set(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_config_fails(name, tmp_path):
    res = run(build_checker(CONFIGS / f"{name}.c", tmp_path))
    assert res.returncode == 1, res.stderr
    errors = [l for l in res.stderr.splitlines() if l.startswith("config-check: error: ")]
    # Each bad config breaks exactly one rule.
    assert len(errors) == 1, res.stderr
    for part in BAD[name]:
        assert part in errors[0], res.stderr
    assert "VMs OK" not in res.stdout


def test_good_config_passes(tmp_path):
    res = run(build_checker(CONFIGS / "good.c", tmp_path))
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert f"config-check: {PLATFORM}: 2 VMs OK" in res.stdout
