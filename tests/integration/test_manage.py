"""Operating the VMs (issue 13): the manager VM's `baohu-ctl` from Linux's shell lists, restarts, stops
and starts the RTOS while Linux runs on (configs/qemu-aarch64-virt/linux-rtos.c); a VM that is not
the manager is denied every management call; per-VM watchdogs reset or stop a VM that stops kicking
(configs/qemu-aarch64-virt/watchdog.c). docs/hypercalls.md, "Management"; README, "Operating the VMs"."""
import re

import pytest

from conftest import Machine
from test_linux import Console, shell_ready

DENIED = -3


def test_watchdog_resets_or_stops_a_vm_that_stops_kicking_and_denies_it_management(machine):
    m = machine("watchdog", timeout=120)
    # Each watchdog VM's first run: the management calls of a VM that is not the manager are
    # denied, with any id; three kicks, then none.
    for vm in ("wdreset", "wdstop"):
        got = m.seen(rf"\[{vm}\] manage calls: info (-?\d+) stop (-?\d+) start (-?\d+) "
                     r"restart (-?\d+) stats (-?\d+)\r*\n", timeout=60)
        assert [int(g) for g in got.groups()] == [DENIED] * 5, got.group(0)
        m.seen(rf"\[{vm}\] watchdog kick 3 = 0, the last\r*\n", timeout=30)
    # 500 ms after its last kick: policy "reset" reloads wdreset, the default policy stops wdstop.
    m.seen(r"\[baohu\] VM 'wdreset' watchdog expired: no kick for 500 ms \(expiry 1\); "
           r"resetting it\r*\n", timeout=30)
    m.seen(r"\[baohu\] VM 'wdreset' resetting: watchdog expired \(reset 1, \d+ pages free\)\r*\n")
    m.seen(r"\[baohu\] VM 'wdstop' watchdog expired: no kick for 500 ms \(expiry 1\); "
           r"stopping it\r*\n", timeout=30)
    m.seen(r"\[baohu\] VM 'wdstop' stopped: watchdog expired\r*\n")
    # wdreset's new run kicks again, and expires again; wdstop stays stopped; rtos never stops.
    m.expect(r"\[wdreset\] guest wdog up on vcpu0 at EL1\r*\n", timeout=30)
    m.expect(r"\[wdreset\] watchdog kick 3 = 0, the last\r*\n", timeout=30)
    m.expect(r"\[baohu\] VM 'wdreset' watchdog expired: no kick for 500 ms \(expiry 2\); "
             r"resetting it\r*\n", timeout=30)
    m.expect(r"\[wdreset\] guest wdog up on vcpu0 at EL1\r*\n", timeout=30)
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
