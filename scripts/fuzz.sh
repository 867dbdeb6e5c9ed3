#!/bin/sh
# Host fuzzing (libFuzzer) of Baohu's guest-facing decoders and emulations, and of the config tools.
#
#   scripts/fuzz.sh check           build every target, replay its regressions and corpus, then
#                                   fuzz it for FUZZ_SECONDS (default 30; 0: replay only);
#                                   non-zero exit on a crash
#   scripts/fuzz.sh long [target]   the same with FUZZ_SECONDS default 600, for one or all targets
#   scripts/fuzz.sh list            the target names
#
# Targets are tests/fuzz/fuzz_<target>.c, built into build/fuzz/. The committed seed corpus is
# tests/fuzz/corpus/<target>/ (read only here: what libFuzzer learns goes to build/fuzz/corpus/).
# Every input that ever crashed a target is kept in tests/fuzz/regressions/<target>/ and replayed
# first; a new crash is copied there for the developer to commit with the fix. One line per target:
#   fuzz <target>: N runs, ok | CRASH <file>
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/fuzz
mode=${1:-check}
only=${2:-}

case $mode in
check) seconds=${FUZZ_SECONDS:-30} ;;
long) seconds=${FUZZ_SECONDS:-600} ;;
list) make -s -C "$ROOT/tests/fuzz" list; exit 0 ;;
*) echo "usage: $0 check | long [target] | list" >&2; exit 2 ;;
esac

if ! command -v clang >/dev/null 2>&1; then
    echo "fuzz: clang not found (libFuzzer needs clang)" >&2
    exit 1
fi
targets=$(make -s -C "$ROOT/tests/fuzz" list)
if [ -n "$only" ]; then
    case " $targets " in
    *" $only "*) targets=$only ;;
    *) echo "fuzz: no target '$only' (have: $targets)" >&2; exit 2 ;;
    esac
fi
mkdir -p "$OUT"
bins=
for t in $targets; do bins="$bins $OUT/fuzz_$t"; done
# shellcheck disable=SC2086 # one make goal per word
make -s -C "$ROOT/tests/fuzz" O="$OUT" $bins >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; echo "fuzz: build failed" >&2; exit 1; }

# UB and ASan reports abort the input, so libFuzzer saves it as a crash.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# Copy a crashing input into the target's regressions; prints its new path.
keep() {
    t=$1 f=$2
    dir=$ROOT/tests/fuzz/regressions/$t
    mkdir -p "$dir"
    name=$(basename "$f")
    cp "$f" "$dir/$name"
    echo "tests/fuzz/regressions/$t/$name"
}

status=0
for t in $targets; do
    bin=$OUT/fuzz_$t
    log=$OUT/$t.log
    work=$OUT/corpus/$t
    art=$OUT/artifacts/$t
    seeds=$ROOT/tests/fuzz/corpus/$t
    regs=$ROOT/tests/fuzz/regressions/$t
    mkdir -p "$work" "$art" "$seeds"
    rm -f "$art"/*

    # 1. Every kept crash input, each run once: they must all pass now.
    failed=
    if [ -d "$regs" ] && [ -n "$(ls -A "$regs" 2>/dev/null)" ]; then
        for f in "$regs"/*; do
            if ! "$bin" -timeout=10 "$f" >"$log" 2>&1; then
                failed=$f
                break
            fi
        done
    fi
    if [ -n "$failed" ]; then
        echo "fuzz $t: 0 runs, CRASH ${failed#"$ROOT"/} (regression; log $log)"
        status=1
        continue
    fi

    # 2. The corpus (committed seeds + what earlier runs found) is replayed
    # as libFuzzer loads it, then the target is fuzzed until the time runs out.
    # FUZZ_SECONDS=0: the corpus is replayed and nothing more (libFuzzer's
    # -max_total_time=0 would mean no limit at all).
    if [ "$seconds" = 0 ]; then limit=-runs=0; else limit=-max_total_time=$seconds; fi
    # `check` gates CI: a fixed seed (FUZZ_SEED) makes it try the same inputs
    # in the same order on every run, as far as its time allows; `long` runs
    # draw a fresh seed each time.
    seed=-seed=0
    [ "$mode" = check ] && seed=-seed=${FUZZ_SEED:-1}
    "$bin" "$limit" "$seed" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
        -artifact_prefix="$art/" "$work" "$seeds" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    [ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -n 1)
    crash=$(find "$art" -type f | head -n 1)
    if [ $rc -ne 0 ] || [ -n "$crash" ]; then
        if [ -n "$crash" ]; then
            kept=$(keep "$t" "$crash")
            echo "fuzz $t: ${runs:-0} runs, CRASH $kept (log $log)"
        else
            echo "fuzz $t: ${runs:-0} runs, CRASH (exit $rc, no input saved; log $log)"
        fi
        status=1
    else
        echo "fuzz $t: ${runs:-0} runs, ok"
    fi
done
exit $status
