"""Real guests on qemu-riscv64-virt: Linux (2 vCPUs, SBI console, a shell on a virtual NS16550A) and S-mode U-Boot, each beside the ticking RTOS."""
import re
import time

import pytest

from conftest import Machine

PLATFORM = "qemu-riscv64-virt"
RTOS_TICK = re.compile(r"\[rtos\] vcpu0 tick (\d+)\r*\n")  # whole lines: "tick 4" is not "tick 41"
# U-Boot and Linux's shell drive a virtual NS16550A (config vuart): Baohu tags
# their lines "[uboot] " / "[linux] ", and every line starts with its tag.
# Dropping Baohu's and rtos's lines and the guest's tags gives its text.
# A kernel line as Baohu prints it (printk timestamps are optional).
LX = r"\[linux\] (?:\[ *[0-9.]+\] )?"
TAGGED_LINE = re.compile(r"(?m)^\[(baohu|rtos)\] [^\r\n]*\r*\n")


class GuestConsole:
    """Waits on one guest's own text (other lines and its tags cut out), after the previous
    match. Unlike Machine's waits it sees a line still open: a prompt."""

    def __init__(self, m, tag):
        self.m = m
        self.tag = re.compile(rf"(?m)^\[{tag}\] ")
        self.pos = 0

    def text(self):
        return self.tag.sub("", TAGGED_LINE.sub("", self.m.output()))

    def wait(self, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            match = re.compile(pattern).search(self.text(), self.pos)
            if match:
                self.pos = match.end()
                return match
            if time.monotonic() > deadline:
                pytest.fail(f"did not see {pattern!r}; guest console:\n" + self.text()[-3000:]
                            + "\nQEMU stderr:\n" + self.m.stderr())
            if not self.m.read(0.5):
                pytest.fail("QEMU exited; console:\n" + self.m.output()[-3000:])

    def command(self, line):
        self.m.send(line + "\r")

    def shell(self, line, timeout=30):
        """Types a line at the shell and returns what came back up to its next prompt (the
        echo of the typed line first)."""
        start = self.pos
        self.command(line)
        prompt = self.wait(r"\n# ", timeout)
        return self.text()[start:prompt.start() + 1]


def rtos_ticks(text):
    ticks = [int(n) for n in RTOS_TICK.findall(text)]
    return max(ticks) if ticks else 0


def test_linux_boots_to_a_shell_with_two_cpus_while_rtos_ticks():
    # The first build compiles the kernel (minutes, cached under build/),
    # before QEMU's timeout starts.
    m = Machine(PLATFORM, "linux", timeout=240)
    try:
        m.seen(r"\[baohu\] VM 'linux' \(#1\): 2 vCPU\(s\), entry 0x80200000", 60)
        # Linux's kernel console is SBI legacy putchar: every line tagged by Baohu.
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
        # The virtual NS16550A (config vuart) where the board's is: 8250's ttyS0.
        m.seen(LX + r"10000000\.serial: ttyS0 at MMIO 0x10000000 \(irq = \d+, "
               r"base_baud = \d+\) is a 16550A", 180)
        m.seen(LX + r"Run /init as init process", 180)
        m.seen(r"\[linux\] linux init: hello from riscv64", 60)
        m.seen(r"\[linux\] linux init: Linux 6\.1\.\S+ riscv64 on ", 30)
        m.seen(r"\[linux\] linux init: cpus online 0-1 \(2\)", 30)
        m.seen(r"\[linux\] linux init: slept 1 s, uptime", 30)

        # /bin/sh (sh.c) on ttyS0, the only virtual UART: the console's input
        # is this VM's without switching. Each check is on text the shell
        # made, which the echo of the typed line cannot pass for.
        sh = GuestConsole(m, "linux")
        sh.wait(r"linux init: shell on /dev/ttyS0 \(pid \d+\)\r*\n# ", 60)
        ticks_at_prompt = rtos_ticks(m.output())
        out = sh.shell("echo baohu   shell    ok")
        assert re.search(r"(?m)^baohu shell ok\r*$", out), out
        sh.shell("cd /proc")
        out = sh.shell("pwd")
        assert re.search(r"(?m)^/proc\r*$", out), out
        out = sh.shell("cat version")
        assert re.search(r"(?m)^Linux version 6\.1\.\S+ \(.*riscv64-linux-gnu-gcc", out), out
        out = sh.shell("cat /proc/cpuinfo")
        assert re.findall(r"(?m)^hart\s*: (\d+)\r*$", out) == ["0", "1"], out
        assert re.search(r"(?m)^isa\s*: rv64imafdc", out), out
        out = sh.shell("ls /")
        assert {"bin/", "init", "proc/"} <= set(out.replace("\r", "").split("\n")[1:]), out
        out = sh.shell("nosuch")
        assert re.search(r"(?m)^sh: nosuch: not found\r*$", out), out
        # Anything else by path: fork/exec, here a second shell (in /proc too).
        sh.shell("/bin/sh")
        out = sh.shell("pwd")
        assert re.search(r"(?m)^/proc\r*$", out), out
        sh.shell("exit 3")
        m.seen(rf"\[rtos\] vcpu0 tick {ticks_at_prompt + 3}\b", 30)
        # The first shell's exit ends init's wait: it powers off.
        sh.command("exit")
        # exit without a number gives the last status: the second shell's 3.
        m.seen(r"\[linux\] linux init: shell exited \(status 3\)", 30)

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
        assert "dropped" not in out, out[-4000:]
        assert "FAULT" not in out, out[-4000:]
        assert "power off failed" not in out
        assert "Oops" not in out and "Kernel panic" not in out, out[-4000:]
    finally:
        m.close()


def test_uboot_prompt_and_commands_while_rtos_ticks():
    m = Machine(PLATFORM, "uboot", timeout=120)
    try:
        u = GuestConsole(m, "uboot")
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
