"""Guest faults become guest exceptions (docs/design.md, "Fault model"; configs/*/guest-faults.c).

The "probe" VM makes one fault of each class, checks in its own exception handler the syndrome,
address, return address, saved PSTATE / sstatus and vector it received, prints one marker per
class and goes on; then it faults 1000 times in a row. The "vector" VM faults with its vector
outside its partition: it cannot take the exception, so it is stopped. "rtos" ticks beside them.
"""
import re

import pytest


ARM_PLATFORMS = ["qemu-aarch64-virt", "qemu-aarch64-virt-gicv2", "zcu102"]
RISCV_PLATFORMS = ["qemu-riscv64-virt", "qemu-riscv64-virt-aia"]

# ESR_EL1 values the Arm ARM prescribes (D13.2.37): EC 0x25/0x21 from EL1, 0x24 from EL0, IL=1,
# FSC 0b010000 (synchronous external abort), WnR for stores; UNDEFINED is EC 0 with IL=1.
DABT_R, DABT_W, DABT_EL0, IABT, UNDEF = 0x96000010, 0x96000050, 0x92000010, 0x86000010, 0x02000000


def arm_expected(platform):
    """(ESR, FAR or None, what) per marker, in the probe's order (guests/baremetal/faults.c)."""
    gicd = 0xF9010000 if platform == "zcu102" else 0x08000000
    uart = 0xFF000000 if platform == "zcu102" else 0x09000000
    cases = [
        (DABT_R, 0x41000000, "load at the end of RAM"),
        (DABT_W, 0x100000000, "store at 4 GiB"),
        (DABT_R, 0x8000000000, "load at 512 GiB"),
        (DABT_W, 0xFFFFFFF000, "store below the 40-bit PA limit"),
        (DABT_W, uart, "store to the console UART"),
        (IABT, 0x7F000000, "instruction fetch outside RAM"),
        (IABT, gicd, "instruction fetch from the GICD"),
        (DABT_R, gicd, "halfword load from GICD_CTLR"),
        (DABT_R, gicd + 0x102, "unaligned word load from the GICD"),
        (DABT_R, gicd, "load pair from the GICD"),
        (DABT_W, gicd + 0x100, "store pair to the GICD"),
        (DABT_R, gicd + 4, "post-indexed load from the GICD"),
    ]
    if platform == "qemu-aarch64-virt":  # GICv3: the redistributor frame of a vCPU it has not
        cases.append((DABT_R, 0x080A0000 + 0x20000, "load from another redistributor frame"))
    cases += [
        (DABT_R, 0x41000008, "load at EL1 on SP_EL0"),
        (DABT_EL0, 0x41000010, "load at EL0"),
        (UNDEF, None, "read of write-only ICC_SGI1R_EL1"),
    ]
    return cases


# scause / stval (RISC-V priv. §4.1.9): access faults 1/5/7, misaligned store/AMO 6, illegal 2.
def riscv_expected(platform):
    irqc = 0xD000000 if platform.endswith("-aia") else 0xC000000
    return [
        (5, 0x81000000, "load at the end of RAM"),
        (7, 0x100000000, "store at 4 GiB"),
        (5, 0x1FFFFFFF000, r"load below 2 TiB \(Sv39x4 top\)"),
        (5, 0x20000000000, r"load at 2 TiB \(beyond Sv39x4\)"),
        (7, 0x10000000, "store to the console UART"),
        (1, 0x7F000000, "instruction fetch outside RAM"),
        (6, None, "misaligned amoadd.w on its own RAM"),
        (7, irqc + 4, "amoadd.w on the interrupt controller"),
        (5, irqc + 4, "byte load from the interrupt controller"),
        (1, irqc, "instruction fetch from the interrupt controller"),
        (5, 0x81000010, "load in U-mode"),
        (2, None, "csrr hstatus"),
        (2, None, "hfence.vvma"),
        (2, None, "csrr mstatus"),
    ]


SUMMARY = r"\[baohu\] VM 'probe': (\d+) more fault\(s\) since \d+\.\d{3} s \((\d+) in all; last syndrome"


def check_probe(m, syndrome, address, cases, injected):
    """Every marker with the documented values; the VM goes on; Baohu's report is bounded."""
    m.seen(r"\[probe\] guest probe up on vcpu0")
    for n, (code, addr, what) in enumerate(cases, start=1):
        line = m.seen(rf"\[probe\] fault {n}: got {syndrome} 0x([0-9a-f]+) {address} 0x([0-9a-f]+) "
                      rf"(ok|BAD)[^\r\n]*\r*\n", timeout=30)
        assert line.group(3) == "ok", line.group(0)
        assert re.search(rf"\({what}\)", line.group(0)), line.group(0)
        assert int(line.group(1), 16) == code, line.group(0)
        if addr is not None:
            assert int(line.group(2), 16) == addr, line.group(0)
    m.seen(rf"\[probe\] fault probe: {len(cases)} checks, 0 bad")
    m.seen(r"\[probe\] fault storm: 1000/1000 faults taken", timeout=30)
    # The first faults are reported in full, with what the guest was given ...
    first = m.seen(r"\[baohu\] FAULT VM 'probe' vCPU 0: ([^\r\n]*)\r*\n")
    assert injected in first.group(1), first.group(0)
    # ... the rest in a summary once a second has passed since the last line.
    m.seen(SUMMARY, timeout=30)


def check_probe_lines(m):
    """What check_probe saw, on the whole console, once the VM has gone on running."""
    out = m.output()
    assert "BAD" not in out, out
    assert "VM 'probe' stopped" not in out and "VM 'probe' resetting" not in out
    full = re.findall(r"\[baohu\] FAULT VM 'probe' vCPU 0: ([^\r\n]*)", out)
    summaries = [(int(a), int(b)) for a, b in re.findall(SUMMARY, out)]
    # The first four faults in full, then at most one summary a second: over the few seconds
    # of this run, a handful of lines for more than a thousand faults.
    assert len(full) == 4, full
    assert all(l.endswith(" injected") for l in full), full
    assert 1 <= len(summaries) <= 5, summaries
    total = summaries[-1][1]
    assert total >= 1000 + 4, summaries
    # Every fault counted is in a line: the full reports plus the summaries add up.
    assert len(full) + sum(n for n, _ in summaries) == total, (full, summaries)
    baohu_lines = [l for l in out.splitlines() if l.startswith("[baohu]") and "'probe'" in l]
    assert len(baohu_lines) <= 10, baohu_lines


def check_still_running(m):
    """After everything matched so far (the fault summaries included), the probe's timer ticks
    on, and so does its neighbour's; then check_probe's count of report lines."""
    m.wait_ticks("probe", 0, 3, timeout=30)
    m.wait_ticks("rtos", 0, 2, timeout=30)
    check_probe_lines(m)


def check_vector_storm(m, injected):
    """The VM that cannot take its exception is stopped after the documented threshold (8)."""
    m.seen(r"\[vector\] vector storm: ")
    m.seen(r"\[baohu\] VM 'vector' vCPU 0: 9 faults in a row inside its own exception vector: "
           r"it cannot take exceptions")
    m.seen(r"\[baohu\] VM 'vector' stopped: fault")
    out = m.output()
    reports = re.findall(r"\[baohu\] FAULT VM 'vector' vCPU 0: ([^\r\n]*)", out)
    assert reports[0].endswith(injected), reports
    assert reports[-1].endswith("VM stopped"), reports
    assert len(reports) == 5, reports  # four in full, the one that stops it
    assert re.search(r"\[baohu\] VM 'vector': 5 more fault\(s\) since \d+\.\d{3} s \(9 in all;", out)
    assert "[vector] vector storm: still running" not in out
    after = out.split("VM 'vector' stopped")[1]
    assert "[vector]" not in after, "the stopped VM still printed"


# Every core: the ID registers hide EL2, VHE, MTE, AMU and SPE, and an MTE register is UNDEFINED
# (idregs.c); the PMU counts the guest's EL1/EL0 cycles and events but nothing in EL2, whatever the
# filters ask (pmu.c: MDCR_EL2.TPM on PMUv3/v3p1, HPMD+HCCD on v3p5), and its overflow PPI 23
# reaches the guest. QEMU's ZynqMP model does not wire the PMU interrupt to its GIC.
HIDDEN = r"hidden el2 0 vhe 0 mte 0 amu 0 spe 0, gcr_el1 undefined ok"
PMU = r"pmu el2 cycles 0 events 0, el1 cycles counted events counted ok"


def check_cpu_lines(m, lines):
    for line in lines:
        m.seen(rf"\[probe\] cpu: {line}\r*\n", timeout=60)


@pytest.mark.parametrize("platform", ARM_PLATFORMS)
def test_arm_guest_faults_become_guest_exceptions(machine, platform):
    m = machine("guest-faults", platform=platform, timeout=90)
    # Armv8.0 cores: nothing of the kind is advertised.
    for feature in ("sve", "sme", "pauth", "ras"):
        m.seen(rf"\[probe\] cpu: no {feature}\r*\n")
    irq = "not taken" if platform == "zcu102" else "taken"
    check_cpu_lines(m, [HIDDEN, PMU, f"pmu overflow interrupt {irq}"])
    m.seen(r"\[probe\] smccc: version 0x10001 features 0, workaround_1 -1 workaround_2 -1, call -1, "
           r"sip -1 ok")
    m.seen(r"\[baohu\] firmware: SMCCC 1.0 \(no SMCCC_VERSION\): no SMCCC_ARCH_WORKAROUND offered")
    check_probe(m, "ESR", "FAR", arm_expected(platform), "synchronous external abort injected")
    check_vector_storm(m, "synchronous external abort injected")
    check_still_running(m)


# What the ID registers advertise is usable at EL1 (CPTR_EL2.TZ/TSM clear and ZCR_EL2/SMCR_EL2 at
# their maximum where SVE/SME exist, HCR_EL2.API/APK where PAuth does), and the fault model is the
# same on later cores. QEMU 7.2's models: a64fx has 512-bit SVE; max has SVE and SME with
# 256-byte default vector lengths, and PAuth.
# cortex-a76 and max have FEAT_RAS: no error records (ERRIDR_EL1 = 0, HCR_EL2.TERR) and no trap.
CPU_FEATURES = {
    "cortex-a76": [r"no sve", r"no sme", r"no pauth", r"ras error records 0 ok"],
    "a64fx": [r"sve vector length 64 bytes ok", r"no sme", r"no pauth", r"no ras"],
    "max,pauth-impdef=on": [r"sve vector length 256 bytes ok",
                            r"sme streaming vector length 256 bytes ok",
                            r"pauth 0x40001230 signed 0x[0-9a-f]+ authenticated 0x40001230 ok",
                            r"ras error records 0 ok"],
}


@pytest.mark.parametrize("cpu", list(CPU_FEATURES))
def test_arm_cpu_features_usable_and_faults_injected_on_later_cores(machine, cpu):
    m = machine("guest-faults", cpu=cpu, timeout=120)
    check_cpu_lines(m, CPU_FEATURES[cpu][:3] + [HIDDEN, CPU_FEATURES[cpu][3], PMU,
                                                 "pmu overflow interrupt taken"])
    check_probe(m, "ESR", "FAR", arm_expected("qemu-aarch64-virt"), "synchronous external abort injected")
    check_vector_storm(m, "synchronous external abort injected")
    check_still_running(m)
    assert "UNDEFINED injected" not in m.output()


def test_arm_guest_faults_gcc_build(machine):
    m = machine("guest-faults", cross_compile="aarch64-linux-gnu-", timeout=90)
    check_probe(m, "ESR", "FAR", arm_expected("qemu-aarch64-virt"), "synchronous external abort injected")
    check_vector_storm(m, "synchronous external abort injected")
    check_still_running(m)


@pytest.mark.parametrize("platform", RISCV_PLATFORMS)
def test_riscv_guest_faults_become_guest_exceptions(machine, platform):
    m = machine("guest-faults", platform=platform, timeout=90)
    check_probe(m, "scause", "stval", riscv_expected(platform), "load access fault injected")
    check_vector_storm(m, "load access fault injected")
    check_still_running(m)
