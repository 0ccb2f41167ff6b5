#!/usr/bin/env bash
# Smoke test of the one-folder bundle: run it the way a user without Python would.
#
# Usage: packaging/smoke_test.sh [BUNDLE_DIR]      (default: dist/casedesk)
#
# Every run of the bundle gets an empty environment (env -i) with a PATH holding no Python, its
# own HOME and an offscreen Qt platform. Steps: --version; write the sample case; import a new
# text document and check facts were extracted from it; export a summary; open the window and
# quit after its first paint (CASEDESK_TIMING=quit: the window quits once the reader has
# painted a document, and reports the time since process start); start with no arguments
# (first run: the window writes the sample case and shows it). If xvfb-run is installed, the
# window is also opened on a real X server through the bundled xcb platform plugin.
# Prints the time of each step; exits 0 only if all passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$(cd "${1:-$ROOT/dist/casedesk}" && pwd)"
EXE="$BUNDLE/casedesk"
[[ -x "$EXE" ]] || { echo "smoke_test: no executable $EXE (build it: scripts/build_bundle.sh)" >&2; exit 1; }

WORK="$(mktemp -d -t casedesk-smoke.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/emptybin"
CASE="$WORK/smoke.casedesk"
FAILED=0

# A PATH with nothing on it: the bundle must not need python3 (or anything else) from the host.
run() {
    env -i HOME="$WORK/home" PATH="$WORK/emptybin" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        "$@"
}
if env -i PATH="$WORK/emptybin" /bin/sh -c 'command -v python3 || command -v python' >/dev/null; then
    echo "smoke_test: the test PATH unexpectedly provides Python" >&2
    exit 1
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
pass() { printf 'ok    %-40s %6s s\n' "$1" "$2"; }
fail() { printf 'FAIL  %s\n' "$1" >&2; FAILED=1; }

# 0. the shipped files: every icon and the seeds (the window shows a missing icon as blank)
shipped="$BUNDLE/_internal/casedesk"
want_icons=$(find "$ROOT/resources/icons" -name '*.svg' -o -name '*.png' | wc -l)
have_icons=$(find "$shipped/resources/icons" \( -name '*.svg' -o -name '*.png' \) 2>/dev/null | wc -l)
want_seeds=$(find "$ROOT/seeds" -maxdepth 1 -type f \( -name '*.txt' -o -name '*.json' \) | wc -l)
have_seeds=$(find "$shipped/seeds" -maxdepth 1 -type f 2>/dev/null | wc -l)
if [[ $have_icons == "$want_icons" && $have_seeds -ge $want_seeds ]]; then
    pass "shipped: $have_icons icon files, $have_seeds seed files" "0"
else
    fail "shipped files: $have_icons of $want_icons icons, $have_seeds of $want_seeds seeds in $shipped"
fi

expected_version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)"

# 1. --version
t=$(now)
if out="$(run "$EXE" --version 2>&1)" && [[ "$out" == "casedesk $expected_version" ]]; then
    pass "--version ($out)" "$(elapsed "$t")"
else
    fail "--version printed '$out', expected 'casedesk $expected_version'"
fi

# 2. the sample case
t=$(now)
if run "$EXE" sample "$CASE" -q >"$WORK/sample.log" 2>&1 && [[ -s "$CASE" ]]; then
    pass "sample case written" "$(elapsed "$t")"
else
    fail "sample: $(tail -5 "$WORK/sample.log")"
fi

# 3. import a document the bundle has never seen and check facts came out of it
cat >"$WORK/smoke-article.txt" <<'TXT'
Port authority halts grain shipments after inspection dispute

ROTTERDAM, 14 March 2023 - The Port of Rotterdam Authority suspended the loading of
12,000 tonnes of wheat on Tuesday after inspectors from the Dutch Food and Consumer Product
Safety Authority questioned the cargo's certificates, spokesman Pieter de Vries said.
The dispute began two weeks earlier, when a shipment bound for Alexandria in Egypt was held
for five days. Cargill said it expected the vessel to leave Rotterdam by 20 March 2023.
TXT
t=$(now)
if run "$EXE" import "$CASE" "$WORK/smoke-article.txt" -q >"$WORK/import.log" 2>&1; then
    pass "import smoke-article.txt" "$(elapsed "$t")"
else
    fail "import: $(tail -5 "$WORK/import.log")"
fi
t=$(now)
if run "$EXE" facts "$CASE" --document smoke-article.txt --format jsonl >"$WORK/facts.jsonl" \
    2>"$WORK/facts.log" && [[ -s "$WORK/facts.jsonl" ]]; then
    pass "facts extracted: $(wc -l <"$WORK/facts.jsonl") ($(grep -o '"kind": *"[a-z]*"' \
        "$WORK/facts.jsonl" | sed 's/.*"\([a-z]*\)"$/\1/' | sort -u | tr '\n' ' '))" "$(elapsed "$t")"
else
    fail "no facts extracted from the imported document: $(tail -5 "$WORK/facts.log")"
fi

# 4. export a summary
t=$(now)
if run "$EXE" export "$CASE" -o "$WORK/summary.md" >"$WORK/export.log" 2>&1 \
    && [[ -s "$WORK/summary.md" ]] && grep -q "Rotterdam" "$WORK/summary.md"; then
    pass "export summary ($(wc -c <"$WORK/summary.md") bytes)" "$(elapsed "$t")"
else
    fail "export: $(tail -5 "$WORK/export.log")"
fi

# 5. the window: open the case offscreen, quit after the first paint
window() {  # $1 = label, rest = command prefix
    local label="$1"
    shift
    local t rc=0
    t=$(now)
    timeout 120 "$@" >"$WORK/window.log" 2>&1 || rc=$?
    if [[ $rc == 0 ]] && grep -q "first paint" "$WORK/window.log"; then
        pass "$label" "$(elapsed "$t")"
        echo "      $(grep -m1 "first paint" "$WORK/window.log")"
    elif [[ $rc == 0 ]]; then
        fail "$label: quit without reporting its first paint: $(tail -8 "$WORK/window.log")"
    elif [[ $rc == 124 ]]; then
        fail "$label: still running after 120 s (no first paint of the reader)"
    else
        fail "$label: exit status $rc: $(tail -8 "$WORK/window.log")"
    fi
}
window "window painted and quit (offscreen)" \
    env -i HOME="$WORK/home" PATH="$WORK/emptybin" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    CASEDESK_TIMING=quit "$EXE" open "$CASE"

# First run with no arguments: the window writes the sample case into the user's data
# directory (extracting in its worker thread) and shows it.
mkdir -p "$WORK/firstrun"
window "first run: sample case written and shown" \
    env -i HOME="$WORK/firstrun" PATH="$WORK/emptybin" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    CASEDESK_TIMING=quit "$EXE"
if ! ls "$WORK/firstrun/.local/share/Casedesk/"*.casedesk >/dev/null 2>&1; then
    fail "first run: no sample case in $WORK/firstrun/.local/share/Casedesk"
fi

if command -v xvfb-run >/dev/null; then
    window "window painted and quit (xcb, Xvfb)" \
        xvfb-run -a -s "-screen 0 1280x800x24" /bin/sh -c 'exec env -i HOME="$1" PATH="$2" \
        LANG=C.UTF-8 DISPLAY="$DISPLAY" XAUTHORITY="$XAUTHORITY" QT_QPA_PLATFORM=xcb \
        CASEDESK_TIMING=quit "$3" open "$4"' sh "$WORK/home" "$WORK/emptybin" "$EXE" "$CASE"
else
    echo "skip  window on xcb (install xvfb and xauth to test it)"
fi

echo "bundle: $BUNDLE ($(du -sh "$BUNDLE" | cut -f1))"
if [[ $FAILED != 0 ]]; then
    echo "smoke test FAILED" >&2
    exit 1
fi
echo "smoke test passed"
