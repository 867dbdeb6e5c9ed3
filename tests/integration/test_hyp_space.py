"""Baohu's per-CPU address space (docs/design.md, "Baohu's address space"): after its VM
is built, each CPU's own tables map Baohu's image, its own stack, the table pool and the
devices Baohu drives, and no RAM of any VM. The self-check walks the tables the MMU uses."""
import os
import re
import subprocess

import pexpect
import pytest

from conftest import ROOT, qemu_command

PLATFORMS = ["qemu-aarch64-virt", "qemu-aarch64-virt-gicv2", "zcu102", "qemu-riscv64-virt",
             "qemu-riscv64-virt-aia"]

SPACE = re.compile(r"\[baohu\] CPU (\d) address space: (\d+) leaves; image (\d+) KiB, "
                   r"stack (\d+) KiB \(own\), table pool (\d+) KiB, devices (\d+) KiB; "
                   r"writable\+executable: (\d+); RAM outside Baohu: (none|MAPPED)\r*\n")


def cpu_spaces(m, cpus=4, timeout=60):
    """The self-check line of each of `cpus` CPUs, in whatever order they print."""
    seen = {}
    while len(seen) < cpus:
        g = m.expect(SPACE.pattern, timeout=timeout)
        seen[int(g.group(1))] = g
    return seen


@pytest.mark.parametrize("platform", PLATFORMS)
def test_each_cpu_maps_no_vm_ram_and_only_its_own_stack(machine, platform):
    m = machine("demo", platform=platform)
    for cpu, g in sorted(cpu_spaces(m).items()):
        assert g.group(8) == "none", f"CPU {cpu} maps RAM outside Baohu: {g.group(0)}"
        assert g.group(7) == "0", f"CPU {cpu} has writable+executable pages"
        assert int(g.group(4)) == 16, f"CPU {cpu}: stacks mapped {g.group(4)} KiB, not its own 16"
        assert int(g.group(3)) > 0 and int(g.group(5)) > 0 and int(g.group(6)) > 0
    # Built through windows that are closed again, both VMs run.
    m.expect(r"\[rtos\] vcpu0 tick \d+\r*\n")
    m.expect(r"\[app\] vcpu0 tick \d+\r*\n")
    # An uncoloured Baohu (hyp_colours 0) says nothing about colours.
    assert "Baohu colour" not in m.output()


@pytest.mark.parametrize("platform", ["qemu-aarch64-virt", "qemu-riscv64-virt"])
def test_self_check_reports_a_window_left_open(platform):
    """A build of its own (BAOHU_TEST_KEEP_WINDOW) never closes the windows it fills a
    VM's RAM through: the self-check of the CPU that built each VM must name that RAM."""
    build = os.path.join(ROOT, "build", f"keep-window-{platform}")
    guests = os.path.join(ROOT, "build", f"{platform}-clang", "guests")
    res = subprocess.run(["make", "-s", f"PLATFORM={platform}", "CONFIG=demo", f"BUILD={build}",
                          f"GUEST_OUT={guests}", "BAOHU_TEST_CFLAGS=-DBAOHU_TEST_KEEP_WINDOW"],
                         cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    cmd = qemu_command(platform, "demo") + f" -kernel {build}/demo/baohu.elf"
    assert "-nic none" in cmd
    child = pexpect.spawn("timeout", ["--kill-after=5", "60"] + cmd.split(), cwd=ROOT,
                          encoding="utf-8", codec_errors="replace", timeout=60)
    try:
        # configs/common/*/demo.c: 'rtos' (16 MiB) is built by CPU 0, 'app' (64 MiB) by CPU 1.
        leaked = {}
        while len(leaked) < 2:
            child.expect(r"\[baohu\] CPU (\d) address space: (\d+) KiB of RAM outside Baohu "
                         r"mapped from 0x([0-9a-f]+) \((\d+) KiB of it through aliases\)\r*\n")
            leaked[int(child.match.group(1))] = int(child.match.group(2))
        assert leaked == {0: 16 << 10, 1: 64 << 10}
    finally:
        child.close(force=True)


# Colouring Baohu itself (docs/design.md, "Colouring Baohu"): configs/common/*/colour.c give
# Baohu colours 0-3 and its VMs others.
COLOURED = re.compile(r"\[baohu\] Baohu coloured: image of (\d+) pages relocated to colours 0xf, "
                      r"(\d+) table pages\r*\n")
COLOUR_CHECK = re.compile(r"\[baohu\] Baohu colouring self-check: (\d+) pages, all of colours 0xf "
                          r"\(CPU (\d)'s tables\)\r*\n")
# Stack slots (8, arch_layout.h) not mapped on a CPU: the 7 others' (5 pages each) and the
# guard page below its own.
UNMAPPED_STACK_PAGES = 7 * 5 + 1


@pytest.mark.parametrize("platform", PLATFORMS)
def test_coloured_baohu_runs_from_pages_of_its_colours(machine, platform):
    """Each CPU's tables map Baohu's image, its stack and its table pool from pages of
    Baohu's colours only: every leaf's output address is walked."""
    m = machine("colour", platform=platform, timeout=120)
    g = m.expect(COLOURED.pattern, timeout=120)
    image, tables = int(g.group(1)), int(g.group(2))
    assert image > 0 and tables > 0
    checked = {}
    while len(checked) < 4:
        c = m.expect(COLOUR_CHECK.pattern, timeout=120)
        checked[int(c.group(2))] = int(c.group(1))
    # The image without the other CPUs' stacks, and every table pool page of the colours.
    assert set(checked.values()) == {image - UNMAPPED_STACK_PAGES + tables}, checked
    out = m.output()
    assert "FAILED" not in out
    spaces = [g for g in SPACE.finditer(out)]
    assert sorted(int(s.group(1)) for s in spaces) == [0, 1, 2, 3]
    for s in spaces:
        assert s.group(8) == "none" and s.group(7) == "0", s.group(0)
        assert int(s.group(4)) == 16
    # Running from the copies, both VMs' guests work.
    m.expect(r"\[rtos\] vcpu0 tick \d+\r*\n")
    m.expect(r"\[app\] vcpu0 tick \d+\r*\n")


@pytest.mark.parametrize("platform", ["qemu-aarch64-virt", "qemu-riscv64-virt"])
def test_colouring_self_check_names_a_page_of_another_colour(machine, platform):
    """A build of its own (BAOHU_TEST_UNCOLOURED_PAGE) maps one page of another colour into
    every CPU's tables: the self-check must fail on each CPU and name it."""
    m = machine("colour", platform=platform, timeout=120,
                make_vars={"BAOHU_TEST_CFLAGS": "-DBAOHU_TEST_UNCOLOURED_PAGE"})
    failed = {}
    while len(failed) < 4:
        g = m.expect(r"\[baohu\] Baohu colouring self-check FAILED on CPU (\d): 1 of (\d+) pages are not "
                     r"of colours 0xf, the first at 0x([0-9a-f]+) \(colour (\d+)\) mapped at 0x([0-9a-f]+)\r*\n",
                     timeout=120)
        failed[int(g.group(1))] = (int(g.group(3), 16), int(g.group(4)))
        assert int(g.group(4)) not in (0, 1, 2, 3)
    # The same page on every CPU.
    assert len(set(failed.values())) == 1, failed
    assert "Baohu colouring self-check: " not in m.output()


def test_colouring_plan_that_does_not_fit_fails_the_build(tmp_path):
    """tests/configs/.../colour_too_big.c: the colour config with 24 MiB more image. The plan
    Baohu would make at boot cannot fit in its reserved range (it would run uncoloured), so the
    build is refused with the numbers and leaves no ELF. The colour config itself builds and
    says where its copies end."""
    platform = "qemu-aarch64-virt"
    guests = os.path.join(ROOT, "build", f"{platform}-clang", "guests")

    def build(config, src=None):
        args = ["make", "-s", f"PLATFORM={platform}", f"CONFIG={config}", f"BUILD={tmp_path}",
                f"GUEST_OUT={guests}"] + ([f"CONFIG_SRC={src}"] if src else [])
        return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)

    res = build("colour_too_big", "tests/configs/qemu-aarch64-virt/colour_too_big.c")
    assert res.returncode != 0, res.stdout + res.stderr
    err = [l for l in res.stderr.splitlines() if l.startswith("colour-check: error: ")]
    assert len(err) == 1, res.stdout + res.stderr
    pages = int(re.search(r"Baohu's image \((\d+) pages, 0x40200000-0x[0-9a-f]+\)", err[0]).group(1))
    assert pages > (24 << 20) // 4096, err[0]
    assert "does not fit in colours 0xf of 16 in its reserved range up to 0x44000000" in err[0], err[0]
    assert "(its copies would end at 0x" in err[0] and "give Baohu more colours" in err[0], err[0]
    assert not (tmp_path / "colour_too_big" / "baohu.elf").exists()

    res = build("colour")
    assert res.returncode == 0, res.stdout + res.stderr
    ok = re.search(r"colour-check: qemu-aarch64-virt: Baohu's image \((\d+) pages\) in colours 0xf of 16: "
                   r"its copies end at 0x[0-9a-f]+, its table pool at 0x44000000", res.stdout)
    assert ok and int(ok.group(1)) < 1024, res.stdout
    assert (tmp_path / "colour" / "baohu.elf").exists()
