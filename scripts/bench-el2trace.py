#!/usr/bin/env python3
"""EL2 instructions per exit, by exit cause, from QEMU's execution log.

Runs QEMU once (a Baohu image under -icount) with
    -d exec,nochain,in_asm,int -dfilter <Baohu's .text>
writing the log into a pipe (nothing big on disk), and attributes every
executed EL2 instruction to
  - an exit: from a "Taking exception ... from EL1 to EL2" (the cause: IRQ,
    trapped MSR/MRS with the system register, HVC, data abort...) to the next
    "Exception return from AArch64 EL2",
  - and to the function holding the translated block's first instruction
    (symbols from llvm-nm/nm of baohu.elf).

Instruction counts per translated block come from the in_asm log of its
translation, matched to the next exec line for that PC (QEMU executes a block
right after translating it). Two corrections keep the count equal to what
icount counts: "Stopped execution of TB chain before <tb>" (the block exited
at its start: nothing ran) and "cpu_io_recompile: rewound execution of TB to
<pc>" (an MMIO access not at the end of a block: the block ran up to that
instruction, which then runs again in a one-instruction block).

Writes <out>.md (summary per cause, top functions) and <out>-<cause>.txt (the
median exit of each cause, function by function, in execution order).
Prints the summary; exits non-zero if QEMU printed no "probe done".
"""
import argparse
import bisect
import collections
import os
import re
import shutil
import signal
import subprocess
import sys
import threading

SYSREGS = {  # (op0, op1, CRn, CRm, op2) -> name
    (3, 0, 12, 11, 5): "ICC_SGI1R_EL1",
    (3, 1, 12, 11, 6): "ICC_ASGI1R_EL1",
    (3, 2, 12, 11, 7): "ICC_SGI0R_EL1",
    (3, 0, 1, 0, 1): "ACTLR_EL1",
}
EC_NAMES = {0x01: "WFx", 0x16: "HVC", 0x17: "SMC", 0x18: "MSR/MRS", 0x24: "data abort",
            0x20: "instruction abort", 0x00: "unknown"}

TRACE_RE = re.compile(r"^Trace (\d+): (0x[0-9a-f]+) \[[0-9a-f]+/([0-9a-f]+)/[0-9a-f]+/([0-9a-f]+)\]")
TAKE_RE = re.compile(r"^Taking exception (\d+) \[([^\]]*)\] on CPU (\d+)")
FROM_RE = re.compile(r"^\.\.\.from EL(\d) to EL(\d)")
ESR_RE = re.compile(r"^\.\.\.with ESR 0x([0-9a-f]+)/0x([0-9a-f]+)")
FAR_RE = re.compile(r"^\.\.\.with FAR 0x([0-9a-f]+)")
TOPC_RE = re.compile(r"^\.\.\.to EL2 PC 0x([0-9a-f]+)")
INSN_RE = re.compile(r"^0x([0-9a-f]+):")
REWOUND_RE = re.compile(r"^cpu_io_recompile: rewound execution of TB to ([0-9a-f]+)")
STOPPED_RE = re.compile(r"^Stopped execution of TB chain before (0x[0-9a-f]+)")


def symbols(elf):
    nm = shutil.which("llvm-nm") or shutil.which("aarch64-linux-gnu-nm") or "nm"
    out = subprocess.run([nm, "-n", "--defined-only", elf], check=True,
                         capture_output=True, text=True).stdout
    addrs, names = [], []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tTwW":
            addrs.append(int(f[0], 16))
            names.append(f[2])
    return addrs, names


def text_range(elf):
    ro = shutil.which("llvm-readelf") or shutil.which("aarch64-linux-gnu-readelf") or "readelf"
    out = subprocess.run([ro, "-SW", elf], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.replace("[", " ").replace("]", " ").split()
        if ".text" in f:
            i = f.index(".text")
            addr, size = int(f[i + 2], 16), int(f[i + 4], 16)
            return addr, addr + size
    raise SystemExit("el2trace: no .text in " + elf)


class Exit:
    __slots__ = ("cpu", "kind", "ec", "iss", "far", "vector", "insns", "funcs", "seq", "nested", "blocks")

    def __init__(self, cpu, kind):
        self.cpu, self.kind = cpu, kind
        self.ec = self.iss = self.far = self.vector = None
        self.insns = 0
        self.funcs = collections.Counter()
        self.seq = []  # [function, instructions] runs in execution order
        self.nested = 0
        self.blocks = collections.Counter()  # block start pc -> instructions

    def add(self, fn, n, pc):
        self.insns += n
        self.blocks[pc] += n
        self.funcs[fn] += n
        if self.seq and self.seq[-1][0] == fn:
            self.seq[-1][1] += n
        else:
            self.seq.append([fn, n])

    def cause(self):
        if self.kind == "IRQ":
            return "IRQ"
        if self.ec is None:
            return self.kind
        name = EC_NAMES.get(self.ec, "EC 0x%x" % self.ec)
        if self.ec == 0x18:
            iss = self.iss
            key = ((iss >> 20) & 3, (iss >> 14) & 7, (iss >> 10) & 15, (iss >> 1) & 15, (iss >> 17) & 7)
            reg = SYSREGS.get(key, "S%d_%d_C%d_C%d_%d" % key)
            return "%s %s" % ("MRS" if iss & 1 else "MSR", reg)
        if self.ec == 0x24 and self.far is not None:
            return "%s 0x%x" % (name, self.far)
        return name


class Analyzer:
    def __init__(self, elf):
        self.addrs, self.names = symbols(elf)
        self.vbar = None
        self.sizes = {}      # TB host pointer -> instructions
        self.pending = {}    # pc -> instructions of its newest translation, not yet executed
        self.open = {}       # cpu -> Exit
        self.exits = []
        self.outside = collections.Counter()  # boot, idle loops: EL2 work in no exit
        self.last = None     # (cpu, ptr, pc, counted, exit-or-None, fn)
        self.cpu = 0
        self.take = None     # (cpu, kind) of the exception being logged
        self.new = None      # Exit just opened (for its ESR/FAR lines)
        self.in_block = None
        self.unknown_tbs = 0

    def fn(self, pc):
        if self.vbar is not None and self.vbar <= pc < self.vbar + 0x800:
            return "vectors+0x%03x" % ((pc - self.vbar) & ~0x7f)
        i = bisect.bisect_right(self.addrs, pc) - 1
        return self.names[i] if i >= 0 else "0x%x" % pc

    def charge(self, cpu, ex, fn, n, pc):
        if ex is not None:
            ex.add(fn, n, pc)
        else:
            self.outside[fn] += n

    def line(self, s):
        if self.in_block is not None:
            m = INSN_RE.match(s)
            if m:
                if self.in_block[0] is None:
                    self.in_block[0] = int(m.group(1), 16)
                self.in_block[1] += 1
                return
            if self.in_block[0] is not None:
                self.pending[self.in_block[0]] = self.in_block[1]
            self.in_block = None
        if s.startswith("Trace "):
            m = TRACE_RE.match(s)
            if not m:
                return
            cpu, ptr, pc = int(m.group(1)), m.group(2), int(m.group(3), 16)
            if pc in self.pending:
                self.sizes[ptr] = self.pending.pop(pc)
            n = self.sizes.get(ptr)
            if n is None:
                self.unknown_tbs += 1
                n = 1
            self.cpu = cpu
            ex = self.open.get(cpu)
            fn = self.fn(pc)
            self.charge(cpu, ex, fn, n, pc)
            self.last = (cpu, ptr, pc, n, ex, fn)
            return
        if s.startswith("IN:"):
            self.in_block = [None, 0]
            return
        if s.startswith("Taking exception"):
            m = TAKE_RE.match(s)
            self.take = (int(m.group(3)), m.group(2)) if m else None
            self.new = None
            return
        if s.startswith("...from EL"):
            m = FROM_RE.match(s)
            if m and self.take:
                cpu, kind = self.take
                src, dst = int(m.group(1)), int(m.group(2))
                if dst == 2 and src < 2:
                    ex = Exit(cpu, "IRQ" if kind == "IRQ" else kind)
                    self.open[cpu] = ex
                    self.exits.append(ex)
                    self.new = ex
                elif dst == 2 and src == 2 and cpu in self.open:
                    self.open[cpu].nested += 1
            return
        if s.startswith("...with ESR") and self.new is not None:
            m = ESR_RE.match(s)
            if m:
                self.new.ec = int(m.group(1), 16)
                self.new.iss = int(m.group(2), 16) & 0x1ffffff
            return
        if s.startswith("...with FAR") and self.new is not None:
            m = FAR_RE.match(s)
            if m:
                self.new.far = int(m.group(1), 16)
            return
        if s.startswith("...to EL2 PC") and self.new is not None:
            m = TOPC_RE.match(s)
            if m:
                self.new.vector = int(m.group(1), 16)
                if self.vbar is None:
                    self.vbar = self.new.vector & ~0x7ff
            return
        if s.startswith("Exception return from AArch64 EL2"):
            self.open.pop(self.cpu, None)
            return
        if s.startswith("cpu_io_recompile"):
            m = REWOUND_RE.match(s)
            if m and self.last:
                cpu, ptr, pc, n, ex, fn = self.last
                ran = (int(m.group(1), 16) - pc) // 4
                if 0 <= ran < n:
                    self.charge(cpu, ex, fn, ran - n, pc)
                    self.last = (cpu, ptr, pc, ran, ex, fn)
            return
        if s.startswith("Stopped execution"):
            m = STOPPED_RE.match(s)
            if m and self.last and self.last[1] == m.group(1):
                cpu, ptr, pc, n, ex, fn = self.last
                self.charge(cpu, ex, fn, -n, pc)
                self.last = (cpu, ptr, pc, 0, ex, fn)
            return


def source_lines(elf, pcs):
    a2l = shutil.which("llvm-addr2line") or shutil.which("aarch64-linux-gnu-addr2line")
    if not a2l or not pcs:
        return {}
    r = subprocess.run([a2l, "-e", elf] + ["0x%x" % pc for pc in pcs],
                       capture_output=True, text=True)
    root = os.getcwd() + "/"
    lines = [l.replace(root, "") for l in r.stdout.splitlines()]
    return dict(zip(pcs, lines)) if len(lines) == len(pcs) else {}


def stats(v):
    v = sorted(v)
    return v[0], v[len(v) // 2], v[-1]


def median_exit(exits):
    return sorted(exits, key=lambda e: e.insns)[len(exits) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--elf", required=True)
    ap.add_argument("--out", required=True, help="output prefix, e.g. build/bench/el2-ipi")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--title", default="")
    ap.add_argument("--name", action="append", default=[],
                    help="CPU:CAUSE=LABEL, e.g. '1:IRQ=IPI receive'")
    ap.add_argument("qemu", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    qemu = [x for x in a.qemu if x != "--"]
    lo, hi = text_range(a.elf)
    an = Analyzer(a.elf)
    labels = {}
    for n in a.name:
        k, _, v = n.partition("=")
        labels[k] = v

    r, w = os.pipe()
    cmd = qemu + ["-kernel", a.elf, "-d", "exec,nochain,in_asm,int",
                  "-dfilter", "0x%x..0x%x" % (lo, hi - 1), "-D", "/dev/fd/%d" % w]
    console = open(a.out + "-console.txt", "wb")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT,
                         pass_fds=[w], start_new_session=True)
    os.close(w)
    timer = threading.Timer(a.timeout, lambda: os.killpg(p.pid, signal.SIGKILL))
    timer.start()
    with os.fdopen(r, "r", errors="replace", buffering=1 << 20) as log:
        for s in log:
            an.line(s)
    p.wait()
    timer.cancel()
    console.close()
    text = open(a.out + "-console.txt", "rb").read().decode(errors="replace")
    if "probe done" not in text:
        print("el2trace: no 'probe done' from %s (see %s-console.txt)" % (a.elf, a.out), file=sys.stderr)
        return 1

    groups = collections.OrderedDict()
    for ex in an.exits:
        groups.setdefault((str(ex.cpu), ex.cause()), []).append(ex)
    # Rare unlabelled causes (start-up MMIO to the vGIC...) share one row per kind.
    merged = collections.OrderedDict()
    for (cpu, cause), exits in groups.items():
        if len(exits) >= 10 or "%s:%s" % (cpu, cause) in labels:
            merged[(cpu, cause)] = exits
            continue
        kind = cause.split(" 0x")[0]
        key = next((k for k in merged if k[1].startswith(kind + " (") and k[0] == "*"), None)
        if key is None:
            key = ("*", kind + " (rare)")
            merged[key] = []
        merged[key].extend(exits)
    groups = merged
    md = ["EL2 instructions per exit%s, from `-d exec,nochain,in_asm,int` (%s; %d exits)." %
          (" (" + a.title + ")" if a.title else "", os.path.basename(os.path.dirname(a.elf)) or a.elf,
           len(an.exits)), "",
          "| CPU | exit cause | exits | EL2 instructions min / median / max | top functions (instructions per exit) |",
          "|---|---|---|---|---|"]
    summary = {}
    for (cpu, cause), exits in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        mn, med, mx = stats([e.insns for e in exits])
        total = collections.Counter()
        for e in exits:
            total.update(e.funcs)
        top = ", ".join("%s %.0f" % (f, c / len(exits)) for f, c in total.most_common(6))
        label = labels.get("%s:%s" % (cpu, cause))
        md.append("| %s | %s%s | %d | %d / %d / %d | %s |" % (
            cpu, cause, " (**%s**)" % label if label else "", len(exits), mn, med, mx, top))
        if label:
            summary[label] = (len(exits), mn, med, mx)
            e = median_exit(exits)
            fname = "%s-%s.txt" % (a.out, re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-"))
            with open(fname, "w") as f:
                f.write("# median %s exit on CPU %s (%s): %d EL2 instructions\n" % (label, cpu, cause, e.insns))
                f.write("# function runs in execution order (instructions)\n")
                for fn, n in e.seq:
                    f.write("%6d  %s\n" % (n, fn))
                f.write("\n# per function, this exit\n")
                for fn, n in e.funcs.most_common():
                    f.write("%6d  %s\n" % (n, fn))
                hot = [pc for pc, n in e.blocks.most_common(15) if n > 0]
                src = source_lines(a.elf, hot)
                f.write("\n# hottest translated blocks, this exit (instructions, start pc, function, source)\n")
                for pc in hot:
                    f.write("%6d  0x%x  %s  %s\n" % (e.blocks[pc], pc, an.fn(pc), src.get(pc, "")))
    md.append("")
    md.append("EL2 instructions outside any exit (boot, VM build, idle loops, vCPU start): %d." %
              sum(an.outside.values()))
    if an.unknown_tbs:
        md.append("Blocks without a logged translation (counted as 1 instruction): %d." % an.unknown_tbs)
    with open(a.out + ".md", "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))
    with open(a.out + ".tsv", "w") as f:
        for label, (n, mn, med, mx) in summary.items():
            f.write("%s\t%d\t%d\t%d\t%d\n" % (label, n, mn, med, mx))
    return 0


if __name__ == "__main__":
    sys.exit(main())
