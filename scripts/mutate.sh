#!/usr/bin/env bash
# Mutation check of the host unit tests: applies each small mutation of
# tests/mutations.txt to a copy of the tree (build/mutate/tree; the working
# tree is never edited), rebuilds the unit tests that compile the mutated
# file and runs them under a timeout. A mutation is killed when one of them
# fails (or hangs). Prints "mutation: K/N killed (P%)" and the survivors;
# exits non-zero below 100%, and with status 2 if the list no longer matches
# the sources (each pattern must occur exactly once in its file).
#
# Usage: scripts/mutate.sh [substring]   (only mutations whose line contains it)
# Environment: MUTATE_TIMEOUT (seconds per test binary, 20), MUTATE_SANITIZE=1.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIST=${MUTATIONS:-$ROOT/tests/mutations.txt}
WORK=$ROOT/build/mutate
TREE=$WORK/tree
OUT=$WORK/out
TIMEOUT=${MUTATE_TIMEOUT:-20}
FILTER=${1:-}

# Lines: file @@ pattern @@ replacement @@ reason ('#' comments, blank lines skipped);
# \n in a pattern or replacement stands for a newline (and the next line's indent).
mkdir -p "$ROOT/build"
SEL=$ROOT/build/mutate.list
# A snapshot: the list may be edited while a run goes on.
NAME=${LIST#"$ROOT"/}
cp "$LIST" "$ROOT/build/mutations.snapshot"
LIST=$ROOT/build/mutations.snapshot
python3 - "$LIST" "$ROOT" "$FILTER" "$NAME" >"$SEL" <<'PY' || { echo "mutation: $NAME does not match the sources" >&2; exit 2; }
import sys
lst, root, flt, name = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
bad = 0
n = 0
for lineno, line in enumerate(open(lst), 1):
    s = line.rstrip('\n')
    if not s.strip() or s.lstrip().startswith('#'):
        continue
    parts = [p.strip() for p in s.split('@@')]
    if len(parts) != 4 or not parts[1] or not parts[3]:
        print(f"{name}:{lineno}: want 'file @@ pattern @@ replacement @@ reason'", file=sys.stderr)
        bad = 1
        continue
    f, pat, rep, why = parts
    pat, rep = pat.replace('\\n', '\n'), rep.replace('\\n', '\n')
    try:
        text = open(f"{root}/{f}").read()
    except OSError as e:
        print(f"{name}:{lineno}: {e}", file=sys.stderr)
        bad = 1
        continue
    c = text.count(pat)
    if c != 1:
        print(f"{name}:{lineno}: pattern occurs {c} times in {f} (want exactly 1): {pat}", file=sys.stderr)
        bad = 1
        continue
    if pat == rep:
        print(f"{name}:{lineno}: replacement equals the pattern", file=sys.stderr)
        bad = 1
        continue
    if flt and flt not in s:
        continue
    n += 1
    print(f"{lineno}\t{f}\t{why}")
sys.exit(2 if bad else 0)
PY
mapfile -t ENTRIES <"$SEL"
[ ${#ENTRIES[@]} -gt 0 ] || { echo "mutation: no mutations selected" >&2; exit 2; }

rm -rf "$WORK"
mkdir -p "$TREE" "$OUT"
cp -a "$ROOT/src" "$ROOT/include" "$TREE/"
mkdir -p "$TREE/tests"
cp -a "$ROOT/tests/unit" "$TREE/tests/"
MK=(make -s -C "$TREE/tests/unit" O="$OUT")
# Without the sanitizers by default: the builds take a third of the time, and a
# mutation is to be caught by a test's assertions (MUTATE_SANITIZE=1 keeps them).
[ -n "${MUTATE_SANITIZE:-}" ] || MK+=(SANITIZE=)
MK+=(OPT=-O0)

# The tests that compile each mutated file, asked of the Makefile once per file.
declare -A TESTS_FOR=()
for e in "${ENTRIES[@]}"; do
    IFS=$'\t' read -r _ file _ <<<"$e"
    [ -n "${TESTS_FOR[$file]+set}" ] || TESTS_FOR[$file]=$("${MK[@]}" tests-for F="$file")
done
tests_for() { echo "${TESTS_FOR[$1]}"; }

# Every test a mutation would run must pass on the unmutated copy first.
declare -A BASE_DONE=()
for e in "${ENTRIES[@]}"; do
    IFS=$'\t' read -r _ file _ <<<"$e"
    for t in $(tests_for "$file"); do
        [ -n "${BASE_DONE[$t]:-}" ] && continue
        BASE_DONE[$t]=1
        if ! "${MK[@]}" "$OUT/test_$t" >"$WORK/base.log" 2>&1 ||
            ! timeout "$TIMEOUT" "$OUT/test_$t" >>"$WORK/base.log" 2>&1; then
            echo "mutation: test_$t fails without any mutation (see $WORK/base.log)" >&2
            exit 2
        fi
    done
done

# The test that killed each mutation last time (keyed by the mutation's
# text) runs first: most mutations then cost one build.
KILLERS=$ROOT/build/mutate-killers.txt
touch "$KILLERS"
NEW_KILLERS=$WORK/killers.txt
: >"$NEW_KILLERS"

killed=0
total=0
survivors=()
for e in "${ENTRIES[@]}"; do
    IFS=$'\t' read -r lineno file why <<<"$e"
    total=$((total + 1))
    key=$(sed -n "${lineno}p" "$LIST" | md5sum | cut -c1-16)
    tests=$(tests_for "$file")
    first=$(awk -v k="$key" '$1 == k { print $2 }' "$KILLERS")
    if [ -n "$first" ] && [[ " $tests " == *" $first "* ]]; then
        tests="$first $(echo $tests | tr ' ' '\n' | grep -vx "$first" | tr '\n' ' ')"
    fi
    if [ -z "$tests" ]; then
        survivors+=("${NAME##*/}:$lineno $file: $why (no unit test compiles this file)")
        continue
    fi
    cp -a "$TREE/$file" "$WORK/unmutated"
    python3 - "$LIST" "$lineno" "$TREE" <<'PY'
import sys
line = open(sys.argv[1]).read().split('\n')[int(sys.argv[2]) - 1]
f, pat, rep, _ = [p.strip().replace('\\n', '\n') for p in line.split('@@')]
path = f"{sys.argv[3]}/{f}"
text = open(path).read()
open(path, 'w').write(text.replace(pat, rep, 1))
PY
    verdict=survived
    for t in $tests; do
        if ! "${MK[@]}" -B "$OUT/test_$t" >"$WORK/m$lineno.log" 2>&1; then
            verdict="does not build"
            break
        fi
        timeout "$TIMEOUT" "$OUT/test_$t" >>"$WORK/m$lineno.log" 2>&1
        rc=$?
        if [ $rc -ne 0 ]; then
            verdict="killed by test_$t$([ $rc = 124 ] && echo ' (timeout)')"
            echo "$key $t" >>"$NEW_KILLERS"
            break
        fi
    done
    cp -a "$WORK/unmutated" "$TREE/$file" # as copied at the start, whatever the working tree does
    case $verdict in
    killed*) killed=$((killed + 1)); echo "  killed   ${NAME##*/}:$lineno $file: $why [$verdict]" ;;
    *) survivors+=("${NAME##*/}:$lineno $file: $why ($verdict)")
       echo "  SURVIVED ${NAME##*/}:$lineno $file: $why ($verdict)" ;;
    esac
done

# Keep what this run learnt, and the entries of mutations it did not run.
awk 'NR == FNR { seen[$1] = 1; print; next } !($1 in seen)' "$NEW_KILLERS" "$KILLERS" \
    >"$KILLERS.new" && mv "$KILLERS.new" "$KILLERS"

pct=$((100 * killed / total))
echo "mutation: $killed/$total killed ($pct%)"
for s in "${survivors[@]}"; do
    echo "  survivor: $s"
done
[ "$killed" -eq "$total" ]
