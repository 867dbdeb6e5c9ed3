"""Shared helpers for the QEMU integration tests: build a config, boot it, read the tagged console."""
import os
import re
import subprocess
import time
import tempfile

import pexpect
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def qemu_command(platform, config, cross_compile="", cpu=None):
    """The QEMU command line for a platform and config, as the Makefile knows it
    (`cpu`: the Makefile's CPU= model on the QEMU virt platforms)."""
    out = subprocess.run(
        ["make", "-s", "--no-print-directory", f"PLATFORM={platform}", f"CONFIG={config}",
         f"CROSS_COMPILE={cross_compile}"] + ([f"CPU={cpu}"] if cpu else []) + ["print-qemu"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return out.strip()


def build(platform, config, cross_compile=""):
    args = ["make", "-s", f"PLATFORM={platform}", f"CONFIG={config}"]
    if cross_compile:
        args.append(f"CROSS_COMPILE={cross_compile}")
    res = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    toolchain = "gcc" if cross_compile else "clang"
    return os.path.join(ROOT, "build", f"{platform}-{toolchain}", config, "baohu.elf")


class Machine:
    """One QEMU run under a hard timeout; `expect` waits for a console line."""

    def __init__(self, platform, config, timeout=60, cross_compile="", cpu=None):
        elf = build(platform, config, cross_compile)
        cmd = qemu_command(platform, config, cross_compile, cpu) + f" -kernel {elf}"
        assert "-nic none" in cmd
        self.log = []
        # The console is QEMU's stdout (-nographic serial). QEMU's own
        # diagnostics go to stderr, kept apart in a file: they are no console
        # lines (xlnx-zcu102 warns about its four unplugged GEMs under
        # -nic none) and are shown when an expectation fails.
        fd, self.stderr_path = tempfile.mkstemp(prefix="qemu-stderr-", suffix=".log")
        os.close(fd)
        self.child = pexpect.spawn("sh", ["-c", 'exec "$@" 2>"$0"', self.stderr_path,
                                          "timeout", "--kill-after=5", str(timeout)] + cmd.split(),
                                   cwd=ROOT, encoding="utf-8", codec_errors="replace",
                                   timeout=timeout)

    def expect(self, pattern, timeout=30):
        """Wait for a regex after everything matched so far; returns the match.
        Fails with the console so far."""
        try:
            self.child.expect(pattern, timeout=timeout)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            unmatched = self.child.before if isinstance(self.child.before, str) else ""
            pytest.fail(f"did not see {pattern!r} ({type(e).__name__}); console:\n"
                        + "".join(self.log) + unmatched + "\nQEMU stderr:\n" + self.stderr())
        self.log.append(self.child.before + self.child.after)
        return self.child.match

    def seen(self, pattern, timeout=30):
        """Wait until `pattern` has appeared anywhere on the console, also
        before the last match: for lines of VMs running in parallel, whose
        order is not fixed. Returns the match."""
        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.output())
            if m:
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"never saw {pattern!r}; console:\n" + self.output()
                            + "\nQEMU stderr:\n" + self.stderr())
            try:
                self.child.expect(r"\n", timeout=left)
                self.log.append(self.child.before + self.child.after)
            except (pexpect.TIMEOUT, pexpect.EOF):
                pass

    def send(self, text):
        self.child.send(text)

    def output(self):
        """Everything read so far: what expectations consumed plus what waits."""
        return "".join(self.log) + (self.child.buffer or "")

    def stderr(self):
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def close(self):
        self.child.close(force=True)
        os.unlink(self.stderr_path)


@pytest.fixture
def machine():
    started = []

    def start(config, platform="qemu-aarch64-virt", **kw):
        m = Machine(platform, config, **kw)
        started.append(m)
        return m

    yield start
    for m in started:
        m.close()


def count_ticks(text, vm, vcpu):
    return len(re.findall(rf"\[{vm}\] vcpu{vcpu} tick \d+", text))
