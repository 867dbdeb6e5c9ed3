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


def build(platform, config, cross_compile="", make_vars=None):
    """Build a config; `make_vars` (e.g. test-only CFLAGS) builds into a directory of its own
    under build/, named after them, with the platform's usual guests."""
    args = ["make", "-s", f"PLATFORM={platform}", f"CONFIG={config}"]
    if cross_compile:
        args.append(f"CROSS_COMPILE={cross_compile}")
    toolchain = "gcc" if cross_compile else "clang"
    out = os.path.join(ROOT, "build", f"{platform}-{toolchain}")
    if make_vars:
        tag = re.sub(r"[^A-Za-z0-9]+", "-", " ".join(f"{k} {v}" for k, v in sorted(make_vars.items())))
        args += [f"BUILD={out}-{tag.strip('-')}", f"GUEST_OUT={out}/guests"]
        args += [f"{k}={v}" for k, v in sorted(make_vars.items())]
        out = f"{out}-{tag.strip('-')}"
    res = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    return os.path.join(out, config, "baohu.elf")


class Machine:
    """One QEMU run under a hard timeout, with its tagged console read in order.

    Matching consumes the console (issue 15): every wait searches complete lines only (a line
    still arriving never matches), a console line matched once is never matched again, and a
    match ends at a word boundary, so `tick 3` never matches `tick 30` (write `0x402[0-9a-f]*`
    where a prefix is meant). A cursor marks the end of the furthest line matched so far:
    `expect`, `wait_ticks` and `ticks` only look after it. `seen` is for lines of VMs running in
    parallel, whose order is not fixed: it looks at the lines not matched yet since the last
    `expect` (so consecutive `seen` calls may come in any order), and it moves the cursor past
    its own match, so whatever waits next starts after that line. `tick_reached` looks at the
    whole console (a vCPU's tick n, whenever it came); `wait_ticks` at ticks after the cursor."""

    # A match may not stop between two word characters.
    _BOUNDARY = r"(?!(?<=\w)\w)"
    _FLAGS = re.compile(r"^\(\?[aiLmsux]+\)")

    def __init__(self, platform, config, timeout=60, cross_compile="", cpu=None, make_vars=None):
        self.elf = elf = build(platform, config, cross_compile, make_vars)
        cmd = qemu_command(platform, config, cross_compile, cpu) + f" -kernel {elf}"
        assert "-nic none" in cmd
        self.log = []        # the console as read, in chunks (output() joins them)
        self._text = ""      # "".join(self.log), kept up to date by _console()
        self._joined = 0     # how many chunks of self.log _text holds
        self.cursor = 0      # end of the furthest line matched: expect/ticks start here
        self.floor = 0       # end of the line the last expect matched: seen starts here
        self.used = []       # (start, end) of every line matched, never matched again
        self.eof = False
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

    # -- reading ------------------------------------------------------------------------

    def _console(self):
        if self._joined != len(self.log):
            self._text = "".join(self.log)
            self._joined = len(self.log)
        return self._text

    def read(self, timeout):
        """Read what QEMU has printed, waiting up to `timeout` s for something; False at EOF."""
        if self.eof:
            return False
        try:
            self.log.append(self.child.read_nonblocking(65536, timeout=max(0.01, timeout)))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            self.eof = True
        return not self.eof

    def _complete(self):
        """The console up to the end of its last complete line (all of it once QEMU is gone)."""
        text = self._console()
        return text if self.eof else text[:text.rfind("\n") + 1]

    # -- matching -----------------------------------------------------------------------

    @classmethod
    def _compile(cls, pattern):
        if isinstance(pattern, re.Pattern):
            pattern, flags = pattern.pattern, pattern.flags
        else:
            flags = 0
        lead = cls._FLAGS.match(pattern)
        head = lead.group(0) if lead else ""
        return re.compile(f"{head}(?:{pattern[len(head):]}){cls._BOUNDARY}", flags)

    @staticmethod
    def _line_span(text, match):
        """The whole lines a match touches: [start of its first, end of its last incl. \\n)."""
        start = text.rfind("\n", 0, match.start()) + 1
        last = max(match.start(), match.end() - 1)
        end = text.find("\n", last)
        return start, (len(text) if end < 0 else end + 1)

    def _find(self, regex, since):
        """The first match at or after `since` on lines not matched before."""
        text = self._complete()
        at = since
        while at <= len(text):
            found = regex.search(text, at)
            if not found:
                return None
            start, end = self._line_span(text, found)
            if not any(s < end and start < e for s, e in self.used):
                return found
            at = found.start() + 1
        return None

    def _wait(self, pattern, timeout, since, what):
        regex = self._compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            found = self._find(regex, since())
            if found:
                start, end = self._line_span(self._complete(), found)
                self.used.append((start, end))
                self.cursor = max(self.cursor, end)
                return found, end
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                why = "QEMU exited" if self.eof else f"timed out after {timeout} s"
                pytest.fail(f"{what} {pattern!r} ({why}); console:\n" + self.output()
                            + "\nQEMU stderr:\n" + self.stderr())
            self.read(min(left, 1.0))

    def expect(self, pattern, timeout=30):
        """Wait for a regex on a line after everything matched so far; returns the match.
        Fails with the console so far."""
        found, end = self._wait(pattern, timeout, lambda: self.cursor, "did not see")
        self.floor = end
        return found

    def seen(self, pattern, timeout=30):
        """Wait until `pattern` has appeared on a line not matched yet since the last
        `expect`, in any order with other `seen` lines: for lines of VMs running in parallel.
        Moves the cursor past the line it matched. Returns the match."""
        found, _ = self._wait(pattern, timeout, lambda: self.floor, "never saw")
        return found

    def tick_reached(self, vm, vcpu, n, timeout=30):
        """Wait until `vm` vCPU `vcpu` has printed its tick `n` (a whole line not matched yet,
        anywhere on the console: for vCPUs running in parallel with what was matched before).
        Moves the cursor past it. Returns the match."""
        found, _ = self._wait(tick_line(vm, vcpu, n), timeout, lambda: 0, "never saw")
        return found

    def ticks(self, vm, vcpu, timeout=30):
        """Wait for the next tick line of `vm` vCPU `vcpu` after the cursor; returns its number."""
        return int(self.expect(tick_line(vm, vcpu, r"(\d+)"), timeout=timeout).group(1))

    def wait_ticks(self, vm, vcpu, n, timeout=30):
        """The VM's timer keeps running after whatever was matched last: wait for tick lines
        of `vm` vCPU `vcpu` after the cursor, each numbered one more than the one before, at
        least `n` of them and on until `n` past every tick already read (matched or not).
        Returns the last tick number."""
        before = [int(t) for t in re.findall(tick_line(vm, vcpu, r"(\d+)"), self._complete())]
        goal = (max(before) if before else 0) + n
        last = self.ticks(vm, vcpu, timeout)
        count = 1
        while count < n or last < goal:
            now = self.ticks(vm, vcpu, timeout)
            assert now == last + 1, f"{vm} vcpu{vcpu}: tick {now} after tick {last}"
            last, count = now, count + 1
        return last

    def wait_exit(self, timeout=30):
        """Wait until QEMU ends by itself, reading the rest of its console; returns its exit
        status (124 if it ran into the run's own timeout)."""
        deadline = time.monotonic() + timeout
        while not self.eof:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"QEMU still running after {timeout} s; console:\n" + self.output()
                            + "\nQEMU stderr:\n" + self.stderr())
            self.read(min(left, 1.0))
        self.child.close()
        return self.child.exitstatus

    def send(self, text):
        self.child.send(text)

    def output(self):
        """Everything read so far, matched or not."""
        return self._console()

    def unread(self):
        """What was read after the cursor."""
        return self._console()[self.cursor:]

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


def tick_line(vm, vcpu, n=r"\d+"):
    """A whole tick line of `vm` vCPU `vcpu` (number `n`, a regex): `tick 3` is not `tick 30`."""
    return rf"\[{vm}\] vcpu{vcpu} tick {n}\r*\n"


def count_ticks(text, vm, vcpu):
    """How many complete tick lines of `vm` vCPU `vcpu` are in `text`."""
    return len(re.findall(tick_line(vm, vcpu), text))
