"""README/docs claims that had no test (issue 15): power-off once every VM has stopped, PSCI and
SMCCC FEATURES, shared memory never executable; RISC-V's SBI TIME and vPLIC thresholds are in
test_claims_riscv64.py, Baohu's own W^X and stack guard in test_claims_el2.py."""
import pytest

ARM_PLATFORMS = ["qemu-aarch64-virt", "qemu-aarch64-virt-gicv2", "zcu102"]
RISCV_PLATFORMS = ["qemu-riscv64-virt", "qemu-riscv64-virt-aia"]

# configs/common/*/poweroff.c: "app" shuts itself down after 3 ticks, "rtos" faults (policy
# stop) after 3 ticks; either may go first.
STOPPED = {"aarch64": "PSCI SYSTEM_OFF", "riscv64": "SBI SRST shutdown"}


@pytest.mark.parametrize("platform", ARM_PLATFORMS + RISCV_PLATFORMS)
def test_machine_powers_off_once_every_vm_has_stopped(machine, platform):
    """docs/design.md: when the last VM stops, Baohu turns the machine off (PSCI SYSTEM_OFF to
    the firmware, or SBI SRST shutdown): QEMU exits by itself, with status 0."""
    arch = "riscv64" if platform in RISCV_PLATFORMS else "aarch64"
    m = machine("poweroff", platform=platform)
    m.seen(r"\[baohu\] VM 'app' stopped: " + STOPPED[arch])
    m.seen(r"\[baohu\] VM 'rtos' stopped: fault")
    # Only after both, and only once.
    m.expect(r"\[baohu\] every VM has stopped: powering off")
    status = m.wait_exit(timeout=20)
    assert status == 0, f"QEMU exit status {status}; console:\n{m.output()}"
    out = m.output()
    assert out.count("every VM has stopped") == 1
    assert "system_off returned" not in out and "srst shutdown returned" not in out
    assert "hostile: still alive" not in out


# PSCI 1.1 (DEN0022D) §5.16 PSCI_FEATURES: 0 for an implemented function (for CPU_SUSPEND the
# flags: original power-state format, no OS-initiated mode), NOT_SUPPORTED (-1) otherwise, and 0
# for SMCCC_VERSION when SMCCC 1.1 is there (§5.16.2). Baohu implements PSCI 1.1's mandatory
# functions and SYSTEM_OFF/RESET, MIGRATE_INFO_TYPE; no MIGRATE (no Trusted OS), no optional ones.
PSCI_FEATURES = {
    0x84000000: 0, 0x84000001: 0, 0xc4000001: 0, 0x84000002: 0, 0x84000003: 0, 0xc4000003: 0,
    0x84000004: 0, 0xc4000004: 0, 0x84000005: -1, 0xc4000005: -1, 0x84000006: 0, 0x84000007: -1,
    0xc4000007: -1, 0x84000008: 0, 0x84000009: 0, 0x8400000a: 0, 0x8400000b: -1, 0xc400000c: -1,
    0xc400000d: -1, 0xc400000e: -1, 0x8400000f: -1, 0xc4000010: -1, 0xc4000011: -1,
    0xc4000012: -1, 0x84000013: -1,
    0x80000000: 0,   # SMCCC_VERSION
    0x80000001: -1,  # SMCCC_ARCH_FEATURES: not a PSCI function
    0xc4000000: -1,  # PSCI_VERSION has no SMC64 form
    0x8400001f: -1,  # unassigned in the PSCI range
    0xc2000000: -1,  # a SiP call
}
# SMCCC 1.1 (DEN0028) §7.3 SMCCC_ARCH_FEATURES: for Arm Architecture calls only; 0 for
# SMCCC_VERSION and ARCH_FEATURES itself, NOT_SUPPORTED for SOC_ID (not implemented) and the
# workarounds (QEMU's firmware is SMCCC 1.0 and offers none, smccc.c), for an unassigned id
# and for anything outside the range.
ARCH_FEATURES = {0x80000000: 0, 0x80000001: 0, 0x80000002: -1, 0x80008000: -1, 0x80007fff: -1,
                 0x80003fff: -1, 0x8000ffff: -1, 0x84000000: -1}
# Unimplemented PSCI functions called directly: NOT_SUPPORTED (§5.2.2).
UNIMPLEMENTED = [0xc4000005, 0x8400000b, 0xc400000e, 0xc4000012]


def features_lines(m, kind, table):
    for fid, want in table.items():
        got = m.seen(rf"\[features\] claims: hvc {kind} 0x{fid:x} = (-?\d+)\r*\n")
        assert int(got.group(1)) == want, f"{kind}(0x{fid:x}) = {got.group(1)}, spec says {want}"


@pytest.mark.parametrize("platform", ARM_PLATFORMS)
def test_psci_and_smccc_features_answer_as_the_specs_say(machine, platform):
    m = machine("claims", platform=platform)
    features_lines(m, "psci_features", PSCI_FEATURES)
    features_lines(m, "smccc_arch_features", ARCH_FEATURES)
    for fid in UNIMPLEMENTED:
        got = m.seen(rf"\[features\] claims: hvc call 0x{fid:x} = (-?\d+)\r*\n")
        assert int(got.group(1)) == -1, got.group(0)
    m.seen(r"\[features\] claims: hvc smccc_version = 0x10001\r*\n")
    # The same answers through the SMC conduit (trapped, HCR_EL2.TSC).
    m.seen(r"\[features\] claims: smc psci_features 0xc4000003 = 0\r*\n")
    m.seen(r"\[features\] claims: smc psci_features 0xc400000e = -1\r*\n")
    m.seen(r"\[features\] claims: smc smccc_arch_features 0x80000001 = 0\r*\n")
    m.seen(r"\[features\] claims: smc smccc_arch_features 0x80008000 = -1\r*\n")
    m.seen(r"\[features\] claims: features done")
    m.wait_ticks("features", 0, 2)
    out = m.output()
    assert "FAULT VM 'features'" not in out and "[features] guest exception" not in out


@pytest.mark.parametrize("platform", ARM_PLATFORMS)
def test_shared_memory_is_never_executable_arm(machine, platform):
    """docs/design.md: shared memory is mapped read/write (or read-only), never executable. The
    VM writes a RET into its writable object (it reads back) and calls it: stage 2's XN gives a
    stage-2 instruction abort, which the VM receives as a synchronous external abort (EC 0x21,
    IFSC 0x10) at that address, and it never returns from the call."""
    m = machine("claims", platform=platform)
    m.seen(r"\[shmx\] shmem: wrote ret at 0x60000000, reads back 0xd65f03c0; calling it")
    report = m.seen(r"\[baohu\] FAULT VM 'shmx' vCPU 0: ([^\r\n]*)\r*\n").group(1)
    assert "instruction abort" in report and "address 0x60000000" in report, report
    assert "PC 0x60000000" in report and report.endswith("injected"), report
    exc = m.seen(r"\[shmx\] guest exception esr=0x([0-9a-f]+) elr=0x([0-9a-f]+) far=0x([0-9a-f]+)")
    esr, elr, far = (int(exc.group(k), 16) for k in (1, 2, 3))
    assert esr == 0x86000010, exc.group(0)
    assert elr == 0x60000000 and far == 0x60000000, exc.group(0)
    # The neighbour that sees the same object goes on.
    m.wait_ticks("rtos", 0, 2)
    out = m.output()
    assert "the call returned" not in out
    assert "VM 'shmx' stopped" not in out
