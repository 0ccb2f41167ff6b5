#!/usr/bin/env bash
# Validate the desktop integration files in packaging/ with the freedesktop tools:
#   desktop-file-validate   org.casedesk.Casedesk.desktop
#   appstreamcli validate   org.casedesk.Casedesk.metainfo.xml (--no-net: no URL is fetched)
#   xmllint + update-mime-database   org.casedesk.Casedesk.mime.xml
# Missing tools are installed with apt-get when running as root (Debian/Ubuntu: packages
# desktop-file-utils appstream libxml2-utils shared-mime-info); otherwise the script says which
# packages to install and fails. Exit status 0 only if every file is valid.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/packaging"
APP_ID="org.casedesk.Casedesk"

declare -A PACKAGE_OF=(
    [desktop-file-validate]=desktop-file-utils
    [appstreamcli]=appstream
    [xmllint]=libxml2-utils
    [update-mime-database]=shared-mime-info
)
missing=()
for tool in "${!PACKAGE_OF[@]}"; do
    command -v "$tool" >/dev/null || missing+=("${PACKAGE_OF[$tool]}")
done
if ((${#missing[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "== installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
        echo "validate_desktop.sh: missing tools; install them with:" >&2
        echo "    sudo apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

status=0
check() {  # $1 = label, rest = command
    local label="$1"
    shift
    local out
    if out="$("$@" 2>&1)"; then
        echo "ok    $label"
        [[ -z "$out" ]] || sed 's/^/      /' <<<"$out"
    else
        echo "FAIL  $label"
        sed 's/^/      /' <<<"$out"
        status=1
    fi
}

check "desktop-file-validate $APP_ID.desktop" desktop-file-validate "$PKG/$APP_ID.desktop"
check "appstreamcli validate $APP_ID.metainfo.xml" \
    appstreamcli validate --no-net "$PKG/$APP_ID.metainfo.xml"
check "xmllint $APP_ID.mime.xml" xmllint --noout "$PKG/$APP_ID.mime.xml"

# update-mime-database parses the definition as the desktop will; compile it in a scratch dir.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/mime/packages"
cp "$PKG/$APP_ID.mime.xml" "$scratch/mime/packages/"
mime_compiles() {
    local out
    out="$(update-mime-database -V "$scratch/mime" 2>&1)"
    if grep -Eiq "error|warning|invalid|unknown" <<<"$out"; then
        grep -Ei "error|warning|invalid|unknown" <<<"$out"
        return 1
    fi
    grep -q "^application/x-casedesk:\*\.casedesk$" <(cut -d: -f2- "$scratch/mime/globs2") \
        || { echo "the compiled database has no *.casedesk glob"; return 1; }
}
check "update-mime-database accepts $APP_ID.mime.xml" mime_compiles

exit $status
