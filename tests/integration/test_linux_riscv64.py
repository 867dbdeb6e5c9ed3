"""Real guests on qemu-riscv64-virt: Linux (2 vCPUs, SBI console) and S-mode U-Boot, each beside the ticking RTOS."""
import re
import time

import pytest

from conftest import Machine

PLATFORM = "qemu-riscv64-virt"
RTOS_TICK = re.compile(r"\[rtos\] vcpu0 tick (\d+)\r*\n")  # whole lines: "tick 4" is not "tick 41"
# U-Boot drives a virtual NS16550A (config vuart): Baohu tags its lines
# "[uboot] ", and every line starts with its tag. Dropping Baohu's and rtos's
# lines and U-Boot's tags gives its text.
# A kernel line as Baohu prints it (printk timestamps are optional).
LX = r"\[linux\] (?:\[ *[0-9.]+\] )?"
TAGGED_LINE = re.compile(r"(?m)^\[(baohu|rtos)\] [^\r\n]*\r*\n")
UBOOT_TAG = re.compile(r"(?m)^\[uboot\] ")


class UbootConsole:
    """Waits on U-Boot's own text (tagged lines cut out), after the previous match."""

    def __init__(self, m):
        self.m = m
        self.pos = 0

    def text(self):
        return UBOOT_TAG.sub("", TAGGED_LINE.sub("", self.m.output()))

    def wait(self, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.text(), self.pos)
            if match:
                self.pos = match.end()
                return match
            if time.monotonic() > deadline:
                pytest.fail(f"did not see {pattern!r}; U-Boot console:\n" + self.text()[-3000:]
                            + "\nQEMU stderr:\n" + self.m.stderr())
            if not self.m.read(0.5):
                pytest.fail("QEMU exited; console:\n" + self.m.output()[-3000:])

    def command(self, line):
        self.m.send(line + "\r")


def rtos_ticks(text):
    ticks = [int(n) for n in RTOS_TICK.findall(text)]
    return max(ticks) if ticks else 0


def test_linux_boots_to_init_with_two_cpus_while_rtos_ticks():
    # The first build compiles the kernel (minutes, cached under build/),
    # before QEMU's timeout starts.
    m = Machine(PLATFORM, "linux", timeout=180)
    try:
        m.seen(r"\[baohu\] VM 'linux' \(#1\): 2 vCPU\(s\), entry 0x80200000", 60)
        # Linux's console is SBI legacy putchar: every line tagged by Baohu.
        m.seen(LX + r"Linux version 6\.1\.\S+ .*riscv64-linux-gnu", 120)
        m.seen(LX + r"Machine model: Baohu VM linux", 60)
        m.seen(LX + r"SBI specification v2\.0 detected", 60)
        m.seen(LX + r"SBI implementation ID=0x424855", 60)
        m.seen(LX + r"SBI HSM extension detected", 60)
        m.seen(LX + r"riscv-intc: 64 local interrupts mapped", 60)
        m.seen(LX + r"plic: interrupt-controller@c000000: mapped 95 interrupts "
               r"with 2 handlers for 4 contexts", 60)
        # The DT advertises Sstc: Linux writes (v)stimecmp, no SBI call per tick.
        m.seen(LX + r"riscv-timer: Timer interrupt in S-mode is available via sstc", 60)
        m.seen(LX + r"printk: console \[hvc0\] enabled", 60)
        # The second vCPU comes up through SBI HSM hart_start.
        m.seen(LX + r"smp: Brought up 1 node, 2 CPUs", 180)
        m.seen(LX + r"Run /init as init process", 180)
        m.seen(r"\[linux\] linux init: hello from riscv64", 60)
        m.seen(r"\[linux\] linux init: Linux 6\.1\.\S+ riscv64 on ", 30)
        m.seen(r"\[linux\] linux init: cpus online 0-1 \(2\)", 30)
        m.seen(r"\[linux\] linux init: slept 1 s, uptime", 30)
        # reboot(POWER_OFF) is an SBI SRST shutdown: it stops this VM only.
        m.seen(r"\[linux\] linux init: powering off", 30)
        m.seen(r"\[baohu\] VM 'linux' stopped: SBI SRST shutdown", 30)
        out = m.output()
        stop = out.index("VM 'linux' stopped")
        m.seen(rf"\[rtos\] vcpu0 tick {rtos_ticks(out[:stop]) + 3}\b", 30)
        # Console lines are whole and in order: rtos ticked (every 200 ms)
        # while Linux slept on its own timer.
        out = m.output()
        running = out[out.index("linux init: hello from riscv64"):out.index("linux init: slept 1 s")]
        assert len(RTOS_TICK.findall(running)) >= 3, "rtos did not tick while Linux ran"
        assert "[linux]" not in out[stop:], "the stopped VM still printed"
        assert "FAULT" not in out, out[-4000:]
        assert "power off failed" not in out
        assert "Oops" not in out and "Kernel panic" not in out, out[-4000:]
    finally:
        m.close()


def test_uboot_prompt_and_commands_while_rtos_ticks():
    m = Machine(PLATFORM, "uboot", timeout=120)
    try:
        u = UbootConsole(m)
        m.seen(r"\[baohu\] VM 'uboot' \(#1\): 1 vCPU\(s\), entry 0x80200000", 60)
        # U-Boot drives the virtual NS16550A and reads its device tree from a1.
        u.wait(r"U-Boot 2023\.01", 60)
        u.wait(r"CPU:\s+rv64imafdc_zicsr_zifencei_zihintpause_sstc", 30)
        u.wait(r"Model: Baohu VM uboot", 30)
        u.wait(r"DRAM:\s+128 MiB", 30)
        u.wait(r"Hit any key to stop autoboot", 30)
        m.send(" ")
        u.wait(r"=> ", 30)
        ticks_at_prompt = rtos_ticks(m.output())
        u.command("version")
        u.wait(r"U-Boot 2023\.01\S* \(", 30)
        u.wait(r"riscv64-linux-gnu-gcc", 30)
        u.wait(r"=> ", 30)
        # Its RAM from the start: the device tree the VM was given (FDT magic
        # d00dfeed is big-endian, so a 32-bit little-endian read is edfe0dd0).
        u.command("md.l 0x80000000 4")
        u.wait(r"80000000: edfe0dd0 [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8}", 30)
        u.wait(r"=> ", 30)
        # And where u-boot.bin was loaded.
        u.command("md.q 0x80200000 2")
        u.wait(r"80200000: [0-9a-f]{16} [0-9a-f]{16}", 30)
        u.wait(r"=> ", 30)
        m.seen(rf"\[rtos\] vcpu0 tick {ticks_at_prompt + 3}\b", 30)
        assert "FAULT" not in m.output()
        # Every line is one source's, starting with its tag (after OpenSBI's banner).
        out = m.output()
        lines = [l.rstrip("\r") for l in out[out.index("[baohu] "):].split("\n")[:-1]]
        assert all(re.match(r"\[(baohu|rtos|uboot)\] ", l) for l in lines if l), \
            [l for l in lines if l and not re.match(r"\[(baohu|rtos|uboot)\] ", l)][:5]
    finally:
        m.close()
