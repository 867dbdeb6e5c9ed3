"""`make debug` (Makefile): QEMU halted with its gdb stub, and gdb-multiarch in batch mode attaching
to it, stopping at a breakpoint in Baohu and reading Baohu's and the config's symbols."""
import os
import re
import socket
import subprocess
import time

import pexpect
import pytest

from conftest import ROOT, build


def listening(port):
    """True once something listens on 127.0.0.1:port (/proc/net/tcp: state 0A is LISTEN)."""
    with open("/proc/net/tcp") as f:
        for line in f.readlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if int(local.split(":")[1], 16) == port and state == "0A":
                return True
    return False


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("platform", ["qemu-aarch64-virt", "qemu-riscv64-virt"])
def test_make_debug_attaches_and_stops_at_a_breakpoint(platform):
    elf = build(platform, "demo")
    port = free_port()
    qemu = pexpect.spawn("timeout", ["--kill-after=5", "120", "make", "-s", f"PLATFORM={platform}",
                                     "CONFIG=demo", f"GDB_PORT={port}", "debug"],
                         cwd=ROOT, encoding="utf-8", codec_errors="replace", timeout=60)
    try:
        qemu.expect(rf"Attach with: gdb-multiarch -ex 'target remote :{port}' (\S+)\r*\n")
        assert os.path.samefile(qemu.match.group(1), elf)
        deadline = time.monotonic() + 60
        while not listening(port):
            assert time.monotonic() < deadline, "QEMU's gdb stub never listened"
            time.sleep(0.2)
        # Halted: Baohu has printed nothing yet.
        with pytest.raises(pexpect.TIMEOUT):
            qemu.expect(r"\[baohu\]", timeout=2)
        gdb = subprocess.run(
            ["timeout", "60", "gdb-multiarch", "-batch", "-nx", "-ex", "set confirm off",
             "-ex", f"target remote 127.0.0.1:{port}", "-ex", "break core_cpu_main",
             "-ex", "continue", "-ex", "print vms[0].name",
             "-ex", "kill", elf],
            cwd=ROOT, capture_output=True, text=True)
        out = gdb.stdout + gdb.stderr
        assert re.search(r"Breakpoint 1, core_cpu_main \(cpu=\d\)", out), out
        # The config's `vms` is the only one (Baohu's own table, whose names are still unset
        # before the VMs are built, has a name of its own).
        assert re.search(r'\$1 = 0x[0-9a-f]+ "rtos"', out), out
        # Baohu had booted up to the breakpoint: its first line is on the console.
        qemu.expect(r"\[baohu\] Baohu on " + platform)
    finally:
        qemu.close(force=True)
