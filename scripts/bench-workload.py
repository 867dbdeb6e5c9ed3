#!/usr/bin/env python3
"""Workload overhead table of make bench (scripts/bench.sh, docs/bench.md).

Reads the console logs of the workload guest (guests/workload) run bare and
under Baohu in several configurations, each line

    workload <kernel>-<size>: ticks=<t> hz=<f> exits=<e> irqs=<i> sum=<checksum>

and writes a markdown table (run time relative to bare, exits into Baohu per
second of guest time), the figures for the baseline comparison, and a data
file for gnuplot (one row per kernel and size, one column per configuration).
"""
import argparse
import re
import sys

LINE = re.compile(r"workload (\S+)-(small|large): ticks=(\d+) hz=(\d+) exits=(\d+) irqs=(\d+) sum=([0-9a-f]+)")


def parse(path):
    runs = {}
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = LINE.search(line)
                if m:
                    k = f"{m.group(1)}-{m.group(2)}"
                    runs[k] = dict(ticks=int(m.group(3)), hz=int(m.group(4)), exits=int(m.group(5)),
                                   irqs=int(m.group(6)), sum=m.group(7))
    except OSError:
        pass
    return runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--platform", required=True)
    ap.add_argument("--log", action="append", default=[], help="name=path; the first is the reference (bare)")
    ap.add_argument("--figures", required=True, help="append 'key value' lines here")
    ap.add_argument("--dat", required=True, help="gnuplot data file to write")
    a = ap.parse_args()
    names, logs = [], {}
    for spec in a.log:
        n, p = spec.split("=", 1)
        names.append(n)
        logs[n] = parse(p)
    ref = names[0]
    if not logs[ref]:
        print(f"bench-workload: no workload lines in the {ref} log", file=sys.stderr)
        return 1
    missing = [n for n in names if not logs[n]]
    cfgs = [n for n in names[1:]]
    head = ["kernel, input", f"{ref} (ms of guest time)"] + [f"{c}: time / {ref}" for c in cfgs] + \
        [f"{c}: traps/s" for c in cfgs] + ["checksums"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    figs, dat = [], ["# kernel " + " ".join(cfgs)]
    for k, b in logs[ref].items():
        row = [k.replace("-", ", "), f"{b['ticks'] * 1000.0 / b['hz']:.2f}"]
        rel, tps, same = [], [], True
        for c in cfgs:
            r = logs[c].get(k)
            if not r:
                rel.append("-")
                tps.append("-")
                continue
            rel.append(f"{r['ticks'] / b['ticks']:.4f}")
            tps.append(f"{r['exits'] * r['hz'] / r['ticks']:.0f}")
            same &= r["sum"] == b["sum"]
            # The baseline keeps the large inputs: every configuration's time, solo's exits.
            if k.endswith("-large"):
                figs.append(f"work.{a.platform}.{k}.{c}.ticks {r['ticks']}")
                if c == cfgs[0]:
                    figs.append(f"work.{a.platform}.{k}.{c}.exits {r['exits']}")
        print("| " + " | ".join(row + rel + tps + ["same" if same else "**differ**"]) + " |")
        dat.append(k + " " + " ".join(x if x != "-" else "0" for x in rel))
    with open(a.figures, "a") as f:
        f.write("".join(x + "\n" for x in figs))
    with open(a.dat, "w") as f:
        f.write("\n".join(dat) + "\n")
    if missing:
        print(f"\nNo workload lines from: {', '.join(missing)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
