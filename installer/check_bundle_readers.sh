#!/usr/bin/env bash
# Check a built bundle against every reader: what the spec left out must not be needed.
#
#   bash installer/check_bundle_readers.sh [BUNDLE]     # default dist/ecgviewer
#
# Writes one file of each format with the reader tests' writers (installer/
# write_format_samples.py, in the development venv: PYTHON, default .venv/bin/python),
# then runs the bundle, outside any venv (env -i), offscreen: --self-test, and for each
# file `info` and `search --json` (read or rectify, draw, encode, search).
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=$(readlink -f "${1:-dist/ecgviewer}")
PY=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d /tmp/ecgviewer-formats.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PASS=0
FAIL=0
app() { env -i HOME="$WORK" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "$BUNDLE/ecgviewer" "$@"; }
check() {
    local what=$1; shift
    if "$@" > "$WORK/last.log" 2>&1; then echo "  ok   $what"; PASS=$((PASS + 1))
    else echo "  FAIL $what"; sed 's/^/       /' "$WORK/last.log" | tail -8; FAIL=$((FAIL + 1)); fi
}
searched() { app search "$1" --json --top 3 > "$WORK/search.json" && grep -q '"case_id"' "$WORK/search.json"; }

"$PY" installer/write_format_samples.py "$WORK/files" > "$WORK/list.txt"
check "--self-test" app --self-test
while read -r file; do
    name=${file#"$WORK/files/"}
    check "info $name" app info "$file"
    check "search $name" searched "$file"
done < "$WORK/list.txt"
echo "$PASS passed, $FAIL failed ($BUNDLE)"
[ "$FAIL" = 0 ]
