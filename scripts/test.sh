#!/usr/bin/env bash
# Runs every test (host unit tests, then QEMU integration tests) and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh test || exit 1
mkdir -p build/test
passed=0
failed=0

# Unit tests: cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)". Each binary
# is built on its own (one that does not build costs one failure, not every unit test) and runs
# under a timeout; one that exits non-zero without a cmocka verdict (a crash, a hang) is a failure.
UNIT_O="$PWD/build/test/unit"
: > build/test/unit.log
for src in tests/unit/test_*.c; do
    name=$(basename "$src" .c)
    if ! make --no-print-directory -C tests/unit O="$UNIT_O" "$UNIT_O/$name" >> build/test/unit.log 2>&1; then
        echo "$name: does not build" | tee -a build/test/unit.log >&2
        failed=$((failed + 1))
        continue
    fi
    echo "== $name" >> build/test/unit.log
    timeout --kill-after=10 120 "$UNIT_O/$name" > build/test/unit-run.log 2>&1
    rc=$?
    cat build/test/unit-run.log | tee -a build/test/unit.log
    p=$(grep -E '^\[  PASSED  \] [0-9]+ test' build/test/unit-run.log | awk '{s+=$4} END {print s+0}')
    f=$(grep -E '^\[  FAILED  \] [0-9]+ test' build/test/unit-run.log | awk '{s+=$4} END {print s+0}')
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        [ "$rc" -eq 124 ] && why="timed out after 120 s" || why="exited with status $rc"
        echo "$name: $why without a test failure reported" | tee -a build/test/unit.log >&2
        failed=$((failed + 1))
    fi
done

# Integration tests: pytest builds what each test needs through make.
/usr/bin/python3 -m pytest -v tests/integration -p no:cacheprovider 2>&1 | tee build/test/integration.log
pytest_rc=${PIPESTATUS[0]}
# The summary line only ("N failed, M passed in ..."): test names may contain the words.
summary=$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' build/test/integration.log | tail -1)
p=$(echo "$summary" | grep -Eo '[0-9]+ passed' | awk '{print $1}')
f=$(echo "$summary" | grep -Eo '[0-9]+ (failed|errors?)' | awk '{s+=$1} END {print s+0}')
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ -z "${p:-}" ] && [ "${f:-0}" -eq 0 ]; then
    echo "integration tests did not run" >&2
    failed=$((failed + 1))
elif [ "$pytest_rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
    # Interrupted, or an internal error: what ran is not the whole suite.
    echo "pytest exited with status $pytest_rc without a failure counted" >&2
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
