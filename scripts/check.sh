#!/usr/bin/env bash
# make check: the assurance tooling of issue 15 item 6, one step after another, each reported
# PASS/FAIL/SKIP, ending with one summary line (exit status non-zero if any step failed).
#   cppcheck     warnings/portability, per arch (aarch64, riscv64)
#   misra        cppcheck's MISRA C:2012 addon on every platform's sources; per-rule report in
#                build/check/misra.txt; fails on a violation not deviated in docs/misra-deviations.md
#   clang-tidy   bugprone-*, cert-*, clang-analyzer-* (.clang-tidy) on every src/ file, with the
#                flags the Makefile builds it with
#   unit-asan    the host unit tests built and run with AddressSanitizer + UBSan (required)
#   coverage     the host unit tests built with --coverage; line + branch coverage per file (gcovr)
#   fuzz         scripts/fuzz.sh check, when that script exists
#   mutation     scripts/mutate.sh, when that script exists
# Needs no root and no network; missing tools: scripts/ensure-tools.sh check prints the apt line.
# CHECK_STEPS="misra clang-tidy" runs only the steps named (for working on one of them).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=build/check
mkdir -p "$OUT"
JOBS=${CHECK_JOBS:-2}
PLATFORMS=(qemu-aarch64-virt qemu-aarch64-virt-gicv2 zcu102 qemu-riscv64-virt qemu-riscv64-virt-aia
           qemu-aarch64-virt-smp8 qemu-riscv64-virt-aia-smp8)
STEPS=${CHECK_STEPS:-cppcheck misra clang-tidy unit-asan coverage fuzz mutation}

if ! scripts/ensure-tools.sh check; then
    echo "check: tools missing (see the apt-get line above) — 1 failed"
    exit 1
fi

summary=()
failed=0
# report <step> PASS|FAIL|SKIP <summary words> [detail]
report() {
    echo "== $1: $2${4:+ ($4)}"
    summary+=("$3")
    [ "$2" = FAIL ] && failed=$((failed + 1))
    return 0
}
want() { [[ " $STEPS " == *" $1 "* ]]; }

# What the Makefile builds for a platform with clang: ARCH|CC|CFLAGS|C sources (asked from make
# itself, so this list cannot drift from the build). Not under the caller's make flags: a
# `make check CROSS_COMPILE=...` would otherwise hand GCC's flags to clang-tidy.
plat_vars() {
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory PLATFORM="$1" CROSS_COMPILE= \
        --eval 'print-check-vars: ; @echo "$(ARCH)|$(CC)|$(CFLAGS)|$(filter %.c,$(SRCS))"' \
        print-check-vars
}
declare -A P_ARCH P_CC P_CFLAGS P_SRCS
for p in "${PLATFORMS[@]}"; do
    IFS='|' read -r P_ARCH[$p] P_CC[$p] P_CFLAGS[$p] P_SRCS[$p] < <(plat_vars "$p")
    if [ -z "${P_SRCS[$p]}" ]; then
        echo "check: make could not list the sources of $p — 1 failed"
        exit 1
    fi
done
# The host-only validator (src/core/config_check.c) is built by the Makefile with these flags.
HOST_FLAGS="-std=c11 -DBAOHU_HOST -Iinclude -Isrc/core/include"

# --- cppcheck: as `make check` always ran it, now for both architectures -----------------------
if want cppcheck; then
    bad=()
    for arch in aarch64 riscv64; do
        cppcheck --quiet --enable=warning,portability --inline-suppr --error-exitcode=1 --std=c11 \
            -Iinclude -Isrc/core/include -Isrc/arch/$arch/include -Isrc/arch/$arch \
            src/core src/arch/$arch src/drivers > "$OUT/cppcheck-$arch.txt" 2>&1 || bad+=("$arch")
        cat "$OUT/cppcheck-$arch.txt"
    done
    if [ ${#bad[@]} -eq 0 ]; then report cppcheck PASS "cppcheck ok"
    else report cppcheck FAIL "cppcheck FAILED" "${bad[*]}"; fi
fi

# --- MISRA C:2012 --------------------------------------------------------------------------------
if want misra; then
    addon_dir=$(dirname "$(dpkg -L cppcheck | grep '/addons/misra.py$' | head -1)")
    # Without rule texts every violation has the same message, and cppcheck then keeps only one
    # violation per line whatever the rule: a stub file (one placeholder rule, no MISRA text) makes
    # the messages differ per rule, so no violation hides another.
    printf 'Appendix A Summary of guidelines\nRule 1.1 Required\nPlaceholder (MISRA rule texts are not shipped)\nAppendix B\n' \
        > "$OUT/misra-rule-texts.txt"
    printf '{"script": "%s/misra.py", "args": ["--rule-texts=%s/%s/misra-rule-texts.txt"]}\n' \
        "$addon_dir" "$ROOT" "$OUT" > "$OUT/misra.json"
    # One cppcheck run per platform, over exactly the files that platform links (so the
    # one-definition rules see one platform.c), plus the host-only validator; two at a time.
    run_misra() {
        local p=$1 incs
        incs=$(tr ' ' '\n' <<< "${P_CFLAGS[$p]}" | grep '^-I' | tr '\n' ' ')
        # shellcheck disable=SC2086
        # A build directory per platform: the runs share source files, and cppcheck's dump of a
        # file (which the addon reads) would otherwise be one file beside the source for both.
        mkdir -p "$OUT/misra-cache-$p"
        cppcheck --quiet --addon="$OUT/misra.json" --std=c11 --template='{file}:{line}: {id}' \
            --cppcheck-build-dir="$OUT/misra-cache-$p" $incs ${P_SRCS[$p]} src/core/config_check.c > "$OUT/misra-$p.log" 2>&1
        echo $? > "$OUT/misra-$p.rc"
    }
    n=0
    for p in "${PLATFORMS[@]}"; do
        run_misra "$p" &
        n=$((n + 1))
        [ $((n % JOBS)) -eq 0 ] && wait
    done
    wait
    rc=0
    for p in "${PLATFORMS[@]}"; do
        # Anything but a violation line (a crashed addon, a cppcheck error) fails the step.
        if [ "$(cat "$OUT/misra-$p.rc")" != 0 ] || grep -qv ': misra-c2012-[0-9.]*$' "$OUT/misra-$p.log"; then
            echo "misra: cppcheck failed on $p:"; grep -v ': misra-c2012-[0-9.]*$' "$OUT/misra-$p.log"; rc=1
        fi
    done
    cat "$OUT"/misra-*.log | grep ': misra-c2012-[0-9.]*$' | sed "s|^$ROOT/||" | sort -u > "$OUT/misra-raw.txt"
    /usr/bin/python3 - "$OUT/misra-raw.txt" docs/misra-deviations.md "$OUT/misra.txt" "${PLATFORMS[*]}" \
        > "$OUT/misra-result.txt" <<'EOF' || rc=1
# Compares the violations against the deviation table of docs/misra-deviations.md, the one
# source of the deviations: a row `| <rule> | <where: `glob`, ... or all> | <why> |`.
import collections, fnmatch, re, sys
raw, doc, out, platforms = sys.argv[1:5]
dev = {}
for line in open(doc):
    m = re.match(r'^\|\s*(\d+\.\d+)\s*\|([^|]*)\|([^|]*)\|', line)
    if not m:
        continue
    rule, where, why = m.group(1), m.group(2).strip(), m.group(3).strip()
    if not why:
        sys.exit(f'misra: deviation {rule} in {doc} gives no reason')
    globs = ['*'] if where == 'all' else re.findall(r'`([^`]+)`', where)
    if not globs:
        sys.exit(f'misra: deviation {rule} in {doc}: where is neither "all" nor `globs`')
    dev[rule] = globs
per_rule = collections.defaultdict(list)
for line in open(raw):
    f, ln, rid = line.strip().split(':')
    per_rule[rid.strip().removeprefix('misra-c2012-')].append((f, int(ln)))
undoc, rows = [], []
for rule in sorted(per_rule, key=lambda r: tuple(map(int, r.split('.')))):
    hits = per_rule[rule]
    out_of_scope = [h for h in hits if not any(fnmatch.fnmatch(h[0], g) for g in dev.get(rule, []))]
    state = 'UNDOCUMENTED' if rule not in dev else ('deviated' if not out_of_scope else 'OUTSIDE DEVIATION')
    undoc += [(rule, f, ln) for f, ln in out_of_scope]
    files = collections.Counter(f for f, _ in hits)
    rows.append(f'{rule:>6} {len(hits):6}  {state:18} ' + ', '.join(f'{f}({c})' for f, c in sorted(files.items())))
unused = sorted(set(dev) - set(per_rule), key=lambda r: tuple(map(int, r.split('.'))))
with open(out, 'w') as o:
    total = sum(len(v) for v in per_rule.values())
    o.write(f'MISRA C:2012, cppcheck misra addon, src/ as built for: {platforms}\n')
    o.write(f'{total} violations of {len(per_rule)} rules; {len(dev)} rules deviated in {doc}; '
            f'{len(undoc)} undocumented\n\n  rule  count  status             files\n')
    o.write('\n'.join(rows) + '\n')
    if unused:
        o.write('\ndeviations that no longer match any violation (remove them from the doc): '
                + ' '.join(unused) + '\n')
    if undoc:
        o.write('\nundocumented violations:\n' + ''.join(f'  {f}:{ln}: rule {r}\n' for r, f, ln in undoc))
print(f'{len(dev)} {len(undoc)} {len(unused)} {total}')
sys.exit(1 if undoc or unused else 0)
EOF
    cat "$OUT/misra.txt" 2>/dev/null
    read -r ndev nundoc nunused ntotal < "$OUT/misra-result.txt" 2>/dev/null || { ndev=?; nundoc=?; nunused=?; ntotal=?; }
    if [ $rc = 0 ]; then
        report misra PASS "misra ok ($ndev deviations)" "$ntotal deviated violations, report $OUT/misra.txt"
    else
        report misra FAIL "misra FAILED ($nundoc undocumented, $nunused stale deviations)" "$OUT/misra.txt"
    fi
fi

# --- clang-tidy ----------------------------------------------------------------------------------
if want clang-tidy; then
    # Each file once, with the flags of the first platform that builds it (-flto only matters to
    # the link). Every src/*.c must be covered: a file no platform builds is an error here.
    : > "$OUT/tidy-files.txt"
    declare -A seen
    for p in "${PLATFORMS[@]}"; do
        target=${P_CC[$p]#clang }
        for f in ${P_SRCS[$p]}; do
            [ -n "${seen[$f]:-}" ] && continue
            seen[$f]=1
            echo "$f ${target} ${P_CFLAGS[$p]/-flto/}" >> "$OUT/tidy-files.txt"
        done
    done
    echo "src/core/config_check.c $HOST_FLAGS" >> "$OUT/tidy-files.txt"
    seen[src/core/config_check.c]=1
    missing=$(find src -name '*.c' | sort | while read -r f; do [ -z "${seen[$f]:-}" ] && echo "$f"; done)
    # One line per file: clang-tidy <file> -- <flags>; two files at a time.
    # shellcheck disable=SC2016
    rm -f "$OUT/tidy-failed.txt" "$OUT"/tidy-src_*.log
    xargs -P "$JOBS" -L 1 sh -c 'f=$1; shift; clang-tidy --quiet --warnings-as-errors="*" \
            --header-filter="/(src|include)/" "$f" -- "$@" > "$0/tidy-$(echo "$f" | tr / _).log" 2>&1 ||
            echo "$f" >> "$0/tidy-failed.txt"' "$OUT" < "$OUT/tidy-files.txt"
    grep -h -A3 'warning:\|error:' "$OUT"/tidy-src_*.log | grep -v '^--$' > "$OUT/clang-tidy.txt"
    cat "$OUT/clang-tidy.txt"
    nfiles=$(wc -l < "$OUT/tidy-files.txt")
    if [ -n "$missing" ]; then
        report clang-tidy FAIL "clang-tidy FAILED" "no platform builds: $missing"
    elif [ -s "$OUT/tidy-failed.txt" ]; then
        report clang-tidy FAIL "clang-tidy FAILED" "$(tr '\n' ' ' < "$OUT/tidy-failed.txt")"
    else
        report clang-tidy PASS "clang-tidy ok" "$nfiles files"
    fi
fi

# --- unit tests under AddressSanitizer + UndefinedBehaviorSanitizer ------------------------------
if want unit-asan; then
    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    cc=${HOSTCC:-cc}
    # The sanitizers must be there and must work: a heap overflow (ASan) and a signed overflow
    # (UBSan) each have to stop a probe program, so this step cannot pass with them missing.
    printf '#include <limits.h>\n#include <stdlib.h>\nint main(int c, char **v){ (void)v;\n  if (c > 1) { int x = INT_MAX - 1; x += c; return x == 0; }\n  char *p = malloc(4); p[c + 3] = 1; free(p); return 0; }\n' \
        > "$OUT/asan-probe.c"
    : > "$OUT/asan-probe-run.log"
    if ! $cc $SAN "$OUT/asan-probe.c" -o "$OUT/asan-probe" > "$OUT/asan-probe.log" 2>&1; then
        report unit-asan FAIL "unit-asan FAILED" "$cc cannot build with $SAN: see $OUT/asan-probe.log"
    elif "$OUT/asan-probe" >> "$OUT/asan-probe-run.log" 2>&1 ||
            ! grep -q heap-buffer-overflow "$OUT/asan-probe-run.log"; then
        report unit-asan FAIL "unit-asan FAILED" "AddressSanitizer did not catch the probe's overflow"
    elif "$OUT/asan-probe" 1 >> "$OUT/asan-probe-run.log" 2>&1 ||
            ! grep -q 'runtime error: signed integer overflow' "$OUT/asan-probe-run.log"; then
        report unit-asan FAIL "unit-asan FAILED" "UBSan did not catch the probe's signed overflow"
    else
        # SANITIZE on the command line overrides the unit Makefile's detection: required, not optional.
        status=0 passed=0 failures=()
        if ! make --no-print-directory -C tests/unit O="$ROOT/$OUT/asan" HOSTCC="$cc" SANITIZE="$SAN" \
                -j"$JOBS" all > "$OUT/unit-asan-build.log" 2>&1; then
            status=1; failures+=("build")
            tail -20 "$OUT/unit-asan-build.log"
        fi
        : > "$OUT/unit-asan.log"
        for t in "$OUT"/asan/test_*; do
            [ -x "$t" ] || continue
            if ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                    timeout 120 "$t" >> "$OUT/unit-asan.log" 2>&1; then
                passed=$((passed + 1))
            else
                status=1; failures+=("$(basename "$t")")
            fi
        done
        if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$OUT/unit-asan.log"; then
            status=1; grep -B2 -A10 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$OUT/unit-asan.log" | head -60
        fi
        if [ $status = 0 ]; then report unit-asan PASS "unit-asan ok" "$passed binaries"
        else report unit-asan FAIL "unit-asan FAILED" "${failures[*]}; log $OUT/unit-asan.log"; fi
    fi
fi

# --- coverage of the host unit tests -------------------------------------------------------------
if want coverage; then
    cov="$OUT/cov"
    rm -rf "$cov"
    # GCC's --coverage (in place of the sanitizers, which distort branch counts) with gcov from
    # the same GCC.
    # Atomic counter updates: the race tests run two threads through the same code, and
    # racing plain increments leave negative branch counts that gcovr cannot parse.
    if ! make --no-print-directory -C tests/unit O="$ROOT/$cov" HOSTCC=gcc \
            SANITIZE="--coverage -fprofile-update=atomic" \
            -j"$JOBS" all > "$OUT/coverage-build.log" 2>&1; then
        tail -20 "$OUT/coverage-build.log"
        report coverage FAIL "coverage FAILED" "unit tests do not build with --coverage"
    else
        cstatus=0
        ( cd "$cov" && for t in ./test_*; do
              [[ $t == *.gc* ]] && continue
              timeout 120 "$t" > /dev/null 2>&1 || echo "$t"
          done ) \
            > "$OUT/coverage-failed.txt"
        [ -s "$OUT/coverage-failed.txt" ] && cstatus=1
        common=(-r "$ROOT" --object-directory "$cov" --filter "$ROOT/src/" --gcov-executable gcov)
        gcovr "${common[@]}" --txt "$OUT/coverage-lines.txt" --json-summary "$OUT/coverage.json" \
            > "$OUT/gcovr.log" 2>&1 || cstatus=1
        gcovr "${common[@]}" --branches --txt "$OUT/coverage-branches.txt" >> "$OUT/gcovr.log" 2>&1 || cstatus=1
        find src -name '*.c' | sort > "$OUT/coverage-all-sources.txt"
        /usr/bin/python3 - "$OUT/coverage.json" "$OUT/coverage.txt" "$OUT/coverage-all-sources.txt" \
            > "$OUT/coverage-total.txt" <<'EOF' || cstatus=1
# One table: line and branch coverage per src/ file, then the totals; then the src/ files no
# unit test builds or that have no executable lines (tables only): no figure for them.
import json, sys
s = json.load(open(sys.argv[1]))
untested = sorted(set(open(sys.argv[3]).read().split()) - {f['filename'] for f in s['files']})
def pct(c, t):
    return f'{100.0 * c / t:5.1f}%' if t else '    -'
rows = [f'{"file":44} {"lines":>16} {"branches":>16}']
for f in sorted(s['files'], key=lambda f: f['filename']):
    rows.append(f'{f["filename"]:44} {pct(f["line_covered"], f["line_total"])} {f["line_covered"]:4}/{f["line_total"]:<4}'
                f' {pct(f["branch_covered"], f["branch_total"])} {f["branch_covered"]:4}/{f["branch_total"]:<4}')
rows.append(f'{"TOTAL (files the unit tests build)":44} {pct(s["line_covered"], s["line_total"])} {s["line_covered"]:4}/{s["line_total"]:<4}'
            f' {pct(s["branch_covered"], s["branch_total"])} {s["branch_covered"]:4}/{s["branch_total"]:<4}')
rows.append(f'\n{len(untested)} src/ files with no figure (no unit test builds them, or no executable lines): ' + ' '.join(untested))
open(sys.argv[2], 'w').write('\n'.join(rows) + '\n')
print('\n'.join(rows), file=sys.stderr)
print(f'{round(s["line_percent"])} {round(s["branch_percent"])}')
EOF
        read -r lp bp < "$OUT/coverage-total.txt" 2>/dev/null || { lp=?; bp=?; }
        if [ $cstatus = 0 ]; then
            report coverage PASS "coverage ${lp}% lines ${bp}% branches" "$OUT/coverage.txt"
        else
            report coverage FAIL "coverage FAILED" "$(tr '\n' ' ' < "$OUT/coverage-failed.txt")see $OUT/gcovr.log"
        fi
    fi
fi

# --- fuzzing and mutation: other scripts, run when present ---------------------------------------
# run_other <step> <script> [args]: PASS/FAIL by exit status; a "N/M" or "N%" on the script's
# last line goes into the summary.
run_other() {
    local step=$1 script=$2; shift 2
    if [ ! -e "$script" ]; then
        report "$step" SKIP "$step skipped" "$script not present"
        return
    fi
    bash "$script" "$@" 2>&1 | tee "$OUT/$step.log"
    local rc=${PIPESTATUS[0]} figure
    figure=$(tail -1 "$OUT/$step.log" | grep -oE '[0-9]+(\.[0-9]+)?% *(\([0-9]+/[0-9]+\))?|[0-9]+/[0-9]+' | head -1)
    if [ "$rc" = 0 ]; then report "$step" PASS "$step ${figure:-ok}"
    else report "$step" FAIL "$step FAILED${figure:+ $figure}" "exit $rc, log $OUT/$step.log"; fi
}
want fuzz && run_other fuzz scripts/fuzz.sh check
want mutation && run_other mutation scripts/mutate.sh

line=""
for s in "${summary[@]}"; do line+="${line:+, }$s"; done
echo "check: $line — $failed failed"
[ $failed = 0 ]
