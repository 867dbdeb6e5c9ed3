#!/usr/bin/env bash
# Runs every test (host unit tests, then QEMU integration tests) and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh test || exit 1
mkdir -p build/test
passed=0
failed=0

# Unit tests: cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)".
make --no-print-directory -C tests/unit O="$PWD/build/test/unit" run 2>&1 | tee build/test/unit.log
unit_rc=${PIPESTATUS[0]}
p=$(grep -E '^\[  PASSED  \] [0-9]+ test' build/test/unit.log | awk '{s+=$4} END {print s+0}')
f=$(grep -E '^\[  FAILED  \] [0-9]+ test' build/test/unit.log | awk '{s+=$4} END {print s+0}')
passed=$((passed + p))
failed=$((failed + f))
if [ "$unit_rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "unit test build failed" >&2
    failed=$((failed + 1))
fi

# Integration tests: pytest builds what each test needs through make.
/usr/bin/python3 -m pytest -v tests/integration -p no:cacheprovider 2>&1 | tee build/test/integration.log
p=$(grep -Eo '[0-9]+ passed' build/test/integration.log | tail -1 | awk '{print $1}')
f=$(grep -Eo '[0-9]+ (failed|error)' build/test/integration.log | awk '{s+=$1} END {print s+0}')
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
if [ -z "${p:-}" ] && [ "${f:-0}" -eq 0 ]; then
    echo "integration tests did not run" >&2
    failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
