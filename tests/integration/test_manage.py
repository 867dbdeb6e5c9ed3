"""Operating the VMs (issue 13): the manager VM's `baohu-ctl` from Linux's shell lists, restarts, stops
and starts the RTOS while Linux runs on (configs/qemu-aarch64-virt/linux-rtos.c); a VM that is not
the manager is denied every management call; per-VM watchdogs reset or stop a VM that stops kicking
(configs/common/*/watchdog.c, on every platform). docs/hypercalls.md, "Management"; README, "Operating the VMs"."""
import re
import time

import pytest

from conftest import Machine
from test_linux import Console, shell_ready

DENIED = -3
SBI_DENIED = -4


# DENIED as each conduit returns it (the SBI error on RISC-V); a CPU model without Sstc, where
# Baohu's timer is the firmware's SBI set_timer, shared with the guest's.
WATCHDOG_RUNS = {
    "qemu-aarch64-virt": (DENIED, None),
    "qemu-aarch64-virt-gicv2": (DENIED, None),
    "zcu102": (DENIED, None),
    "qemu-riscv64-virt": (SBI_DENIED, None),
    "qemu-riscv64-virt-aia": (SBI_DENIED, None),
    "qemu-riscv64-virt-nosstc": (SBI_DENIED, "rv64,sstc=false"),
}


@pytest.mark.parametrize("run", list(WATCHDOG_RUNS))
def test_watchdog_resets_or_stops_a_vm_that_stops_kicking_and_denies_it_management(machine, run):
    denied, cpu = WATCHDOG_RUNS[run]
    platform = run.replace("-nosstc", "")
    m = machine("watchdog", platform=platform, timeout=120, **({"cpu": cpu} if cpu else {}))
    # Each watchdog VM's first run: the management calls of a VM that is not the manager are
    # denied, with any id; three kicks, then none.
    for vm in ("wdreset", "wdstop"):
        got = m.seen(rf"\[{vm}\] manage calls: info (-?\d+) stop (-?\d+) start (-?\d+) "
                     r"restart (-?\d+) stats (-?\d+)\r*\n", timeout=60)
        assert [int(g) for g in got.groups()] == [denied] * 5, got.group(0)
        m.seen(rf"\[{vm}\] watchdog kick 3 = 0, the last\r*\n", timeout=30)
    # 500 ms after its last kick: policy "reset" reloads wdreset, the default policy stops wdstop.
    m.seen(r"\[baohu\] VM 'wdreset' watchdog expired: no kick for 500 ms \(expiry 1\); "
           r"resetting it\r*\n", timeout=30)
    m.seen(r"\[baohu\] VM 'wdreset' resetting: watchdog expired \(reset 1, \d+ pages free\)\r*\n")
    m.seen(r"\[baohu\] VM 'wdstop' watchdog expired: no kick for 500 ms \(expiry 1\); "
           r"stopping it\r*\n", timeout=30)
    m.seen(r"\[baohu\] VM 'wdstop' stopped: watchdog expired\r*\n")
    # wdreset's new run kicks again, and expires again; wdstop stays stopped; rtos never stops.
    # (The VMs' lines interleave in any order: `seen`, then the order within wdreset's lines.)
    m.seen(r"\[baohu\] VM 'wdreset' watchdog expired: no kick for 500 ms \(expiry 2\); "
           r"resetting it\r*\n", timeout=30)
    m.seen(r"\[baohu\] VM 'wdreset' resetting: watchdog expired \(reset 2, \d+ pages free\)\r*\n")
    out = m.output()
    second_run = out[out.index("VM 'wdreset' resetting: watchdog expired (reset 1"):
                     out.index("VM 'wdreset' watchdog expired: no kick for 500 ms (expiry 2)")]
    assert re.search(r"\[wdreset\] guest wdog up on vcpu0 (at EL1|in S-mode)\r*\n", second_run)
    assert "[wdreset] watchdog kick 3 = 0, the last" in second_run, second_run
    m.wait_ticks("rtos", 0, 3)
    out = m.output()
    stopped_at = out.index("VM 'wdstop' stopped: watchdog expired")
    assert not re.search(r"\[wdstop\] ", out[stopped_at:]), out[stopped_at:][-2000:]
    # Expiry comes only a period after the last kick: never while the guest still kicks (a
    # kick every 200 ms), and not before its next tick (800 ms into the run).
    first_run = out[:out.index("VM 'wdreset' watchdog expired")]
    assert "[wdreset] watchdog kick 3 = 0, the last" in first_run
    assert "[wdreset] vcpu0 tick 4" in first_run
    assert "FAULT" not in out and "PANIC" not in out


RTOS_TICK = re.compile(r"(?m)^\[rtos\] vcpu0 tick (\d+)\r*\n")
RTOS_UP = r"(?m)^\[rtos\] guest rtos up on vcpu0 at EL1\r*\n"


@pytest.fixture(scope="module")
def linux():
    """One boot of Linux (the manager) beside the RTOS for every test below, in order."""
    m = Machine("qemu-aarch64-virt", "linux-rtos", timeout=1200)
    c = Console(m)
    c.wait(r"baohu-linux: ready", 400)
    yield c
    m.close()


def wait_count(c, pattern, n, timeout):
    """Wait until `pattern` has appeared `n` times on the raw console; returns the last match."""
    regex = re.compile(pattern)
    deadline = time.time() + timeout
    while True:
        found = list(regex.finditer(c.raw))
        if len(found) >= n:
            return found[n - 1]
        if time.time() > deadline:
            pytest.fail(f"saw {pattern!r} {len(found)} times, want {n}; last lines:\n" + c.raw[-3000:])
        c._pump(deadline)


def rtos_ticks_after(c, pos, n, timeout=60):
    """Wait for rtos ticks 1..n of the run that began at `pos` of the raw console."""
    deadline = time.time() + timeout
    while True:
        ticks = [int(t) for t in RTOS_TICK.findall(c.raw, pos)]
        if len(ticks) >= n:
            assert ticks[:n] == list(range(1, n + 1)), ticks
            return ticks
        if time.time() > deadline:
            pytest.fail(f"rtos ticked {ticks} after its new run began; last lines:\n" + c.raw[-3000:])
        c._pump(deadline)


def vm_row(text, name):
    """The `baohu-ctl list` row of VM `name`: (id, state, vcpus, uptime, resets, faults, role)."""
    rows = re.findall(rf"(?m)^(\d+) +{name} +(\w+) +(\d+) +([\d.]+) +(\d+) +(\d+) *(\w*)\r*$", text)
    assert rows, f"no row for {name} in:\n{text}"
    i, state, vcpus, up, resets, faults, role = rows[-1]
    return int(i), state, int(vcpus), float(up), int(resets), int(faults), role


def ctl_list(c, tag):
    """`baohu-ctl list`, with a computed end marker so the echoed command never matches."""
    return c.shell(f"baohu-ctl list; echo list-$((100+{tag}))",
                   rf"(ID +NAME[^\n]*\n(?:[^\n]*\n)*?)list-{100 + tag}\r*\n").group(1)


def test_baohu_ctl_lists_both_vms(linux):
    c = linux
    shell_ready(c)
    text = ctl_list(c, 1)
    assert vm_row(text, "rtos")[:3] == (0, "running", 1)
    assert vm_row(text, "rtos")[4:] == (0, 0, "")
    assert vm_row(text, "linux")[:3] == (1, "running", 2)
    assert vm_row(text, "linux")[4:] == (0, 0, "manager")
    # Both have run since Baohu started, Linux for its whole boot.
    assert vm_row(text, "rtos")[3] > 1 and vm_row(text, "linux")[3] > 1


def test_restart_rtos_from_linux_while_linux_runs_on(linux):
    c = linux
    shell_ready(c)
    c.shell("baohu-ctl restart rtos", r"baohu-ctl: restart rtos: ok\r*\n")
    reset = wait_count(c, r"(?m)^\[baohu\] VM 'rtos' resetting: restart requested by the manager "
                          r"\(reset 1, \d+ pages free\)\r*\n", 1, 60)
    up = wait_count(c, RTOS_UP, 2, 60)
    assert up.start() > reset.start()
    # The RTOS ticks again from its first tick; Linux answers meanwhile and was never reset.
    rtos_ticks_after(c, up.end(), 3)
    c.shell("echo alive-$((6*7))", r"\nalive-42\r*\n")
    text = ctl_list(c, 2)
    rtos, linux_vm = vm_row(text, "rtos"), vm_row(text, "linux")
    assert rtos[1] == "running" and rtos[4] == 1, rtos
    assert linux_vm[4] == 0 and linux_vm[3] > rtos[3], (linux_vm, rtos)
    trouble = [l for l in c.raw.splitlines() if "VM 'linux' resetting" in l or "[baohu] FAULT" in l]
    assert not trouble, trouble[:5]


def test_stats_of_the_rtos(linux):
    c = linux
    shell_ready(c)
    got = c.shell("baohu-ctl stats rtos",
                  r"rtos exits: irq (\d+) call (\d+) mmio (\d+) sysreg (\d+) wfi (\d+) other (\d+) "
                  r"\(total (\d+)\)\r*\nrtos interrupts injected: (\d+)\r*\n"
                  r"rtos faults: (\d+), resets: (\d+), watchdog expiries: (\d+)\r*\n")
    irq, call, mmio, sysreg, wfi, other, total, injected, faults, resets, expiries = map(int, got.groups())
    # Its 200 ms timer and its console hypercalls, since Baohu started.
    assert irq > 10 and call > 10 and total == irq + call + mmio + sysreg + wfi + other, got.group(0)
    assert injected > 5, got.group(0)  # at least its timer's ticks since the restart
    assert (faults, resets, expiries) == (0, 1, 0), got.group(0)


def test_the_manager_cannot_stop_or_restart_itself(linux):
    c = linux
    shell_ready(c)
    c.shell("baohu-ctl restart linux", r"restart linux: the manager cannot do that to itself \(-7\)")
    c.shell("baohu-ctl stop linux", r"stop linux: the manager cannot do that to itself \(-7\)")
    c.shell("baohu-ctl start linux", r"start linux: already running \(-4\)")
    c.shell("baohu-ctl stop nosuchvm", r"baohu-ctl: no VM 'nosuchvm'")


def test_stop_then_start_rtos(linux):
    c = linux
    shell_ready(c)
    c.shell("baohu-ctl stop rtos", r"baohu-ctl: stop rtos: ok\r*\n")
    stopped = wait_count(c, r"(?m)^\[baohu\] VM 'rtos' stopped: stop requested by the manager\r*\n", 1, 60)
    c.shell("baohu-ctl stop rtos", r"stop rtos: already stopped \(-5\)")
    c.shell("baohu-ctl restart rtos", r"restart rtos: already stopped \(-5\)")
    assert vm_row(ctl_list(c, 3), "rtos")[1] == "stopped"
    # Two of its ticks' time with no tick.
    c.shell("sleep 1; echo slept-$((40+2))", r"\nslept-42\r*\n")
    assert not RTOS_TICK.search(c.raw, stopped.end()), c.raw[stopped.end():][-2000:]
    c.shell("baohu-ctl start rtos", r"baohu-ctl: start rtos: ok\r*\n")
    wait_count(c, r"(?m)^\[baohu\] VM 'rtos' resetting: start requested by the manager "
                  r"\(reset 2, \d+ pages free\)\r*\n", 1, 60)
    up = wait_count(c, RTOS_UP, 3, 60)
    rtos_ticks_after(c, up.end(), 3)
    c.shell("baohu-ctl start rtos", r"start rtos: already running \(-4\)")
    assert vm_row(ctl_list(c, 4), "rtos")[1:2] == ("running",)
    trouble = [l for l in c.raw.splitlines() if "[baohu] FAULT" in l or "every VM has stopped" in l]
    assert not trouble, trouble[:5]


def test_restarts_racing_each_other_reset_once_each_and_the_rest_are_busy(linux):
    """Four restarts at once: each that is taken resets rtos exactly once; one that finds a reset
    under way answers busy and changes nothing."""
    c = linux
    shell_ready(c)
    before = c.raw.count("VM 'rtos' resetting: restart requested by the manager")
    got = c.shell("(for i in 1 2 3 4; do baohu-ctl restart rtos & done; wait) > /tmp/race 2>&1; "
                  "grep -c 'restart rtos: ok' /tmp/race; grep -c 'restart rtos: busy' /tmp/race; "
                  "echo race-$((40+2))", r"\n(\d+)\r*\n(\d+)\r*\nrace-42\r*\n")
    ok, busy = int(got.group(1)), int(got.group(2))
    print(f"racing restarts: {ok} taken, {busy} busy")
    assert ok >= 1 and ok + busy == 4, (ok, busy)
    resets = wait_count(c, r"(?m)^\[baohu\] VM 'rtos' resetting: restart requested by the manager "
                           r"\(reset \d+, \d+ pages free\)\r*\n", before + ok, 60)
    # The last run taken comes up and ticks (an earlier one may have been cut short).
    deadline = time.time() + 60
    while not re.compile(RTOS_UP).search(c.raw, resets.end()):
        if time.time() > deadline:
            pytest.fail("rtos did not come up after its last reset:\n" + c.raw[-3000:])
        c._pump(deadline)
    up = re.compile(RTOS_UP).search(c.raw, resets.end())
    rtos_ticks_after(c, up.end(), 3)
    # No reset more than the requests taken.
    assert c.raw.count("VM 'rtos' resetting: restart requested by the manager") == before + ok
    c.shell("echo alive-$((6*7))", r"\nalive-42\r*\n")
