"""A hostile guest beside a victim (docs/design.md, "What a hostile guest gets"; configs/*/hostile.c).

The "hostile" VM attacks every surface Baohu exposes and prints `attack <name>: <outcome>` per
attack; each outcome must be the one the table in docs/design.md gives for the platform (the
test parses the table, so the two cannot diverge), every attack in the table must be made and
none outside it. Its last attack (vector outside its memory) must get it stopped. Meanwhile the
"victim" VM ticks with a checksum of its own memory: the ticks must be consecutive and never
late, the checksum constant, and the ticks must go on after the hostile VM has stopped. Baohu
must never panic.
"""
import os
import re

import pytest

from conftest import ROOT

PLATFORMS = {
    "qemu-aarch64-virt": {"arm", "gicv3"},
    "qemu-aarch64-virt-gicv2": {"arm", "gicv2"},
    "zcu102": {"arm", "gicv2"},
    "qemu-riscv64-virt": {"riscv", "plic"},
    "qemu-riscv64-virt-aia": {"riscv", "aia"},
}

ATTACK = re.compile(r"^\[hostile\] attack ([a-z0-9-]+): (.*?)\r*$", re.M)
TICK = re.compile(r"^\[victim\] vcpu0 tick (\d+) sum ([0-9a-f]+)\r*$", re.M)
STOPPED = r"\[baohu\] VM 'hostile' vCPU 0: 9 faults in a row inside its own exception vector"


def expected_outcomes(tags):
    """{attack: outcome} for the platform's tags, from the table in docs/design.md."""
    with open(os.path.join(ROOT, "docs", "design.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## What a hostile guest gets\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for m in re.finditer(r"^\| ([a-z0-9-]+) \| ([a-z0-9, ]+) \| `([^`]*)` \|", section, re.M):
        name, where, outcome = m.group(1), {w.strip() for w in m.group(2).split(",")}, m.group(3)
        if where & tags:
            assert name not in rows, f"two rows for {name} on {tags}"
            rows[name] = outcome
    assert len(rows) > 50, "the table in docs/design.md was not found or is too short"
    return rows


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_hostile(machine, platform):
    expected = expected_outcomes(PLATFORMS[platform])
    stop_attack = [name for name, o in expected.items() if o == "vm-stopped"]
    assert len(stop_attack) == 1, stop_attack
    m = machine("hostile", platform=platform, timeout=90)
    m.expect(r"\[hostile\] hostile: up", timeout=40)
    m.expect(r"\[hostile\] hostile: done\r*\n", timeout=60)
    m.expect(rf"\[hostile\] hostile: last attack {stop_attack[0]}:", timeout=10)
    m.expect(STOPPED, timeout=20)
    m.expect(r"\[baohu\] VM 'hostile' stopped: fault", timeout=10)
    # The victim goes on: three more ticks after the stop, each matched as a whole line.
    after = [int(m.expect(r"\[victim\] vcpu0 tick (\d+) sum [0-9a-f]+\r*\n", timeout=10).group(1))
             for _ in range(3)]
    out = m.output()

    assert "PANIC" not in out, out[-3000:]
    assert "hostile: bad-vbar still running" not in out

    got = {}
    for name, outcome in ATTACK.findall(out):
        assert name not in got, f"attack {name} printed twice"
        got[name] = outcome
    expected.pop(stop_attack[0])
    missing = sorted(set(expected) - set(got))
    unlisted = sorted(set(got) - set(expected))
    wrong = {n: (got[n], expected[n]) for n in expected if n in got and got[n] != expected[n]}
    assert not missing and not unlisted and not wrong, (
        f"missing {missing}\nnot in the table {unlisted}\n(got, documented): {wrong}")

    ticks = [(int(n), s) for n, s in TICK.findall(out)]
    numbers = [n for n, _ in ticks]
    assert len(ticks) >= 8, out[-3000:]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), numbers
    assert numbers[-3:] == after
    assert {s for _, s in ticks} == {ticks[0][1]}, "the victim's memory changed"
    assert not re.search(r"^\[victim\] vcpu0 tick \d+ late", out, re.M), \
        re.findall(r"^\[victim\].*late.*$", out, re.M)
    # Ticks throughout the attacks: some between the first attack and `hostile: done`.
    first, done = out.index("[hostile] attack "), out.index("[hostile] hostile: done")
    assert len(TICK.findall(out[first:done])) >= 4, "the victim did not tick during the attacks"
