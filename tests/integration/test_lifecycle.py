"""VM lifecycle races (configs/<platform>/lifecycle-*.c, guests/baremetal*/lifecycle.c): vCPUs of one
VM resetting it at the same moment, CPU_ON / hart_start racing each other and a reset, and the state
a reset must not let through (FP registers, a patched code page, the interrupt file), beside an
`rtos` VM that keeps ticking. docs/design.md, "VM reset"."""
import re

import pytest

ARM = {"reset": "PSCI SYSTEM_RESET", "fp": "fpsimd", "race": "cpu_on race", "ctx": "ctx",
       "losers": {-4, -5}}  # PSCI ALREADY_ON, ON_PENDING (DEN0022 §5.6.2)
RISCV = {"reset": "SBI SRST reboot", "fp": "fp", "race": "hart_start race", "ctx": "opaque",
         "losers": {-6}}  # SBI_ERR_ALREADY_AVAILABLE (SBI §9.1)
PLATFORMS = {
    "qemu-aarch64-virt": ARM,
    "qemu-aarch64-virt-gicv2": ARM,
    "zcu102": ARM,
    "qemu-riscv64-virt": RISCV,
    "qemu-riscv64-virt-aia": RISCV,
}
every_platform = pytest.mark.parametrize("platform", list(PLATFORMS))

RESETS = 200
RACES = 100
# What no run may print: a guest check that failed, a start nobody asked for, a reset call that
# returned, a fault report or a hypervisor panic.
TROUBLE = re.compile(r"BAD|STALE|UNEXPECTED|returned|did not run|never came up|FAULT|PANIC")


def reset_line(m, arch):
    """The next reset Baohu reports for VM 'life': (reset number, free pages)."""
    got = m.expect(rf"\[baohu\] VM 'life' resetting: {re.escape(arch['reset'])} "
                   r"\(reset (\d+), (\d+) pages free\)\r*\n")
    return int(got.group(1)), int(got.group(2))


def rtos_keeps_ticking(m):
    first = int(m.expect(r"\[rtos\] vcpu0 tick (\d+)\r*\n", timeout=10).group(1))
    second = int(m.expect(r"\[rtos\] vcpu0 tick (\d+)\r*\n", timeout=10).group(1))
    assert second == first + 1


def no_trouble(m):
    bad = [l for l in m.output().splitlines() if TROUBLE.search(l)]
    assert not bad, bad[:5]


def check_resets(m, platform, vcpus):
    """RESETS runs in a row, each reporting clean state and ending in exactly one reset;
    returns the free-page count of each reset."""
    arch = PLATFORMS[platform]
    imsic = ", imsic clean" if platform.endswith("-aia") else ""
    free = []
    for run in range(1, RESETS + 1):
        got = m.expect(r"\[life\] lifecycle run: ([^\r\n]*)\r*\n")
        assert got.group(1) == f"{vcpus} vcpus, {arch['fp']} clean, code fresh{imsic}", \
            f"run {run}: {got.group(0)}"
        number, pages = reset_line(m, arch)
        assert number == run
        free.append(pages)
    m.expect(r"\[life\] lifecycle run: ")  # the 201st run starts as well
    return free


def free_pages_stable(m, free):
    """The pool is shared: until 'rtos' is built (on its own CPU, at the same time) its tables
    still come out of it. From then on a reset takes and returns no page."""
    out = m.output()
    built = out.index("VM 'rtos' (#0)")
    before = len(re.findall(r"VM 'life' resetting", out[:built]))
    assert before < RESETS // 2, "rtos built too late to compare the free counts"
    assert len(set(free[before:])) == 1, f"free pages changed across resets: {free[before:]}"


@every_platform
def test_all_vcpus_resetting_at_once_200_times(machine, platform):
    """Three vCPUs call SYSTEM_RESET / SRST reboot at the same moment, 200 runs in a row: one reset
    per run (single owner, the others park), none hangs, the pool's free-page count is the same
    after every reset, and each run starts with zeroed FP registers (every vCPU), the code page
    as the image has it (the last run had patched it and run the patch) and, with the AIA, empty
    interrupt files (the last run had filled them)."""
    m = machine("lifecycle-reset", platform=platform, timeout=240)
    free = check_resets(m, platform, 3)
    free_pages_stable(m, free)
    rtos_keeps_ticking(m)
    no_trouble(m)


@pytest.mark.parametrize("platform,colours", [("qemu-aarch64-virt", "0xff00 (of 16)"),
                                              ("qemu-riscv64-virt", "0xffff0000 (of 32)")])
def test_a_coloured_vm_resetting_at_once_200_times(machine, platform, colours):
    """The same race with 'life' coloured in 3 MiB (configs/*/lifecycle-reset-colour.c): each
    reset reloads it page by page through the CPU's VM window (a 2 MiB and a 1 MiB window), from
    cacheable mappings this time. Every run starts with the code page as the image has it, the
    colour self-check saw all 768 pages, and no reset takes or leaks a page."""
    m = machine("lifecycle-reset-colour", platform=platform, timeout=240)
    m.expect(rf"\[baohu\] VM 'life' colouring self-check: 768 RAM pages, all of colours "
             rf"{re.escape(colours)}\r*\n")
    free = check_resets(m, platform, 3)
    free_pages_stable(m, free)
    rtos_keeps_ticking(m)
    no_trouble(m)


@pytest.mark.parametrize("platform", ["qemu-aarch64-virt", "qemu-riscv64-virt"])
def test_four_vcpus_owning_the_machine_resetting_at_once_200_times(machine, platform):
    """The same with the VM on every CPU of the machine: no CPU is left to anyone else while
    four resets race, and the free-page count is the same after each of the 200."""
    m = machine("lifecycle-reset4", platform=platform, timeout=240)
    free = check_resets(m, platform, 4)
    assert len(set(free)) == 1, f"free pages changed across resets: {free}"
    no_trouble(m)


@every_platform
def test_cpu_on_races_cpu_on_and_a_reset(machine, platform):
    """Each run: vCPUs 0 and 1 start vCPU 2 at the same moment with different entry points and
    context ids: exactly one succeeds, the other gets ALREADY_ON / ON_PENDING (PSCI) or
    SBI_ERR_ALREADY_AVAILABLE, and vCPU 2 runs the winner's entry with the winner's context. Then
    vCPU 0 starts vCPU 2 over and over (it powers itself off at once) while vCPU 1 resets the VM:
    no start leaks into the next run (vCPU 2 would report starting unasked), no hang, 100 runs."""
    arch = PLATFORMS[platform]
    m = machine("lifecycle-cpuon", platform=platform, timeout=240)
    for run in range(1, RACES + 1):
        got = m.expect(rf"\[life\] {arch['race']}: vcpu0 got (-?\d+), vcpu1 got (-?\d+); "
                       rf"vcpu2 ran {arch['ctx']} 0x([0-9a-f]+) from entry (\w): (\w+)\r*\n")
        r0, r1 = int(got.group(1)), int(got.group(2))
        ctx, entry, verdict = int(got.group(3), 16), got.group(4), got.group(5)
        assert (r0 == 0) != (r1 == 0), f"run {run}: {got.group(0)}"
        winner = 0 if r0 == 0 else 1
        assert (r1 if winner == 0 else r0) in arch["losers"], f"run {run}: {got.group(0)}"
        assert (ctx, entry) == ((0xa0, "a") if winner == 0 else (0xb0, "b")), \
            f"run {run}: the loser's entry or context ran: {got.group(0)}"
        assert verdict == "ok", got.group(0)
        number, _ = reset_line(m, arch)
        assert number == run
    m.expect(r"\[life\] guest life up on vcpu0")
    rtos_keeps_ticking(m)
    no_trouble(m)
