#!/usr/bin/env bash
# Install Casedesk for the current user: a `casedesk` launcher, the menu entry, icons, the
# AppStream metadata and the case-file MIME type, so .casedesk files open with the app.
#
# Usage: scripts/install_desktop.sh [--bundle DIR | --command EXE] [--prefix DIR]
#        scripts/install_desktop.sh --uninstall [--prefix DIR]
#
#   --bundle DIR   copy this one-folder bundle to PREFIX/lib/casedesk and launch it
#                  (default: dist/casedesk if it was built)
#   --command EXE  launch an already installed `casedesk` program instead (for example
#                  .venv/bin/casedesk of this checkout)
#   --prefix DIR   where to install (default: ~/.local; data files go to PREFIX/share)
#   --uninstall    remove everything this script installs
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_ID="org.casedesk.Casedesk"
PREFIX="$HOME/.local"
BUNDLE=""
COMMAND=""
UNINSTALL=0

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
    case "$1" in
        --bundle) BUNDLE="${2:?--bundle needs a directory}"; shift 2 ;;
        --command) COMMAND="${2:?--command needs a program}"; shift 2 ;;
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install_desktop.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
if [[ -n "$BUNDLE" && -n "$COMMAND" ]]; then
    echo "install_desktop.sh: give --bundle or --command, not both" >&2
    exit 2
fi

mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
BIN="$PREFIX/bin"
LIB="$PREFIX/lib/casedesk"
SHARE="$PREFIX/share"
ICONS="$SHARE/icons/hicolor"
SIZES=(16 32 48 64 128 256 512)

refresh_caches() {
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$SHARE/applications" || true
    fi
    if command -v update-mime-database >/dev/null; then
        update-mime-database "$SHARE/mime" >/dev/null 2>&1 || true
    fi
    if command -v gtk-update-icon-cache >/dev/null && [[ -f "$ICONS/index.theme" ]]; then
        gtk-update-icon-cache -q -t -f "$ICONS" || true
    fi
}

installed_files() {
    echo "$BIN/casedesk"
    echo "$SHARE/applications/$APP_ID.desktop"
    echo "$SHARE/metainfo/$APP_ID.metainfo.xml"
    echo "$SHARE/mime/packages/$APP_ID.mime.xml"
    echo "$ICONS/scalable/apps/$APP_ID.svg"
    echo "$ICONS/scalable/mimetypes/application-x-casedesk.svg"
    for size in "${SIZES[@]}"; do
        echo "$ICONS/${size}x${size}/apps/$APP_ID.png"
        echo "$ICONS/${size}x${size}/mimetypes/application-x-casedesk.png"
    done
}

if [[ $UNINSTALL == 1 ]]; then
    while read -r file; do
        rm -f "$file"
    done < <(installed_files)
    rm -rf "$LIB"
    refresh_caches
    echo "removed Casedesk from $PREFIX (your case files and settings are kept)"
    exit 0
fi

# What the launcher runs.
if [[ -z "$BUNDLE" && -z "$COMMAND" ]]; then
    if [[ -x "$ROOT/dist/casedesk/casedesk" ]]; then
        BUNDLE="$ROOT/dist/casedesk"
    elif [[ -x "$ROOT/.venv/bin/casedesk" ]]; then
        COMMAND="$ROOT/.venv/bin/casedesk"
    else
        echo "install_desktop.sh: nothing to install: build the bundle first" \
            "(scripts/build_bundle.sh) or give --command /path/to/casedesk" >&2
        exit 1
    fi
fi
if [[ -n "$BUNDLE" ]]; then
    [[ -x "$BUNDLE/casedesk" ]] || { echo "install_desktop.sh: $BUNDLE/casedesk is not a built bundle" >&2; exit 1; }
    BUNDLE="$(cd "$BUNDLE" && pwd)"
    if [[ "$BUNDLE" != "$LIB" ]]; then
        rm -rf "$LIB"
        mkdir -p "$(dirname "$LIB")"
        cp -a "$BUNDLE" "$LIB"
    fi
    TARGET="$LIB/casedesk"
else
    [[ -x "$COMMAND" ]] || { echo "install_desktop.sh: $COMMAND is not an executable program" >&2; exit 1; }
    TARGET="$(cd "$(dirname "$COMMAND")" && pwd)/$(basename "$COMMAND")"
fi

mkdir -p "$BIN" "$SHARE/applications" "$SHARE/metainfo" "$SHARE/mime/packages" \
    "$ICONS/scalable/apps" "$ICONS/scalable/mimetypes"
# The menu entry runs `casedesk open %f`; started from the menu without a file that is a bare
# `open`, which means: the window on the last case, as `casedesk` alone does.
cat >"$BIN/casedesk" <<LAUNCHER
#!/bin/sh
# Casedesk launcher, written by install_desktop.sh
if [ "\$#" = 1 ] && [ "\$1" = open ]; then set --; fi
exec "$TARGET" "\$@"
LAUNCHER
chmod 755 "$BIN/casedesk"

# The menu may not have PREFIX/bin on its PATH: point the entry at the launcher itself.
sed -e "s|^Exec=casedesk |Exec=$BIN/casedesk |" -e "s|^TryExec=casedesk$|TryExec=$BIN/casedesk|" \
    "$ROOT/packaging/$APP_ID.desktop" >"$SHARE/applications/$APP_ID.desktop"
install -m 644 "$ROOT/packaging/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
install -m 644 "$ROOT/packaging/$APP_ID.mime.xml" "$SHARE/mime/packages/"

install -m 644 "$ROOT/resources/icons/casedesk.svg" "$ICONS/scalable/apps/$APP_ID.svg"
install -m 644 "$ROOT/resources/icons/casedesk.svg" \
    "$ICONS/scalable/mimetypes/application-x-casedesk.svg"
for size in "${SIZES[@]}"; do
    mkdir -p "$ICONS/${size}x${size}/apps" "$ICONS/${size}x${size}/mimetypes"
    install -m 644 "$ROOT/resources/icons/png/casedesk-$size.png" \
        "$ICONS/${size}x${size}/apps/$APP_ID.png"
    install -m 644 "$ROOT/resources/icons/png/casedesk-$size.png" \
        "$ICONS/${size}x${size}/mimetypes/application-x-casedesk.png"
done

refresh_caches
echo "installed Casedesk in $PREFIX: launcher $BIN/casedesk -> $TARGET"
case ":$PATH:" in
    *":$BIN:"*) ;;
    *) echo "note: $BIN is not on your PATH; the menu entry works, the casedesk command needs it" ;;
esac
