"""Debian's arm64 Linux in a Baohu VM beside the bare-metal RTOS: SMP, virtual PL011 console, passthrough disk, IPC, poweroff."""
import os
import pathlib
import re
import subprocess
import time

import pexpect
import pytest

from conftest import ROOT, Machine

# Baohu owns the PL011; Linux (and U-Boot) write to a virtual one, whose
# lines Baohu tags "[linux] " ("[uboot] "). Every line starts with its tag:
# dropping Baohu's and rtos's lines and the guest's tags gives back the
# guest's text.
TAGGED_LINE = re.compile(r"(?m)^\[(baohu|rtos)\] [^\r\n]*\r*\n")
GUEST_TAG = re.compile(r"(?m)^\[(linux|uboot|edk2)\] ")
ANY_LINE = re.compile(r"^\[(baohu|rtos|linux|uboot|edk2)\] ")
RTOS_TICK = re.compile(r"(?m)^\[rtos\] vcpu0 tick (\d+)\r*\n")


class Console:
    """Reads the shared console; waits on Linux's text with Baohu's lines cut out."""

    def __init__(self, machine):
        self.m = machine
        self.raw = ""
        self.pos = 0  # where the next wait starts, in the cleaned text

    def _pump(self, deadline):
        try:
            self.raw += self.m.child.read_nonblocking(65536, timeout=max(0.1, min(1, deadline - time.time())))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            pytest.fail("QEMU exited; console:\n" + self.raw[-6000:])

    def linux(self):
        return GUEST_TAG.sub("", TAGGED_LINE.sub("", self.raw))

    def wait(self, pattern, timeout):
        """Wait for `pattern` in Linux's text (after the previous match)."""
        deadline = time.time() + timeout
        while True:
            text = self.linux()
            match = re.compile(pattern).search(text, self.pos)
            if match:
                self.pos = match.end()
                return match
            if time.time() > deadline:
                pytest.fail(f"did not see {pattern!r}; Linux console:\n" + self.linux()[-3000:] + "\nlast lines:\n" + self.raw[-1000:])
            self._pump(deadline)

    def wait_raw(self, pattern, timeout, since_start=False):
        """Wait for a tagged line (Baohu's or rtos's) appearing after now (or at all)."""
        start = 0 if since_start else len(self.raw)
        deadline = time.time() + timeout
        while True:
            match = re.compile(pattern).search(self.raw, start)
            if match:
                return match
            if time.time() > deadline:
                pytest.fail(f"did not see {pattern!r}; Linux console:\n" + self.linux()[-3000:] + "\nlast lines:\n" + self.raw[-1000:])
            self._pump(deadline)

    def rtos_ticks(self):
        # Whole lines only: a tick line can arrive in pieces ("tick 4" of "tick 41").
        ticks = [int(n) for n in RTOS_TICK.findall(self.raw)]
        return max(ticks) if ticks else 0

    def rtos_ticks_on(self, ticks=3):
        """The RTOS ticks `ticks` more times from now (another VM having stopped)."""
        start = self.rtos_ticks()
        for _ in range(ticks):
            self.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
        assert self.rtos_ticks() >= start + ticks

    def shell(self, command, pattern, timeout=60):
        self.m.send(command + "\n")
        return self.wait(pattern, timeout)


def test_device_tree_is_generated_from_the_config(tmp_path):
    """tools/config_dts.c: the VM's RAM, vCPUs, GIC frames, devices and IPC node, accepted by dtc."""
    tool = tmp_path / "config-dts"
    subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-DBAOHU_HOST", "-Iinclude",
                    "-Isrc/core/include", "tools/config_dts.c",
                    "src/platform/qemu-aarch64-virt/platform.c",
                    "configs/qemu-aarch64-virt/linux-rtos.c", "-o", str(tool)],
                   cwd=ROOT, check=True)
    dts = subprocess.run([str(tool), "linux", "--bootargs", "console=ttyAMA0", "--initrd",
                          "0x62400000", "0x62500000"], check=True, capture_output=True,
                         text=True).stdout
    assert "reg = <0x0 0x60000000 0x0 0x10000000>;" in dts  # memory@60000000
    assert len(re.findall(r"cpu@\d \{", dts)) == 2
    assert re.search(r"cpu@1 \{[^}]*reg = <1>;[^}]*enable-method = \"psci\"", dts)
    assert 'method = "hvc";' in dts
    # Distributor, then one 128 KiB redistributor frame pair per vCPU.
    assert "reg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x80a0000 0x0 0x40000>;" in dts
    assert "interrupts = <1 13 0x4>, <1 14 0x4>, <1 11 0x4>, <1 10 0x4>;" in dts
    assert re.search(r"pl011@9000000 \{[^}]*interrupts = <0 1 4>;", dts)
    # The PCIe host bridge behind the SMMU: bus 0's ECAM, the BAR window, the
    # INTx swizzle; no SMMU node (Baohu's), Linux's RAM not identity-mapped.
    assert re.search(r"pcie@4010000000 \{[^}]*compatible = \"pci-host-ecam-generic\";[^}]*"
                     r"reg = <0x40 0x10000000 0x0 0x100000>;[^}]*bus-range = <0 0>;[^}]*"
                     r"ranges = <0x2000000 0x0 0x10000000 0x0 0x10000000 0x0 0x1000000>;", dts)
    assert "<0x800 0 0 1 &gic 0 4 4>" in dts  # 00:01.0 INTA -> SPI 4
    assert "smmu" not in dts and "iommu" not in dts and "virtio_mmio" not in dts
    assert re.search(r'channel@50000000 \{\s*compatible = "generic-uio";\s*reg = <0x0 0x50000000 '
                     r'0x0 0x10000>, <0x0 0x50100000 0x0 0x1000>;\s*interrupts = <0 21 1>;', dts)
    assert "linux,initrd-start = <0x0 0x62400000>;" in dts
    assert 'stdout-path = "/pl011@9000000";' in dts
    # The PL011 is a virtual one (vuart), with the clocks Linux's AMBA bus needs.
    assert re.search(r'pl011@9000000 \{[^}]*clock-names = "uartclk", "apb_pclk";', dts)
    (tmp_path / "linux.dts").write_text(dts)
    res = subprocess.run(["dtc", "-I", "dts", "-O", "dtb", "-o", str(tmp_path / "linux.dtb"),
                          str(tmp_path / "linux.dts")], capture_output=True, text=True)
    assert res.returncode == 0 and not res.stderr, res.stderr
    rtos = subprocess.run([str(tool), "rtos"], check=True, capture_output=True, text=True).stdout
    assert "pl011" not in rtos and "<0x0 0x80a0000 0x0 0x20000>" in rtos
    assert subprocess.run([str(tool), "nosuchvm"], capture_output=True).returncode == 1


def config_dts_tool(tmp_path, config, name="config-dts"):
    tool = tmp_path / name
    subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-DBAOHU_HOST", "-Iinclude",
                    "-Isrc/core/include", "tools/config_dts.c",
                    "src/platform/qemu-aarch64-virt/platform.c", str(config), "-o", str(tool)],
                   cwd=ROOT, check=True)
    return tool


def test_device_tree_merges_the_vms_dt_source_and_hides_its_firmware_bank(tmp_path):
    """The edk2 config: its dt_source (the flash bank 1 node) is merged by dtc into the
    generated tree and stands for the passthrough region it describes (no warning); the
    dt_hidden region at 0x0 (EDK2's code) is no memory node. A missing source is an error."""
    tool = config_dts_tool(tmp_path, "configs/qemu-aarch64-virt/edk2.c")
    res = subprocess.run([str(tool), "edk2"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    dts = res.stdout
    assert "memory@40000000" in dts and "memory@0 " not in dts and "memory@0{" not in dts
    assert "/* merged from configs/qemu-aarch64-virt/edk2.dtsi (dt_source of VM 'edk2') */" in dts
    (tmp_path / "edk2.dts").write_text(dts)
    res = subprocess.run(["dtc", "-I", "dts", "-O", "dts", str(tmp_path / "edk2.dts")],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    merged = res.stdout  # dtc's own reading: one root, the flash node in it
    assert re.search(r'flash@4000000 \{\s*compatible = "cfi-flash";\s*reg = <0x00 0x4000000 0x00 '
                     r'0x4000000>;\s*bank-width = <0x04>;', merged), merged
    assert re.search(r'pl031@9010000 \{', merged)
    broken = tmp_path / "edk2-missing.c"
    broken.write_text((pathlib.Path(ROOT) / "configs/qemu-aarch64-virt/edk2.c").read_text()
                      .replace("edk2.dtsi", "no-such.dtsi").replace('GUEST_DIR "/rtos.bin"', '"x"'))
    tool = config_dts_tool(tmp_path, broken, "config-dts-missing")
    res = subprocess.run([str(tool), "edk2"], cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 1
    assert "VM 'edk2' dt_source 'configs/qemu-aarch64-virt/no-such.dtsi': cannot open it" in res.stderr


def test_device_tree_warns_of_a_passthrough_device_it_cannot_describe(tmp_path):
    """A passthrough region config_dts knows nothing of (virt's PL061 GPIO) is named on stderr,
    not dropped in silence; the ones it knows (the PL031 RTC) get their node, and the Linux
    demo's config draws no warning."""
    config = tmp_path / "unknown-dev.c"
    config.write_text("""#include <baohu/config.h>
static const struct vm_mem_region mem[] = {{.ipa = 0x40000000, .size = 16 << 20}};
static const uint32_t rtc_irqs[] = {34};
static const struct vm_dev_region devs[] = {
    {.pa = 0x09010000, .ipa = 0x09010000, .size = 0x1000, CONFIG_LIST(irqs, rtc_irqs)},
    {.pa = 0x09030000, .ipa = 0x09030000, .size = 0x1000},
};
static const struct vm_config vms[] = {{.name = "g", .cpus = 1, CONFIG_LIST(mem, mem),
                                        CONFIG_LIST(devs, devs), .entry = 0x40000000}};
const struct baohu_config baohu_config = {CONFIG_LIST(vms, vms)};
""")
    for name, cfg in (("unknown", str(config)), ("demo", "configs/qemu-aarch64-virt/linux-rtos.c")):
        subprocess.run(["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-DBAOHU_HOST", "-Iinclude",
                        "-Isrc/core/include", "tools/config_dts.c",
                        "src/platform/qemu-aarch64-virt/platform.c", cfg,
                        "-o", str(tmp_path / name)], cwd=ROOT, check=True)
    res = subprocess.run([str(tmp_path / "unknown"), "g"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert re.search(r"pl031@9010000 \{[^}]*interrupts = <0 2 4>;", res.stdout), res.stdout
    assert "9030000" not in res.stdout
    assert res.stderr == ("config-dts: warning: VM 'g': passthrough region at 0x9030000 (0x1000 "
                          "bytes) holds no device config-dts knows on qemu-aarch64-virt: it gets "
                          "no device-tree node\n"), res.stderr
    demo = subprocess.run([str(tmp_path / "demo"), "linux"], capture_output=True, text=True)
    assert demo.returncode == 0 and demo.stderr == "", demo.stderr


def shell_ready(c):
    """Wait until Linux's shell reads the console: input typed earlier may be dropped."""
    c.pos = 0
    c.wait(r"built-in shell", 240)
    c.shell("echo shell-$((1+1))", r"\nshell-2\r*\n")


@pytest.fixture(scope="module")
def linux():
    """One boot for the whole module: building it fetches the Debian packages once (cached in build/linux)."""
    m = Machine("qemu-aarch64-virt", "linux-rtos", timeout=900)
    yield Console(m)
    m.close()


def test_linux_boots_to_init_with_two_vcpus_while_rtos_ticks(linux):
    c = linux
    c.wait_raw(r"\[baohu\] VM 'linux' \(#1\): 2 vCPU\(s\), entry 0x60200000", 120, True)
    checkpoints = [("VM built", c.rtos_ticks())]
    c.wait(r"Booting Linux on physical CPU 0x0+ ", 60)
    c.wait(r"Machine model: Baohu VM linux", 60)
    c.wait(r"psci: PSCIv1.1 detected in firmware", 60)
    c.wait(r"GICv3: CPU0: found redistributor 0 region 0:0x0*80a0000", 120)
    c.wait(r"CPU1: Booted secondary processor 0x0*1 ", 180)
    checkpoints.append(("CPU1 up", c.rtos_ticks()))
    c.wait(r"9000000.pl011: ttyAMA0 at MMIO 0x9000000", 180)
    c.wait(r"baohu-linux: init on 6\.1\.\S+-arm64, 2 CPUs online", 180)
    checkpoints.append(("init", c.rtos_ticks()))
    c.wait(r"baohu-linux: ready", 180)
    c.wait(r"built-in shell", 60)
    # The RTOS's 200 ms tick went on at every stage of Linux's boot.
    c.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
    checkpoints.append(("shell", c.rtos_ticks()))
    print("rtos ticks at", checkpoints)
    for (a, ta), (b, tb) in zip(checkpoints, checkpoints[1:]):
        assert tb > ta, f"rtos did not tick between {a} ({ta}) and {b} ({tb})"
    assert "FAULT" not in c.raw, c.raw[-4000:]
    cpus = c.shell("grep -c ^processor /proc/cpuinfo; echo cpus-done", r"\n(\d+)\r*\ncpus-done")
    assert cpus.group(1) == "2", cpus.group(0)
    c.shell("cat /sys/devices/system/cpu/online", r"\n0-1\r*\n")


# Debian's Linux on later cores (make run DEMO=linux+rtos CPU=<model>): SVE, SME and pointer
# authentication are advertised by the ID registers and must be usable, or Linux stops at its first
# ZCR_EL1 / key-register access. hwcaps in /proc/cpuinfo show what it took into use.
LINUX_CPUS = {
    "cortex-a72": [],
    "cortex-a76": [],
    "neoverse-n1": [],
    "a64fx": ["sve"],
    "max,pauth-impdef=on": ["sve", "paca", "pacg"],
}


@pytest.mark.parametrize("cpu", list(LINUX_CPUS))
def test_linux_boots_to_its_shell_on_later_cpu_models(cpu):
    m = Machine("qemu-aarch64-virt", "linux-rtos", timeout=600, cpu=cpu)
    try:
        c = Console(m)
        c.wait(r"baohu-linux: init on 6\.1\.\S+-arm64, 2 CPUs online", 300)
        shell_ready(c)
        # Short answer lines, asked again if one went missing.
        want = LINUX_CPUS[cpu]
        for attempt in range(3):
            # The marker is computed, so the echoed command line does not match it.
            got = c.shell(f"for f in {' '.join(want)}; do grep -qw $f /proc/cpuinfo && echo has-$f; "
                          f"done; echo feat-$((40+{attempt}))",
                          rf"((?:\nhas-\w+\r*)*)\nfeat-{40 + attempt}\r*\n").group(1)
            if all(f"has-{f}" in got for f in want):
                break
        else:
            pytest.fail(f"{cpu}: Linux does not report {want}: {got!r}")
        c.wait_raw(r"\[rtos\] vcpu0 tick \d+", 30)
        assert "FAULT" not in c.raw, c.raw[-4000:]
    finally:
        m.close()


def test_linux_lines_on_the_virtual_uart_are_never_cut(linux):
    """Linux's console is a virtual PL011: each of its lines comes out whole under its own tag,
    and no Baohu or rtos line lands inside one (issue 13: `uart-pl011 9[rtos] vcpu0 tick 22`)."""
    c = linux
    c.pos = 0
    c.wait(r"baohu-linux: ready", 240)
    shell_ready(c)
    lines = [l.rstrip("\r") for l in c.raw.split("\n")]
    done = lines[:-1]  # the last may still be arriving
    untagged = [l for l in done if l and not ANY_LINE.match(l)]
    assert not untagged, untagged[:5]
    cut = [l for l in done if re.search(r".\[(baohu|rtos|linux)\] ", l)]
    assert not cut, cut[:5]
    # Linux's own lines, whole, each on a line of its own under its tag.
    assert any(re.fullmatch(r"\[linux\] \[\s*[\d.]+\] 9000000\.pl011: ttyAMA0 at MMIO 0x9000000 "
                            r"\(irq = \d+, base_baud = \d+\) is a PL011 rev\d", l) for l in done), done[-40:]
    assert any(re.fullmatch(r"\[linux\] (\[\s*[\d.]+\] )?baohu-linux: ready", l) for l in done), done[-40:]
    assert sum(1 for l in done if l.startswith("[rtos] vcpu0 tick ")) >= 5


def test_a_line_typed_after_the_input_switch_reaches_linux_shell(linux):
    """Ctrl-] then the VM's number gives it the console's input (README, "Console")."""
    c = linux
    shell_ready(c)
    c.m.send("\x1d1")
    c.wait_raw(r"(?m)^\[baohu\] console input: VM 'linux' \(#1\)\r*\n", 30)
    # rtos (#0) has no virtual UART: the input stays with Linux.
    c.m.send("\x1d0")
    c.wait_raw(r"(?m)^\[baohu\] console input: VM 'rtos' \(#0\) has no virtual UART\r*\n", 30)
    # Computed, so that the echoed command line does not match.
    c.shell("echo hello-vuart-$((40+2))", r"\nhello-vuart-42\r*\n")
    assert re.search(r"(?m)^\[linux\] hello-vuart-42\r*$", c.raw)


def test_linux_perf_counts_its_own_cycles_and_nothing_of_el2(linux):
    """The PMU is the VM's (Linux's PMUv3 driver with its overflow PPI), but never counts EL2."""
    c = linux
    c.pos = 0
    c.wait(r"hw perfevents: enabled with armv8_pmuv3 PMU driver, \d+ counters available", 240)
    c.wait(r"baohu-linux: ready", 240)
    shell_ready(c)
    c.shell("grep -c arm-pmu /proc/interrupts; echo irq-$((6*7))", r"\n1\r*\nirq-42\r*\n")
    got = c.shell("baohu-perf", r"baohu-perf: cycles user (\w+), hypervisor (\d+)\r*\n")
    assert got.group(1) == "counted" and got.group(2) == "0", got.group(0)


def test_linux_mounts_the_passthrough_disk_and_writes_a_file(linux):
    c = linux
    c.pos = 0
    c.wait(r"virtio_blk virtio0: \[vda\] 32768 512-byte logical blocks", 240)
    c.wait(r"baohu-linux: disk mounted: hello from the Baohu demo disk", 240)
    c.wait(r"baohu-linux: disk file read back: written by", 240)
    c.wait(r"baohu-linux: ready", 240)
    shell_ready(c)
    c.shell("echo baohu-$((6*7)) > /mnt/shell.txt && sync && cat /mnt/shell.txt", r"\nbaohu-42\r*\n")
    c.shell("grep vda /proc/mounts", r"/dev/vda /mnt ext4 rw")


def test_linux_user_space_and_rtos_exchange_messages(linux):
    c = linux
    c.pos = 0
    c.wait(r"baohu-ipc: object channel@50000000 at 0x50000000 \(64 KiB\), doorbell 0x50100000", 240)
    # Through UIO (guests/linux/baohu_uio): the doorbell interrupt wakes user space.
    c.wait(r"baohu-ipc: using /dev/uio0 \(doorbell interrupt\)", 240)
    c.wait(r"baohu-ipc: peer ready", 240)
    c.wait(r"baohu-ipc: 10/10 round trips ok, peer saw 0 bad words", 240)
    assert "[rtos] ipc pong: 10 rounds answered" in c.raw
    shell_ready(c)
    # Again from the shell: the RTOS keeps answering (its count passes 10 only once).
    c.shell("baohu-ipc 5", r"baohu-ipc: 5/5 round trips ok, peer saw 0 bad words")
    irqs = c.shell("grep channel /proc/interrupts", r"(\d+)\s+(\d+)\s+GICv3\s+53 Edge\s+channel")
    assert int(irqs.group(1)) + int(irqs.group(2)) >= 15, irqs.group(0)


def test_linux_poweroff_stops_only_linux(linux):
    c = linux
    shell_ready(c)
    c.m.send("poweroff\n")
    c.wait_raw(r"\[baohu\] VM 'linux' stopped: PSCI SYSTEM_OFF", 120)
    c.rtos_ticks_on()
    assert "every VM has stopped" not in c.raw
    c.m.child.close(force=True)  # the last test of this boot: free the CPUs for the next ones


def test_uboot_prompt_commands_reset_and_poweroff_beside_the_rtos(machine):
    c = Console(machine("uboot", timeout=300))
    c.wait_raw(r"\[baohu\] VM 'uboot' \(#1\): 1 vCPU\(s\), entry 0x40200000", 120, True)
    c.wait(r"U-Boot 20\d\d\.\d\d", 60)
    c.wait(r"DRAM:\s+128 MiB", 60)
    c.wait(r"In:\s+pl011@9000000", 60)
    c.wait(r"Hit any key to stop autoboot", 60)
    c.m.send(" ")
    c.wait(r"=> ", 60)
    before = c.rtos_ticks()
    c.shell("version", r"U-Boot 20\d\d\.\d\d\S*")
    # The generated device tree sits at the start of the VM's RAM: its magic
    # 0xd00dfeed is big-endian, so md.l shows it byte-swapped.
    c.shell("md.l 0x40000000 4", r"40000000: edfe0dd0 ")
    c.shell("fdt addr 0x40000000; fdt print /cpus", r"enable-method = \"psci\"")
    c.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
    assert c.rtos_ticks() > before
    # U-Boot's reset and poweroff are PSCI calls: they reach only its own VM.
    c.m.send("reset\n")
    c.wait_raw(r"\[baohu\] VM 'uboot' resetting: PSCI SYSTEM_RESET", 60)
    c.wait(r"U-Boot 20\d\d\.\d\d", 60)
    c.wait(r"Hit any key to stop autoboot", 60)
    c.m.send(" ")
    c.wait(r"=> ", 60)
    c.m.send("poweroff\n")
    c.wait_raw(r"\[baohu\] VM 'uboot' stopped: PSCI SYSTEM_OFF", 60)
    c.rtos_ticks_on()
    assert "FAULT" not in c.raw, c.raw[-3000:]


EDK2_VARS = os.path.join(ROOT, "build/linux/qemu-aarch64-virt-edk2/edk2-vars.fd")
# A GUID of our own for the test variable (the shell's setvar needs one).
EDK2_GUID = "5f0b2f4e-6c0a-4a2e-9a5d-3b8f1c2d4e6a"


def edk2_shell(c):
    """Skip startup.nsh with ESC, as its countdown offers; wait for the prompt."""
    c.wait(r"UEFI firmware \(version", 120)
    c.wait(r"UEFI Interactive Shell v2\.\d+", 180)
    c.wait(r"Press \S*ESC\S* in \d seconds", 60)
    c.m.send("\x1b")
    c.wait(r"Shell> ", 60)


def edk2_cmd(c, line, pattern, timeout=60):
    """EDK2's shell takes a command at CR (a LF after it would be one more)."""
    c.m.send(line + "\r")
    return c.wait(pattern, timeout)


def test_edk2_reaches_its_shell_with_a_variable_store_beside_the_rtos(machine):
    """Debian's QEMU_EFI.fd in a VM (configs/qemu-aarch64-virt/edk2.c): its code at 0x0 and its
    device tree at the start of RAM are two images, no stub; its variable store is flash bank 1,
    described by the config's merged DT source. A variable set from the shell survives a reset;
    reset and poweroff reach only its own VM."""
    if os.path.exists(EDK2_VARS):
        os.unlink(EDK2_VARS)  # a fresh store from Debian's template
    c = Console(machine("edk2", timeout=400))
    c.wait_raw(r"\[baohu\] VM 'edk2' \(#1\): 1 vCPU\(s\), entry 0x0,", 120, True)
    edk2_shell(c)
    before = c.rtos_ticks()
    edk2_cmd(c, "ver", r"UEFI v2\.\d+ \(EDK II")
    c.wait(r"Shell> ", 60)
    # The RAM the device tree gave it (not the 2 MiB its code runs from).
    edk2_cmd(c, "memmap", r"Total Memory:\s+128 MB")
    c.wait(r"Shell> ", 60)
    edk2_cmd(c, "time", r"\d\d:\d\d:\d\d \(LOCAL\)")  # the passthrough PL031
    c.wait(r"Shell> ", 60)
    start = c.pos
    edk2_cmd(c, f"setvar BaohuVar -guid {EDK2_GUID}", r"Shell> ")
    assert "BaohuVar - " not in c.linux()[start:c.pos]  # not there yet
    edk2_cmd(c, f'setvar BaohuVar -guid {EDK2_GUID} -nv -bs =L"baohu"', r"Shell> ")
    # Typed characters come back one by one between cursor moves, so this is
    # the shell's answer, not the echo: the name, 10 bytes of UCS-2 "baohu".
    edk2_cmd(c, f"setvar BaohuVar -guid {EDK2_GUID}",
            r"BaohuVar - 000A Bytes\s*(\[edk2\] )?62 00 61 00 6F 00 68 00 75 00")
    c.wait(r"Shell> ", 60)
    c.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
    assert c.rtos_ticks() > before
    c.m.send("reset\r")
    c.wait_raw(r"\[baohu\] VM 'edk2' resetting: PSCI SYSTEM_RESET", 60)
    edk2_shell(c)
    edk2_cmd(c, f"setvar BaohuVar -guid {EDK2_GUID}", r"BaohuVar - 000A Bytes")
    c.wait(r"Shell> ", 60)
    c.m.send("reset -s\r")
    c.wait_raw(r"\[baohu\] VM 'edk2' stopped: PSCI SYSTEM_OFF", 60)
    c.rtos_ticks_on()
    assert "[baohu] FAULT " not in c.raw, c.raw[-3000:]


class BoardBoot:
    """`make run BOOT=uboot`'s QEMU: U-Boot as firmware boots Baohu from a disk."""

    def __init__(self, config, timeout):
        make = ["make", "-s", "--no-print-directory", "BOOT=uboot", f"CONFIG={config}"]
        res = subprocess.run(make, cwd=ROOT, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout + res.stderr
        cmd = subprocess.run(make + ["print-run"], cwd=ROOT, check=True, capture_output=True,
                             text=True).stdout.strip()
        assert "-nic none" in cmd and "-bios" in cmd and "-kernel" not in cmd, cmd
        self.child = pexpect.spawn("timeout", ["--kill-after=5", str(timeout)] + cmd.split(),
                                   cwd=ROOT, encoding="utf-8", codec_errors="replace")

    def send(self, text):
        self.child.send(text)

    def close(self):
        self.child.close(force=True)


def test_uboot_firmware_boots_baohu_with_linux_and_rtos_from_disk():
    m = BoardBoot("linux-rtos", timeout=600)
    try:
        c = Console(m)
        c.wait(r"U-Boot 20\d\d\.\d\d", 60)
        c.wait(r"Found U-Boot script /boot.scr", 120)
        c.wait(r"Baohu: loading from virtio \d:1", 60)
        c.wait(r"Starting kernel", 120)
        c.wait_raw(r"\[baohu\] Baohu on qemu-aarch64-virt: 4 CPUs, 2 VM\(s\)", 60, True)
        c.wait_raw(r"\[rtos\] vcpu0 tick 1\b", 120, True)
        c.wait(r"Machine model: Baohu VM linux", 180)
        c.wait(r"baohu-linux: init on \S+, 2 CPUs online", 180)
        c.wait(r"baohu-linux: disk mounted: hello from the Baohu demo disk", 120)
        c.wait(r"baohu-ipc: 10/10 round trips ok", 120)
        c.wait(r"baohu-linux: ready", 120)
        ticks = c.rtos_ticks()
        c.wait_raw(r"\[rtos\] vcpu0 tick \d+\r*\n", 30)
        assert c.rtos_ticks() > ticks
        assert "FAULT" not in c.raw
    finally:
        m.close()
