"""Baohu's own address space (docs/design.md, "Start-up"; src/arch/*/mmu.c): text read-only,
data never executable (SCTLR_EL2.WXN on Arm), and an unmapped guard page under each CPU's stack.

A build with a test switch (src/arch/aarch64/test_el2_fault.c, src/arch/riscv64/test_hs_fault.c)
makes CPU 0 try one forbidden access once its console is up and say which address it touches; the
exception report that follows must be the fault the tables give for that address, and the access
must never complete. Without the protection the access succeeds and "the access was allowed" is
printed instead, so each case fails.
"""
import subprocess

import pytest

WHAT = {1: "store to the stack guard page", 2: "store to text", 3: "call into data"}


def symbols(elf):
    """Baohu's link-time layout, from its symbol table."""
    out = subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout
    return {name: int(addr, 16) for addr, _, name in (l.split() for l in out.splitlines()
                                                      if len(l.split()) == 3)}


def check_address(elf, case, addr):
    """The switch touched what it says: the guard page, Baohu's text, Baohu's data."""
    sym = symbols(elf)
    if case == 1:
        assert addr == sym["__stacks_start"] + 0xff8, hex(addr)
    elif case == 2:
        assert sym["__image_start"] <= addr < sym["__text_end"], hex(addr)
    else:
        assert sym["__rodata_end"] <= addr < sym["__stacks_start"], hex(addr)



@pytest.mark.parametrize("case", sorted(WHAT))
def test_el2_tables_refuse(machine, case):
    m = machine("demo", make_vars={"BAOHU_TEST_CFLAGS": f"-DBAOHU_TEST_EL2_FAULT={case}"})
    # SCTLR_EL2.WXN (bit 19): no writable page is executable, whatever the tables say.
    m.expect(r"\[baohu\] test: sctlr_el2 wxn 1 m 1\r*\n")
    addr = int(m.expect(rf"\[baohu\] test: {WHAT[case]} at 0x([0-9a-f]+)").group(1), 16)
    check_address(m.elf, case, addr)
    got = m.expect(r"\[baohu\] (PANIC on CPU 0: EL2 exception ESR 0x([0-9a-f]+) FAR 0x([0-9a-f]+) "
                   r"ELR 0x([0-9a-f]+)|test: the access was allowed)")
    assert got.group(2), f"CPU 0 made the access: {got.group(0)}"
    esr, far, elr = (int(got.group(k), 16) for k in (2, 3, 4))
    ec, fsc = esr >> 26, esr & 0x3f
    assert far == addr, got.group(0)
    if case == 3:
        # Instruction abort taken without a change in EL (EC 0x21), permission fault (IFSC
        # 0b0011xx), at the data address it jumped to.
        assert ec == 0x21 and 0x0c <= fsc <= 0x0f, got.group(0)
        assert elr == addr, got.group(0)
    else:
        # Data abort without a change in EL (EC 0x25) on a write (WnR): the guard page is not
        # mapped (translation fault, DFSC 0b0001xx), the text is read-only (permission fault).
        assert ec == 0x25 and esr >> 6 & 1, got.group(0)
        assert (0x04 <= fsc <= 0x07) if case == 1 else (0x0c <= fsc <= 0x0f), got.group(0)
    out = m.output()
    assert "the access was allowed" not in out
    assert "guest rtos up" not in out and "guest app up" not in out, "VMs started after the panic"


@pytest.mark.parametrize("case", sorted(WHAT))
def test_hs_tables_refuse(machine, case):
    m = machine("demo", platform="qemu-riscv64-virt",
                make_vars={"BAOHU_TEST_CFLAGS": f"-DBAOHU_TEST_HS_FAULT={case}"})
    addr = int(m.expect(rf"\[baohu\] test: {WHAT[case]} at 0x([0-9a-f]+)").group(1), 16)
    check_address(m.elf, case, addr)
    got = m.expect(r"\[baohu\] (PANIC on CPU 0: HS-mode trap scause 0x([0-9a-f]+) stval 0x([0-9a-f]+) "
                   r"sepc 0x([0-9a-f]+)|test: the access was allowed)")
    assert got.group(2), f"CPU 0 made the access: {got.group(0)}"
    scause, stval, sepc = (int(got.group(k), 16) for k in (2, 3, 4))
    assert stval == addr, got.group(0)
    if case == 3:
        # Instruction page fault (priv. §4.1.9, scause 12) at the data address it jumped to.
        assert scause == 12 and sepc == addr, got.group(0)
    else:
        # Store/AMO page fault (15): the guard page is not mapped, the text not writable.
        assert scause == 15, got.group(0)
    out = m.output()
    assert "the access was allowed" not in out
    assert "guest rtos up" not in out and "guest app up" not in out, "VMs started after the panic"
