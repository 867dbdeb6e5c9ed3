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
