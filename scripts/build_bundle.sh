#!/usr/bin/env bash
# Build the one-folder Casedesk bundle in dist/casedesk/ (runs on a machine with no Python).
#
# Usage: scripts/build_bundle.sh [--clean] [--smoke]
#   --clean  start from a fresh build virtualenv (build/bundle-venv)
#   --smoke  run packaging/smoke_test.sh on the result
#
# The bundle is built from an ordinary (non-editable) install of the project in its own
# virtualenv, so it holds exactly what the wheel ships: the code, resources/, seeds/, and the
# dependencies from pyproject.toml (spaCy and its English model included).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CLEAN=0
SMOKE=0
for arg in "$@"; do
    case "$arg" in
        --clean) CLEAN=1 ;;
        --smoke) SMOKE=1 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build_bundle.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    esac
done

PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "build_bundle.sh: needs Python 3.11 or newer as \$PYTHON (found: $("$PYTHON" --version 2>&1))" >&2
    exit 1
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "build_bundle.sh: the venv module is missing; on Debian: apt-get install python3-venv" >&2
    exit 1
fi

VENV="$ROOT/build/bundle-venv"
START=$(date +%s)
if [[ $CLEAN == 1 ]]; then
    rm -rf "$VENV" "$ROOT/build/pyinstaller" "$ROOT/dist/casedesk"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "== creating build virtualenv in build/bundle-venv"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
fi

echo "== installing Casedesk and PyInstaller into the build virtualenv"
"$VENV/bin/python" -m pip install --quiet --upgrade "pyinstaller>=6.10"
# --force-reinstall --no-deps of the project itself so edits since the last build are picked up.
"$VENV/bin/python" -m pip install --quiet "$ROOT"
"$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$ROOT"

echo "== running PyInstaller"
rm -rf "$ROOT/dist/casedesk"
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" \
    "$ROOT/packaging/casedesk.spec"

# Several wheels (spaCy, thinc, blis, ...) ship their extension modules with DWARF debug info:
# dropping it shrinks the bundle by about a third. Only files that carry .debug_info are
# touched (rewriting other libraries, e.g. ones patched by auditwheel, is not worth the risk).
if command -v strip >/dev/null && command -v readelf >/dev/null; then
    echo "== stripping debug info from extension modules"
    while IFS= read -r -d '' lib; do
        if readelf -S "$lib" 2>/dev/null | grep -q '\.debug_info'; then
            strip --strip-debug "$lib"
        fi
    done < <(find "$ROOT/dist/casedesk" -type f -name '*.so*' -print0)
else
    echo "== strip/readelf not found (Debian: apt-get install binutils): bundle left unstripped"
fi

END=$(date +%s)
echo "== built dist/casedesk/ in $((END - START)) s; size $(du -sh "$ROOT/dist/casedesk" | cut -f1)"
echo "   run it: dist/casedesk/casedesk --version"

if [[ $SMOKE == 1 ]]; then
    "$ROOT/packaging/smoke_test.sh" "$ROOT/dist/casedesk"
fi
